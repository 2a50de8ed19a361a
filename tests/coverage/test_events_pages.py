"""The outreach event pages: recording an event from the phone form (a refusal keeps what was typed), its page with
the code to print, the list of a region's events, and changing it."""

import pytest
from django.test import Client

from jamsosdesa.core import clock
from jamsosdesa.coverage.models import OutreachEvent
from tests.conftest import DESA_A

pytestmark = pytest.mark.django_db

FORM = {"title": "Sosialisasi di Balai Desa Krajan", "region": DESA_A, "venue": "Balai Desa",
        "organiser_type": "village", "organiser_name": "Pemdes Krajan", "audience": ["village_officials", "dprd"],
        "attendance": "35", "note": ""}


@pytest.fixture
def page(operator_a):
    client = Client()
    client.force_login(operator_a)
    return client


def test_recording_an_event_on_the_page_shows_its_code(page):
    form = page.get("/cakupan/sosialisasi/baru/")
    assert form.status_code == 200 and form.context["form"].initial["region"] == DESA_A
    response = page.post("/cakupan/sosialisasi/baru/", {**FORM, "held_on": clock.today().isoformat()}, follow=True)
    event = OutreachEvent.objects.get()
    html = response.content.decode()
    assert f'<code id="event-code">{event.code}</code>' in html and "Anggota DPRD" in html
    assert event.audience == ["village_officials", "dprd"] and event.attendance == 35
    listed = page.get(f"/cakupan/sosialisasi/?wilayah={DESA_A}").content.decode()
    assert event.code in listed and "Sosialisasi di Balai Desa Krajan" in listed


def test_a_refused_event_keeps_what_was_typed(page):
    response = page.post("/cakupan/sosialisasi/baru/", {**FORM, "audience": [], "held_on": "2001-01-01",
                                                        "region": "33.11.11.2001"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"audience", "region"}
    assert "Wilayah 33.11.11.2001 di luar wilayah kerja Anda." in errors["region"]
    html = response.content.decode()
    assert "Sosialisasi di Balai Desa Krajan" in html and "Pemdes Krajan" in html and 'value="35"' in html
    assert not OutreachEvent.objects.exists()


def test_changing_an_event_on_the_page(page):
    page.post("/cakupan/sosialisasi/baru/", {**FORM, "held_on": clock.today().isoformat()})
    event = OutreachEvent.objects.get()
    form = page.get(f"/cakupan/sosialisasi/{event.pk}/ubah/")
    assert form.context["form"].initial["attendance"] == 35
    changed = page.post(f"/cakupan/sosialisasi/{event.pk}/ubah/", {**FORM, "held_on": clock.today().isoformat(),
                                                                   "attendance": "50"})
    assert changed.status_code == 302
    event.refresh_from_db()
    assert event.attendance == 50
