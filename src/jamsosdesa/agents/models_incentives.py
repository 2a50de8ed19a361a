"""PERISAI incentives (issue 14 part C, design §4): the effective-dated rules, the monthly run (a core.jobs job) and
the lines it writes. Lines are never edited: a rerun of a month replaces that month's lines in one transaction, and
a reversal made later is a negative line of the later month."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsosdesa.billing.models import RunTrigger
from jamsosdesa.core.jobs.models import ACTIVE, Job

from .models_wadah import Wadah


class IncentiveRule(models.Model):
    """The incentive numbers from a month on, with the rule they come from (default: the 2022 rules). The row in
    force for a month is the latest `valid_from` on or before it (`agents.incentives.rule_for`). Percentages are
    basis points (1500 = 15 %), money whole rupiah."""

    valid_from = models.DateField(_("berlaku mulai bulan"), unique=True)
    fee_three = models.PositiveIntegerField(_("imbalan akuisisi tiga program (Rp)"), default=15_000)
    fee_two = models.PositiveIntegerField(_("imbalan akuisisi dua program (Rp)"), default=10_000)
    min_new = models.PositiveSmallIntegerField(_("peserta baru paling sedikit sebulan untuk imbalan akuisisi"),
                                               default=25)
    share_1_24_bp = models.PositiveIntegerField(_("bagian iuran bulan ke-1 s.d. 24 (basis poin)"), default=1500)
    share_25_60_bp = models.PositiveIntegerField(_("bagian iuran bulan ke-25 s.d. 60 (basis poin)"), default=500)
    wadah_bp = models.PositiveIntegerField(_("tambahan untuk wadah (basis poin)"), default=1000)
    source = models.CharField(_("dasar"), max_length=200)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("aturan insentif agen")
        verbose_name_plural = _("aturan insentif agen")
        ordering = ["-valid_from"]
        constraints = [models.CheckConstraint(condition=Q(share_1_24_bp__lte=10_000) & Q(share_25_60_bp__lte=10_000)
                                              & Q(wadah_bp__lte=10_000), name="incentive_rule_bp_at_most_100pct")]

    def __str__(self) -> str:
        return f"{self.valid_from:%m/%Y} ({self.source[:40]})"


class IncentiveRun(Job):
    """One month's incentive run: every agent's and wadah's lines of that month, written again whole on a rerun.
    At most one run (of any month) is queued or running at a time."""

    month = models.DateField()
    trigger = models.CharField(max_length=10, choices=RunTrigger.choices, default=RunTrigger.CLI)
    scope = models.CharField(max_length=10, default="national", editable=False)  # what the one-active rule keys on
    lines = models.PositiveIntegerField(default=0)
    agents = models.PositiveIntegerField(default=0)
    total_agents = models.BigIntegerField(default=0)
    total_wadah = models.BigIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)

    time_limit = timedelta(hours=1)
    stale_after = timedelta(minutes=30)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["scope"], condition=Q(status__in=ACTIVE),
                                               name="incentive_run_one_active")]

    def __str__(self) -> str:
        return f"incentive run {self.pk} {self.month:%m/%Y} {self.status}"

    def can_retry(self) -> bool:
        from jamsosdesa.core.jobs.models import JobStatus

        return self.status == JobStatus.FAILED


class IncentiveKind(models.TextChoices):
    ACQUISITION = "acquisition", _("imbalan akuisisi")
    SHARE_1_24 = "share_1_24", _("bagian iuran bulan ke-1 s.d. 24")
    SHARE_25_60 = "share_25_60", _("bagian iuran bulan ke-25 s.d. 60")
    CORRECTION = "correction", _("koreksi (pembayaran dibatalkan)")
    WADAH = "wadah", _("tambahan wadah")


class IncentiveLine(models.Model):
    """One line of a month's incentive statement: what an agent (or, for the wadah line, its wadah) earns and why.
    `allocation` is the money received it comes from; `reversal` the cancellation a correction comes from;
    `contribution_month` the due's month and `month_index` its place counted from the (re-)acquisition month."""

    month = models.DateField()
    run = models.ForeignKey(IncentiveRun, on_delete=models.PROTECT, related_name="+", db_index=False,
                            db_constraint=False)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", db_index=False, db_constraint=False)
    wadah = models.ForeignKey(Wadah, on_delete=models.PROTECT, related_name="+", db_index=False,
                              db_constraint=False)
    participant = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", db_index=False, db_constraint=False)
    kind = models.CharField(max_length=12, choices=IncentiveKind.choices)
    contribution_month = models.DateField(null=True, blank=True)
    month_index = models.PositiveSmallIntegerField(null=True, blank=True)
    base = models.BigIntegerField()
    rate_bp = models.PositiveIntegerField(default=0)  # 0 for a fee (the fee is the base)
    amount = models.BigIntegerField()
    allocation = models.ForeignKey("billing.Allocation", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", db_index=False, db_constraint=False)
    reversal = models.ForeignKey("billing.Reversal", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", db_index=False, db_constraint=False)

    class Meta:
        indexes = [models.Index(fields=["month", "agent"], name="incentive_line_agent_idx"),
                   models.Index(fields=["month", "wadah"], name="incentive_line_wadah_idx")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.kind} Rp{self.amount:,}"
