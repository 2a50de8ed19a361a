from datetime import date

import pytest

from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.participants import services
from jamsosdesa.participants.models import Participant

pytestmark = pytest.mark.django_db


def test_an_update_records_only_changed_fields_with_old_and_new(operator_a, register):
    p = register(operator_a)
    services.participant_update(actor=operator_a, participant=p, data={"phone": "089999", "full_name": "Sugeng"})
    event = AuditEvent.objects.get(object_id=str(p.pk), event_type="participant.updated")
    assert event.old == {"full_name": "Sugeng Riyadi", "phone": "081234567890"}
    assert event.new == {"full_name": "Sugeng", "phone": "089999"}
    p.refresh_from_db()
    assert p.search_name == "SUGENG"


def test_an_update_that_changes_nothing_writes_no_audit_row(operator_a, register):
    p = register(operator_a)
    services.participant_update(actor=operator_a, participant=p, data={"phone": "081234567890"})
    assert not AuditEvent.objects.filter(event_type="participant.updated").exists()


def test_heirs_are_replaced_and_audited(operator_a, register):
    p = register(operator_a, heirs=[{"name": "A", "relation": "child"}])
    services.participant_update(actor=operator_a, participant=p, data={}, heirs=[{"name": "B", "relation": "spouse"}])
    assert [h.name for h in p.heirs.all()] == ["B"]
    event = AuditEvent.objects.get(event_type="participant.updated")
    assert event.old["heirs"][0]["name"] == "A" and event.new["heirs"][0]["name"] == "B"


def test_a_failed_update_leaves_the_row_as_it_was(operator_a, register):
    p = register(operator_a)
    with pytest.raises(ServiceError) as info:
        services.participant_update(actor=operator_a, participant=p, data={"phone": "0811", "kpj": "12"})
    assert "kpj" in info.value.fields
    p.refresh_from_db()
    assert p.phone == "081234567890" and not AuditEvent.objects.filter(event_type="participant.updated").exists()


def test_changing_nik_to_one_already_registered_is_refused(operator_a, register):
    register(operator_a)
    other = register(operator_a, nik="3311110606900001", full_name="Joko", birth_date=date(1990, 6, 6))
    with pytest.raises(ServiceError) as info:
        services.participant_update(actor=operator_a, participant=other, data={"nik": "3311110505900003"})
    assert info.value.code == "nik_taken"


def test_deactivation_keeps_the_row_and_records_the_reason(operator_a, register):
    p = register(operator_a)
    services.participant_deactivate(actor=operator_a, participant=p, reason="died", note="meninggal 1 Nov")
    p.refresh_from_db()
    assert not p.is_active and p.deactivation_reason == "died" and p.deactivated_at
    assert Participant.objects.filter(pk=p.pk).exists()
    event = AuditEvent.objects.get(event_type="participant.deactivated")
    assert event.old["is_active"] is True and event.new == {
        "is_active": False, "deactivation_reason": "died", "deactivation_note": "meninggal 1 Nov"}


def test_deactivation_needs_a_known_reason(operator_a, register):
    p = register(operator_a)
    with pytest.raises(ServiceError) as info:
        services.participant_deactivate(actor=operator_a, participant=p, reason="bosan")
    assert "reason" in info.value.fields


def test_another_villages_operator_cannot_change_or_deactivate(operator_a, operator_b, register):
    p = register(operator_a)
    with pytest.raises(ServiceError) as info:
        services.participant_update(actor=operator_b, participant=p, data={"phone": "1"})
    assert info.value.code == "forbidden"
    with pytest.raises(ServiceError):
        services.participant_deactivate(actor=operator_b, participant=p, reason="moved")
