# Reserved so that work on issue 13 in parallel does not branch the migrations; filled by the slice that needs it.
# Outreach (sosialisasi) events (issue 13 item 6): coverage.models.OutreachEvent.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [('coverage', '0003_denominators'), ('regions', '0001_initial'),
                    migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name='OutreachEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=12, unique=True, verbose_name='kode')),
                ('title', models.CharField(max_length=150, verbose_name='nama kegiatan')),
                ('held_on', models.DateField(verbose_name='tanggal')),
                ('kab_code', models.CharField(editable=False, max_length=5)),
                ('venue', models.CharField(blank=True, max_length=200, verbose_name='tempat')),
                ('organiser_type', models.CharField(choices=[('branch', 'Cabang BPJS Ketenagakerjaan'), ('district', 'Pemerintah kabupaten/kota'), ('village', 'Pemerintah desa'), ('agent', 'Agen PERISAI')], max_length=10, verbose_name='penyelenggara')),
                ('organiser_name', models.CharField(blank=True, max_length=150, verbose_name='nama penyelenggara')),
                ('audience', models.JSONField(default=list, verbose_name='sasaran peserta')),
                ('attendance', models.PositiveIntegerField(default=0, verbose_name='jumlah hadir')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='catatan')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='dicatat oleh')),
                ('region', models.ForeignKey(db_column='region_code', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.region', verbose_name='wilayah')),
            ],
            options={
                'verbose_name': 'kegiatan sosialisasi',
                'verbose_name_plural': 'kegiatan sosialisasi',
                'ordering': ['-held_on', '-id'],
                'indexes': [models.Index(fields=['kab_code', '-held_on'], name='outreach_kab_idx'), models.Index(fields=['region', '-held_on'], name='outreach_region_idx')],
            },
        ),
    ]
