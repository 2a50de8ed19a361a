"""The field app's submissions (issue 14 part D, design §5): a registration kept on the phone and sent, perhaps
several times, with its client token; the first answer is kept and never a second participant."""

import json
from datetime import date

import pytest
from django.test import Client

from jamsosdesa.agents.models import AgentStatus, ClientSubmission
from jamsosdesa.core import clock
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from jamsosdesa.participants import services
from jamsosdesa.participants.models import Channel, Participant
from tests.conftest import DESA_A, DESA_C, api_client, make_user, person

from .conftest import make_field_agent, worker

pytestmark = pytest.mark.django_db
TOKEN = "5b0c7c1e-2f55-4d0e-9a43-1f1f8e3e7a10"


def test_it_registers_once_however_often_the_phone_sends(send, agent):
    first = send(TOKEN, worker(), entered_at="2020-01-01T08:00:00+07:00")
    again = send(TOKEN, worker())
    assert first.status_code == 201, first.content
    assert again.status_code == 200
    body = first.json()
    assert body["outcome"] == "done" and not body["replayed"]
    assert again.json()["replayed"] and again.json()["object_id"] == body["object_id"]
    person = Participant.objects.get(nik="3311114506900001")
    assert Participant.objects.filter(full_name="Sri Lestari").count() == 1
    assert person.pk == body["object_id"] and person.channel == Channel.AGENT and person.registered_by == agent.user
    assert person.heirs.get().name == "Budi Santoso"
    assert body["object_url"] == f"/peserta/{person.pk}/"
    assert "Sri Lestari" in body["label"] and "3311••••••••0001" in body["label"]
    received = AuditEvent.objects.filter(event_type=AuditEventType.OFFLINE_SUBMISSION_RECEIVED)
    assert received.count() == 1  # the resend wrote nothing
    assert received.get().new["outcome"] == "done" and received.get().actor_id == agent.user.pk


def test_the_same_token_with_another_body_is_a_conflict(send):
    assert send(TOKEN, worker()).status_code == 201
    other = send(TOKEN, worker(nik="3311110505900003", full_name="Sugeng Riyadi", birth_date="1990-05-05",
                                sex="L"))
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_conflict"
    assert "Perbaiki" in other.json()["error"]["message"]
    assert not Participant.objects.filter(nik="3311110505900003").exists()
    assert ClientSubmission.objects.get().outcome == "done"  # the first answer stays


def test_a_nik_registered_meanwhile_in_the_agents_desa_is_a_conflict_naming_the_person(send, operator_a):
    earlier = services.participant_register(actor=operator_a, data=person(
        nik="3311114506900001", full_name="Sri Lestari Operator", birth_date=date(1990, 6, 5), sex="P"))
    answer = send(TOKEN, worker())
    assert answer.status_code == 201
    body = answer.json()
    assert body["outcome"] == "conflict" and body["code"] == "nik_taken"
    assert "Sri Lestari Operator" in body["message"] and "Krajan" in body["message"]
    assert "jangan didaftarkan lagi" in body["message"]  # and what to do
    assert body["object_id"] == earlier.pk and body["object_url"] == f"/peserta/{earlier.pk}/"
    assert Participant.objects.filter(nik="3311114506900001").count() == 1
    assert send(TOKEN, worker()).json()["outcome"] == "conflict"  # the resend: the same answer


def test_a_nik_registered_meanwhile_elsewhere_is_a_conflict_that_tells_nothing_of_where(send):
    admin = make_user("admin_pusat", Role.NATIONAL_ADMIN)
    services.participant_register(actor=admin, data=person(
        nik="3311114506900001", full_name="Sri Lestari Bali", desa=DESA_C, birth_date=date(1990, 6, 5), sex="P"),
        confirm_warnings=True)
    body = send(TOKEN, worker(confirm_warnings="on")).json()
    assert body["outcome"] == "conflict" and body["code"] == "nik_refused"
    assert "kantor cabang" in body["message"]  # what to do
    for secret in ("Bali", "Batubulan", "51.04", "Gianyar"):
        assert secret not in json.dumps(body)
    assert body["object_id"] is None and body["object_url"] == ""
    assert Participant.objects.filter(nik="3311114506900001").count() == 1


def test_a_deactivated_agent_is_refused_with_the_reason(send, agent):
    agent.status, agent.deactivated_on, agent.deactivation_reason = AgentStatus.INACTIVE, clock.today(), "idle"
    agent.save()
    body = send(TOKEN, worker()).json()
    assert body["outcome"] == "refused" and body["code"] == "actor_refused"
    assert "nonaktif" in body["message"]
    assert not Participant.objects.filter(nik="3311114506900001").exists()


def test_each_agent_has_its_own_tokens(send, agent):
    other = make_field_agent("agen_lain")
    mine = send(TOKEN, worker()).json()
    theirs = send(TOKEN, worker(nik="3311110505900003", full_name="Sugeng Riyadi", birth_date="1990-05-05",
                                sex="L"), as_=other.user).json()
    assert mine["outcome"] == theirs["outcome"] == "done"
    assert mine["object_id"] != theirs["object_id"]
    assert send(TOKEN, worker()).json()["object_id"] == mine["object_id"]
    listed = api_client(other.user)("get", "/agents/field/submissions").json()
    assert [row["object_id"] for row in listed] == [theirs["object_id"]]


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.VILLAGE_OPERATOR, Role.BRANCH_OFFICER,
                                  Role.WADAH_MANAGER])
def test_the_field_app_does_not_exist_for_other_roles(db, role):
    user = make_user("bukan_agen", role, [DESA_A])
    call = api_client(user)
    answer = call("post", "/agents/field/submissions", {"token": TOKEN, "kind": "registration", "data": worker()})
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert call("get", "/agents/field/submissions").status_code == 404
    assert not Participant.objects.filter(full_name="Sri Lestari").exists() and not ClientSubmission.objects.exists()
    browser = Client()
    browser.force_login(user)
    for path in ("/agen/lapangan/", "/agen/lapangan/daftar/", "/agen/lapangan/tagih/", "/agen/lapangan/kiriman/",
                 "/agen/lapangan/sw.js"):
        assert browser.get(path).status_code == 404, path


def test_without_login_the_api_asks_for_it(db):
    answer = Client().post("/api/v1/agents/field/submissions", {"token": TOKEN, "kind": "registration", "data": {}},
                           content_type="application/json")
    assert answer.status_code == 401


def test_a_session_needs_its_csrf_token(agent):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agent.user)
    answer = browser.post("/api/v1/agents/field/submissions", {"token": TOKEN, "kind": "registration",
                                                                "data": worker()}, content_type="application/json")
    assert answer.status_code == 403 and not Participant.objects.filter(full_name="Sri Lestari").exists()


@pytest.mark.parametrize("token", ["short", "x" * 65, "bad token!", ""])
def test_a_bad_token_is_refused_naming_the_field(send, token):
    answer = send(token, worker())
    assert answer.status_code == 422
    assert "token" in answer.json()["error"]["fields"]
    assert not ClientSubmission.objects.exists()


def test_a_bad_kind_or_body_is_refused(send):
    assert send(TOKEN, worker(), kind="deposit").status_code == 422
    call_answer = send(TOKEN, ["not", "an", "object"])
    assert call_answer.status_code == 422
    assert not ClientSubmission.objects.exists()


def test_a_wrong_field_is_refused_with_its_message_and_kept(send):
    body = send(TOKEN, worker(nik="12345", birth_date="kemarin")).json()
    assert body["outcome"] == "refused" and body["code"] == "invalid"
    assert "nik" in body["fields"] and "birth_date" in body["fields"]
    assert "nik:" in body["message"] and "Perbaiki" in body["message"]
    assert send(TOKEN, worker(nik="12345", birth_date="kemarin")).json()["outcome"] == "refused"
    assert not Participant.objects.filter(full_name="Sri Lestari").exists()


def test_a_field_of_the_wrong_type_is_refused_not_a_crash(send):
    body = send(TOKEN, worker(full_name={"a": 1}, sex=["P"])).json()
    assert body["outcome"] == "refused" and "full_name" in body["fields"]


def test_warnings_ask_for_confirmation(send):
    # a NIK whose birth date is not the one given: a warning, not an error
    body = send(TOKEN, worker(birth_date="1990-06-06")).json()
    assert body["outcome"] == "refused" and body["code"] == "confirmation_required"
    assert body["warnings"] and "konfirmasi" in body["message"]
    confirmed = send("6c1d8d2f-3a66-4e1f-8b54-2a2a9f4f8b21", worker(birth_date="1990-06-06",
                                                                     confirm_warnings="on")).json()
    assert confirmed["outcome"] == "done"


def test_the_outbox_page_lists_the_servers_outcomes(send, agent):
    send(TOKEN, worker())
    browser = Client()
    browser.force_login(agent.user)
    page = browser.get("/agen/lapangan/kiriman/").content.decode()
    assert "Sri Lestari" in page and "3311••••••••0001" in page and "3311114506900001" not in page
