# Helper H-D of issue 14: the field app's submissions (agents.models_offline).
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0004_incentives"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ClientSubmission",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=64, verbose_name="token kiriman")),
                ("kind", models.CharField(choices=[("registration", "pendaftaran"), ("collection", "penagihan")],
                                          max_length=12, verbose_name="jenis")),
                ("request_hash", models.CharField(max_length=64)),
                ("outcome", models.CharField(choices=[("done", "berhasil"), ("conflict", "bentrok"),
                                                      ("refused", "ditolak")], max_length=8, verbose_name="hasil")),
                ("code", models.CharField(blank=True, max_length=40, verbose_name="kode")),
                ("message", models.TextField(blank=True, verbose_name="pesan")),
                ("object_id", models.BigIntegerField(blank=True, null=True, verbose_name="objek")),
                ("label", models.CharField(blank=True, max_length=200, verbose_name="keterangan")),
                ("entered_at", models.DateTimeField(blank=True, null=True, verbose_name="dicatat di HP")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                           to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "kiriman aplikasi lapangan",
                "verbose_name_plural": "kiriman aplikasi lapangan",
                "ordering": ["-created_at"],
                "indexes": [models.Index(fields=["user", "-created_at"], name="client_submission_user_idx")],
                "constraints": [models.UniqueConstraint(fields=("user", "token"),
                                                        name="client_submission_token_unique")],
            },
        ),
    ]
