# Reserved so that work on issue 13 in parallel does not branch the migrations; filled by the slice that needs it.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [('coverage', '0001_initial')]

    operations = [
        migrations.CreateModel(
            name='Target',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('region_code', models.CharField(blank=True, max_length=13, verbose_name='kode wilayah')),
                ('year', models.PositiveSmallIntegerField(verbose_name='tahun')),
                ('due_date', models.DateField(verbose_name='jatuh tempo')),
                ('segment', models.CharField(blank=True, choices=[('PU', 'PU (penerima upah)'), ('BPU', 'BPU (bukan penerima upah)'), ('JAKON', 'Jakon (jasa konstruksi)'), ('PMI', 'PMI (pekerja migran)')], max_length=5, verbose_name='segmen')),
                ('village_role', models.CharField(blank=True, choices=[('village_head', 'Kepala desa'), ('village_official', 'Perangkat desa'), ('bpd', 'Anggota BPD'), ('rt_head', 'Ketua RT'), ('rw_head', 'Ketua RW'), ('linmas', 'Linmas'), ('posyandu_cadre', 'Kader posyandu'), ('pkk_cadre', 'Kader PKK'), ('bumdes_staff', 'Pengelola BUMDes'), ('vulnerable_worker', 'Pekerja rentan/informal'), ('other', 'Lainnya')], max_length=20, verbose_name='peran di desa')),
                ('count', models.PositiveBigIntegerField(verbose_name='jumlah peserta terlindungi')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='keterangan')),
                ('set_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('set_by', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'target kepesertaan',
                'verbose_name_plural': 'target kepesertaan',
                'ordering': ['region_code', '-year', 'segment', 'village_role'],
                'constraints': [models.UniqueConstraint(fields=('region_code', 'year', 'segment', 'village_role'), name='coverage_target_unique'), models.CheckConstraint(condition=models.Q(('count__gte', 0)), name='coverage_target_count_not_negative')],
            },
        ),
    ]
