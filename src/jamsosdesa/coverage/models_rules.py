"""The counting rule (issue 13 item 3): how the figure that branches report against their targets counts a
protected person, effective from a month, with the rule it comes from. The logic is in `coverage.rules`."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CountingBasis(models.TextChoices):
    PAID_MONTHS = "paid_months", _("jumlah bulan yang sudah dibayar")
    SINCE_FIRST_PAID = "since_first_paid", _("jumlah bulan sejak bulan pertama dibayar")


class CountingRule(models.Model):
    """From `valid_from`, a protected person (status active on the day) whose latest paid month was paid by one of
    `pro_rata_payers` counts toward a target as min(k, full_after_months) / full_after_months, with k the months
    `basis` says; anyone else protected counts 1. The two figures (protected, counted) carry the names shown
    beside them on every page, export and API answer."""

    valid_from = models.DateField(_("berlaku mulai bulan"), unique=True)
    full_after_months = models.PositiveSmallIntegerField(_("dihitung penuh setelah (bulan)"), default=6)
    pro_rata_payers = models.JSONField(_("pembayar yang dihitung pro rata"), default=list, blank=True)
    basis = models.CharField(_("bulan yang dihitung"), max_length=20, choices=CountingBasis.choices,
                             default=CountingBasis.PAID_MONTHS)
    protected_name = models.CharField(_("nama angka terlindungi"), max_length=80)
    protected_name_en = models.CharField(_("nama angka terlindungi (Inggris)"), max_length=80)
    counted_name = models.CharField(_("nama angka yang dihitung untuk target"), max_length=80)
    counted_name_en = models.CharField(_("nama angka yang dihitung untuk target (Inggris)"), max_length=80)
    source = models.CharField(_("dasar"), max_length=200)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("aturan penghitungan cakupan")
        verbose_name_plural = _("aturan penghitungan cakupan")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.valid_from:%m/%Y} {self.full_after_months} ({self.source[:40]})"
