"""The printable budget sheet read on a 360-px phone: the 'budget needed' table shows its totals without scrolling
sideways (with a village's eleven-million total, the Total column was cut off at the screen's edge: 'Rp11.088.00')."""

import pytest

from jamsosdesa.core.roles import Role
from jamsosdesa.funding.services import EnrolmentSelection, enrolment_batch_run, scheme_create
from tests.browser.conftest import log_in
from tests.conftest import DESA_A, make_user
from tests.funding.conftest import people, scheme_data

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_budget_sheets_totals_fit_a_phone(page, language):
    official = make_user("pemkab", Role.DISTRICT_OFFICIAL, ["33.11"])
    scheme = scheme_create(actor=official, data=scheme_data(quota_per_desa=None))
    batch = enrolment_batch_run(actor=official, scheme=scheme,
                                selection=EnrolmentSelection(niks=[p.nik for p in people(110, DESA_A)]))
    assert batch.enrolled == 110  # Rp100.800 each for six months: Rp11.088.000
    log_in(page, "pemkab")
    if language != "id":
        page.click(f"footer button[value={language}]")
        page.wait_for_selector(f"html[lang={language}]")
    page.goto(page.base_url + f"/skema/{scheme.pk}/lembar-anggaran/")
    total = page.locator("#people-total")
    assert total.inner_text() == "Rp11.088.000"
    box = total.locator("xpath=ancestor::div[contains(@class, 'table-wrap')]")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), "the budget table scrolls sideways on a phone"
    assert total.evaluate("c => c.getBoundingClientRect().right") <= page.viewport_size["width"]
