# The snapshot's added columns (helper H-snapshot): who pays and which programmes the month covers is part of a
# row's key; the counted-toward-target figure (exact units over the rule's N) and the lapse next month are counts.
# The kabupaten rollup (coverage_snapshot_kab) lets the nation, a province and a kabupaten read a few rows per
# kabupaten instead of every desa's.
import django.utils.timezone
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
        migrations.CreateModel(
            name='SnapshotKab',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('kab_code', models.CharField(max_length=5)),
                ('segment', models.CharField(max_length=5)),
                ('village_role', models.CharField(blank=True, max_length=20)),
                ('payer_kind', models.CharField(blank=True, max_length=10)),
                ('programmes', models.CharField(blank=True, default='', max_length=20)),
                ('registered', models.PositiveIntegerField(default=0)),
                ('active', models.PositiveIntegerField(default=0)),
                ('arrears', models.PositiveIntegerField(default=0)),
                ('non_active', models.PositiveIntegerField(default=0)),
                ('not_started', models.PositiveIntegerField(default=0)),
                ('ended', models.PositiveIntegerField(default=0)),
                ('counted_units', models.BigIntegerField(default=0)),
                ('counted_per', models.PositiveSmallIntegerField(default=1)),
                ('lapse_next_month', models.PositiveIntegerField(default=0)),
                ('refreshed_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'potret cakupan per kabupaten',
                'verbose_name_plural': 'potret cakupan per kabupaten',
                'db_table': 'coverage_snapshot_kab',
                'constraints': [models.UniqueConstraint(fields=('day', 'kab_code', 'segment', 'village_role',
                                                                'payer_kind', 'programmes'),
                                                        name='coverage_snapshot_kab_key')],
            },
        ),
    ]
