"""The quote's lines on a 360-px phone: each programme's amount, its rule, its regulation and its discount are
read without scrolling the table sideways (three short columns cut the regulation and the discount off at the
screen's edge: 'PP 44/201', '50% discount o')."""

import pytest

from jamsosdesa.core.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import DESA_A, make_user
from tests.funding.conftest import month_text

pytestmark = pytest.mark.browser

QUOTE = ("/iuran/simulasi/?segment=BPU&programmes=JKK&programmes=JKM&income=1000000&month={month}"
         "&payer=self&sector=umum&people=10&months=4")


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_quote_lines_fit_a_phone_without_scrolling_sideways(page, language):
    make_user("operator", Role.VILLAGE_OPERATOR, [DESA_A])
    log_in(page, "operator")
    if language != "id":
        page.click(f"footer button[value={language}]")
        page.wait_for_selector(f"html[lang={language}]")
    page.goto(page.base_url + QUOTE.format(month=month_text(0)))
    page.wait_for_selector("#quote-total")
    lines = page.locator("table.quote-lines")
    box = lines.locator("xpath=..")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), "the quote's lines scroll sideways on a phone"
    right = box.evaluate("b => b.getBoundingClientRect().right")
    for cell in lines.locator("tbody td").all():
        if cell.is_visible():  # each rule, regulation and discount ends inside the screen
            assert cell.evaluate("c => c.getBoundingClientRect().right") <= right + 1, cell.inner_text()
    assert "PP 44/2015" in lines.inner_text()
