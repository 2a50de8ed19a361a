from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("menunggu")
    RUNNING = "running", _("berjalan")
    DONE = "done", _("selesai")
    REJECTED = "rejected", _("ditolak (semua atau tidak sama sekali)")
    FAILED = "failed", _("gagal")


class ImportJob(models.Model):
    """One upload of a participant file: what was asked, how far it got, and what it found."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200)
    file_path = models.CharField(max_length=500)
    file_size = models.BigIntegerField(default=0)
    format = models.CharField(max_length=10, default="auto")
    mapping = models.ForeignKey("ColumnMapping", null=True, blank=True, on_delete=models.SET_NULL)
    desa = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_column="desa_code")
    dry_run = models.BooleanField(default=True)
    all_or_nothing = models.BooleanField(default=False)
    # Load rows whose NIK disagrees with the birth date or sex entered (the operator confirmed them, as on the
    # registration form); otherwise they are held back and listed.
    accept_warnings = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    rows_total = models.IntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    report_path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"


class ColumnMapping(models.Model):
    """A saved mapping from a foreign sheet's columns to our fields, reused by name."""

    name = models.CharField(_("nama pemetaan"), max_length=80, unique=True)
    columns = models.JSONField(default=dict)  # field -> column header in the file
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
