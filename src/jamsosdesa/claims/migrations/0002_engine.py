# Issue 15 part C1 benefit engine: the benefit parameters in force, seeded from DOMAIN.md's figures (PP 44/2015 as
# amended by PP 82/2019). Written out here, not read from claims.parameters.CODES, so the migration stays what it was.
from datetime import date

from django.db import migrations

PP_44 = ("PP 44/2015", date(2015, 7, 1))
PP_82 = ("PP 44/2015 jo. PP 82/2019", date(2019, 12, 2))
PRACTICE = ("Standar layanan klaim BPJS Ketenagakerjaan (praktik, dapat diubah)", date(2015, 7, 1))

SEED = [
    ("jkm_lump_sum", 20_000_000, PP_82),
    ("jkm_periodic", 12_000_000, PP_82),
    ("jkm_funeral", 10_000_000, PP_82),
    ("jkk_death_multiplier", 48, PP_44),
    ("jkk_death_minimum", 20_000_000, PP_82),
    ("jkk_funeral", 10_000_000, PP_82),
    ("jkk_periodic", 12_000_000, PP_82),
    ("jkk_disability_multiplier", 56, PP_44),
    ("jkk_disability_periodic", 12_000_000, PP_82),
    ("jkk_temporary_full_percent", 100, PP_82),
    ("jkk_temporary_full_months", 12, PP_82),
    ("jkk_temporary_after_percent", 50, PP_82),
    ("scholarship_tk_sd", 1_500_000, PP_82),
    ("scholarship_smp", 2_000_000, PP_82),
    ("scholarship_sma", 3_000_000, PP_82),
    ("scholarship_higher", 12_000_000, PP_82),
    ("scholarship_cap_per_child", 87_000_000, PP_82),
    ("scholarship_cap_two_children", 174_000_000, PP_82),
    ("scholarship_max_children", 2, PP_82),
    ("jkm_scholarship_min_months", 36, PP_82),
    ("jkk_report_limit_hours", 48, PP_44),
    ("jkk_claim_lapse_months", 24, PP_44),
    ("service_standard_working_days", 3, PRACTICE),
]


def seed(apps, schema_editor):
    BenefitParameter = apps.get_model("claims", "BenefitParameter")
    for code, value, (regulation, valid_from) in SEED:
        BenefitParameter.objects.get_or_create(code=code, valid_from=valid_from,
                                               defaults={"value": value, "regulation": regulation,
                                                         "note": "seeded by migration 0002"})


def unseed(apps, schema_editor):
    BenefitParameter = apps.get_model("claims", "BenefitParameter")
    for code, value, (_regulation, valid_from) in SEED:
        BenefitParameter.objects.filter(code=code, valid_from=valid_from, value=value, changed_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
