"""Outreach (sosialisasi) events (issue 13 item 6): kept in their own module so the coverage parts built in parallel
do not edit the same lines; coverage.models imports it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organiser(models.TextChoices):
    BRANCH = "branch", _("Cabang BPJS Ketenagakerjaan")
    DISTRICT = "district", _("Pemerintah kabupaten/kota")
    VILLAGE = "village", _("Pemerintah desa")
    AGENT = "agent", _("Agen PERISAI")


class Audience(models.TextChoices):
    VILLAGE_OFFICIALS = "village_officials", _("Kepala dan perangkat desa")
    BPD = "bpd", _("BPD")
    DPRD = "dprd", _("Anggota DPRD")
    RT_RW = "rt_rw", _("Ketua RT/RW")
    CADRES = "cadres", _("Kader PKK/posyandu")
    INFORMAL_WORKERS = "informal_workers", _("Pekerja informal/rentan")
    FARMERS_FISHERS = "farmers_fishers", _("Petani dan nelayan")
    RELIGIOUS_LEADERS = "religious_leaders", _("Tokoh agama dan masyarakat")
    BUSINESSES = "businesses", _("Pelaku usaha/UMKM")
    OTHER = "other", _("Lainnya")


class OutreachEvent(models.Model):
    """An outreach (sosialisasi) event: when and where it was held, who organised it, for whom, how many came, and
    the short code registrations made there carry (`Participant.outreach_code`; participants checks it through the
    lookup coverage registers in its AppConfig.ready(), since participants sits below coverage)."""

    code = models.CharField(_("kode"), max_length=12, unique=True)
    title = models.CharField(_("nama kegiatan"), max_length=150)
    held_on = models.DateField(_("tanggal"))
    # Where it was held: a desa, or the kecamatan/kabupaten for an event of the district or the branch office.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_column="region_code",
                               verbose_name=_("wilayah"))
    kab_code = models.CharField(max_length=5, editable=False)  # denormalised: events of a kabupaten, by index
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    organiser_type = models.CharField(_("penyelenggara"), max_length=10, choices=Organiser.choices)
    organiser_name = models.CharField(_("nama penyelenggara"), max_length=150, blank=True)
    audience = models.JSONField(_("sasaran peserta"), default=list)  # Audience values
    attendance = models.PositiveIntegerField(_("jumlah hadir"), default=0)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   verbose_name=_("dicatat oleh"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kegiatan sosialisasi")
        verbose_name_plural = _("kegiatan sosialisasi")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["kab_code", "-held_on"], name="outreach_kab_idx"),
                   models.Index(fields=["region", "-held_on"], name="outreach_region_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title} ({self.held_on:%d-%m-%Y})"
