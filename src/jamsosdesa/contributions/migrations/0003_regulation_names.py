"""The shipped rules named their regulation and described the rate in Indonesian in one text ("PP 44/2015 jo.
PP 82/2019 (JKK, JKM): 1% dari nominal penghasilan"), which an English page could not translate. The quote now
describes each rate from its numbers in the user's language, so the shipped rows keep the regulation's name only.
Rows an administrator wrote or changed are left as they are."""

from django.db import migrations

PP44 = "PP 44/2015 jo. PP 82/2019 (JKK, JKM)"
PP46 = "PP 46/2015 jo. PP 60/2015 (JHT)"
PP45 = "PP 45/2015 (JP)"

RATES = {
    PP44 + ": 1% dari nominal penghasilan": PP44,
    PP44 + ": Rp6.800 per bulan": PP44,
    PP46 + ": 2% dari nominal penghasilan": PP46,
    "PP 44/2015 Lampiran I: kelompok risiko": "PP 44/2015 Lampiran I",
    "PP 44/2015: 0,30% dari upah": "PP 44/2015",
    PP46 + ": 3,7% pemberi kerja": PP46,
    PP46 + ": 2% pekerja": PP46,
    PP45 + ": 2% pemberi kerja, upah paling tinggi plafon": PP45,
    PP45 + ": 1% pekerja, upah paling tinggi plafon": PP45,
}
CEILINGS = {f"{PP45} Pasal 19: penyesuaian plafon upah tahunan, pengumuman BPJS {year}":
            f"PP 45/2015 Pasal 19; pengumuman BPJS Ketenagakerjaan {year}" for year in (2023, 2024, 2025, 2026)}
BANDS = {"Permenaker 44/2015 (jasa konstruksi berdasarkan nilai kontrak)": "Permenaker 44/2015"}
PACKAGES = {"Permenaker 4/2023 (Jaminan Sosial Pekerja Migran Indonesia)": "Permenaker 4/2023"}
TABLES = {"Rate": RATES, "WageCeiling": CEILINGS, "ContractBand": BANDS, "PmiPackage": PACKAGES}


def rename(apps, schema_editor):
    for model_name, names in TABLES.items():
        model = apps.get_model("contributions", model_name)
        for old, new in names.items():
            model.objects.filter(regulation=old).update(regulation=new)


class Migration(migrations.Migration):
    dependencies = [("contributions", "0002_default_rules")]
    # Going back leaves the names: they are still the right regulations, only without the Indonesian description.
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
