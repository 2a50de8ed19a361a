"""Coverage snapshots (issue 13, docs/design/coverage.md §1): counts of people per desa, day and breakdown key that
the dashboards, the API, the CLI and the exports read instead of raw rows."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SnapshotCounts(models.Model):
    """The key and the counts a snapshot row has at any level (see `Snapshot`)."""

    day = models.DateField()
    kab_code = models.CharField(max_length=5)
    segment = models.CharField(max_length=5)
    village_role = models.CharField(max_length=20, blank=True)
    payer_kind = models.CharField(max_length=10, blank=True)
    programmes = models.CharField(max_length=20, blank=True, default="")
    registered = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(default=0)
    arrears = models.PositiveIntegerField(default=0)
    non_active = models.PositiveIntegerField(default=0)
    not_started = models.PositiveIntegerField(default=0)
    ended = models.PositiveIntegerField(default=0)
    counted_units = models.BigIntegerField(default=0)
    counted_per = models.PositiveSmallIntegerField(default=1)
    lapse_next_month = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Snapshot(SnapshotCounts):
    """One desa's people on one day, by segment, village role, who pays their month (`payer_kind`: a scheme's
    payer type, `self`, or '' for nobody) and which programmes that month's dues cover (`programmes`: 'JKK+JKM',
    'JKK+JKM+JHT', … in the order JKK, JKM, JHT, JP; '' without a due that month), counted per status as
    `billing.status` derives it on that day. Higher levels are sums of desa rows by code prefix. Rewritten per
    kabupaten and day by `coverage.snapshot`.

    `counted_units` / `counted_per` is the counted-toward-target figure exactly: the sum of the counting rule's
    units (weight × N, `coverage.rules.counted_table`) over `N = counted_per`, the rule in force on the day (a weight
    of k/6 has no exact thousandths). `lapse_next_month`: of these people, those on billing's "non-active next month"
    worklist that day (arrears, last paid month = cut-off − 2)."""

    desa_code = models.CharField(max_length=13)

    class Meta:
        verbose_name = _("potret cakupan")
        verbose_name_plural = _("potret cakupan")
        constraints = [models.UniqueConstraint(fields=["day", "desa_code", "segment", "village_role", "payer_kind",
                                                       "programmes"], name="coverage_snapshot_key")]
        indexes = [models.Index(fields=["day", "kab_code"], name="coverage_snapshot_kab_idx")]

    def __str__(self) -> str:
        return (f"{self.day} {self.desa_code} {self.segment}/{self.village_role}/{self.payer_kind}/{self.programmes}:"
                f" {self.active}")


class SnapshotKab(SnapshotCounts):
    """The desa rows of one kabupaten and day summed by the same key (`coverage.snapshot.snapshot_rollup`, in the
    refresh's transaction of that kabupaten), so the nation's, a province's and a kabupaten's figures and trend read
    a few thousand rows instead of every desa's. Never written any other way: each row is the sum of its desa rows."""

    class Meta:
        db_table = "coverage_snapshot_kab"
        verbose_name = _("potret cakupan per kabupaten")
        verbose_name_plural = _("potret cakupan per kabupaten")
        constraints = [models.UniqueConstraint(fields=["day", "kab_code", "segment", "village_role", "payer_kind",
                                                       "programmes"], name="coverage_snapshot_kab_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.kab_code} {self.segment}/{self.village_role}/{self.payer_kind}/{self.programmes}"
