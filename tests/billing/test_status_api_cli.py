"""Status through the API (`GET /api/v1/participants/{id}/status?on=`) and the command line (`jamsosdesa status NIK
[--on] [--as] [--json]`): the same answer as the participant page, scoped (outside your area: 404, the same as a
participant that does not exist), and a bad date refused with a message."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamsosdesa.billing.models import Membership
from jamsosdesa.core.roles import Role
from tests.billing.conftest import DESA_C, month, people
from tests.billing.status_fixtures import fresh_policy_cache, history  # noqa: F401
from tests.conftest import api_client, make_user

pytestmark = pytest.mark.django_db


def day(offset: int, day_of_month: int) -> str:
    return month(offset).replace(day=day_of_month).isoformat()


def test_the_api_answers_the_status_on_the_day_asked(operator_a):
    person, = people(1)
    history(person, paid=[month(-2), month(-1)], unpaid=[month(0)])
    call = api_client(operator_a)
    before = call("get", f"/participants/{person.pk}/status?on={day(0, 14)}")
    assert before.status_code == 200
    assert before.json()["status"] == "active"
    after = call("get", f"/participants/{person.pk}/status?on={day(0, 16)}").json()
    assert {k: after[k] for k in ("participant_id", "status", "paid_through", "owed", "covered", "on")} == {
        "participant_id": person.pk, "status": "arrears", "paid_through": f"{month(-1):%Y-%m}", "owed": 16_800,
        "covered": False, "on": day(0, 16)}
    assert after["policy"] == {"mode": "strict", "grace_months": 3, "source": "settings"}
    assert call("get", f"/participants/{person.pk}/status").json()["status"] in ("active", "arrears")  # today


def test_outside_the_users_area_is_404_like_a_participant_that_does_not_exist(operator_b, operator_a):
    person, = people(1)
    history(person, paid=[month(-1)])
    outside = api_client(operator_b)(
        "get", f"/participants/{person.pk}/status?on={day(0, 16)}")
    unknown = api_client(operator_b)("get", "/participants/999999999/status")
    assert outside.status_code == unknown.status_code == 404
    assert outside.json() == unknown.json()
    assert api_client(operator_a)("get", "/participants/999999999/status").status_code == 404


def test_an_agent_sees_the_status_of_a_worker_whose_package_it_collects():
    person, = people(1, DESA_C)
    agent = make_user("agen_gianyar_luar", Role.PERISAI_AGENT, ["33.11.11.2004"])
    call = api_client(agent)
    assert call("get", f"/participants/{person.pk}/status").status_code == 404
    history(person, paid=[month(-1), month(0)])
    Membership.objects.filter(participant=person).update(agent=agent)
    assert call("get", f"/participants/{person.pk}/status").status_code == 200


@pytest.mark.parametrize("bad", ["2026-13-01", "16-12-2026", "kemarin", "0000-01-01", "20261216", "2026-02-30"])
def test_a_bad_date_is_refused_with_a_message_naming_the_field(operator_a, bad):
    person, = people(1)
    response = api_client(operator_a)("get", f"/participants/{person.pk}/status?on={bad}")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and "YYYY-MM-DD" in error["message"] and list(error["fields"]) == ["on"]


def run(*args) -> str:
    out = StringIO()
    call_command("status", *args, stdout=out)
    return out.getvalue()


def test_the_cli_json_has_the_promised_keys(operator_a):
    person, = people(1)
    history(person, paid=[month(-2), month(-1)], unpaid=[month(0)])
    answer = json.loads(run(person.nik, "--on", day(0, 16), "--as", operator_a.username, "--json"))
    assert {k: answer[k] for k in ("status", "paid_through", "owed", "covered")} == {
        "status": "arrears", "paid_through": f"{month(-1):%Y-%m}", "owed": 16_800, "covered": False}
    assert answer["policy"]["mode"] == "strict"


def test_the_cli_in_words(admin_user):
    person, = people(1)
    history(person, paid=[month(-1), month(0), month(1)])
    text = run(person.nik, "--on", day(0, 20))
    assert "aktif" in text and f"{month(1):%m/%Y}" in text and "Rp0" in text and ": ya" in text


def test_the_cli_refuses_an_unknown_or_outside_nik_and_a_bad_date_alike(operator_b, admin_user):
    person, = people(1)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run(person.nik, "--as", operator_b.username)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("3311110101900999")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("12345")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run(person.nik, "--on", "31-12-2026")


@pytest.mark.parametrize("pk", ["0", "-5", "99999999999999999999", "abc"])
def test_an_impossible_id_never_crashes(operator_a, pk):
    response = api_client(operator_a)("get", f"/participants/{pk}/status")
    assert response.status_code in (404, 422) and response.json()["error"]["message"]
