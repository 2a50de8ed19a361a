"""An agent is a registered, active BPU participant with a login of the agent role whose regions are its desa in the
wadah's kabupaten; one agent per participant. Each bad input names its field."""

import pytest
from django.contrib.auth import get_user_model

from jamsosdesa.agents.models import Agent
from jamsosdesa.agents.services_wadah import agent_create, agent_data, agent_update
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.conftest import DESA_A, DESA_B, DESA_C

from .conftest import PASSWORD, agent_form

pytestmark = pytest.mark.django_db


def _refused(actor, wadah, form) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        agent_create(actor=actor, wadah=wadah, data=form)
    return refused.value


def test_the_branch_records_an_agent_with_its_login_desa_and_first_password(branch, wadah, bpu):
    (person,) = bpu(1)
    agent = agent_create(actor=branch, wadah=wadah, data=agent_form(person, username="agen.baru",
                                                                    desa=[DESA_A, DESA_B]))
    user = get_user_model().objects.get(username="agen.baru")
    assert user.role == "perisai_agent" and user.check_password(PASSWORD)
    assert sorted(user.regions.values_list("code", flat=True)) == [DESA_B, DESA_A]
    assert agent.participant == person and agent.kab_code == "33.11" and agent.status == "active"
    event = AuditEvent.objects.get(event_type="agent.created", object_id=str(agent.pk))
    assert event.actor == branch and event.new["username"] == "agen.baru"
    assert PASSWORD not in str(event.new) and "password" not in event.new


def test_a_nik_typed_with_separators_is_read_as_the_registry_reads_it(branch, wadah, bpu):
    (person,) = bpu(1)
    typed = f"{person.nik[:6]}.{person.nik[6:12]} {person.nik[12:]}"
    agent = agent_create(actor=branch, wadah=wadah, data=agent_form(person, nik=typed))
    assert agent.participant == person


def test_a_nik_not_in_the_registry_is_refused(branch, wadah, bpu):
    (person,) = bpu(1)
    person.nik = "3311110101900999"
    error = _refused(branch, wadah, agent_form(person))
    assert "belum terdaftar" in error.fields["nik"][0]


def test_a_wage_earner_is_not_an_agent(branch, wadah, bpu):
    (person,) = bpu(1, segment="PU")
    assert "BPU" in _refused(branch, wadah, agent_form(person)).fields["nik"][0]


def test_a_deactivated_participant_is_not_an_agent(branch, wadah, bpu):
    (person,) = bpu(1, is_active=False)
    assert "nonaktif" in _refused(branch, wadah, agent_form(person)).fields["nik"][0]


def test_one_agent_per_participant(branch, wadah, bpu, agent):
    error = _refused(branch, wadah, agent_form(agent.participant))
    assert agent.user.username in error.fields["nik"][0]
    assert Agent.objects.count() == 1


def test_a_desa_outside_the_wadahs_kabupaten_is_refused(branch, wadah, bpu):
    (person,) = bpu(1)
    error = _refused(branch, wadah, agent_form(person, desa=[DESA_C]))
    assert DESA_C in error.fields["desa"][0]
    assert "desa" in _refused(branch, wadah, agent_form(person, desa=[])).fields


def test_a_taken_username_a_weak_password_and_missing_papers_are_named(branch, wadah, bpu, agent):
    (person,) = bpu(1)
    error = _refused(branch, wadah, agent_form(person, username=agent.user.username, password="123",
                                               training_certificate="", assignment_letter="", bank_account=""))
    assert {"username", "password", "training_certificate", "assignment_letter", "bank_account"} <= set(error.fields)
    assert not get_user_model().objects.filter(role="perisai_agent").exclude(pk=agent.user_id).exists()


def test_a_branch_of_another_kabupaten_cannot_record_agents_there(branch_klaten, wadah, bpu):
    (person,) = bpu(1)
    assert _refused(branch_klaten, wadah, agent_form(person)).code == "forbidden"


def test_the_wadah_manager_changes_its_agent_and_the_change_is_audited(manager, agent):
    data = agent_data(agent)
    data.bank_account = "9999-1"
    data.desa = [DESA_B]
    agent_update(actor=manager, agent=agent, data=data)
    agent.refresh_from_db()
    assert agent.bank_account == "9999-1"
    assert list(agent.user.regions.values_list("code", flat=True)) == [DESA_B]
    event = AuditEvent.objects.get(event_type="agent.updated", object_id=str(agent.pk))
    assert set(event.old) == {"bank_account", "desa"} and event.old["desa"] == [DESA_A]
    assert event.new == {"bank_account": "9999-1", "desa": [DESA_B]}
