import pytest

from jamsosdesa.core.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import DESA_A, DESA_B, make_user

pytestmark = pytest.mark.browser


def test_the_list_filter_picker_keeps_the_address_offers_the_own_desa_and_marks_the_rest(page):
    make_user("op_krajan", Role.VILLAGE_OPERATOR, [DESA_A])
    log_in(page, "op_krajan")
    page.fill("input[name=region_q]", "sanggung")  # the neighbouring desa: outside the operator's area
    neighbour = page.locator(f"#id_region-results li:has-text('{DESA_B}') button")
    neighbour.wait_for()
    assert neighbour.is_disabled() and "di luar wilayah Anda" in neighbour.inner_text()
    assert "/wilayah/cari/" not in page.url  # the search stays out of the address bar
    page.fill("input[name=region_q]", "krajan")
    own = page.locator(f"#id_region-results button[data-code='{DESA_A}']")
    own.wait_for()
    assert page.locator("#id_region-results button").first.get_attribute("data-code") == DESA_A
    own.click()
    page.wait_for_url(f"**/peserta/?*region={DESA_A}*")
    page.reload()  # the address the list pushed is the list again, not a bare picker fragment
    assert page.locator("h1").inner_text() == "Peserta" and page.input_value("#id_region") == DESA_A
