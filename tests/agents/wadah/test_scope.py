"""Who sees which wadah and agent (design §2): outside one's scope everything answers 404, on the pages and the API;
district officials and village operators see no wadah or agent at all."""

import pytest
from django.test import Client

from jamsosdesa.core.roles import Role
from tests.conftest import DESA_A, api_client, make_user

from .conftest import wadah_form

pytestmark = pytest.mark.django_db


def _page(user, path):
    client = Client()
    client.force_login(user)
    return client.get(path)


def test_the_branch_of_another_kabupaten_meets_404(branch_klaten, wadah, agent):
    assert _page(branch_klaten, f"/agen/wadah/{wadah.pk}/").status_code == 404
    assert _page(branch_klaten, f"/agen/{agent.pk}/").status_code == 404
    assert wadah.name not in _page(branch_klaten, "/agen/wadah/").content.decode()
    assert api_client(branch_klaten)("get", f"/agents/agents/{agent.pk}").status_code == 404


def test_the_branch_and_the_national_admin_see_it(branch, admin_user, wadah, agent):
    for user in (branch, admin_user):
        assert wadah.name in _page(user, "/agen/wadah/").content.decode()
        assert _page(user, f"/agen/{agent.pk}/").status_code == 200


def test_a_manager_sees_its_own_wadah_only(branch, manager, wadah, agent):
    from jamsosdesa.agents.services_wadah import wadah_create

    other_manager = make_user("pengelola_lain", Role.WADAH_MANAGER, [DESA_A])
    other = wadah_create(actor=branch, data=wadah_form(name="Koperasi Lain", managers=["pengelola_lain"]))
    assert _page(manager, f"/agen/wadah/{wadah.pk}/").status_code == 200
    assert _page(manager, f"/agen/wadah/{other.pk}/").status_code == 404
    assert _page(other_manager, f"/agen/{agent.pk}/").status_code == 404
    assert _page(manager, f"/agen/{agent.pk}/").status_code == 200


def test_an_agent_sees_itself_and_not_the_other_agents(make_agent):
    one, two = make_agent(), make_agent()
    assert _page(one.user, f"/agen/{one.pk}/").status_code == 200
    assert _page(one.user, f"/agen/{two.pk}/").status_code == 404
    assert _page(one.user, f"/agen/{one.pk}/ubah/").status_code == 404  # it does not change itself
    listed = api_client(one.user)("get", "/agents/agents").json()
    assert [a["id"] for a in listed] == [one.pk]


@pytest.mark.parametrize("role, regions", [(Role.DISTRICT_OFFICIAL, ["33.11"]), (Role.VILLAGE_OPERATOR, [DESA_A])])
def test_district_officials_and_village_operators_see_no_wadah(role, regions, wadah, agent):
    user = make_user("lain", role, regions)
    for path in ("/agen/wadah/", f"/agen/wadah/{wadah.pk}/", f"/agen/{agent.pk}/", "/agen/aturan/", "/agen/"):
        assert _page(user, path).status_code == 404, path
    call = api_client(user)
    assert call("get", "/agents/wadah").status_code == 404
    assert call("get", f"/agents/wadah/{wadah.pk}").status_code == 404
    assert "Agen PERISAI" not in _page(user, "/peserta/").content.decode()
