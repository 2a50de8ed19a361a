"""Large imports on PostgreSQL load without indexes and foreign keys and rebuild them before committing.

The same tests run on SQLite, where there is no bulk load: the user-visible result must be the same."""

import io
import secrets
from contextlib import contextmanager
from datetime import date

import pytest
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, connection, transaction

from jamsosdesa.core.models import AuditEvent
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db
TABLES = ("participants_participant", "core_auditevent")


@pytest.fixture
def bulk_always(settings):
    settings.IMPORT_BULK_MIN_ROWS = 1
    settings.IMPORT_BULK_MIN_SHARE = 0


def _schema() -> dict:
    with connection.cursor() as cursor:
        return {t: connection.introspection.get_constraints(cursor, t) for t in TABLES}


def _rows(count: int, start: int = 1) -> str:
    lines = ["nik,nama,tanggal_lahir,jenis_kelamin,kode_pekerjaan"]
    for i in range(start, start + count):
        lines.append(f"33111105059{i:05d},Warga {i},05-05-1990,L,88")
    return "\n".join(lines) + "\n"


def test_a_bulk_load_stores_and_audits_every_row_and_puts_back_every_index(run, operator_a, register, bulk_always):
    before = _schema()
    known = register(operator_a, nik="3311110505900002", full_name="Warga 2", occupation=None)
    outcome = run(operator_a, csv_bytes(_rows(40)))
    assert outcome.bulk_load == (connection.vendor == "postgresql")
    assert outcome.applied and outcome.counts["new"] == 39 and outcome.counts["updated"] == 1
    assert Participant.objects.filter(desa_id=DESA_A).count() == 40
    known.refresh_from_db()
    assert known.occupation_id == 88  # the registered person was found and updated, not added again
    created = AuditEvent.objects.filter(event_type="participant.registered", note="impor berkas")
    assert created.count() == 39
    assert {e.new["nik"] for e in created} == {f"33111105059{i:05d}" for i in range(1, 41)} - {known.nik}
    pk_of = dict(Participant.objects.values_list("nik", "pk"))
    assert all(int(e.object_id) == pk_of[e.new["nik"]] for e in created)
    assert _schema() == before  # every index, unique constraint and foreign key is back
    with pytest.raises(IntegrityError), transaction.atomic():  # and enforced
        Participant.objects.create(nik="3311110505900007", full_name="Lagi", birth_date=date(1990, 5, 5),
                                   desa_id=DESA_A, kec_code="33.11.11", kab_code="33.11")


def test_participants_added_after_a_bulk_load_get_fresh_ids(run, operator_a, register, bulk_always):
    run(operator_a, csv_bytes(_rows(5)))
    later = register(operator_a, nik="3311110505900099")
    assert later.pk > max(Participant.objects.exclude(pk=later.pk).values_list("pk", flat=True))


def test_a_rejected_bulk_import_leaves_rows_and_indexes_as_they_were(run, operator_a, bulk_always):
    before = _schema()
    text = _rows(20) + "3311113102900001,Tanggal Salah,31-02-1990,L,88\n"
    outcome = run(operator_a, csv_bytes(text), all_or_nothing=True)
    assert outcome.rejected and not outcome.applied
    assert Participant.objects.count() == 0 and AuditEvent.objects.count() == 0
    assert _schema() == before


def test_two_new_rows_with_the_same_kpj_are_reported_not_crashed(run, operator_a):
    text = ("nik,nama,tanggal_lahir,kpj\n3311110505900001,Satu,05-05-1990,12345678901\n"
            "3311110505900002,Dua,05-05-1990,12345678901\n")
    outcome = run(operator_a, csv_bytes(text))
    assert outcome.applied and outcome.counts["new"] == 1 and outcome.counts["invalid"] == 1
    assert "KPJ" in outcome.samples["invalid"][0]["message"] and outcome.samples["invalid"][0]["row"] == 3


@pytest.fixture
def app_role():
    """Run as a role set up by `jamsosdesa db_roles` (owns nothing: production's web and workers), created in the
    test's transaction, so it goes with the rollback."""
    name = f"jamsosdesa_test_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOLOGIN')
    call_command("db_roles", "--app-role", name, "--apply", stdout=io.StringIO())
    return name


@contextmanager
def acting_as(role: str):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.mark.postgresql
def test_a_bulk_load_runs_under_the_application_role_that_cannot_erase_the_audit_trail(run, operator_a, bulk_always,
                                                                                        app_role):
    before = _schema()
    with acting_as(app_role):
        with pytest.raises(DatabaseError), transaction.atomic():  # it really is the role that cannot
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER ALL")
        outcome = run(operator_a, csv_bytes(_rows(40)))
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
    assert outcome.bulk_load and outcome.applied and outcome.counts["new"] == 40
    created = AuditEvent.objects.filter(event_type="participant.registered", actor=operator_a)
    assert created.count() == 40
    pk_of = dict(Participant.objects.values_list("nik", "pk"))
    assert all(int(e.object_id) == pk_of[e.new["nik"]] and e.region_code == DESA_A for e in created)
    assert _schema() == before


@pytest.mark.postgresql
def test_a_role_not_allowed_the_bulk_load_functions_imports_the_usual_way(run, operator_a, bulk_always):
    name = f"jamsosdesa_test_plain_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOLOGIN')
        cursor.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{name}"')
    with acting_as(name):
        outcome = run(operator_a, csv_bytes(_rows(10)))
    assert not outcome.bulk_load and outcome.applied and outcome.counts["new"] == 10
    assert AuditEvent.objects.filter(event_type="participant.registered").count() == 10
