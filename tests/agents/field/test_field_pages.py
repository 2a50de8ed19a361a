"""The field app's pages (issue 14 part D): what the agent opens on the phone, the service worker and the manifest
that make it installable, and the forms posted without JavaScript."""

import json
import re

import pytest
from django.test import Client

from jamsosdesa.agents.models import ClientSubmission
from jamsosdesa.core import clock
from jamsosdesa.core.months import add_months
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A

from .conftest import worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(agent):
    browser = Client()
    browser.force_login(agent.user)
    return browser


def test_the_home_page_says_what_the_agent_does(phone, agent):
    page = phone.get("/agen/lapangan/").content.decode()
    for words in ("Daftarkan pekerja", "Mulai paket iuran pekerja", "Catat setoran iuran", "Jatuh tempo 30 hari",
                  "Menunggak", "Kiriman"):
        assert words in page, words
    assert f"agen={agent.user.pk}" in page  # billing's worklists, the agent's own
    last_month = add_months(clock.this_month(), -1)
    assert f"/agen/{agent.pk}/insentif/{last_month:%Y-%m}/" in page  # its incentive statement
    assert 'rel="manifest" href="/agen/lapangan/manifest.webmanifest"' in page


def test_the_registration_form_offers_the_agents_desa_to_choose(phone):
    page = phone.get("/agen/lapangan/daftar/").content.decode()
    assert 'data-field-form="registration"' in page
    assert f'<option value="{DESA_A}"' in page and "Krajan" in page
    assert 'name="client_token"' in page


def test_a_form_posted_without_javascript_goes_through_the_same_service(phone, agent):
    data = {**worker(), "client_token": "no-js-token-1"}
    answer = phone.post("/agen/lapangan/daftar/", data)
    assert answer.status_code == 302 and answer["Location"] == "/agen/lapangan/kiriman/"
    assert phone.post("/agen/lapangan/daftar/", data).status_code == 302  # pressed twice
    assert Participant.objects.filter(nik="3311114506900001").count() == 1
    assert ClientSubmission.objects.get(user=agent.user).token == "no-js-token-1"
    page = phone.get("/agen/lapangan/kiriman/").content.decode()
    assert "Sri Lestari" in page


def test_a_wrong_form_posted_without_javascript_says_why(phone):
    answer = phone.post("/agen/lapangan/daftar/", {**worker(nik="123"), "client_token": "no-js-token-2"},
                        follow=True)
    assert "NIK" in answer.content.decode() and not Participant.objects.filter(full_name="Sri Lestari").exists()


def test_the_service_worker_keeps_the_shell_and_the_forms(phone):
    answer = phone.get("/agen/lapangan/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/agen/lapangan/"
    assert answer["Cache-Control"] == "no-cache"
    text = answer.content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*\});", text).group(1))
    urls = [entry["url"] for entry in config["precache"]]
    for page in ("/agen/lapangan/", "/agen/lapangan/daftar/", "/agen/lapangan/tagih/", "/agen/lapangan/kiriman/"):
        assert page in urls
    assert "/static/jamsosdesa/field.js" in urls and "/agen/lapangan/manifest.webmanifest" in urls
    assert config["workbox"] == "/static/vendor/workbox/"  # from npm at install time, never a CDN
    assert "googleapis" not in text and config["api"] == "/api/v1/agents/field/submissions"
    assert len({entry["revision"] for entry in config["precache"]}) == 1


def test_the_manifest_installs_the_field_app(db):
    answer = Client().get("/agen/lapangan/manifest.webmanifest")  # browsers ask without the session cookie
    assert answer.status_code == 200 and answer["Content-Type"] == "application/manifest+json"
    manifest = answer.json()
    assert manifest["start_url"] == manifest["scope"] == "/agen/lapangan/"
    assert manifest["display"] == "standalone"
    assert manifest["icons"][0]["src"].startswith("/static/jamsosdesa/favicon")


def test_the_collection_form_asks_nik_months_amount_and_day(phone):
    page = phone.get("/agen/lapangan/tagih/").content.decode()
    for name in ("nik", "months", "amount", "collected_on"):
        assert f'name="{name}"' in page
    assert 'data-field-form="collection"' in page


def test_the_home_page_says_why_an_inactive_agent_may_not_act(phone, agent):
    agent.status, agent.deactivated_on, agent.deactivation_reason = "inactive", clock.today(), "idle"
    agent.save()
    page = phone.get("/agen/lapangan/").content.decode()
    assert "nonaktif sejak" in page
