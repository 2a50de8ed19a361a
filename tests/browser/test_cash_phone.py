"""Issue 14 part B on a 360-px phone: the agent's receipt (to show, share on WhatsApp, print), its collections page
and the branch's undeposited-cash list fit the screen within the Content-Security-Policy; printed, the receipt
keeps only itself."""

from datetime import timedelta

import pytest

from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from tests.agents.cash.conftest import collect, make_agent, worker
from tests.browser.conftest import log_in
from tests.browser.test_phone_layout import MEASURE, PHONE
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def _fits(page, path: str) -> None:
    assert page.goto(page.base_url + path).status == 200, path
    found = page.evaluate(MEASURE)
    assert found["width"] <= PHONE["width"] and not found["covered"], (path, found)


def test_the_receipt_and_the_cash_pages_fit_a_phone(page):
    agent = make_agent()
    person = worker(agent)
    c = collect(agent, person, 3, collected_on=clock.today() - timedelta(days=4)).collection
    make_user("cabang_hp", Role.BRANCH_OFFICER, ["33.11"])
    page.set_viewport_size(PHONE)
    log_in(page, agent.user.username)
    _fits(page, f"/agen/kuitansi/{c.receipt_number}/")
    assert page.is_visible("a[href^='https://wa.me/?text=']") and page.is_visible("#receipt-code")
    page.emulate_media(media="print")
    assert not page.is_visible("header.topbar") and not page.is_visible("[data-print]")
    assert page.is_visible("#receipt-amount")
    page.emulate_media(media="screen")
    _fits(page, "/agen/penagihan/")
    page.goto(page.base_url + "/masuk/")
    page.context.clear_cookies()
    log_in(page, "cabang_hp")
    _fits(page, "/agen/uang-belum-disetor/")
    assert page.is_visible("tr.flagged")
