"""Audit events are named by what happened (`participant.registered`, `enrolment.ended`, ...) instead of a
generic action (create/update/deactivate/export): the column becomes `event_type` and every existing row is
renamed by its object type and action, so no event is lost.

The table is append-only: its triggers are dropped for the rename and installed again at the end (SQLite
also loses them when it rebuilds the table to widen the column)."""

from django.db import migrations, models

from jamsosdesa.core.append_only import DROP, INSTALL

# (object type, old action) -> event type; a scheme update that replaced the DTKS/DTSEN list recorded only
# the list's size (`welfare_niks`) as its old value.
FORWARD = [
    ("participant", "create", "participant.registered"),
    ("participant", "update", "participant.updated"),
    ("participant", "deactivate", "participant.deactivated"),
    ("participant_export", "export", "participant.exported"),
    ("scheme", "create", "scheme.created"),
    ("scheme", "update", "scheme.updated"),
    ("enrolment", "create", "enrolment.created"),
    ("enrolment", "update", "enrolment.ended"),  # ending is the only change an enrolment has
]
BACKWARD = {"registered": "create", "created": "create", "updated": "update", "welfare_list_replaced": "update",
            "ended": "update", "deactivated": "deactivate", "exported": "export", "budget_sheet_exported": "export"}


def _has_key(vendor: str, column: str, key: str) -> str:
    if vendor == "postgresql":
        return f"({column} -> '{key}') IS NOT NULL"
    return f"json_extract({column}, '$.{key}') IS NOT NULL"


def drop_triggers(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def install_triggers(apps, schema_editor):
    for sql in INSTALL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def name_events(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    welfare = _has_key(vendor, "old", "welfare_niks")
    schema_editor.execute(
        "UPDATE core_auditevent SET event_type = 'scheme.welfare_list_replaced' "
        f"WHERE object_type = 'scheme' AND event_type = 'update' AND {welfare}")
    for object_type, action, event in FORWARD:
        schema_editor.execute("UPDATE core_auditevent SET event_type = %s WHERE object_type = %s AND event_type = %s",
                              [event, object_type, action])


def unname_events(apps, schema_editor):
    for what, action in BACKWARD.items():
        schema_editor.execute("UPDATE core_auditevent SET event_type = %s WHERE event_type LIKE %s",
                              [action, "%." + what])


class Migration(migrations.Migration):

    dependencies = [("core", "0003_leaner_indexes")]

    operations = [
        migrations.RunPython(drop_triggers, install_triggers),
        migrations.RenameField(model_name="auditevent", old_name="action", new_name="event_type"),
        migrations.AlterField(
            model_name="auditevent",
            name="event_type",
            field=models.CharField(choices=[
                ("participant.registered", "peserta didaftarkan"), ("participant.updated", "data peserta diubah"),
                ("participant.deactivated", "peserta dinonaktifkan"),
                ("participant.exported", "daftar peserta diekspor"), ("scheme.created", "skema dibuat"),
                ("scheme.updated", "skema diubah"), ("scheme.welfare_list_replaced", "daftar DTKS/DTSEN skema diganti"),
                ("scheme.budget_sheet_exported", "lembar anggaran skema dicetak (ekspor)"),
                ("enrolment.created", "didaftarkan ke skema"), ("enrolment.ended", "kepesertaan skema diakhiri"),
            ], max_length=40),
        ),
        migrations.RunPython(name_events, unname_events),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
