"""The prospects page on a 360-px phone (H4): a desa's not-yet-protected residents, grouped by dusun/RT, with the
reminder and the WhatsApp button, does not scroll sideways, and its buttons sit within the screen."""

import pytest

from jamsosdesa.core.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import DESA_A, make_user
from tests.funding.conftest import born_aged, people

pytestmark = pytest.mark.browser


def test_the_prospects_page_fits_a_phone(page):
    from jamsosdesa.participants.models import Participant

    make_user("operator_prospek", Role.VILLAGE_OPERATOR, [DESA_A])
    resident, = people(1, DESA_A, born=born_aged(30))
    Participant.objects.filter(pk=resident.pk).update(
        full_name="Sri Rahayuningsih Kusumawardhani Purbaningtyas", address="Dusun Krajan Kidul Wetan Lor",
        rt="12", rw="3", phone="081234567890", occupation_id=88)
    log_in(page, "operator_prospek")
    page.goto(page.base_url + "/cakupan/prospek/")
    page.wait_for_load_state()
    assert "Sri Rahayuningsih" in page.content() and "Dusun Krajan Kidul Wetan Lor · RW 3 · RT 12" in page.content()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls"
    button = page.locator(".worklist-actions [role=button]").first
    assert button.evaluate("b => b.getBoundingClientRect().right") <= page.viewport_size["width"]
