from django.db import migrations, models
from django.db.models import F


def from_complete_at(apps, schema_editor):
    """Claims complete today: their first completion is not known better than complete_at (the audit trail's
    claim.updated rows could tell, but a claim once complete and now incomplete keeps no clock either way)."""
    Claim = apps.get_model("claims", "Claim")
    Claim.objects.filter(first_complete_at=None).exclude(complete_at=None).update(first_complete_at=F("complete_at"))


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_scholarship_approval")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="first_complete_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="berkas pertama kali lengkap pada"),
        ),
        migrations.RunPython(from_complete_at, migrations.RunPython.noop),
    ]
