"""The outreach event pages on a 360-px phone (H3): the form's choices and placeholders fit their fields, and an
event's page with its code and its registrations does not scroll sideways."""

import pytest

from jamsosdesa.core.roles import Role
from tests.browser.conftest import log_in
from tests.browser.test_phone_field_text import TOO_LONG
from tests.conftest import DESA_A, make_user

pytestmark = pytest.mark.browser


def test_the_event_form_and_page_fit_a_phone(page):
    from tests.coverage.events_fixtures import make_event, register_with

    operator = make_user("operator_hp", Role.VILLAGE_OPERATOR, [DESA_A])
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, "operator_hp")
    page.goto(page.base_url + "/cakupan/sosialisasi/baru/")
    page.wait_for_load_state()
    assert page.locator("main select").count() > 0
    assert page.evaluate(TOO_LONG) == [], page.evaluate(TOO_LONG)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the form scrolls"
    event = make_event(operator)
    register_with(operator, event.code, 0)
    for path in (f"/cakupan/sosialisasi/{event.pk}/", "/cakupan/sosialisasi/"):
        page.goto(page.base_url + path)
        page.wait_for_load_state()
        assert event.code in page.content()
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), f"{path} scrolls"
