"""Who pays for whom: funding schemes (payer, legal basis, package, period, budget, quotas, eligibility)
and the enrolments that put participants into them."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jamsosdesa.contributions.models import PayerType
from jamsosdesa.core.jobs.models import Job, JobStatus
from jamsosdesa.core.months import months_between
from jamsosdesa.participants.models import Segment

PROGRAMME_BITS = {"JKK": 1, "JKM": 2, "JHT": 4, "JP": 8}


def programme_mask(programmes) -> int:
    """The programmes as bits, so 'covers any of the same programmes' is one `&` in SQL."""
    mask = 0
    for p in programmes:
        mask |= PROGRAMME_BITS[p]
    return mask


class ApbdesSource(models.TextChoices):
    DANA_DESA = "dana_desa", _("Dana Desa")
    ADD = "add", _("Alokasi Dana Desa (ADD)")
    OWN_REVENUE = "pades", _("Pendapatan asli desa")


class Scheme(models.Model):
    name = models.CharField(_("nama skema"), max_length=150)
    payer_type = models.CharField(_("pembayar"), max_length=10, choices=PayerType.choices)
    apbdes_source = models.CharField(_("sumber APBDes"), max_length=10, choices=ApbdesSource.choices, blank=True)
    payer_name = models.CharField(_("nama pembayar"), max_length=150, blank=True)
    # The region that owns (and pays for) the scheme; participants must live inside it. Empty: nationwide.
    owner_region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", db_column="owner_code", verbose_name=_("wilayah pemilik"))
    legal_basis_number = models.CharField(_("nomor dasar hukum"), max_length=150)
    legal_basis_date = models.DateField(_("tanggal dasar hukum"))
    segment = models.CharField(_("segmen"), max_length=5, choices=Segment.choices, default=Segment.BPU)
    programmes = models.JSONField(_("program"), default=list)
    programme_mask = models.PositiveSmallIntegerField(editable=False, default=0)
    income_nominal = models.BigIntegerField(_("nominal penghasilan (Rp)"), default=1_000_000)
    start_month = models.DateField(_("bulan pertama"))
    end_month = models.DateField(_("bulan terakhir"))
    budget_ceiling = models.BigIntegerField(_("pagu anggaran (Rp)"))
    # Quota per desa: a default for every desa of the owner region (empty: no limit) and overrides.
    quota_per_desa = models.PositiveIntegerField(_("kuota per desa"), null=True, blank=True)
    # The per-desa quota covers desa and desa adat; a kelurahan (no Dana Desa, run by the kabupaten) gets it
    # only when the scheme says so. Its own quota (SchemeQuota) applies either way.
    includes_kelurahan = models.BooleanField(_("kuota per desa juga untuk kelurahan"), default=False)
    max_age = models.PositiveSmallIntegerField(_("usia maksimal saat didaftarkan"), default=65)
    village_roles = models.JSONField(_("peran di desa yang boleh"), default=list, blank=True)
    requires_welfare_list = models.BooleanField(_("wajib terdaftar di DTKS/DTSEN"), default=False)
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("skema pembiayaan")
        verbose_name_plural = _("skema pembiayaan")
        ordering = ["-start_month", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.programme_mask = programme_mask(self.programmes)
        super().save(*args, **kwargs)

    @property
    def owner_code(self) -> str:
        return self.owner_region_id or ""

    @property
    def months(self) -> int:
        return months_between(self.start_month, self.end_month)


class SchemeQuota(models.Model):
    """A desa's quota in a scheme where it differs from the scheme's default."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="quotas")
    desa = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_column="desa_code",
                             db_index=False)
    quota = models.PositiveIntegerField(_("kuota"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "desa"], name="scheme_quota_unique")]

    def __str__(self) -> str:
        return f"{self.desa_id}: {self.quota}"


class WelfareEntry(models.Model):
    """A NIK on the welfare register (DTKS/DTSEN) list a scheme was given."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="welfare_entries")
    nik = models.CharField("NIK", max_length=16)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "nik"], name="welfare_entry_unique")]

    def __str__(self) -> str:
        return self.nik


# The stages of an enrolment batch, as its progress names them (msgids: each reader sees its own language).
ENROLMENT_STEPS = (gettext_noop("membaca calon peserta"), gettext_noop("memeriksa syarat dan skema lain"),
                   gettext_noop("memeriksa kuota desa"), gettext_noop("memeriksa sisa pagu"),
                   gettext_noop("mencatat kepesertaan"))


class EnrolmentBatch(Job):
    """One enrolment request (one person, a filter or a list) and its outcome. A large one runs as a
    background job: `params` says what to read (the filter, or the name of the uploaded NIK list in
    `file_path`) until it has run. One person, or the API's list, runs at once: the same row, done at once."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="batches")
    how = models.CharField(max_length=10)  # one / filter / list
    description = models.CharField(max_length=300, blank=True)
    start_month = models.DateField()
    end_month = models.DateField()
    all_or_nothing = models.BooleanField(default=False)
    candidates = models.PositiveIntegerField(default=0)
    enrolled = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    cost_per_person = models.BigIntegerField(default=0)
    params = models.JSONField(default=dict, blank=True)

    time_limit = timedelta(hours=1)  # a batch of 100,000 takes seconds, waiting for the batch before it included
    stale_after = timedelta(hours=1)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.scheme_id}/{self.pk}: {self.enrolled}/{self.candidates}"

    def can_retry(self) -> bool:
        """A failed filter batch may run again; a list's, while its uploaded list is still kept."""
        kept = self.how == "filter" or (self.how == "list" and bool(self.file_path))
        return self.status == JobStatus.FAILED and kept


class Refusal(models.TextChoices):
    NOT_NIK = "not_nik", _("bukan NIK (harus 16 angka)")
    NOT_REGISTERED = "not_registered", _("NIK tidak ada di registri (atau di luar wilayah Anda)")
    INACTIVE = "inactive", _("peserta sudah nonaktif di registri")
    OUTSIDE_REGION = "outside_region", _("tinggal di luar wilayah skema")
    SEGMENT = "segment", _("segmen peserta tidak sesuai paket skema")
    TOO_OLD = "too_old", _("melewati usia maksimal saat didaftarkan")
    ROLE = "role", _("peran di desa tidak termasuk yang dibiayai skema")
    WELFARE = "welfare", _("tidak ada di daftar DTKS/DTSEN skema")
    ENROLLED = "enrolled", _("sudah terdaftar di skema ini untuk bulan yang sama")
    COVERED = "covered", _("sudah dibiayai skema lain untuk program dan bulan yang sama")
    KELURAHAN = "kelurahan", _("tinggal di kelurahan: kuota skema ini hanya untuk desa")
    QUOTA = "quota", _("kuota desa sudah penuh")
    BUDGET = "budget", _("sisa pagu anggaran tidak cukup")
    NOT_ALL = "not_all", _("tidak didaftarkan karena ada yang ditolak (semua atau tidak sama sekali)")


class Candidate(models.Model):
    """Working table of an enrolment batch: each candidate with the reason it was refused ('' = enrolled).
    Refused rows stay as the batch's report; enrolled rows are removed once the enrolments exist."""

    batch = models.ForeignKey(EnrolmentBatch, on_delete=models.CASCADE, related_name="+", db_index=False)
    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, null=True,
                                    related_name="+", db_index=False, db_constraint=False)
    nik = models.CharField(max_length=16, blank=True)
    desa_code = models.CharField(max_length=13, blank=True)
    kab_code = models.CharField(max_length=5, blank=True)
    reason = models.CharField(max_length=16, blank=True, choices=Refusal.choices)

    class Meta:
        indexes = [models.Index(fields=["batch", "reason", "desa_code"], name="candidate_batch_idx")]

    def __str__(self) -> str:
        return f"{self.nik}: {self.reason or 'ok'}"


class EndReason(models.TextChoices):
    DIED = "died", _("meninggal dunia")
    MOVED = "moved", _("pindah")
    WITHDREW = "withdrew", _("mengundurkan diri")
    REPLACED = "replaced", _("diganti peserta lain")
    MISTAKE = "mistake", _("salah daftar")
    OTHER = "other", _("lainnya")


class Enrolment(models.Model):
    """A participant paid for by a scheme from one month to another (inclusive). Ended, never deleted: an
    ended enrolment keeps the months it covered (its end month moves back) and its cost."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="enrolments", db_index=False)
    participant = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="enrolments",
                                    db_index=False)
    desa_code = models.CharField(max_length=13)
    kab_code = models.CharField(max_length=5)
    start_month = models.DateField(_("bulan pertama"))
    end_month = models.DateField(_("bulan terakhir"))
    cost = models.BigIntegerField(_("biaya (Rp)"))  # the contribution of all its months, committed by the scheme
    batch = models.ForeignKey(EnrolmentBatch, on_delete=models.PROTECT, null=True, related_name="enrolments",
                              db_index=False)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                    db_index=False)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                 db_index=False)
    end_reason = models.CharField(_("alasan berakhir"), max_length=10, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kepesertaan skema")
        verbose_name_plural = _("kepesertaan skema")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["participant", "start_month"], name="enrolment_participant_idx"),
            models.Index(fields=["scheme", "desa_code"], name="enrolment_scheme_desa_idx"),
            models.Index(fields=["batch"], name="enrolment_batch_idx"),
            # The billing run (enrolments in force in a month, per kabupaten) and the lapse forecast (ending soon).
            models.Index(fields=["kab_code", "end_month", "start_month"], name="enrolment_kab_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.scheme_id} {self.start_month:%m/%Y}-{self.end_month:%m/%Y}"
