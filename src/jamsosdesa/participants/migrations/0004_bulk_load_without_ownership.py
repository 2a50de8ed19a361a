"""PostgreSQL: what a bulk import needs of the table owner, done by the owner, so the application's role needs
no ownership (and so cannot switch off the audit trail's triggers).

A bulk import (imports.engine._BulkLoad) drops the participant (and audit) tables' secondary indexes, unique
constraints and foreign keys, streams the rows in one COPY and rebuilds them. Dropping and creating indexes,
locking the audit table and creating triggers are the table owner's rights. Production runs the web and workers
as a role that owns nothing (`jamsosdesa db_roles`), so these are SECURITY DEFINER functions owned by the role
that runs the migrations:

- `jamsosdesa_bulk_begin(tables, keep)` locks the named tables (only these two) for the transaction, keeps the
  definition of each index and constraint it drops in a temporary table the caller can neither read nor change,
  and returns the steps (step, kind, name) to rebuild, indexes first;
- `jamsosdesa_bulk_rebuild(step)` builds one of them again from the kept definition (the caller passes only
  the step number: no SQL of the caller's runs with the owner's rights);
- a deferred constraint trigger refuses to commit a transaction that dropped something and did not rebuild it.

And the participant.registered audit event of each row a bulk COPY adds is written by a trigger on the
participant table, installed here (creating and dropping a trigger per import is again the owner's right). It
does nothing unless the transaction-local setting `jamsosdesa.import_registered` holds the batch's shared
values (core.audit.AuditBatch.arm_trigger); the import sets it around its COPY only.
"""

from django.db import migrations

TABLES = ("participants_participant", "core_auditevent")
FUNCTIONS = ("jamsosdesa_bulk_begin(text[], text[])", "jamsosdesa_bulk_rebuild(integer)",
             "jamsosdesa_bulk_unfinished()")


def _install(schema: str) -> list[str]:
    path = f"SET search_path = {schema}, pg_temp"
    allowed = "ARRAY[" + ", ".join(f"'{t}'" for t in TABLES) + "]"
    return [
        f"""CREATE OR REPLACE FUNCTION jamsosdesa_bulk_unfinished() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
            BEGIN
              IF EXISTS (SELECT 1 FROM pg_temp.jamsosdesa_bulk_steps s WHERE s.step = NEW.step) THEN
                RAISE EXCEPTION 'bulk load: % of % was dropped and not built again', NEW.name, NEW.tbl;
              END IF;
              RETURN NULL;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION jamsosdesa_bulk_begin(tables text[], keep text[])
            RETURNS TABLE (step_no integer, step_kind text, object_name text)
            LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
            DECLARE
              t text;
              r record;
              n integer;
            BEGIN
              IF NOT tables <@ {allowed} THEN
                RAISE EXCEPTION 'bulk load is not allowed on %', tables USING ERRCODE = 'insufficient_privilege';
              END IF;
              FOREACH t IN ARRAY tables LOOP  -- waits at most the caller's lock_timeout
                EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', t);
              END LOOP;
              IF to_regclass('pg_temp.jamsosdesa_bulk_steps') IS NULL THEN
                CREATE TEMPORARY TABLE jamsosdesa_bulk_steps (step integer PRIMARY KEY, tbl text NOT NULL,
                  kind text NOT NULL, name text NOT NULL, definition text NOT NULL) ON COMMIT DROP;
                CREATE CONSTRAINT TRIGGER jamsosdesa_bulk_unfinished AFTER INSERT ON pg_temp.jamsosdesa_bulk_steps
                  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION jamsosdesa_bulk_unfinished();
              END IF;
              SELECT coalesce(max(s.step), 0) INTO n FROM pg_temp.jamsosdesa_bulk_steps s;
              INSERT INTO pg_temp.jamsosdesa_bulk_steps (step, tbl, kind, name, definition)
              SELECT n + row_number() OVER (ORDER BY d.phase, d.o, d.name), d.tbl, d.kind, d.name, d.definition
                FROM (SELECT 1 AS phase, x.o, x.tb AS tbl, 'i' AS kind, c.relname::text AS name,
                             pg_get_indexdef(i.indexrelid) AS definition
                        FROM unnest(tables) WITH ORDINALITY AS x(tb, o)
                        JOIN pg_index i ON i.indrelid = x.tb::regclass
                        JOIN pg_class c ON c.oid = i.indexrelid
                       WHERE NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                             WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
                      UNION ALL
                      SELECT 2, x.o, x.tb, k.contype::text, k.conname::text, pg_get_constraintdef(k.oid)
                        FROM unnest(tables) WITH ORDINALITY AS x(tb, o)
                        JOIN pg_constraint k ON k.conrelid = x.tb::regclass
                       WHERE k.contype IN ('u', 'f')) AS d
               WHERE d.name <> ALL (keep);
              FOR r IN SELECT s.* FROM pg_temp.jamsosdesa_bulk_steps s WHERE s.step > n ORDER BY s.step LOOP
                IF r.kind = 'i' THEN
                  EXECUTE format('DROP INDEX %I', r.name);
                ELSE
                  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.tbl, r.name);
                END IF;
                step_no := r.step; step_kind := r.kind; object_name := r.name;
                RETURN NEXT;
              END LOOP;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION jamsosdesa_bulk_rebuild(which integer) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
            DECLARE
              s record;
            BEGIN
              DELETE FROM pg_temp.jamsosdesa_bulk_steps b WHERE b.step = which RETURNING b.* INTO s;
              IF NOT FOUND THEN
                RAISE EXCEPTION 'bulk load: there is no step % to build again', which;
              END IF;
              IF s.kind = 'i' THEN
                EXECUTE s.definition;
              ELSIF s.kind = 'f' THEN  -- one validating scan instead of a check per row
                EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s NOT VALID', s.tbl, s.name, s.definition);
                EXECUTE format('ALTER TABLE %I VALIDATE CONSTRAINT %I', s.tbl, s.name);
              ELSE
                EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', s.tbl, s.name, s.definition);
              END IF;
            END $$""",
        *(f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in FUNCTIONS),
        # The participant.registered event of each row a bulk COPY adds (see core.audit.AuditBatch.arm_trigger).
        # A row trigger, not one INSERT over the statement's new rows: the events are written while Python still
        # parses the file (bench/README.md: one INSERT after the COPY cost 4.6 s of a 1M-row import).
        f"""CREATE OR REPLACE FUNCTION participants_import_registered() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
              b jsonb := current_setting('jamsosdesa.import_registered')::jsonb;
            BEGIN
              INSERT INTO {schema}.core_auditevent (at, actor_id, actor_name, event_type, object_type, object_id,
                                                    region_code, old, new, note)
              VALUES ((b->>'at')::timestamptz, (b->>'actor_id')::bigint, b->>'actor_name', b->>'event_type',
                      b->>'object_type', NEW.id::varchar(40), NEW.desa_code, NULL,
                      jsonb_build_object('nik', NEW.nik, 'full_name', NEW.full_name, 'desa', NEW.desa_code),
                      b->>'note');
              RETURN NEW;
            END $$""",
        """CREATE TRIGGER participants_import_registered BEFORE INSERT ON participants_participant FOR EACH ROW
           WHEN (current_setting('jamsosdesa.import_registered', true) > '')
           EXECUTE FUNCTION participants_import_registered()""",
    ]


DROP = [
    "DROP TRIGGER IF EXISTS participants_import_registered ON participants_participant",
    "DROP FUNCTION IF EXISTS participants_import_registered()",
    *(f"DROP FUNCTION IF EXISTS {f}" for f in FUNCTIONS),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
    for sql in _install(schema):
        schema_editor.execute(sql, None)  # no parameters: the % in format() and RAISE stay as written


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in DROP:
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_leaner_indexes"), ("core", "0004_audit_event_types")]
    operations = [migrations.RunPython(forwards, backwards)]
