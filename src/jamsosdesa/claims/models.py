"""Death and work-accident claims (issue 15; design in docs/design/claims.md).

A `Claim` is one reported event for one participant: what happened, when and where, when it was reported, the
eligibility found on the event date, the benefit computed from `BenefitParameter` rows (effective-dated data naming
their regulation), the heirs who receive it (`ClaimHeir`), the documents of its checklist (`ClaimDocument`), the
four-eyes decision, and the payment to each heir (`ClaimPayment`). Scholarships are tracked year by year per child
(`ScholarshipGrant`). Money is whole rupiah; nothing that paid money is edited or deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClaimKind(models.TextChoices):
    JKM = "jkm", _("JKM: meninggal dunia bukan karena kecelakaan kerja")
    JKK_DEATH = "jkk_death", _("JKK: meninggal dunia karena kecelakaan kerja")
    JKK_DISABILITY_TOTAL = "jkk_disability_total", _("JKK: cacat total tetap")
    JKK_TEMPORARY = "jkk_temporary", _("JKK: kecelakaan kerja, tidak mampu bekerja sementara")
    JKK_DISEASE = "jkk_disease", _("JKK: penyakit akibat kerja")


DEATH_KINDS = (ClaimKind.JKM, ClaimKind.JKK_DEATH)
JKK_KINDS = (ClaimKind.JKK_DEATH, ClaimKind.JKK_DISABILITY_TOTAL, ClaimKind.JKK_TEMPORARY, ClaimKind.JKK_DISEASE)


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", _("dilaporkan")  # the event is on record; documents are being gathered
    HELD = "held", _("ditahan: menunggu pelunasan tunggakan")  # lenient policy: covered once the arrears are paid
    PREPARED = "prepared", _("disiapkan, menunggu persetujuan")  # benefit computed by one person
    APPROVED = "approved", _("disetujui")  # by another person
    REJECTED = "rejected", _("ditolak")
    PAID = "paid", _("dibayar")  # every heir's share paid
    WITHDRAWN = "withdrawn", _("dibatalkan pelapor")


class BenefitParameter(models.Model):
    """One number the benefit or the claim procedure uses, valid from a day until the next row of the same code,
    with the regulation it comes from (PP 44/2015 as amended by PP 82/2019, ...). Edited by an administrator;
    never a constant in code. `code` names what the number is (see claims.parameters.CODES for the list, units
    and defaults)."""

    code = models.CharField(_("kode"), max_length=60)
    value = models.BigIntegerField(_("nilai"))
    valid_from = models.DateField(_("berlaku mulai"))
    regulation = models.CharField(_("dasar hukum"), max_length=200)
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("parameter manfaat klaim")
        verbose_name_plural = _("parameter manfaat klaim")
        ordering = ["code", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="benefit_parameter_unique")]

    def __str__(self) -> str:
        return f"{self.code} = {self.value} ({self.valid_from:%Y-%m-%d}, {self.regulation})"


class Claim(models.Model):
    number = models.CharField(_("nomor klaim"), max_length=30, unique=True)
    participant = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("peserta"))
    kab_code = models.CharField(max_length=5)
    desa_code = models.CharField(max_length=13)
    kind = models.CharField(_("jenis klaim"), max_length=24, choices=ClaimKind.choices)
    event_date = models.DateField(_("tanggal kejadian"))
    event_place = models.CharField(_("tempat kejadian"), max_length=200, blank=True)
    description = models.TextField(_("kronologi singkat"), blank=True)
    reported_at = models.DateTimeField(_("waktu laporan"), default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("pelapor"))
    # JKK: reported later than the effective-dated reporting limit after the event (2 × 24 hours)
    report_late = models.BooleanField(_("laporan terlambat"), default=False)
    # For temporary incapacity: the days unable to work (first and last day), when known
    incapacity_from = models.DateField(_("tidak mampu bekerja sejak"), null=True, blank=True)
    incapacity_to = models.DateField(_("tidak mampu bekerja sampai"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.REPORTED)
    # Eligibility found on the event date: {"eligible": bool, "status": ..., "reason": ..., "arrears": int, ...}
    eligibility = models.JSONField(_("kelayakan"), default=dict)
    # The benefit as computed when prepared: total and parts ([{"code", "name", "amount", "rule"}, ...])
    benefit_total = models.BigIntegerField(_("jumlah manfaat (Rp)"), default=0)
    benefit_parts = models.JSONField(_("rincian manfaat"), default=list)
    complete_at = models.DateTimeField(_("berkas lengkap pada"), null=True, blank=True)
    # The first time the file became complete: the service clock runs from it, so replacing or withdrawing a
    # document (which clears and sets complete_at again) does not restart the clock (claims.documents)
    first_complete_at = models.DateTimeField(_("berkas pertama kali lengkap pada"), null=True, blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("disiapkan oleh"))
    prepared_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("diputuskan oleh"))
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_code = models.CharField(_("alasan penolakan"), max_length=30, blank=True)
    rejection_note = models.TextField(_("keterangan penolakan"), blank=True)
    paid_at = models.DateTimeField(_("dibayar lunas pada"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("klaim")
        verbose_name_plural = _("klaim")
        ordering = ["-reported_at", "-id"]
        constraints = [
            # one live claim per death of a participant (JKM or JKK death), and one per other kind and event day
            models.UniqueConstraint(fields=["participant"], name="claim_one_live_death",
                                    condition=Q(kind__in=["jkm", "jkk_death"])
                                    & ~Q(status__in=["rejected", "withdrawn"])),
            # permanent total disability is paid once in a person's life
            models.UniqueConstraint(fields=["participant"], name="claim_one_live_total_disability",
                                    condition=Q(kind="jkk_disability_total")
                                    & ~Q(status__in=["rejected", "withdrawn"])),
            models.UniqueConstraint(fields=["participant", "kind", "event_date"], name="claim_one_live_per_event",
                                    condition=~Q(status__in=["rejected", "withdrawn"])),
            models.CheckConstraint(condition=Q(benefit_total__gte=0), name="claim_benefit_not_negative"),
        ]
        indexes = [models.Index(fields=["kab_code", "status"], name="claim_kab_status_idx"),
                   models.Index(fields=["desa_code", "reported_at"], name="claim_desa_idx"),
                   models.Index(fields=["participant", "kind"], name="claim_participant_idx")]

    def __str__(self) -> str:
        return self.number


class ClaimHeir(models.Model):
    """Who receives (part of) the benefit: copied from the participant's registered heirs when the claim is made,
    corrected or added on the claim (NIK checked by the registry's validator). `rank` orders them (1 = spouse and
    children first, then as the rules say); `share` is what this heir receives."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="heirs")
    source_heir = models.ForeignKey("participants.Heir", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    name = models.CharField(_("nama ahli waris"), max_length=120)
    relation = models.CharField(_("hubungan"), max_length=10)  # participants.HeirRelation
    nik = models.CharField(_("NIK ahli waris"), max_length=16)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("urutan"), default=1)
    receives = models.BooleanField(_("menerima manfaat"), default=True)
    share = models.BigIntegerField(_("bagian (Rp)"), default=0)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    account_number = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    account_holder = models.CharField(_("nama pemilik rekening"), max_length=120, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    # What the approver approved (copied by claims.decision.approve): the share and the account it is paid to. A
    # payment goes only there (claims.payments), whatever the heir's account on the claim says later.
    approved_share = models.BigIntegerField(_("bagian yang disetujui (Rp)"), null=True, blank=True)
    approved_bank_name = models.CharField(_("bank yang disetujui"), max_length=60, blank=True)
    approved_account_number = models.CharField(_("nomor rekening yang disetujui"), max_length=30, blank=True)
    approved_account_holder = models.CharField(_("pemilik rekening yang disetujui"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("ahli waris pada klaim")
        verbose_name_plural = _("ahli waris pada klaim")
        ordering = ["rank", "id"]
        constraints = [models.UniqueConstraint(fields=["claim", "nik"], name="claim_heir_nik_unique"),
                       models.CheckConstraint(condition=Q(share__gte=0), name="claim_heir_share_not_negative")]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class DocumentKind(models.TextChoices):
    KPJ = "kpj", _("Kartu peserta (KPJ)")
    KTP_PARTICIPANT = "ktp_participant", _("e-KTP peserta")
    KTP_HEIR = "ktp_heir", _("e-KTP ahli waris")
    DEATH_CERTIFICATE = "death_certificate", _("Akta/surat keterangan kematian")
    KK = "kk", _("Kartu keluarga (KK)")
    HEIR_STATEMENT = "heir_statement", _("Surat keterangan ahli waris")
    MARRIAGE_BOOK = "marriage_book", _("Buku nikah (untuk suami/istri)")
    BANK_ACCOUNT = "bank_account", _("Buku tabungan/rekening ahli waris")
    ACCIDENT_REPORT_1 = "jkk_report_1", _("Laporan kecelakaan kerja tahap I")
    ACCIDENT_REPORT_2 = "jkk_report_2", _("Laporan kecelakaan kerja tahap II")
    MEDICAL_CERTIFICATE = "medical_certificate", _("Surat keterangan dokter")
    POLICE_REPORT = "police_report", _("Laporan polisi (kecelakaan lalu lintas)")


class ClaimDocument(models.Model):
    """One item of the claim's checklist: uploaded (a file kept outside the web root, served only through the
    scoped view) or marked as seen in the original by a named person."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=24, choices=DocumentKind.choices)
    heir = models.ForeignKey(ClaimHeir, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    file_path = models.CharField(max_length=300, blank=True)  # relative to the claims document folder
    file_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    content_type = models.CharField(max_length=60, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    seen_in_original = models.BooleanField(_("dilihat aslinya"), default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)  # replaced or removed (kept, never deleted)

    class Meta:
        verbose_name = _("dokumen klaim")
        verbose_name_plural = _("dokumen klaim")
        ordering = ["claim", "kind", "id"]
        indexes = [models.Index(fields=["claim", "kind"], name="claim_document_idx")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.kind}"


class ClaimPayment(models.Model):
    """The payment of one heir's share (or one scholarship year): date, account, reference. One per heir and
    purpose: a benefit is never paid twice."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    heir = models.ForeignKey(ClaimHeir, on_delete=models.PROTECT, related_name="payments")
    purpose = models.CharField(max_length=40, default="benefit")  # "benefit" or "scholarship:<year>"
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    paid_on = models.DateField(_("tanggal bayar"))
    bank_name = models.CharField(_("bank"), max_length=60)
    account_number = models.CharField(_("nomor rekening"), max_length=30)
    reference = models.CharField(_("referensi transfer"), max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pembayaran klaim")
        verbose_name_plural = _("pembayaran klaim")
        ordering = ["claim", "id"]
        constraints = [
            models.UniqueConstraint(fields=["heir", "purpose"], name="claim_payment_once"),
            models.UniqueConstraint(fields=["reference"], name="claim_payment_reference_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.heir_id} {self.amount}"


class SchoolLevel(models.TextChoices):
    TK_SD = "tk_sd", _("TK/SD")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK")
    HIGHER = "higher", _("Perguruan tinggi")


class ScholarshipStatus(models.TextChoices):
    PROPOSED = "proposed", _("diusulkan, menunggu persetujuan")
    APPROVED = "approved", _("disetujui")
    REJECTED = "rejected", _("ditolak")


class ScholarshipGrant(models.Model):
    """One child's scholarship for one school year on a claim: at most two children per participant, each up to the
    per-child cap, the per-year amount by level from the parameters in force (claims.scholarships). Proposed by one
    person, approved or rejected by another (four eyes); only an approved grant is granted and paid, once, to the
    account given at approval or else the guardian heir's (`payment`: the ClaimPayment "scholarship:<year>")."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="scholarships")
    child = models.ForeignKey(ClaimHeir, on_delete=models.PROTECT, related_name="scholarships")
    year = models.PositiveSmallIntegerField(_("tahun ajaran (tahun mulai)"))
    level = models.CharField(_("jenjang"), max_length=8, choices=SchoolLevel.choices)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    status = models.CharField(_("status"), max_length=10, choices=ScholarshipStatus.choices,
                              default=ScholarshipStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("diusulkan oleh"))
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("diputuskan oleh"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("keterangan keputusan"), max_length=500, blank=True)
    # Where it is paid, fixed at approval: this account when one was given, else the guardian heir's account
    guardian = models.ForeignKey(ClaimHeir, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("wali penerima"))
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    account_number = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    payment = models.OneToOneField(ClaimPayment, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="scholarship", verbose_name=_("pembayaran"))

    class Meta:
        verbose_name = _("beasiswa")
        verbose_name_plural = _("beasiswa")
        ordering = ["claim", "child", "year"]
        constraints = [
            models.UniqueConstraint(fields=["child", "year"], name="scholarship_once_a_year",
                                    condition=~Q(status="rejected")),
            models.CheckConstraint(condition=Q(amount__gt=0), name="scholarship_positive"),
            # four eyes: nobody decides a grant they proposed; a decided grant names who decided
            models.CheckConstraint(condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("proposed_by")),
                                   name="scholarship_four_eyes"),
            models.CheckConstraint(condition=Q(status="proposed", decided_by__isnull=True)
                                   | (~Q(status="proposed") & Q(decided_by__isnull=False)),
                                   name="scholarship_decided_by_someone"),
            models.CheckConstraint(condition=Q(payment__isnull=True) | Q(status="approved"),
                                   name="scholarship_paid_only_approved"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.year} {self.level}"
