"""The one shape of a background job. Each kind of job (an import, an enrolment batch, later a billing run) is a
concrete model in its own package that extends `Job` with what it works on and what it found; `core.jobs` holds
the one set of services that queue, claim, report, finish, fail, cancel and expire them."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("menunggu")
    RUNNING = "running", _("berjalan")
    DONE = "done", _("selesai")
    FAILED = "failed", _("gagal")
    CANCELLED = "cancelled", _("dibatalkan")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """queued → running → done / failed / cancelled. The status only moves through `core.jobs` services, each
    one conditional UPDATE, so two workers never run the same job and a late worker cannot revive an expired
    one. Live progress goes through the cache (the worker reports it from inside its transaction); the row
    keeps the last one it was told."""

    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Last time the job was queued again or claimed (empty: not since it was created); staleness counts from it.
    active_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.JSONField(default=dict, blank=True)  # {done, total, stage, values, at}
    message = models.TextField(blank=True)  # why it failed, for the page; nothing else of its work is written
    file_path = models.CharField(max_length=500, blank=True)  # the upload it reads; emptied once removed
    # The worker process running it ("host:pid:start", core.jobs.worker_name): when that process is gone from this
    # host, the job failed at once, not only after its stale age.
    worker = models.CharField(max_length=120, blank=True)

    # Per kind of job (override on the concrete model): how long it may run, and how long it may stay queued
    # or running without a sign of life before it counts as lost.
    time_limit = timedelta(hours=2)
    stale_after = timedelta(hours=1)
    # Files the job wrote for the user to download (fields holding a path): removed, with personal data in them,
    # JOB_REPORT_RETENTION_DAYS after the job ended.
    report_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    def keeps_file(self) -> bool:
        """Whether the job, having ended as it is now, still needs its file (an import's preview waiting to be
        loaded does). The file goes at the latest once the job has been finished longer than `stale_after`."""
        return False

    def can_retry(self) -> bool:
        """A failed job may be queued again while what it reads is still there (its upload is kept for
        `stale_after` after it failed, unless the file itself was the problem)."""
        return self.status == JobStatus.FAILED and bool(self.file_path)
