"""The wadah and agent pages: the list flags a wadah below the rules' minimum of active agents; a branch records a
wadah and an agent through the forms (the refusals shown on their fields); deactivation and reactivation are POST
actions; the national admin sets the rules on their page."""

import pytest
from django.test import Client

from jamsosdesa.agents.models import Agent, AgentRules, Wadah
from jamsosdesa.core import clock
from tests.conftest import DESA_A

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_wadah_below_the_minimum_is_flagged_on_the_list_and_its_page(branch, wadah, make_agent):
    agents = [make_agent() for _ in range(4)]
    page = _client(branch).get("/agen/wadah/").content.decode()
    assert "kurang dari 5" in page and wadah.pks_end.strftime("%d-%m-%Y") in page
    assert 'id="below-minimum"' in _client(branch).get(f"/agen/wadah/{wadah.pk}/").content.decode()
    make_agent()
    assert "kurang dari 5" not in _client(branch).get("/agen/wadah/").content.decode()
    assert 'id="below-minimum"' not in _client(branch).get(f"/agen/wadah/{wadah.pk}/").content.decode()
    assert len(agents) == 4


def test_the_branch_records_a_wadah_through_the_form_and_a_too_long_pks_is_shown(branch, manager):
    today = clock.today()
    form = {"name": "Koperasi Sejahtera", "kind": "koperasi", "legal_status": "AHU-0001", "kab_code": "33.11",
            "pks_number": "PKS/77", "pks_date": today.isoformat(), "pks_start": today.isoformat(),
            "pks_end": today.replace(year=today.year + 2).isoformat() if not (today.month == 2 and today.day == 29)
            else today.replace(year=today.year + 2, day=28).isoformat(), "managers": "pengelola_krajan",
            "is_active": "on"}
    client = _client(branch)
    refused = client.post("/agen/wadah/baru/", form)
    assert refused.status_code == 200 and "12 bulan" in refused.content.decode()
    form["pks_end"] = today.isoformat()
    made = client.post("/agen/wadah/baru/", form)
    wadah = Wadah.objects.get(name="Koperasi Sejahtera")
    assert made.status_code == 302 and made["Location"] == f"/agen/wadah/{wadah.pk}/"


def test_the_branch_records_an_agent_through_the_form(branch, wadah, bpu):
    (person,) = bpu(1)
    form = {"nik": person.nik, "username": "agen.form", "password": PASSWORD, "full_name": person.full_name,
            "desa": DESA_A, "bank_name": "BRI", "bank_account": "0011", "bank_holder": person.full_name,
            "training_certificate": "SERT/1", "assignment_letter": "ST/1"}
    response = _client(branch).post(f"/agen/wadah/{wadah.pk}/agen-baru/", form)
    agent = Agent.objects.get(user__username="agen.form")
    assert response.status_code == 302 and response["Location"] == f"/agen/{agent.pk}/"
    page = _client(branch).get(f"/agen/{agent.pk}/").content.decode()
    assert PASSWORD not in page and "agen.form" in page


def test_deactivate_and_reactivate_from_the_agent_page(manager, agent):
    client = _client(manager)
    assert client.get(f"/agen/{agent.pk}/nonaktifkan/").status_code == 405
    client.post(f"/agen/{agent.pk}/nonaktifkan/", {"reason": "manual", "note": "cuti panjang"})
    agent.refresh_from_db()
    assert agent.status == "inactive"
    page = client.get(f"/agen/{agent.pk}/").content.decode()
    assert "cuti panjang" in page
    client.post(f"/agen/{agent.pk}/aktifkan/", {"note": "kembali"})  # a manual deactivation: at once
    agent.refresh_from_db()
    assert agent.status == "active"


def test_the_rules_page_shows_the_history_and_only_the_national_admin_sets_a_row(admin_user, branch):
    assert "Tetapkan aturan baru" not in _client(branch).get("/agen/aturan/").content.decode()
    assert _client(branch).post("/agen/aturan/", {}).status_code == 404
    day = clock.today()
    response = _client(admin_user).post("/agen/aturan/", {
        "valid_from": day.isoformat(), "min_active_agents": "7", "idle_months": "3", "reactivate_after_months": "6",
        "pks_max_months": "12", "deposit_due_days": "2", "source": "Perdir BPJS 2027"})
    assert response.status_code == 302
    assert AgentRules.objects.get(valid_from=day).min_active_agents == 7
    assert "Perdir BPJS 2027" in _client(branch).get("/agen/aturan/").content.decode()
