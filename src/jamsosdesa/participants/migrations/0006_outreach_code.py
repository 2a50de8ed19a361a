# Reserved for the outreach event code that registrations carry (issue 13 item 6); filled by that slice.
"""The outreach (sosialisasi) event code a registration carries (participants.outreach), and on PostgreSQL the bulk
import's audit trigger (installed by 0004) writing it into each participant.registered event, as the registration
service and the import's other paths do."""

from django.db import migrations, models


def _trigger(schema: str, *, with_code: bool) -> str:
    code = ", 'outreach_code', NEW.outreach_code" if with_code else ""
    return f"""CREATE OR REPLACE FUNCTION participants_import_registered() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
              b jsonb := current_setting('jamsosdesa.import_registered')::jsonb;
            BEGIN
              INSERT INTO {schema}.core_auditevent (at, actor_id, actor_name, event_type, object_type, object_id,
                                                    region_code, old, new, note)
              VALUES ((b->>'at')::timestamptz, (b->>'actor_id')::bigint, b->>'actor_name', b->>'event_type',
                      b->>'object_type', NEW.id::varchar(40), NEW.desa_code, NULL,
                      jsonb_build_object('nik', NEW.nik, 'full_name', NEW.full_name, 'desa', NEW.desa_code{code}),
                      b->>'note');
              RETURN NEW;
            END $$"""


def _replace(schema_editor, *, with_code: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
    schema_editor.execute(_trigger(schema, with_code=with_code), None)


def forwards(apps, schema_editor):
    _replace(schema_editor, with_code=True)


def backwards(apps, schema_editor):
    _replace(schema_editor, with_code=False)


class Migration(migrations.Migration):

    dependencies = [("participants", "0005_participant_sector")]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="outreach_code",
            field=models.CharField(blank=True, db_default="", default="", max_length=12,
                                   verbose_name="kode sosialisasi"),
        ),
        migrations.AddIndex(
            model_name="participant",
            index=models.Index(condition=models.Q(("outreach_code", ""), _negated=True), fields=["outreach_code"],
                               name="participant_outreach_idx"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
