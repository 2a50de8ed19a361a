import importlib
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from jamsosdesa.core.audit import AuditBatch
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A

pytestmark = pytest.mark.django_db


def test_the_model_refuses_to_edit_or_delete_the_trail(operator_a, register):
    register(operator_a)
    event = AuditEvent.objects.get()
    event.note = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_the_database_refuses_updates_and_deletes_even_in_bulk(operator_a, register):
    register(operator_a)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(note="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET actor_name = 'x'")
    assert AuditEvent.objects.get().note == ""


# --- event types, one shape, the bulk builder --------------------------------------------------------------

def _shape(event: AuditEvent) -> tuple:
    return (event.actor_id, event.actor_name, event.event_type, event.object_type, event.object_id,
            event.region_code, event.old, event.new, event.note)


def test_every_event_type_names_its_object():
    for event in AuditEventType:
        assert event.object_type in ("participant", "scheme", "enrolment", "membership", "billing_run", "invoice",
                                     "due", "payment", "allocation", "reconciliation", "arrears_policy",
                                     "statement", "bpjs_list", "worklist", "ledger_statement", "api_token",
                                     "admin_record", "coverage_target", "denominator", "outreach_event",
                                     "counting_rule", "coverage", "agent_rules", "wadah", "agent", "collection",
                                     "deposit", "incentive_rule", "incentive_run", "incentive",
                                     "offline_submission", "benefit_parameter", "claim", "claim_heir",
                                     "claim_document", "claim_payment", "scholarship") and event.label
    assert AuditEventType("enrolment.ended").object_type == "enrolment"


def test_one_event_and_a_set_of_events_have_the_same_shape(operator_a, register):
    p = register(operator_a)
    one = AuditEvent.objects.get(object_id=str(p.pk))
    assert one.event_type == AuditEventType.PARTICIPANT_REGISTERED and one.object_type == "participant"
    at = timezone.now()
    batch = AuditBatch(actor=operator_a, event=AuditEventType.PARTICIPANT_UPDATED, note="impor berkas", at=at)
    assert batch.write([(p.pk, p.desa_id, {"phone": "0811", "birth_date": date(1990, 5, 5)}, {"phone": "0822"})]) == 1
    with connection.cursor() as cursor:
        batch.write_from(cursor, source="participants_participant p WHERE p.id = %s", params=[p.pk],
                         object_id="p.id", region_code="p.desa_code", old={"phone": "'0811'"},
                         new={"phone": "'0822'"})
    from_tuples, from_query = AuditEvent.objects.filter(event_type="participant.updated").order_by("id")
    assert _shape(from_tuples)[:-3] == _shape(from_query)[:-3] == (
        operator_a.pk, "op_a", "participant.updated", "participant", str(p.pk), DESA_A)
    assert from_tuples.old == {"phone": "0811", "birth_date": "1990-05-05"} and from_query.old == {"phone": "0811"}
    assert from_tuples.new == from_query.new == {"phone": "0822"}
    assert from_tuples.note == from_query.note == "impor berkas" and from_tuples.at == from_query.at == at
    assert list(AuditEvent.objects.filter(object_type="participant", object_id=str(p.pk)).values_list(
        "event_type", flat=True)) == ["participant.updated", "participant.updated", "participant.registered"]


def test_a_set_written_by_the_system_has_no_actor(db):
    AuditBatch(actor=None, event=AuditEventType.ENROLMENT_ENDED).write([(7, DESA_A, None, {"cost": 0})])
    event = AuditEvent.objects.get()
    assert (event.actor, event.actor_name, event.object_type, event.object_id) == (None, "system", "enrolment", "7")
    assert AuditBatch(actor=None, event=AuditEventType.ENROLMENT_ENDED).write([]) == 0


@pytest.mark.postgresql  # a row trigger serves PostgreSQL's bulk COPY
def test_an_armed_trigger_writes_the_same_event_as_each_row_arrives_and_nothing_once_disarmed(operator_a):
    batch = AuditBatch(actor=operator_a, event=AuditEventType.PARTICIPANT_REGISTERED, note="it's $$ a note")

    def add(nik):
        return Participant(nik=nik, full_name="Sugeng", birth_date=date(1990, 5, 5), sex="L",
                           desa_id=DESA_A).fill_derived()

    with connection.cursor() as cursor:
        batch.arm_trigger(cursor, "jamsosdesa.import_registered")
        p = add("3311110505900003")
        p.save()
        AuditBatch.disarm_trigger(cursor, "jamsosdesa.import_registered")
        add("3311110505900004").save()  # the trigger is inert unless an import arms it
    event = AuditEvent.objects.get()
    assert _shape(event) == (operator_a.pk, "op_a", "participant.registered", "participant", str(p.pk), DESA_A,
                             None, {"nik": "3311110505900003", "full_name": "Sugeng", "desa": DESA_A,
                                    "outreach_code": ""},
                             "it's $$ a note")
    assert event.at == batch.at


# --- the migration that named the events -----------------------------------------------------------------

class _Editor:
    """The two things the migration's functions use of a schema editor (a real one cannot run inside the test's
    transaction on SQLite)."""

    def __init__(self):
        self.connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_migration_renames_old_actions_by_what_happened_and_keeps_the_trail_append_only(operator_a):
    migration = importlib.import_module("jamsosdesa.core.migrations.0004_audit_event_types")
    old = [("participant", "create", None), ("participant", "update", None), ("participant", "deactivate", None),
           ("participant_export", "export", None), ("scheme", "create", None), ("scheme", "update", {"max_age": 60}),
           ("scheme", "update", {"welfare_niks": 3}), ("enrolment", "create", None), ("enrolment", "update", None)]
    AuditEvent.objects.bulk_create(AuditEvent(actor_name="x", object_type=t, object_id="1", event_type=a, old=o)
                                   for t, a, o in old)
    editor = _Editor()
    migration.drop_triggers(None, editor)
    migration.name_events(None, editor)
    migration.install_triggers(None, editor)
    assert list(AuditEvent.objects.order_by("id").values_list("event_type", flat=True)) == [
        "participant.registered", "participant.updated", "participant.deactivated", "participant.exported",
        "scheme.created", "scheme.updated", "scheme.welfare_list_replaced", "enrolment.created", "enrolment.ended"]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.update(note="tampered")
    migration.drop_triggers(None, editor)
    migration.unname_events(None, editor)
    assert [(t, a) for t, a, _o in old] == list(AuditEvent.objects.order_by("id").values_list("object_type",
                                                                                             "event_type"))
