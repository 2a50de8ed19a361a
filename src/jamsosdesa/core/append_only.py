"""SQL that makes the audit table append-only on each database (installed by migration core 0002)."""

# Tables the application may only read and add to: on PostgreSQL its role gets no UPDATE, DELETE or TRUNCATE on
# them (core.dbroles), and does not own them, so it cannot switch their triggers off either.
TABLES = ("core_auditevent",)

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit trail is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent
       FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();""",
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS core_auditevent_no_update;",
               "DROP TRIGGER IF EXISTS core_auditevent_no_delete;"],
    "postgresql": ["DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent;",
                   "DROP FUNCTION IF EXISTS core_auditevent_append_only();"],
}
INSTALL = {"sqlite": SQLITE, "postgresql": POSTGRES}
