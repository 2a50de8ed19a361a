"""The rules are effective-dated rows a national admin edits (audited), and a run uses the row in force for its
month; the run page, the API and the command line start runs; a branch officer may run, an agent may not."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from jamsosdesa.agents.incentives import incentive_rule_save, rule_for
from jamsosdesa.agents.models import IncentiveKind, IncentiveRule, IncentiveRun
from jamsosdesa.core.errors import PermissionDenied, ServiceError
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from tests.agents.incentives.conftest import TWO, at, lines_of, month, receive, run, workers
from tests.conftest import api_client, make_user

pytestmark = pytest.mark.django_db
NUMBERS = {"fee_three": 20_000, "fee_two": 12_000, "min_new": 10, "share_1_24_bp": 2000, "share_25_60_bp": 500,
           "wadah_bp": 1000}


def test_the_2022_defaults_are_shipped():
    rule = rule_for(month(-1))
    assert (rule.fee_three, rule.fee_two, rule.min_new, rule.share_1_24_bp, rule.share_25_60_bp, rule.wadah_bp) == (
        15_000, 10_000, 25, 1500, 500, 1000)
    assert rule.source


def test_a_new_rule_applies_from_its_month_and_is_audited(admin_user, agent):
    when = month(-1)
    incentive_rule_save(actor=admin_user, valid_from=when, source="SK Direksi uji", **NUMBERS)
    (ms,) = workers(1, agent, first=when, programmes=TWO)
    receive(ms, when, on=at(when))

    run(admin_user, when)

    assert lines_of(when, kind=IncentiveKind.SHARE_1_24).get().amount == 3_360
    assert rule_for(month(-2)).share_1_24_bp == 1500
    event = AuditEvent.objects.get(event_type=AuditEventType.INCENTIVE_RULE_CHANGED)
    assert event.new["share_1_24_bp"] == 2000 and event.old is None


@pytest.mark.parametrize(("change", "field"), [({"share_1_24_bp": 10_001}, "share_1_24_bp"),
                                               ({"fee_two": -1}, "fee_two"), ({"min_new": None}, "min_new")])
def test_bad_rule_numbers_are_refused_by_field(admin_user, change, field):
    with pytest.raises(ServiceError) as refused:
        incentive_rule_save(actor=admin_user, valid_from=month(0), source="x", **{**NUMBERS, **change})
    assert field in refused.value.fields
    assert IncentiveRule.objects.count() == 1


def test_only_a_national_admin_edits_rules(db):
    branch = make_user("cabang", Role.BRANCH_OFFICER, ["33.11"])
    with pytest.raises(PermissionDenied):
        incentive_rule_save(actor=branch, valid_from=month(0), source="x", **NUMBERS)
    client = Client()
    client.force_login(branch)
    assert client.get("/agen/insentif/aturan/").status_code == 404


def test_rules_page_refuses_a_source_missing(admin_user):
    client = Client()
    client.force_login(admin_user)
    answer = client.post("/agen/insentif/aturan/", {**NUMBERS, "valid_from": f"{month(0):%Y-%m}", "source": ""})
    assert answer.status_code == 400 and "dasar aturan" in answer.content.decode()
    assert IncentiveRule.objects.count() == 1


def test_branch_officer_starts_a_run_from_the_page(agent, django_capture_on_commit_callbacks):
    branch = make_user("cabang", Role.BRANCH_OFFICER, ["33.11"])
    client = Client()
    client.force_login(branch)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/agen/insentif/jalankan/", {"month": f"{month(-1):%Y-%m}"})
    run_ = IncentiveRun.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/agen/insentif/{run_.pk}/"
    run_.refresh_from_db()
    assert run_.status == "done"
    assert client.get(f"/agen/insentif/{run_.pk}/").status_code == 200
    assert client.get("/agen/insentif/").status_code == 200


def test_the_page_says_why_a_current_month_is_refused(admin_user):
    client = Client()
    client.force_login(admin_user)
    answer = client.post("/agen/insentif/jalankan/", {"month": f"{month(0):%Y-%m}"}, follow=True)
    assert "belum selesai" in answer.content.decode() and not IncentiveRun.objects.exists()


def test_an_agent_cannot_start_a_run(agent):
    assert api_client(agent.user)("post", "/agents/incentive-runs", {"month": f"{month(-1):%Y-%m}"}).status_code == 404
    client = Client()
    client.force_login(agent.user)
    assert client.post("/agen/insentif/jalankan/", {"month": f"{month(-1):%Y-%m}"}).status_code == 404


def test_api_run_and_refusal(admin_user, django_capture_on_commit_callbacks):
    call = api_client(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        made = call("post", "/agents/incentive-runs", {"month": f"{month(-1):%Y-%m}"})
    assert made.status_code == 201
    assert call("get", f"/agents/incentive-runs/{made.json()['id']}").json()["status"] == "done"
    refused = call("post", "/agents/incentive-runs", {"month": f"{month(0):%Y-%m}"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "bad_period"


def test_cli_run_and_statement_json(admin_user, agent, capsys):
    when = month(-1)
    (ms,) = workers(1, agent, first=when, programmes=TWO)
    receive(ms, when, on=at(when))

    call_command("incentives", "run", "--month", f"{when:%Y-%m}")
    call_command("incentives", "statement", "--agent", agent.user.username, "--month", f"{when:%Y-%m}", "--json")

    out = capsys.readouterr().out
    statement = json.loads(out[out.index("{"):])
    assert statement["total"] == 2_520 and statement["lines"][0]["kind"] == "share_1_24"


def test_a_user_who_may_not_run_incentives_gets_the_documented_404(db, client):
    """Found by schemathesis as operator.krajan: the answer was 404 while the operation documented only 403."""
    operator = make_user("op_insentif", Role.VILLAGE_OPERATOR, ["33.11.11.2004"])
    answer = api_client(operator)("post", "/agents/incentive-runs", {"month": f"{month(-1):%Y-%m}"})
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    document = client.get("/api/v1/openapi.json").json()
    assert "404" in document["paths"]["/api/v1/agents/incentive-runs"]["post"]["responses"]
