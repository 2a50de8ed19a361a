"""Three actors (national admin, operator of desa A, operator of desa B) over every page and
endpoint that returns personal data: allowed and forbidden side by side."""

import json
from datetime import date

import pytest
from django.test import Client

from jamsosdesa.core.roles import Role
from jamsosdesa.participants.access import scope_participants
from tests.conftest import DESA_B, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_a(operator_a, register):
    return register(operator_a)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


PAGES = ["/peserta/{pk}/", "/peserta/{pk}/ubah/"]
API = ["/api/v1/participants/{nik}"]


@pytest.mark.parametrize("url", PAGES + API)
def test_admin_and_own_operator_see_the_person(url, person_a, admin_user, operator_a):
    for user in (admin_user, operator_a):
        response = client_for(user).get(url.format(pk=person_a.pk, nik=person_a.nik))
        assert response.status_code == 200, (user, url)


@pytest.mark.parametrize("url", PAGES + API)
def test_another_villages_operator_gets_404(url, person_a, operator_b):
    response = client_for(operator_b).get(url.format(pk=person_a.pk, nik=person_a.nik))
    assert response.status_code == 404
    assert person_a.full_name.encode() not in response.content


def test_changes_from_outside_the_scope_answer_404_and_change_nothing(person_a, operator_b):
    client = client_for(operator_b)
    assert client.post(f"/peserta/{person_a.pk}/nonaktifkan/", {"reason": "moved"}).status_code == 404
    assert client.post(f"/peserta/{person_a.pk}/ubah/", {"full_name": "X"}).status_code == 404
    patch = client.patch(f"/api/v1/participants/{person_a.nik}", json.dumps({"phone": "1"}),
                         content_type="application/json")
    assert patch.status_code == 404 and patch.json()["error"]["code"] == "not_found"
    deact = client.post(f"/api/v1/participants/{person_a.nik}/deactivate", json.dumps({"reason": "moved"}),
                        content_type="application/json")
    assert deact.status_code == 404
    person_a.refresh_from_db()
    assert person_a.is_active and person_a.phone == "081234567890"


def test_lists_show_only_what_the_user_may_see(person_a, admin_user, operator_a, operator_b):
    for user, visible in ((admin_user, True), (operator_a, True), (operator_b, False)):
        page = client_for(user).get("/peserta/")
        api = client_for(user).get("/api/v1/participants")
        assert (person_a.full_name.encode() in page.content) is visible
        assert (api.json()["total"] == 1) is visible
        by_name = client_for(user).get("/api/v1/participants", {"q": "sugeng"}).json()
        assert (by_name["total"] == 1) is visible


def test_nik_is_masked_in_lists_for_operators_but_not_on_the_detail_page(person_a, operator_a, admin_user):
    client = client_for(operator_a)
    assert b"3311\xe2\x80\xa2" in client.get("/peserta/").content
    assert person_a.nik.encode() not in client.get("/peserta/").content
    assert client.get("/api/v1/participants").json()["items"][0]["nik"] == "3311••••••••0003"
    assert person_a.nik.encode() in client.get(f"/peserta/{person_a.pk}/").content
    assert client_for(admin_user).get("/api/v1/participants").json()["items"][0]["nik"] == person_a.nik


def test_branch_officer_sees_its_kabupaten_list(person_a):
    officer = make_user("cabang", Role.BRANCH_OFFICER, ["33.11"])
    elsewhere = make_user("cabang2", Role.BRANCH_OFFICER, ["33.10"])
    assert scope_participants(officer).filter(pk=person_a.pk).exists()
    assert not scope_participants(elsewhere).filter(pk=person_a.pk).exists()
    assert client_for(officer).get(f"/peserta/{person_a.pk}/ubah/").status_code == 200


def test_district_official_sees_but_cannot_change_others_registrations(person_a):
    official = make_user("pemkab", Role.DISTRICT_OFFICIAL, ["33.11"])
    client = client_for(official)
    assert client.get(f"/api/v1/participants/{person_a.nik}").status_code == 200
    response = client.patch(f"/api/v1/participants/{person_a.nik}", json.dumps({"phone": "1"}),
                            content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_agent_sees_own_registrations_and_assigned_desa(person_a, register):
    from tests.agents.wadah.factories import record_agent

    agent = make_user("agen", Role.PERISAI_AGENT, [DESA_B])
    record_agent(agent)  # only the agent of a wadah with a PKS in force registers
    own = register(agent, nik="3311110606900001", full_name="Joko", birth_date=date(1990, 6, 6), desa=DESA_B)
    visible = set(scope_participants(agent).values_list("pk", flat=True))
    assert own.pk in visible and person_a.pk not in visible
    agent.regions.set([])  # no longer assigned to the desa: still sees what it registered
    del agent._region_codes
    assert list(scope_participants(agent).values_list("pk", flat=True)) == [own.pk]


def test_anonymous_users_get_nothing(person_a):
    client = Client()
    assert client.get("/peserta/").status_code == 302
    assert client.get(f"/api/v1/participants/{person_a.nik}").status_code == 401


def test_the_forms_start_with_the_users_own_desa_when_it_has_only_one(operator_a, admin_user):
    """Registration, import and a new scheme share one rule for the desa they start with (two copies before)."""
    from jamsosdesa.core.access import own_desa
    from tests.conftest import DESA_A

    kecamatan = make_user("camat", Role.BRANCH_OFFICER, ["33.11.11"])
    two = make_user("agen", Role.PERISAI_AGENT, [DESA_A, DESA_B])
    assert [own_desa(u) for u in (operator_a, admin_user, kecamatan, two)] == [DESA_A, "", "", ""]
    page = Client()
    page.force_login(operator_a)
    for path in ("/peserta/baru/", "/impor/"):
        assert f'value="{DESA_A}"' in page.get(path).content.decode(), path
