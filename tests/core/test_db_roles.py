"""PostgreSQL production roles (core.dbroles, `jamsosdesa db_roles`): the web and the workers connect as a role
that owns nothing, so it cannot get past the audit trail's append-only triggers.

Roles belong to the whole cluster: each test makes its own with a random name and drops it (the ones made inside
a test's transaction go with its rollback)."""

import io
import secrets

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from jamsosdesa.core import checks, dbroles

pytestmark = pytest.mark.postgresql
ERASING = ("TRUNCATE core_auditevent",
           "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
           "SET session_replication_role = replica",
           "DELETE FROM core_auditevent",
           "UPDATE core_auditevent SET note = 'tampered'",
           "DROP TABLE core_auditevent",
           "DROP TRIGGER core_auditevent_no_change ON core_auditevent")


def _connect(**as_role) -> psycopg.Connection:
    """A connection of its own to the test database (as the suite's user unless `user`/`password` are given)."""
    s = connection.settings_dict
    params = {"dbname": s["NAME"], "user": s["USER"], "password": s["PASSWORD"] or None,
              "host": s["HOST"] or None, "port": s["PORT"] or None}
    return psycopg.connect(**{**params, **as_role})


@pytest.fixture
def app_login(django_db_setup, django_db_blocker):
    """(name, password) of a new LOGIN role set up by `jamsosdesa db_roles --apply` (committed, as production
    runs it), dropped with its rights afterwards."""
    name, password = f"jamsosdesa_test_app_{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    with _connect(autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(name),
                                                                        sql.Literal(password)))
        try:
            with django_db_blocker.unblock():
                call_command("db_roles", "--app-role", name, "--apply", stdout=io.StringIO())
                call_command("db_roles", "--app-role", name, "--apply", stdout=io.StringIO())  # idempotent
                connection.close()
            yield name, password
        finally:
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def test_the_app_role_cannot_erase_the_audit_trail_but_can_add_to_it(app_login):
    name, password = app_login
    with _connect(user=name, password=password) as app:
        assert app.execute("SELECT current_user, session_user").fetchone() == (name, name)
        for attempt in ERASING:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(attempt)
            app.rollback()
        # What the application does need still works (rolled back: the suite's other tests start empty).
        app.execute("INSERT INTO core_auditevent (at, actor_name, event_type, object_type, object_id, region_code, "
                    "note) VALUES (now(), 'x', 'participant.registered', 'participant', '1', '', '')")
        assert app.execute("SELECT count(*) FROM core_auditevent").fetchone()[0] == 1
        app.execute("UPDATE participants_participant SET phone = phone")
        app.rollback()
        assert app.execute("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE "
                           "rolname = current_user)").fetchone()[0] == 0  # it owns nothing
        assert dbroles.erasing_powers(app.cursor()) == []


def test_the_app_role_cannot_use_the_bulk_load_functions_to_drop_constraints_for_good(app_login):
    name, password = app_login
    with _connect(user=name, password=password) as app, _connect(autocommit=True) as admin:
        indexes = admin.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'participants_participant'")\
            .fetchone()[0]
        steps = app.execute("SELECT * FROM jamsosdesa_bulk_begin('{participants_participant}', '{}')").fetchall()
        assert steps and {kind for _step, kind, _name in steps} >= {"i", "u", "f"}
        with pytest.raises(psycopg.errors.RaiseException, match="not built again"):
            app.commit()  # what was dropped must be built again before the transaction may commit
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("SELECT * FROM jamsosdesa_bulk_begin('{regions_region}', '{}')")  # only the two tables
        app.rollback()
        app.execute("SELECT * FROM jamsosdesa_bulk_begin('{participants_participant}', '{}')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("SELECT * FROM pg_temp.jamsosdesa_bulk_steps")  # nor read or change what it kept
        app.rollback()
        assert admin.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'participants_participant'")\
            .fetchone()[0] == indexes


@pytest.mark.django_db
def test_db_roles_refuses_a_role_that_could_erase_the_trail_and_one_that_does_not_exist():
    with pytest.raises(CommandError, match="superuser"):
        call_command("db_roles", "--app-role", connection.settings_dict["USER"], "--apply")
    with pytest.raises(CommandError, match="belum ada"):
        call_command("db_roles", "--app-role", f"jamsosdesa_test_none_{secrets.token_hex(4)}", "--apply")
    printed = io.StringIO()
    call_command("db_roles", "--app-role", "jamsosdesa_app", stdout=printed)  # without --apply: the SQL only
    assert 'REVOKE UPDATE, DELETE ON "public"."core_auditevent" FROM "jamsosdesa_app";' in printed.getvalue()


@pytest.mark.django_db
def test_check_deploy_warns_when_the_server_connects_as_a_role_that_can_erase_the_trail():
    assert [w.id for w in checks.audit_trail_role()] == ["jamsosdesa.W001"]  # the suite runs as a superuser
    name = f"jamsosdesa_test_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOLOGIN')  # gone with the test's rollback
        call_command("db_roles", "--app-role", name, "--apply", stdout=io.StringIO())
        cursor.execute(f'SET ROLE "{name}"')
        try:
            assert checks.audit_trail_role() == []
        finally:
            cursor.execute("RESET ROLE")
