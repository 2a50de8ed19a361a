"""Ship the contribution rules of shared DOMAIN.md as editable rows (see contributions/defaults.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from jamsosdesa.contributions import defaults

    if not apps.get_model("contributions", "Rate").objects.exists():
        defaults.load(apps)


def backwards(apps, schema_editor):
    for name in ("Rate", "WageCeiling", "ContractBand", "PmiPackage", "IncomeNominal", "Discount"):
        apps.get_model("contributions", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
