"""Coverage targets and denominators (issue 13 items 1 and 2): what a region aims for and what it divides by."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsosdesa.participants.models import Segment, VillageRole

# The nation is the region whose code is empty: stored as '', written 'ID' (Indonesia's country code) wherever a
# code must be typed (the CLI, the API, a page's address). coverage.access.parse_region reads either.
NATION = ""


class Target(models.Model):
    """How many people a region means to have protected by a due date: one row per region, year, segment and
    village role ('' = all); changed in place, and every change is in the audit trail with its old and new values
    (coverage.targets.target_history)."""

    region_code = models.CharField(_("kode wilayah"), max_length=13, blank=True)  # '' = nation
    year = models.PositiveSmallIntegerField(_("tahun"))
    due_date = models.DateField(_("jatuh tempo"))  # within `year`; 31 December unless chosen
    segment = models.CharField(_("segmen"), max_length=5, choices=Segment.choices, blank=True)
    village_role = models.CharField(_("peran di desa"), max_length=20, choices=VillageRole.choices, blank=True)
    count = models.PositiveBigIntegerField(_("jumlah peserta terlindungi"))
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("target kepesertaan")
        verbose_name_plural = _("target kepesertaan")
        ordering = ["region_code", "-year", "segment", "village_role"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year", "segment", "village_role"],
                                    name="coverage_target_unique"),
            models.CheckConstraint(condition=Q(count__gte=0), name="coverage_target_count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code or 'ID'} {self.year}: {self.count}"


class DenominatorSource(models.TextChoices):
    BPS_SAKERNAS = "bps_sakernas", _("BPS Sakernas")
    VILLAGE_COUNT = "village_count", _("pendataan desa sendiri")
    OTHER = "other", _("sumber lain")


class Denominator(models.Model):
    """The working population of a region in a year, and where the figure comes from: what coverage is divided by.
    One figure per region and year; a change is in the audit trail with its old and new values."""

    region_code = models.CharField(_("kode wilayah"), max_length=13, blank=True)  # '' = nation
    year = models.PositiveSmallIntegerField(_("tahun"))
    count = models.PositiveBigIntegerField(_("jumlah penduduk bekerja"))
    source = models.CharField(_("sumber"), max_length=20, choices=DenominatorSource.choices)
    source_note = models.CharField(_("keterangan sumber"), max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("jumlah penduduk bekerja")
        verbose_name_plural = _("jumlah penduduk bekerja")
        ordering = ["region_code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year"], name="coverage_denominator_unique"),
            models.CheckConstraint(condition=Q(count__gte=0), name="coverage_denominator_count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code or 'ID'} {self.year}: {self.count} ({self.source})"
