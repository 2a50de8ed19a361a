from django.db import migrations, models


class Migration(migrations.Migration):
    """A scheme's quota per desa covers desa and desa adat; kelurahan only when the scheme says so. Existing
    schemes get the corrected reading (kelurahan not included), as the regulation behind "1 desa 100" meant."""

    dependencies = [
        ("funding", "0003_refusal_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="scheme",
            name="includes_kelurahan",
            field=models.BooleanField(default=False, verbose_name="kuota per desa juga untuk kelurahan"),
        ),
    ]
