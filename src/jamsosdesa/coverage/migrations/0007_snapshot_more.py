# The snapshot's added columns (helper H-snapshot): who pays and which programmes the month covers is part of a
# row's key; the counted-toward-target figure (exact units over the rule's N) and the lapse next month are counts.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coverage', '0006_snapshot'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='snapshot',
            name='coverage_snapshot_unique',
        ),
        migrations.AddField(
            model_name='snapshot',
            name='counted_per',
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name='snapshot',
            name='counted_units',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='snapshot',
            name='lapse_next_month',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='snapshot',
            name='programmes',
            field=models.CharField(blank=True, default='', max_length=20),
        ),
        migrations.AddConstraint(
            model_name='snapshot',
            constraint=models.UniqueConstraint(fields=('day', 'desa_code', 'segment', 'village_role', 'payer_kind',
                                                       'programmes'), name='coverage_snapshot_key'),
        ),
    ]
