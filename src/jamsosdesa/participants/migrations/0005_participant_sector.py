"""The sector a participant works in (PP 50/2025 discounts by sector), taken from the occupation where it says so."""

from django.db import migrations, models

# As participants.sectors.OCCUPATION_SECTORS on the day this was written (a migration keeps its own copy).
TRANSPORT_OCCUPATIONS = (14, 81)  # TRANSPORTASI, SOPIR


def sector_from_occupation(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    Participant.objects.filter(occupation_id__in=TRANSPORT_OCCUPATIONS).update(sector="transportasi")


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0004_bulk_load_without_ownership'),
    ]

    operations = [
        migrations.AddField(
            model_name='participant',
            name='sector',
            field=models.CharField(choices=[('umum', 'umum / lainnya'), ('transportasi', 'transportasi (ojek, sopir, kurir)'), ('makanan_minuman', 'industri makanan dan minuman'), ('tekstil_pakaian', 'industri tekstil dan pakaian jadi'), ('kulit', 'industri kulit dan barang dari kulit'), ('alas_kaki', 'industri alas kaki'), ('mainan', 'industri mainan anak'), ('furnitur', 'industri furnitur')], db_default='umum', default='umum', max_length=20, verbose_name='sektor pekerjaan'),
        ),
        migrations.AddField(
            model_name='participant',
            name='sector_source',
            field=models.CharField(choices=[('occupation', 'dari pekerjaan'), ('manual', 'dipilih petugas')], db_default='occupation', default='occupation', max_length=10),
        ),
        migrations.RunPython(sector_from_occupation, migrations.RunPython.noop),
    ]
