# Reserved so that work on issue 13 in parallel does not branch the migrations; filled by the slice that needs it.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [('coverage', '0002_targets')]

    operations = [
        migrations.CreateModel(
            name='Denominator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('region_code', models.CharField(blank=True, max_length=13, verbose_name='kode wilayah')),
                ('year', models.PositiveSmallIntegerField(verbose_name='tahun')),
                ('count', models.PositiveBigIntegerField(verbose_name='jumlah penduduk bekerja')),
                ('source', models.CharField(choices=[('bps_sakernas', 'BPS Sakernas'), ('village_count', 'pendataan desa sendiri'), ('other', 'sumber lain')], max_length=20, verbose_name='sumber')),
                ('source_note', models.CharField(blank=True, max_length=200, verbose_name='keterangan sumber')),
                ('set_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('set_by', models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'jumlah penduduk bekerja',
                'verbose_name_plural': 'jumlah penduduk bekerja',
                'ordering': ['region_code', '-year'],
                'constraints': [models.UniqueConstraint(fields=('region_code', 'year'), name='coverage_denominator_unique'), models.CheckConstraint(condition=models.Q(('count__gte', 0)), name='coverage_denominator_count_not_negative')],
            },
        ),
    ]
