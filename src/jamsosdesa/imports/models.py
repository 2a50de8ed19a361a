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


class MappingKind(models.TextChoices):
    PARTICIPANTS = "participants", _("peserta")
    PAYMENTS = "payments", _("pembayaran")
    BPJS_LIST = "bpjs_list", _("daftar BPJS")


class ColumnMapping(models.Model):
    """A saved mapping from a foreign sheet's columns to our fields, reused by name. It belongs to the user who
    saved it (one name per user: nobody overwrites another's mapping) and, when `shared`, is offered to the users
    whose regions overlap its owner's (imports.selectors.mappings_visible)."""

    name = models.CharField(_("nama pemetaan"), max_length=80)
    # What the file holds: each kind has its own fields, and a name is unique per owner and kind.
    kind = models.CharField(_("jenis berkas"), max_length=12, choices=MappingKind.choices,
                            default=MappingKind.PARTICIPANTS)
    columns = models.JSONField(default=dict)  # field -> column header in the file
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("pemilik"))
    shared = models.BooleanField(_("dibagikan di wilayah"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "kind", "name"],
                                               name="column_mapping_owner_kind_name_unique")]

    def __str__(self) -> str:
        return self.name


class StatementFormat(models.TextChoices):
    AUTO = "auto", _("kenali otomatis")
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (.xlsx, .xls)")
    MT940 = "mt940", _("rekening koran MT940")


class StatementImport(Job):
    """One upload of a payment list (CSV/XLSX with a column mapping) or a bank statement (MT940): previewed
    (dry_run), then applied when the user asks. Each credit line is recorded as a payment for the person or invoice
    it names, or queued for a branch officer with its reason (billing's reconciliation queue); payments carry this
    job's id and the line's row (Payment.statement_id / statement_row)."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    file_size = models.BigIntegerField(default=0)
    format = models.CharField(max_length=6, choices=StatementFormat.choices, default=StatementFormat.AUTO)
    mapping = models.ForeignKey(ColumnMapping, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=8, default="bank")  # billing.PaymentChannel, for lines that name none
    dry_run = models.BooleanField(default=True)
    rows_total = models.IntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    report_path = models.CharField(max_length=500, blank=True)

    time_limit = timedelta(hours=1)
    stale_after = timedelta(hours=2)  # also how long a preview keeps its file for the load
    report_fields = ("report_path",)  # the problem lines name people: removed after JOB_REPORT_RETENTION_DAYS

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    def keeps_file(self) -> bool:
        """A preview keeps its file for the load (or for a column mapping when its columns were not known)."""
        summary = self.summary or {}
        return (self.status == JobStatus.DONE and self.dry_run
                and (not summary.get("file_error") or bool(summary.get("column_problem"))))
