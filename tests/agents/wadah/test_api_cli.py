"""The API and the command line are doors onto the same services: a wadah and an agent recorded, listed (--json),
deactivated and reactivated; refusals carry their error codes."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsosdesa.agents.models import Agent, Wadah
from tests.conftest import DESA_A, api_client

from .conftest import PASSWORD, wadah_form

pytestmark = pytest.mark.django_db


def _wadah_body(**more) -> dict:
    form = wadah_form(**more)
    body = {k: getattr(form, k) for k in ("name", "kind", "legal_status", "kab_code", "pks_number")}
    body.update(pks_date=form.pks_date.isoformat(), pks_start=form.pks_start.isoformat(),
                pks_end=form.pks_end.isoformat(), managers=form.managers)
    return body


def test_the_api_records_a_wadah_and_an_agent(branch, manager, bpu):
    call = api_client(branch)
    made = call("post", "/agents/wadah", _wadah_body())
    assert made.status_code == 201 and made.json()["below_minimum"] is True and made.json()["managers"] == [
        "pengelola_krajan"]
    (person,) = bpu(1)
    agent = call("post", f"/agents/wadah/{made.json()['id']}/agents", {
        "username": "agen.api", "password": PASSWORD, "nik": person.nik, "full_name": "Agen Api", "desa": [DESA_A],
        "bank_name": "BRI", "bank_account": "1", "bank_holder": "Agen Api", "training_certificate": "S1",
        "assignment_letter": "T1"})
    assert agent.status_code == 201 and "password" not in agent.json()
    again = call("post", f"/agents/wadah/{made.json()['id']}/agents", {
        "username": "agen.api2", "password": PASSWORD, "nik": person.nik, "full_name": "Agen Api", "desa": [DESA_A],
        "bank_name": "BRI", "bank_account": "1", "bank_holder": "Agen Api", "training_certificate": "S1",
        "assignment_letter": "T1"})
    assert again.status_code == 422 and "nik" in again.json()["error"]["fields"]
    assert call("get", f"/agents/wadah/{made.json()['id']}").json()["agents"][0]["username"] == "agen.api"


def test_the_api_refuses_a_too_long_pks_and_deactivates_and_reactivates(branch, manager, agent):
    call = api_client(branch)
    body = _wadah_body()
    body["pks_end"] = "2999-01-01"
    refused = call("post", "/agents/wadah", body)
    assert refused.status_code == 422 and "pks_end" in refused.json()["error"]["fields"]
    done = api_client(manager)("post", f"/agents/agents/{agent.pk}/deactivate", {"note": "cuti"})
    assert done.status_code == 200 and done.json()["status"] == "inactive"
    twice = api_client(manager)("post", f"/agents/agents/{agent.pk}/deactivate", {"note": "cuti"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_inactive"
    back = api_client(manager)("post", f"/agents/agents/{agent.pk}/reactivate", {})
    assert back.status_code == 200 and back.json()["status"] == "active"
    assert api_client(agent.user)("patch", f"/agents/agents/{agent.pk}", {"bank_account": "2"}).status_code == 403


def test_the_command_line_lists_creates_and_deactivates(branch, manager, wadah, agent, bpu):
    out = StringIO()
    call_command("agents", "wadah", "list", "--user", branch.username, "--json", stdout=out)
    (row,) = json.loads(out.getvalue())
    assert row["id"] == wadah.pk and row["active_agents"] == 1 and row["below_minimum"] is True
    (person,) = bpu(1)
    out = StringIO()
    call_command("agents", "agent", "create", "--user", branch.username, "--wadah", str(wadah.pk), "--username",
                 "agen.cli", "--password", PASSWORD, "--nik", person.nik, "--name", "Agen Cli", "--desa", DESA_A,
                 "--bank", "BRI", "--account", "1", "--holder", "Agen Cli", "--training-certificate", "S",
                 "--assignment-letter", "T", stdout=out)
    made = Agent.objects.get(user__username="agen.cli")
    call_command("agents", "agent", "deactivate", str(made.pk), "--user", manager.username, "--note", "berhenti",
                 stdout=StringIO())
    made.refresh_from_db()
    assert made.status == "inactive"
    out = StringIO()
    call_command("agents", "agent", "list", "--user", manager.username, "--json", stdout=out)
    assert {a["username"] for a in json.loads(out.getvalue())} == {agent.user.username, "agen.cli"}
    with pytest.raises(CommandError):
        call_command("agents", "agent", "show", str(made.pk), "--user", "cabang_skh_tidak_ada", stdout=StringIO())


def test_the_command_line_refuses_a_pks_too_long_with_the_message(branch, manager):
    form = wadah_form()
    with pytest.raises(CommandError) as refused:
        call_command("agents", "wadah", "create", "--user", branch.username, "--name", "X", "--kind", "bumdes",
                     "--legal-status", "Perdes", "--kab", "33.11", "--pks-number", "P/1", "--pks-date",
                     form.pks_date.isoformat(), "--pks-start", form.pks_start.isoformat(), "--pks-end",
                     (form.pks_start + timedelta(days=800)).isoformat(),
                     stdout=StringIO())
    assert "12 bulan" in str(refused.value)
    assert not Wadah.objects.exists()
