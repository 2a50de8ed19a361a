from django.db import migrations, models


def rejected_is_done_and_refused(apps, schema_editor):
    """'rejected' was a status of its own; now the job is done and its outcome says it refused the file."""
    ImportJob = apps.get_model("imports", "ImportJob")
    ImportJob.objects.filter(status="rejected").update(status="done", rejected=True)


def back_to_rejected(apps, schema_editor):
    ImportJob = apps.get_model("imports", "ImportJob")
    ImportJob.objects.filter(status="done", rejected=True).update(status="rejected")
    ImportJob.objects.filter(status="cancelled").update(status="failed")


class Migration(migrations.Migration):
    """An import is a core.jobs.Job: its last progress and when it last showed life, and 'rejected' as an
    outcome of a done job instead of a status."""

    dependencies = [
        ("imports", "0002_importjob_accept_warnings"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="active_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="importjob",
            name="progress",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="importjob",
            name="rejected",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="file_path",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(choices=[("queued", "menunggu"), ("running", "berjalan"), ("done", "selesai"),
                                            ("failed", "gagal"), ("cancelled", "dibatalkan")],
                                   default="queued", max_length=10),
        ),
        migrations.RunPython(rejected_is_done_and_refused, back_to_rejected),
    ]
