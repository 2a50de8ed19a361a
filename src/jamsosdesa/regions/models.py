"""The Kemendagri region tree: provinsi > kabupaten/kota > kecamatan > desa/kelurahan."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core.regioncodes import MAX_CODE_LENGTH, Level

# The level names of the packaged region list.
LEVEL_BY_NAME = {"provinsi": Level.PROVINSI, "kabupaten": Level.KABUPATEN,
                 "kecamatan": Level.KECAMATAN, "desa": Level.DESA}


class Region(models.Model):
    code = models.CharField(_("kode"), max_length=MAX_CODE_LENGTH, primary_key=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    name = models.CharField(_("nama"), max_length=100)
    # Upper-case name for case-insensitive search that can use an index on every database.
    search_name = models.CharField(max_length=100, editable=False)  # trigram-indexed on PostgreSQL
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # desa: "desa", "kelurahan", "desa_adat"; kabupaten: "kabupaten" or "kota"
    kind = models.CharField(max_length=12, blank=True)
    # Retired codes (Papua splits) that still appear in older NIKs.
    is_historical = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [
            # Prefix queries (all desa under a region) use the primary key index, and on PostgreSQL the
            # varchar_pattern_ops index Django adds for a character primary key.
            models.Index(fields=["level", "code"], name="region_level_code_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def nik_prefix(self) -> str:
        """The digits a NIK carries for this region (kecamatan: 6 digits)."""
        return self.code.replace(".", "")
