"""Refreshing coverage snapshots (docs/design/coverage.md §1): the refresh job and the watermark of the audit trail
that the incremental pass has read (coverage.refresh)."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core.jobs.models import ACTIVE, Job


class RefreshTrigger(models.TextChoices):
    MANUAL = "manual", _("tombol")
    CLI = "cli", _("baris perintah")
    PERIODIC = "periodic", _("berkala")


class CoverageRefresh(Job):
    """One rewrite of a day's snapshots: of the kabupaten asked (`kab_codes`, empty: every kabupaten), or, with
    `changed`, of the kabupaten whose people or money changed since the last pass (found from the audit trail when
    it runs, with the new-day and new-month writes). One active refresh per day (two would rewrite the same rows)."""

    day = models.DateField()
    kab_codes = models.JSONField(default=list, blank=True)  # asked: [] = every kabupaten
    changed = models.BooleanField(default=False)  # the incremental pass
    trigger = models.CharField(max_length=10, choices=RefreshTrigger.choices, default=RefreshTrigger.CLI)
    kab_done = models.JSONField(default=list, blank=True)  # the kabupaten written (the incremental pass: found)
    days_written = models.JSONField(default=list, blank=True)  # ISO days written (a new month: its last day too)
    rows_written = models.PositiveIntegerField(default=0)

    time_limit = timedelta(hours=1)
    stale_after = timedelta(minutes=30)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("pembaruan potret cakupan")
        verbose_name_plural = _("pembaruan potret cakupan")
        constraints = [models.UniqueConstraint(fields=["day"], condition=Q(status__in=ACTIVE),
                                               name="coverage_refresh_one_active_per_day")]

    def __str__(self) -> str:
        return f"refresh {self.pk} {self.day} {self.status}"


class RefreshWatermark(models.Model):
    """The one row saying how far the incremental pass has read the audit trail: every event up to
    `last_event_id` was handled, except the ids in `gaps` ([first, last, first seen as ISO time]: ids a
    transaction still open held when the pass read past them; read again until they appear or are old).
    Advanced in the same transaction as the refresh it led to."""

    last_event_id = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("batas jejak audit potret cakupan")
        verbose_name_plural = _("batas jejak audit potret cakupan")

    def __str__(self) -> str:
        return f"audit #{self.last_event_id}"
