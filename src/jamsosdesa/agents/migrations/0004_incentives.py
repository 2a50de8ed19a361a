# H-C of issue 14: the incentive rules (with the 2022 defaults), the monthly run and its lines.

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def default_rule(apps, schema_editor):
    """The 2022 incentive rules (DOMAIN.md "PERISAI agents"; practice, editable by a national admin)."""
    apps.get_model("agents", "IncentiveRule").objects.get_or_create(
        valid_from=datetime.date(2022, 1, 1),
        defaults={"fee_three": 15_000, "fee_two": 10_000, "min_new": 25, "share_1_24_bp": 1500,
                  "share_25_60_bp": 500, "wadah_bp": 1000,
                  "source": "Ketentuan insentif agen PERISAI BPJS Ketenagakerjaan 2022 (praktik; dapat diubah)"})


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0003_cash"),
        ("billing", "0006_standing"),
        ("participants", "0006_outreach_code"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='IncentiveRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('queued', 'menunggu'), ('running', 'berjalan'), ('done', 'selesai'), ('failed', 'gagal'), ('cancelled', 'dibatalkan')], default='queued', max_length=10)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('active_at', models.DateTimeField(blank=True, null=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('progress', models.JSONField(blank=True, default=dict)),
                ('message', models.TextField(blank=True)),
                ('file_path', models.CharField(blank=True, max_length=500)),
                ('worker', models.CharField(blank=True, max_length=120)),
                ('month', models.DateField()),
                ('trigger', models.CharField(choices=[('cli', 'baris perintah'), ('button', 'tombol'), ('schedule', 'jadwal bulanan')], default='cli', max_length=10)),
                ('scope', models.CharField(default='national', editable=False, max_length=10)),
                ('lines', models.PositiveIntegerField(default=0)),
                ('agents', models.PositiveIntegerField(default=0)),
                ('total_agents', models.BigIntegerField(default=0)),
                ('total_wadah', models.BigIntegerField(default=0)),
                ('summary', models.JSONField(blank=True, default=dict)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-id'],
            },
        ),
        migrations.CreateModel(
            name='IncentiveLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('kind', models.CharField(choices=[('acquisition', 'imbalan akuisisi'), ('share_1_24', 'bagian iuran bulan ke-1 s.d. 24'), ('share_25_60', 'bagian iuran bulan ke-25 s.d. 60'), ('correction', 'koreksi (pembayaran dibatalkan)'), ('wadah', 'tambahan wadah')], max_length=12)),
                ('contribution_month', models.DateField(blank=True, null=True)),
                ('month_index', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('base', models.BigIntegerField()),
                ('rate_bp', models.PositiveIntegerField(default=0)),
                ('amount', models.BigIntegerField()),
                ('agent', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('allocation', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='billing.allocation')),
                ('participant', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='participants.participant')),
                ('reversal', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='billing.reversal')),
                ('wadah', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agents.wadah')),
                ('run', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agents.incentiverun')),
            ],
        ),
        migrations.CreateModel(
            name='IncentiveRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField(unique=True, verbose_name='berlaku mulai bulan')),
                ('fee_three', models.PositiveIntegerField(default=15000, verbose_name='imbalan akuisisi tiga program (Rp)')),
                ('fee_two', models.PositiveIntegerField(default=10000, verbose_name='imbalan akuisisi dua program (Rp)')),
                ('min_new', models.PositiveSmallIntegerField(default=25, verbose_name='peserta baru paling sedikit sebulan untuk imbalan akuisisi')),
                ('share_1_24_bp', models.PositiveIntegerField(default=1500, verbose_name='bagian iuran bulan ke-1 s.d. 24 (basis poin)')),
                ('share_25_60_bp', models.PositiveIntegerField(default=500, verbose_name='bagian iuran bulan ke-25 s.d. 60 (basis poin)')),
                ('wadah_bp', models.PositiveIntegerField(default=1000, verbose_name='tambahan untuk wadah (basis poin)')),
                ('source', models.CharField(max_length=200, verbose_name='dasar')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='catatan')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'aturan insentif agen',
                'verbose_name_plural': 'aturan insentif agen',
                'ordering': ['-valid_from'],
                'constraints': [models.CheckConstraint(condition=models.Q(('share_1_24_bp__lte', 10000), ('share_25_60_bp__lte', 10000), ('wadah_bp__lte', 10000)), name='incentive_rule_bp_at_most_100pct')],
            },
        ),
        migrations.AddConstraint(
            model_name='incentiverun',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('queued', 'running'))), fields=('scope',), name='incentive_run_one_active'),
        ),
        migrations.AddIndex(
            model_name='incentiveline',
            index=models.Index(fields=['month', 'agent'], name='incentive_line_agent_idx'),
        ),
        migrations.AddIndex(
            model_name='incentiveline',
            index=models.Index(fields=['month', 'wadah'], name='incentive_line_wadah_idx'),
        ),
        migrations.RunPython(default_rule, migrations.RunPython.noop),
    ]
