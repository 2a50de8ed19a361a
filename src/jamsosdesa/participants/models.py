from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core.regioncodes import Level, code_at

from .sectors import sector_for_occupation


class Segment(models.TextChoices):
    PU = "PU", _("PU (penerima upah)")
    BPU = "BPU", _("BPU (bukan penerima upah)")
    JAKON = "JAKON", _("Jakon (jasa konstruksi)")
    PMI = "PMI", _("PMI (pekerja migran)")


class Sector(models.TextChoices):
    """The line of work, as PP 50/2025 discounts it (transport workers from January 2026, others from April)."""

    GENERAL = "umum", _("umum / lainnya")
    TRANSPORT = "transportasi", _("transportasi (ojek, sopir, kurir)")
    FOOD = "makanan_minuman", _("industri makanan dan minuman")
    TEXTILE = "tekstil_pakaian", _("industri tekstil dan pakaian jadi")
    LEATHER = "kulit", _("industri kulit dan barang dari kulit")
    FOOTWEAR = "alas_kaki", _("industri alas kaki")
    TOYS = "mainan", _("industri mainan anak")
    FURNITURE = "furnitur", _("industri furnitur")


class SectorSource(models.TextChoices):
    OCCUPATION = "occupation", _("dari pekerjaan")
    MANUAL = "manual", _("dipilih petugas")


class VillageRole(models.TextChoices):
    VILLAGE_HEAD = "village_head", _("Kepala desa")
    VILLAGE_OFFICIAL = "village_official", _("Perangkat desa")
    BPD = "bpd", _("Anggota BPD")
    RT_HEAD = "rt_head", _("Ketua RT")
    RW_HEAD = "rw_head", _("Ketua RW")
    LINMAS = "linmas", _("Linmas")
    POSYANDU_CADRE = "posyandu_cadre", _("Kader posyandu")
    PKK_CADRE = "pkk_cadre", _("Kader PKK")
    BUMDES_STAFF = "bumdes_staff", _("Pengelola BUMDes")
    VULNERABLE_WORKER = "vulnerable_worker", _("Pekerja rentan/informal")
    OTHER = "other", _("Lainnya")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Channel(models.TextChoices):
    WEB = "web", _("Formulir web")
    API = "api", _("API")
    IMPORT = "import", _("Impor berkas")
    AGENT = "agent", _("Agen PERISAI")
    BRANCH = "branch", _("Kantor cabang")


class DeactivationReason(models.TextChoices):
    DIED = "died", _("Meninggal dunia")
    MOVED = "moved", _("Pindah")
    DUPLICATE = "duplicate", _("Data ganda")
    WITHDREW = "withdrew", _("Mengundurkan diri")


class HeirRelation(models.TextChoices):
    SPOUSE = "spouse", _("Suami/istri")
    CHILD = "child", _("Anak")
    PARENT = "parent", _("Orang tua")
    SIBLING = "sibling", _("Saudara kandung")
    OTHER = "other", _("Lainnya")


class Occupation(models.Model):
    """The 89 civil-registry occupation codes (Dukcapil, as used by OpenSID)."""

    code = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["code"]
        verbose_name = _("pekerjaan")
        verbose_name_plural = _("pekerjaan")

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Participant(models.Model):
    nik = models.CharField("NIK", max_length=16)  # unique: see Meta.constraints
    kk = models.CharField(_("nomor KK"), max_length=16, blank=True)
    full_name = models.CharField(_("nama lengkap"), max_length=120)
    search_name = models.CharField(max_length=120, editable=False)
    birth_place = models.CharField(_("tempat lahir"), max_length=60, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    # Foreign keys without their own index where a composite index below starts with the same column:
    # every index costs time on a million-row import.
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False,
                             db_column="desa_code", verbose_name=_("desa/kelurahan"))
    # Denormalised from the desa code for indexed filters and future partitioning by region.
    kec_code = models.CharField(max_length=8, editable=False)
    kab_code = models.CharField(max_length=5, editable=False)
    address = models.CharField(_("alamat"), max_length=200, blank=True)
    rt = models.CharField("RT", max_length=3, blank=True)
    rw = models.CharField("RW", max_length=3, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, null=True, blank=True, db_index=False,
                                   verbose_name=_("pekerjaan"))  # 89 reference rows that are never deleted
    segment = models.CharField(_("segmen"), max_length=5, choices=Segment.choices, default=Segment.BPU)
    # Taken from the occupation (participants.sectors) until someone chooses it ('manual'), which an occupation
    # change then leaves alone.
    # (Database defaults too: a raw bulk INSERT that does not name them still writes a valid row.)
    sector = models.CharField(_("sektor pekerjaan"), max_length=20, choices=Sector.choices, default=Sector.GENERAL,
                              db_default=Sector.GENERAL)
    sector_source = models.CharField(max_length=10, choices=SectorSource.choices, default=SectorSource.OCCUPATION,
                                     db_default=SectorSource.OCCUPATION)
    village_role = models.CharField(_("peran di desa"), max_length=20, choices=VillageRole.choices,
                                    default=VillageRole.VULNERABLE_WORKER)
    declared_income = models.BigIntegerField(_("penghasilan per bulan (Rp)"), default=0)
    kpj = models.CharField(_("nomor KPJ"), max_length=11, null=True, blank=True)  # unique: see Meta
    # The outreach (sosialisasi) event the registration came from: its code, checked against coverage's events
    # through participants.outreach (coverage sits above participants and registers the lookup). Blank: none.
    outreach_code = models.CharField(_("kode sosialisasi"), max_length=12, blank=True, default="", db_default="")
    channel = models.CharField(_("saluran pendaftaran"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, db_index=False,
                                      related_name="registered_participants", verbose_name=_("didaftarkan oleh"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(_("aktif di registri"), default=True)
    deactivation_reason = models.CharField(_("alasan nonaktif"), max_length=10, blank=True,
                                           choices=DeactivationReason.choices)
    deactivation_note = models.CharField(_("keterangan"), max_length=200, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # Warnings an operator confirmed at registration (codes), kept for review.
    confirmed_warnings = models.JSONField(default=list, blank=True)
    # One-time token of the form or API call that created the row: a resubmission finds it.
    client_token = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("peserta")
        verbose_name_plural = _("peserta")
        ordering = ["-id"]
        # Constraints rather than unique=True: PostgreSQL then gets no extra pattern-ops index (never used
        # for these; each index costs time on a million-row import).
        # The NIK's unique index uses pattern ops: it serves equality and prefix search (LIKE '33.11%') alike,
        # where unique=True would build two indexes on PostgreSQL.
        constraints = [models.UniqueConstraint(fields=["nik"], name="participant_nik_unique",
                                               opclasses=["varchar_pattern_ops"]),
                       models.UniqueConstraint(fields=["kpj"], name="participant_kpj_unique"),
                       models.UniqueConstraint(fields=["client_token"], name="participant_client_token_unique")]
        indexes = [
            models.Index(fields=["kab_code", "-id"], name="participant_kab_idx"),
            models.Index(fields=["kec_code", "-id"], name="participant_kec_idx"),
            models.Index(fields=["desa", "-id"], name="participant_desa_idx"),
            # Name search is LIKE '%…%': a trigram index on PostgreSQL (migration 0002). NIK prefix search
            # uses the NIK's unique pattern-ops index.
            models.Index(fields=["desa", "search_name", "birth_date"], name="participant_dup_idx"),
            models.Index(fields=["registered_by", "-id"], name="participant_registrar_idx"),
            # An event's registrations: only the rows that carry a code are indexed (most carry none).
            models.Index(fields=["outreach_code"], name="participant_outreach_idx",
                         condition=~models.Q(outreach_code="")),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nik})"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> "Participant":
        """Set the search name, region columns and the sector taken from the occupation (bulk inserts call this
        themselves)."""
        self.search_name = " ".join(self.full_name.split()).upper()
        code = self.desa_id or ""
        self.kec_code, self.kab_code = code_at(code, Level.KECAMATAN), code_at(code, Level.KABUPATEN)
        if self.sector_source != SectorSource.MANUAL:
            self.sector, self.sector_source = sector_for_occupation(self.occupation_id), SectorSource.OCCUPATION
        return self


class Heir(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="heirs")
    name = models.CharField(_("nama ahli waris"), max_length=120)
    relation = models.CharField(_("hubungan"), max_length=10, choices=HeirRelation.choices)
    nik = models.CharField(_("NIK ahli waris"), max_length=16, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ahli waris")
        verbose_name_plural = _("ahli waris")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"

    def as_dict(self) -> dict:
        return {"name": self.name, "relation": self.relation, "nik": self.nik, "phone": self.phone}
