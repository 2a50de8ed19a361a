# Reserved so that work on issue 13 in parallel does not branch the migrations; filled by the slice that needs it.
# H4: the counting rule (coverage.models_rules.CountingRule) and its default row (BPJS's procedure book, 2022).
import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

DEFAULT_RULE = {
    "valid_from": datetime.date(2022, 1, 1),
    "full_after_months": 6,
    "pro_rata_payers": ["apbdes", "apbd", "apbn"],
    "basis": "paid_months",
    "protected_name": "Terlindungi (status aktif)",
    "protected_name_en": "Protected (status active)",
    "counted_name": "Dihitung untuk target",
    "counted_name_en": "Counted toward target",
    "source": "BPJS Ketenagakerjaan, 908 - PROBIS KEPESERTAAN (peraturan direksi 2022): pekerja yang dibiayai "
              "pemerintah atau desa dihitung penuh setelah 6 bulan iuran, pro rata sebelumnya",
    "note": "Aturan bawaan; perlu dicocokkan dengan teks peraturan (belum dikonfirmasi).",
}


def add_default_rule(apps, schema_editor):
    CountingRule = apps.get_model("coverage", "CountingRule")
    if not CountingRule.objects.filter(valid_from=DEFAULT_RULE["valid_from"]).exists():
        CountingRule.objects.create(**DEFAULT_RULE)


class Migration(migrations.Migration):

    dependencies = [('coverage', '0004_outreach_events')]

    operations = [
        migrations.CreateModel(
            name='CountingRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField(unique=True, verbose_name='berlaku mulai bulan')),
                ('full_after_months', models.PositiveSmallIntegerField(default=6, verbose_name='dihitung penuh setelah (bulan)')),
                ('pro_rata_payers', models.JSONField(blank=True, default=list, verbose_name='pembayar yang dihitung pro rata')),
                ('basis', models.CharField(choices=[('paid_months', 'jumlah bulan yang sudah dibayar'), ('since_first_paid', 'jumlah bulan sejak bulan pertama dibayar')], default='paid_months', max_length=20, verbose_name='bulan yang dihitung')),
                ('protected_name', models.CharField(max_length=80, verbose_name='nama angka terlindungi')),
                ('protected_name_en', models.CharField(max_length=80, verbose_name='nama angka terlindungi (Inggris)')),
                ('counted_name', models.CharField(max_length=80, verbose_name='nama angka yang dihitung untuk target')),
                ('counted_name_en', models.CharField(max_length=80, verbose_name='nama angka yang dihitung untuk target (Inggris)')),
                ('source', models.CharField(max_length=200, verbose_name='dasar')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='catatan')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'aturan penghitungan cakupan',
                'verbose_name_plural': 'aturan penghitungan cakupan',
                'ordering': ['-valid_from'],
            },
        ),
        migrations.RunPython(add_default_rule, migrations.RunPython.noop),
    ]
