"""Where an agent acts (registration, file import, package start, payment), the registry core.access.actor_refusals
asks agents whether it may: an inactive agent, or one whose wadah's PKS is not in force, is refused with a clear
message; a wadah manager reads and changes nothing."""

from datetime import timedelta

import pytest

from jamsosdesa.agents.services_wadah import agent_deactivate
from jamsosdesa.billing.services.membership import membership_start
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
from jamsosdesa.core import clock
from jamsosdesa.core.access import actor_refusal, actor_refusals
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.participants.access import can_change_participant, can_register_in
from jamsosdesa.participants.models import Participant
from jamsosdesa.participants.services import participant_register
from tests.conftest import DESA_A, api_client, person
from tests.funding.conftest import month

pytestmark = pytest.mark.django_db


def _register(actor):
    return participant_register(actor=actor, data=person(nik="3311110606900001", full_name="Joko Susilo"),
                                confirm_warnings=True)


def test_agents_registers_its_checks_in_core():
    assert "agents.may_act" in actor_refusals and "agents.wadah_manager_reads_only" in actor_refusals


def test_an_active_agent_of_a_wadah_in_force_registers(agent):
    assert _register(agent.user).registered_by == agent.user


def test_a_deactivated_agent_trying_to_register_gets_a_clear_message(agent, manager):
    agent_deactivate(actor=manager, agent=agent, note="tidak aktif di lapangan")
    with pytest.raises(ServiceError) as refused:
        _register(agent.user)
    assert refused.value.code == "actor_refused"
    assert "nonaktif sejak" in refused.value.message and f"{clock.today():%d-%m-%Y}" in refused.value.message
    assert not Participant.objects.filter(nik="3311110606900001").exists()


def test_an_agent_whose_wadahs_pks_has_ended_cannot_register(agent, wadah):
    wadah.pks_start, wadah.pks_end = clock.today() - timedelta(days=400), clock.today() - timedelta(days=1)
    wadah.save()
    with pytest.raises(ServiceError) as refused:
        _register(agent.user)
    assert "PKS" in refused.value.message and wadah.pks_number in refused.value.message


def test_a_deactivated_agent_starts_no_package_and_records_no_payment(agent, manager, bpu):
    (worker,) = bpu(1)
    agent_deactivate(actor=manager, agent=agent, note="berhenti")
    with pytest.raises(ServiceError) as refused:
        membership_start(actor=agent.user, participant=worker, programmes=("JKK", "JKM"), income=1_000_000,
                         first_month=month(0))
    assert refused.value.code == "actor_refused"
    from jamsosdesa.agents.cash import CollectionRequest, collection_record

    with pytest.raises(ServiceError) as refused:  # an agent's cash is its collection: refused on the day it was taken
        collection_record(actor=agent.user, request=CollectionRequest(participant=worker.nik, months=1))
    assert refused.value.code == "actor_refused"


def test_the_api_answers_403_with_the_reason(agent, manager):
    agent_deactivate(actor=manager, agent=agent, note="berhenti")
    response = api_client(agent.user)("post", "/participants", {
        "nik": "3311110606900001", "full_name": "Joko Susilo", "birth_date": "1990-06-06", "sex": "L",
        "desa": DESA_A, "confirm_warnings": True})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "actor_refused" and "nonaktif" in response.json()["error"]["message"]


def test_an_agent_login_without_a_wadah_may_not_act(db):
    from jamsosdesa.core.roles import Role
    from tests.conftest import make_user

    loose = make_user("agen_lepas", Role.PERISAI_AGENT, [DESA_A])
    assert "wadah" in actor_refusal(loose)


def test_the_wadah_manager_sees_its_desas_people_and_changes_none(manager, operator_a, register):
    sugeng = register(operator_a)
    assert not can_register_in(manager, DESA_A) and not can_change_participant(manager, sugeng)
    with pytest.raises(ServiceError) as refused:
        _register(manager)
    assert refused.value.code == "actor_refused"
    with pytest.raises(ServiceError):
        payment_record(actor=manager, request=PaymentRequest(amount=16_800, paid_on=clock.today(),
                                                             reference="KW-2", nik=sugeng.nik))
    from jamsosdesa.participants.access import scope_participants

    assert scope_participants(manager).filter(pk=sugeng.pk).exists()


def test_an_inactive_agents_file_import_is_refused_before_the_file_is_kept(agent, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamsosdesa.imports.services import import_job_create

    agent_deactivate(actor=manager, agent=agent, note="berhenti")
    with pytest.raises(ServiceError) as refused:
        import_job_create(actor=agent.user, upload=SimpleUploadedFile("a.csv", b"nik\n3311110606900001\n"),
                          desa=DESA_A)
    assert refused.value.code == "actor_refused"
