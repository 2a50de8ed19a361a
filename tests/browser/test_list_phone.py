"""The participant list on a 360-px phone: whether each person is active, and in which desa, is read without
scrolling the table sideways (as the fourth and fifth columns they sat past the screen's edge: 'Kra…')."""

import pytest

from jamsosdesa.core.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import DESA_A, make_user
from tests.funding.conftest import people

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language,inactive", [("id", "nonaktif"), ("en", "inactive")])
def test_each_rows_status_and_desa_show_on_a_phone(page, language, inactive):
    make_user("operator", Role.VILLAGE_OPERATOR, [DESA_A])
    gone = people(1, DESA_A, is_active=False)[0]
    people(2, DESA_A)
    log_in(page, "operator")
    if language != "id":
        page.click(f"footer button[value={language}]")
        page.wait_for_selector(f"html[lang={language}]")
    page.goto(page.base_url + "/peserta/?status=")
    box = page.locator(".table-wrap").first
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), "the participant list scrolls sideways on a phone"
    row = page.locator("tbody tr", has_text=gone.full_name)
    badge = row.locator(".badge.off:visible")
    assert badge.inner_text() == inactive
    assert badge.evaluate("b => b.getBoundingClientRect().right") <= page.viewport_size["width"]
    assert row.locator(":visible", has_text="Krajan").count() > 0
