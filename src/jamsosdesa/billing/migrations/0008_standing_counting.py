# The standing cache keeps what the coverage counting rule reads (docs/design/ledger.md §4 "Standing"): the number of
# fully paid months and the payer kinds of the last one. Database defaults, so adding them to a large table is
# a catalogue change on PostgreSQL; the values are filled by `jamsosdesa billing standing` (RunPython below for the
# rows already there).

from django.db import migrations, models


def fill(apps, schema_editor):
    from jamsosdesa.billing.standing import standing_rebuild

    if apps.get_model("billing", "Standing").objects.exists():
        standing_rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0007_membership_person_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='standing',
            name='paid_months',
            field=models.PositiveIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name='standing',
            name='last_paid_payers',
            field=models.PositiveSmallIntegerField(db_default=0, default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
