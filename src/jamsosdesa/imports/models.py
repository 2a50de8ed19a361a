from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core.jobs.models import Job, JobStatus


class ImportJob(Job):
    """One upload of a participant file: what was asked, how far it got, and what it found. It runs twice: a
    preview (dry_run), then, when the user asks, the load; the file stays in between."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    file_size = models.BigIntegerField(default=0)
    format = models.CharField(max_length=10, default="auto")
    mapping = models.ForeignKey("ColumnMapping", null=True, blank=True, on_delete=models.SET_NULL)
    desa = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             db_column="desa_code")
    dry_run = models.BooleanField(default=True)
    all_or_nothing = models.BooleanField(default=False)
    # Load rows whose NIK disagrees with the birth date or sex entered (the operator confirmed them, as on the
    # registration form); otherwise they are held back and listed. Migration 0002_importjob_accept_warnings.
    accept_warnings = models.BooleanField(default=False)
    # Done, but refused as a whole: an invalid row and all-or-nothing chosen; the database did not change.
    rejected = models.BooleanField(default=False)
    rows_total = models.IntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    report_path = models.CharField(max_length=500, blank=True)

    time_limit = timedelta(hours=6)  # a million rows take minutes; a national file with its index rebuild, more
    stale_after = timedelta(hours=2)  # also how long a preview keeps its file for the load
    report_fields = ("report_path",)  # laporan.xlsx names people: removed JOB_REPORT_RETENTION_DAYS after the end

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def status_label(self) -> str:
        return str(_("ditolak (semua atau tidak sama sekali)")) if self.rejected else self.get_status_display()

    def keeps_file(self) -> bool:
        """A preview keeps its file for the load (or for a column mapping when its columns were not known)."""
        summary = self.summary or {}
        return (self.status == JobStatus.DONE and self.dry_run
                and (not summary.get("file_error") or bool(summary.get("column_problem"))))


class ColumnMapping(models.Model):
    """A saved mapping from a foreign sheet's columns to our fields, reused by name. It belongs to the user who
    saved it (one name per user: nobody overwrites another's mapping) and, when `shared`, is offered to the users
    whose regions overlap its owner's (imports.selectors.mappings_visible)."""

    name = models.CharField(_("nama pemetaan"), max_length=80)
    columns = models.JSONField(default=dict)  # field -> column header in the file
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("pemilik"))
    shared = models.BooleanField(_("dibagikan di wilayah"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="column_mapping_owner_name_unique")]

    def __str__(self) -> str:
        return self.name
