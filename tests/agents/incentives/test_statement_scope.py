"""Statements are scoped through agents.access: an agent sees its own (another agent's answers 404), a wadah manager
its agents and its wadah, a branch officer those of its kabupaten (another kabupaten's: 404); the page lists each
line with the NIK masked, and the .xlsx export is audited."""

import pytest
from django.test import Client

from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from tests.agents.incentives.conftest import DESA_C, TWO, at, make_agent, make_wadah, month, receive, run, workers
from tests.conftest import api_client, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def earned(admin_user, agent):
    when = month(-1)
    (ms,) = workers(1, agent, first=when, programmes=TWO)
    receive(ms, when, on=at(when))
    run(admin_user, when)
    return when, ms.participant


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _agent_url(agent, when, suffix="/"):
    return f"/agen/{agent.pk}/insentif/{when:%Y-%m}{suffix}"


def test_the_agent_reads_its_statement_with_the_nik_masked(agent, earned):
    when, person = earned

    page = _client(agent.user).get(_agent_url(agent, when))

    assert page.status_code == 200
    text = page.content.decode()
    assert person.full_name in text and person.nik not in text and person.nik[:4] in text
    assert "Rp2.520" in text or "Rp2,520" in text


def test_another_agent_and_outsiders_get_404(agent, wadah, earned):
    when, _person = earned
    other = make_agent("agen_lain", wadah)
    gianyar = make_user("cabang_gianyar", Role.BRANCH_OFFICER, ["51.04"])
    operator = make_user("op", Role.VILLAGE_OPERATOR, ["33.11.11.2004"])
    for user in (other.user, gianyar, operator):
        assert _client(user).get(_agent_url(agent, when)).status_code == 404
        assert _client(user).get(_agent_url(agent, when, ".xlsx")).status_code == 404
    assert _client(gianyar).get(f"/agen/wadah/{wadah.pk}/insentif/{when:%Y-%m}/").status_code == 404


def test_branch_and_wadah_manager_see_their_kabupaten_and_wadah(agent, wadah, earned):
    when, _person = earned
    branch = make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])
    manager = make_user("pengelola", Role.WADAH_MANAGER, ["33.11"])
    wadah.managers.add(manager)
    elsewhere = make_wadah("51.04", name="Koperasi Gianyar")
    for user in (branch, manager):
        assert _client(user).get(_agent_url(agent, when)).status_code == 200
        page = _client(user).get(f"/agen/wadah/{wadah.pk}/insentif/{when:%Y-%m}/")
        assert page.status_code == 200 and "Rp252" in page.content.decode()
        assert _client(user).get(f"/agen/wadah/{elsewhere.pk}/insentif/{when:%Y-%m}/").status_code == 404


def test_export_is_audited(agent, earned):
    when, _person = earned

    response = _client(agent.user).get(_agent_url(agent, when, ".xlsx"))
    body = b"".join(response.streaming_content)

    assert response.status_code == 200 and body[:2] == b"PK"
    event = AuditEvent.objects.get(event_type=AuditEventType.INCENTIVE_EXPORTED)
    assert event.actor_id == agent.user.pk and event.new["month"] == f"{when:%Y-%m}" and event.new["rows"] == 1


def test_bad_month_in_the_address_is_404(agent):
    assert _client(agent.user).get(f"/agen/{agent.pk}/insentif/2026-13/").status_code == 404


def test_api_statement_scoped(agent, wadah, earned):
    when, _person = earned
    other = make_agent("agen_bali", make_wadah("51.04", name="Koperasi Gianyar"), desa=DESA_C)

    mine = api_client(agent.user)("get", f"/agents/agents/{agent.pk}/incentives/{when:%Y-%m}")
    theirs = api_client(other.user)("get", f"/agents/agents/{agent.pk}/incentives/{when:%Y-%m}")
    wadah_answer = api_client(agent.user)("get", f"/agents/wadah/{wadah.pk}/incentives/{when:%Y-%m}")

    assert mine.status_code == 200 and mine.json()["total"] == 2_520
    assert theirs.status_code == 404
    assert wadah_answer.status_code == 200 and wadah_answer.json()["wadah_amount"] == 252


def test_a_reader_sees_a_month_once_and_the_run_page_names_its_rules(admin_user, agent, earned):
    when, _person = earned
    run(admin_user, when)  # computed again: the same month
    page = _client(agent.user).get("/agen/insentif/").content.decode()
    assert page.count(f"/agen/{agent.pk}/insentif/{when:%Y-%m}/") == 1
    from jamsosdesa.agents.models import IncentiveRun

    latest = IncentiveRun.objects.filter(month=when).order_by("-pk").first()
    run_page = _client(admin_user).get(f"/agen/insentif/{latest.pk}/").content.decode()
    assert "share_1_24" not in run_page
