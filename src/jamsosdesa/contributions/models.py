"""Contribution rules as effective-dated data, each row naming the regulation it comes from.

A rule applies to contribution months from `valid_from` (a first-of-month date) until `valid_until`
(inclusive, empty = open). A change is a new row from its date: amounts for earlier months never change.
The arithmetic lives in `calculator.py` and works on a `RateBook` snapshot of these rows.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamsosdesa.participants.models import Sector, Segment  # noqa: F401 (Sector: re-exported for callers here)


class Programme(models.TextChoices):
    JKK = "JKK", _("Jaminan Kecelakaan Kerja")
    JKM = "JKM", _("Jaminan Kematian")
    JHT = "JHT", _("Jaminan Hari Tua")
    JP = "JP", _("Jaminan Pensiun")


class Share(models.TextChoices):
    EMPLOYER = "employer", _("pemberi kerja")
    WORKER = "worker", _("pekerja")


class PayerType(models.TextChoices):
    SELF = "self", _("mandiri (pekerja sendiri)")
    APBDES = "apbdes", _("APBDes (anggaran desa)")
    APBD = "apbd", _("APBD (kabupaten/kota/provinsi)")
    APBN = "apbn", _("APBN (anggaran negara)")
    CSR = "csr", _("perusahaan (CSR)")
    DONOR = "donor", _("donatur")
    EMPLOYER = "employer", _("pemberi kerja")


class EffectiveDated(models.Model):
    valid_from = models.DateField(_("berlaku mulai bulan iuran"))
    valid_until = models.DateField(_("berlaku sampai bulan iuran"), null=True, blank=True)
    regulation = models.CharField(_("dasar hukum"), max_length=200)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        for name in ("valid_from", "valid_until"):
            value = getattr(self, name)
            if value and value.day != 1:
                raise ValidationError({name: _("Bulan iuran ditulis sebagai tanggal 1 bulan itu.")})
        if self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Tanggal akhir sebelum tanggal mulai.")})


class Rate(EffectiveDated):
    """A programme's contribution for a segment: a percentage of the income/wage, or a flat amount."""

    segment = models.CharField(_("segmen"), max_length=5, choices=Segment.choices)
    programme = models.CharField(_("program"), max_length=3, choices=Programme.choices)
    share = models.CharField(_("ditanggung"), max_length=8, choices=Share.choices, default=Share.WORKER)
    risk_class = models.PositiveSmallIntegerField(_("kelas risiko"), default=0,
                                                  help_text=_("1–5 untuk JKK penerima upah; 0 = semua."))
    percent = models.DecimalField(_("persen"), max_digits=7, decimal_places=4, default=0)
    flat_amount = models.BigIntegerField(_("nominal tetap (Rp)"), default=0)
    wage_capped = models.BooleanField(_("upah dibatasi plafon"), default=False,
                                      help_text=_("Persen dihitung dari upah paling tinggi plafon upah (JP)."))

    class Meta:
        verbose_name = _("tarif iuran")
        verbose_name_plural = _("tarif iuran")
        ordering = ["segment", "programme", "share", "risk_class", "valid_from"]

    def __str__(self) -> str:
        amount = f"Rp{self.flat_amount:,}" if self.flat_amount else f"{self.percent}%"
        return f"{self.segment} {self.programme} {self.share} {amount} ({self.valid_from:%m/%Y})"


class WageCeiling(EffectiveDated):
    """The highest wage the pension (JP) contribution is computed on; it changes every March."""

    programme = models.CharField(_("program"), max_length=3, choices=Programme.choices, default=Programme.JP)
    amount = models.BigIntegerField(_("plafon upah (Rp)"))

    class Meta:
        verbose_name = _("plafon upah")
        verbose_name_plural = _("plafon upah")
        ordering = ["programme", "valid_from"]

    def __str__(self) -> str:
        return f"{self.programme} Rp{self.amount:,} ({self.valid_from:%m/%Y})"


class ContractBand(EffectiveDated):
    """Construction (Jakon) by contract value: marginal bands, like income tax."""

    programme = models.CharField(_("program"), max_length=3, choices=Programme.choices)
    lower = models.BigIntegerField(_("nilai kontrak dari (Rp)"))
    upper = models.BigIntegerField(_("sampai (Rp)"), null=True, blank=True)
    percent = models.DecimalField(_("persen"), max_digits=7, decimal_places=4)

    class Meta:
        verbose_name = _("lapisan nilai kontrak jasa konstruksi")
        verbose_name_plural = _("lapisan nilai kontrak jasa konstruksi")
        ordering = ["programme", "valid_from", "lower"]

    def __str__(self) -> str:
        return f"{self.programme} {self.lower:,}–{self.upper or '…'} {self.percent}%"


class PmiPackage(EffectiveDated):
    """Migrant workers (PMI): one payment before departure and a package for the contract's length."""

    contract_months = models.PositiveSmallIntegerField(_("lama kontrak (bulan)"))
    before_departure = models.BigIntegerField(_("sebelum berangkat (Rp)"))
    during_and_after = models.BigIntegerField(_("selama dan sesudah bekerja (Rp)"))
    extra_month = models.BigIntegerField(_("per bulan di atas paket (Rp)"))

    class Meta:
        verbose_name = _("paket iuran PMI")
        verbose_name_plural = _("paket iuran PMI")
        ordering = ["valid_from", "contract_months"]

    def __str__(self) -> str:
        return f"PMI {self.contract_months} bulan Rp{self.before_departure + self.during_and_after:,}"


class IncomeNominal(EffectiveDated):
    """A declared income an informal (BPU) worker may choose; JKK and JHT are percentages of it."""

    amount = models.BigIntegerField(_("nominal penghasilan (Rp)"))

    class Meta:
        verbose_name = _("nominal penghasilan BPU")
        verbose_name_plural = _("nominal penghasilan BPU")
        ordering = ["amount", "valid_from"]

    def __str__(self) -> str:
        return f"Rp{self.amount:,}"


class Discount(EffectiveDated):
    """A cut in contributions for some months, segment, programmes and sectors, unless the payer is excluded.

    Discounts on the same programme do not add up: the largest one that applies is used."""

    name = models.CharField(_("nama"), max_length=120)
    segment = models.CharField(_("segmen"), max_length=5, choices=Segment.choices)
    programmes = models.JSONField(_("program"), default=list, help_text=_('Mis. ["JKK", "JKM"].'))
    share = models.CharField(_("bagian yang didiskon"), max_length=8, choices=Share.choices, blank=True,
                             help_text=_("Kosong = seluruh iuran program itu."))
    percent_off = models.DecimalField(_("potongan (persen)"), max_digits=5, decimal_places=2)
    sectors = models.JSONField(_("sektor"), default=list, blank=True, help_text=_("Kosong = semua sektor."))
    excluded_payers = models.JSONField(_("pembayar yang dikecualikan"), default=list, blank=True,
                                       help_text=_('Mis. ["apbn", "apbd"].'))

    class Meta:
        verbose_name = _("diskon iuran")
        verbose_name_plural = _("diskon iuran")
        ordering = ["valid_from", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%m/%Y}–{self.valid_until:%m/%Y})" if self.valid_until else self.name
