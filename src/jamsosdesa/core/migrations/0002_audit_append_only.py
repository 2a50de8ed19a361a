"""The database itself refuses to change or delete audit rows."""

from django.db import migrations

from jamsosdesa.core.append_only import DROP, INSTALL


def forwards(apps, schema_editor):
    statements = INSTALL.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
