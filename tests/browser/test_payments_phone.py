"""The payment list on a 360-px phone: reached from the menu, its filters and rows fit the screen (no sideways
scrolling), and a row leads to the payment's page."""

import os
from datetime import timedelta

import pytest

from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from tests.billing.payment_fixtures import pay
from tests.browser.conftest import log_in, nav_to
from tests.conftest import DESA_A, make_user
from tests.funding.conftest import people

pytestmark = pytest.mark.browser


def test_the_payment_list_fits_a_phone_and_leads_to_a_payment(page):
    operator = make_user("operator", Role.VILLAGE_OPERATOR, [DESA_A])
    [a, b] = people(2, DESA_A)
    pay(operator, nik=a.nik, amount=33_600, reference="TRF/2026/000123456789", channel="bank")
    pay(operator, nik=b.nik, amount=16_800, reference="KW-7", paid_on=clock.today() - timedelta(days=3), channel="ppob")
    log_in(page, "operator")
    nav_to(page, "Pembayaran")
    page.wait_for_url("**/tagihan/pembayaran/")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    if os.environ.get("JAMSOSDESA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["JAMSOSDESA_SCREENSHOTS"], "payments-360-all.png"), full_page=True)
    box = page.locator(".table-wrap").first
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), "the payment list scrolls sideways on a phone"
    page.select_option("select[name=channel]", "bank")
    page.click("button:has-text('Tampilkan')")
    page.wait_for_url("**channel=bank**")
    assert page.locator("tbody tr").count() == 1
    if os.environ.get("JAMSOSDESA_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["JAMSOSDESA_SCREENSHOTS"], "payments-360.png"), full_page=True)
    page.click("tbody tr a")
    page.wait_for_url("**/tagihan/pembayaran/*/")
    assert "Rp33.600" in page.locator("h1").inner_text()
