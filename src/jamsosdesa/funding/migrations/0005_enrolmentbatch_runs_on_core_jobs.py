from django.db import migrations, models
from django.db.models import F


def list_file_to_file_path(apps, schema_editor):
    """The uploaded NIK list was params['file']; now it is the job's file_path. Only a batch still waiting or
    running has its file: the others deleted it when they ended. A batch that ran at once started when made."""
    EnrolmentBatch = apps.get_model("funding", "EnrolmentBatch")
    for batch in EnrolmentBatch.objects.filter(params__has_key="file"):
        path = batch.params.pop("file")
        batch.file_path = path if batch.status in ("queued", "running") else ""
        batch.save(update_fields=["params", "file_path"])
    EnrolmentBatch.objects.filter(status="done", started_at__isnull=True).update(started_at=F("created_at"))


def file_path_to_list_file(apps, schema_editor):
    EnrolmentBatch = apps.get_model("funding", "EnrolmentBatch")
    for batch in EnrolmentBatch.objects.exclude(file_path=""):
        batch.params["file"] = batch.file_path
        batch.save(update_fields=["params"])
    EnrolmentBatch.objects.filter(status="cancelled").update(status="failed")


class Migration(migrations.Migration):
    """An enrolment batch is a core.jobs.Job: when it started, when it last showed life, its last progress and
    its uploaded file."""

    dependencies = [
        ("funding", "0004_scheme_includes_kelurahan"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolmentbatch",
            name="active_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="enrolmentbatch",
            name="file_path",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="enrolmentbatch",
            name="progress",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="enrolmentbatch",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="enrolmentbatch",
            name="status",
            field=models.CharField(choices=[("queued", "menunggu"), ("running", "berjalan"), ("done", "selesai"),
                                            ("failed", "gagal"), ("cancelled", "dibatalkan")],
                                   default="queued", max_length=10),
        ),
        migrations.RunPython(list_file_to_file_path, file_path_to_list_file),
    ]
