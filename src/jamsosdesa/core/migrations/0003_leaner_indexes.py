"""One prefix-capable index on the audit region instead of two.

SQLite alters a column by rebuilding the table, which drops its triggers: the append-only triggers are
installed again after (and, going back, after the reverse rebuild)."""

from django.conf import settings
from django.db import migrations, models

from jamsosdesa.core.append_only import INSTALL


def reinstall_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in INSTALL["sqlite"]:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_audit_append_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, reinstall_triggers),
        migrations.AlterField(
            model_name='auditevent',
            name='region_code',
            field=models.CharField(blank=True, max_length=13),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['region_code'], name='audit_region_idx', opclasses=['varchar_pattern_ops']),
        ),
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop),
    ]
