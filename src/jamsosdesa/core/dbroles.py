"""PostgreSQL roles for a production database: one owns, the other runs the application.

The append-only triggers of the audit trail (core.append_only) stop UPDATE and DELETE, but the owner of a table
can still TRUNCATE it, `ALTER TABLE ... DISABLE TRIGGER`, and a superuser can `SET session_replication_role =
replica` (triggers off for the session). So the role that runs migrations owns the tables, and the web server
and the workers connect as an application role that owns nothing and may only:

- read and write the ordinary tables (SELECT, INSERT, UPDATE, DELETE; never TRUNCATE or TRIGGER),
- read and add to the append-only tables (SELECT, INSERT),
- read django_migrations,
- use the sequences and call the functions in the schema (the bulk import's owner functions, participants 0004),

with the same rights on whatever later migrations create (ALTER DEFAULT PRIVILEGES for the owner). Everything
here is idempotent: `jamsosdesa db_roles --apply` runs again after each `migrate` (deploy/jamsosdesa-migrate.service).
"""

import re
from dataclasses import dataclass

from .append_only import TABLES as APPEND_ONLY

READ_ONLY = ("django_migrations",)  # the application reads which migrations ran; only the owner records them
AUDIT_TABLE = APPEND_ONLY[0]
ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def quote(name: str) -> str:
    if not ROLE_NAME.match(name):
        raise ValueError(name)
    return f'"{name}"'


@dataclass(frozen=True)
class Owner:
    role: str  # who owns the audit table (ran the migrations)
    schema: str  # where the tables are


def owner(cursor) -> Owner | None:
    """The owner of the migrated tables and their schema; None before `migrate`."""
    cursor.execute("SELECT tableowner, schemaname FROM pg_tables WHERE tablename = %s AND schemaname = "
                   "current_schema()", [AUDIT_TABLE])
    row = cursor.fetchone()
    return Owner(*row) if row else None


def grant_statements(app_role: str, at: Owner) -> list[str]:
    """The SQL that gives `app_role` exactly the application's rights on `at.schema`, now and for the tables,
    sequences and functions `at.role` creates later. Run by the owner (or a superuser)."""
    role, schema, by = quote(app_role), quote(at.schema), quote(at.role)
    default = f"ALTER DEFAULT PRIVILEGES FOR ROLE {by} IN SCHEMA {schema} GRANT"
    return [
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",  # nobody but the owner creates tables (PostgreSQL < 15)
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        *(f"REVOKE UPDATE, DELETE ON {schema}.{quote(t)} FROM {role}" for t in APPEND_ONLY),
        *(f"REVOKE INSERT, UPDATE, DELETE ON {schema}.{quote(t)} FROM {role}" for t in READ_ONLY),
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {role}",
        f"{default} SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"{default} USAGE, SELECT ON SEQUENCES TO {role}",
        f"{default} EXECUTE ON FUNCTIONS TO {role}",
    ]


def erasing_powers(cursor, role: str | None = None) -> list[str]:
    """What lets `role` (default: the connected one) get past the audit trail's triggers: 'superuser' (also
    session_replication_role), 'owner' (DISABLE TRIGGER, TRUNCATE, DROP), 'truncate', 'replica' (allowed to set
    session_replication_role). Empty for the application role `grant_statements` sets up."""
    cursor.execute(
        "SELECT r.rolsuper, pg_has_role(r.oid, t.tableowner, 'USAGE'), "
        "has_table_privilege(r.oid, format('%%I.%%I', t.schemaname, t.tablename), 'TRUNCATE'), "
        "has_parameter_privilege(r.oid, 'session_replication_role', 'SET') "
        "FROM pg_roles r JOIN pg_tables t ON t.tablename = %s AND t.schemaname = current_schema() "
        "WHERE r.rolname = coalesce(%s, current_user)", [AUDIT_TABLE, role])
    row = cursor.fetchone()
    if row is None:
        return []
    return [name for name, has in zip(("superuser", "owner", "truncate", "replica"), row, strict=True) if has]
