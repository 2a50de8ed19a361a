import pytest
from django.db import DatabaseError, connection, transaction

from jamsosdesa.core.models import AuditEvent

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
