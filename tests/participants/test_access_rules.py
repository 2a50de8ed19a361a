"""Participants' access rules live in participants.access, and a package above widens the change right only
through the registry of change grants: the one-by-one and the set-based answers follow a grant alike, and the
participant page shows the panels other packages register."""

import pytest
from django.db.models import Q
from django.test import Client

from jamsosdesa.core.roles import Role
from jamsosdesa.participants.access import can_change_participant, change_grants, changeable_participant_ids
from jamsosdesa.participants.panels import Panel, panels_for, participant_panels
from tests.conftest import DESA_B, make_user

pytestmark = pytest.mark.django_db


def _grant_named_sugeng_to_village_operators(user):
    return Q(full_name="Sugeng Riyadi") if user.role == Role.VILLAGE_OPERATOR else None


@pytest.fixture
def grant():
    change_grants.register("test.sugeng", _grant_named_sugeng_to_village_operators)
    yield
    change_grants.unregister("test.sugeng")


def test_a_registered_grant_widens_both_answers_alike(register, operator_a, operator_b, grant):
    sugeng = register(operator_a)
    other = register(operator_a, nik="3311110505900011", full_name="Budi Santoso")
    ids = [sugeng.pk, other.pk]
    assert can_change_participant(operator_b, sugeng) and not can_change_participant(operator_b, other)
    assert changeable_participant_ids(operator_b, ids) == {sugeng.pk}
    agent = make_user("agen_b", Role.PERISAI_AGENT, [DESA_B])  # the grant is for village operators only
    assert not can_change_participant(agent, sugeng) and changeable_participant_ids(agent, ids) == set()


def test_without_the_grant_the_rule_is_participants_own(register, operator_a, operator_b):
    sugeng = register(operator_a)
    assert not can_change_participant(operator_b, sugeng)
    assert changeable_participant_ids(operator_b, [sugeng.pk]) == set()
    assert can_change_participant(operator_a, sugeng) and changeable_participant_ids(operator_a, [sugeng.pk])


def test_funding_registers_its_grant_and_its_panel_from_its_app():
    assert "funding.own_schemes" in change_grants
    assert "funding.schemes" in participant_panels


def test_the_page_shows_the_registered_panels_in_order(register, operator_a, settings, tmp_path):
    (tmp_path / "test_panel.html").write_text("<section id='test-panel'>{{ data.greeting }}</section>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    person = register(operator_a)
    participant_panels.register("test.panel", Panel(template="test_panel.html",
                                                    data=lambda user, participant: {"greeting": participant.nik}))
    try:
        assert [p.template for p in panels_for(user=operator_a, participant=person)][-1] == "test_panel.html"
        client = Client()
        client.force_login(operator_a)
        page = client.get(f"/peserta/{person.pk}/").content.decode()
    finally:
        participant_panels.unregister("test.panel")
    assert f"<section id='test-panel'>{person.nik}</section>" in page
    assert page.index("Dibiayai skema") < page.index("test-panel") < page.index("Riwayat perubahan")
