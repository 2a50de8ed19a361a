# The snapshot refresh job and the audit-trail watermark of the incremental pass (helper H-refresh).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coverage', '0007_snapshot_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RefreshWatermark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_event_id', models.BigIntegerField(default=0)),
                ('gaps', models.JSONField(blank=True, default=list)),
                ('updated_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'batas jejak audit potret cakupan',
                'verbose_name_plural': 'batas jejak audit potret cakupan',
            },
        ),
        migrations.CreateModel(
            name='CoverageRefresh',
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
                ('day', models.DateField()),
                ('kab_codes', models.JSONField(blank=True, default=list)),
                ('changed', models.BooleanField(default=False)),
                ('trigger', models.CharField(choices=[('manual', 'tombol'), ('cli', 'baris perintah'), ('periodic', 'berkala')], default='cli', max_length=10)),
                ('kab_done', models.JSONField(blank=True, default=list)),
                ('days_written', models.JSONField(blank=True, default=list)),
                ('rows_written', models.PositiveIntegerField(default=0)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'pembaruan potret cakupan',
                'verbose_name_plural': 'pembaruan potret cakupan',
                'ordering': ['-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ('queued', 'running'))), fields=('day',), name='coverage_refresh_one_active_per_day')],
            },
        ),
    ]
