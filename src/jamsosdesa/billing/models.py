"""Dues, payments and what became of them (issue 12; design in docs/design/ledger.md).

Money rows are append-only: a due, payment, allocation, credit row or reversal is written once and never
updated or deleted; a mistake is undone by a `Reversal` row that names what it cancels. "Live" means no
reversal targets the row. Every large table carries `kab_code` (taken from the payer row, never from the
participant's current desa) so it can be partitioned by region later. Money is whole rupiah (BigInteger).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsosdesa.contributions.models import PayerType
from jamsosdesa.core.jobs.models import ACTIVE, Job
from jamsosdesa.participants.models import Sector, Segment


def _participant(**kwargs):
    return models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+",
                             db_index=False, **kwargs)


class HolderType(models.TextChoices):
    """Who owns money not yet allocated: a participant paying for themselves, or a scheme's payer."""

    PARTICIPANT = "P", _("peserta")
    SCHEME = "S", _("pembayar skema")


# --- who pays ------------------------------------------------------------------------------------------------


class MembershipChannel(models.TextChoices):
    WEB = "web", _("halaman peserta")
    API = "api", _("API")
    CLI = "cli", _("baris perintah")
    AGENT = "agent", _("agen PERISAI")
    FORECAST = "forecast", _("daftar akan berakhir")


class MembershipEndReason(models.TextChoices):
    CHANGED = "changed", _("paket diubah")
    STOPPED = "stopped", _("berhenti membayar sendiri")
    SCHEME = "scheme", _("dibiayai skema")
    DIED = "died", _("meninggal dunia")
    MISTAKE = "mistake", _("salah catat")
    OTHER = "other", _("lainnya")


# A package that covers at least one month: open, or ended in its first month or later.
MEMBERSHIP_COVERS = Q(last_month__isnull=True) | Q(last_month__gte=models.F("first_month"))


class Membership(models.Model):
    """The worker's own package (mandiri): programmes and declared income from a first month, paid by the worker.
    A change closes the row at the month before and opens a new one (`replaces`); an end sets `last_month`."""

    participant = _participant()
    kab_code = models.CharField(max_length=5)
    desa_code = models.CharField(max_length=13)
    segment = models.CharField(_("segmen"), max_length=5, choices=Segment.choices, default=Segment.BPU)
    programmes = models.JSONField(_("program"), default=list)
    programme_mask = models.PositiveSmallIntegerField(default=0)
    income = models.BigIntegerField(_("nominal penghasilan (Rp)"))
    first_month = models.DateField(_("bulan pertama"))
    last_month = models.DateField(_("bulan terakhir"), null=True, blank=True)  # empty: open
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", db_index=False, verbose_name=_("agen penagih"))
    channel = models.CharField(max_length=10, choices=MembershipChannel.choices, default=MembershipChannel.WEB)
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 db_index=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   db_index=False)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                 db_index=False)
    end_reason = models.CharField(_("alasan berakhir"), max_length=10, choices=MembershipEndReason.choices,
                                  blank=True)

    class Meta:
        verbose_name = _("iuran mandiri")
        verbose_name_plural = _("iuran mandiri")
        ordering = ["-first_month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["participant"], condition=Q(last_month__isnull=True),
                                    name="membership_one_open"),
            # One package per first month, a cancelled one (ended before its first month) aside.
            models.UniqueConstraint(fields=["participant", "first_month"], condition=MEMBERSHIP_COVERS,
                                    name="membership_first_month_unique"),
            # A package ends in its first month or later, or in the month before (cancelled: it covers no month).
            # Months are first days: anything after 45 days before the first month is the month before or later.
            models.CheckConstraint(condition=Q(last_month__isnull=True)
                                   | Q(last_month__gt=models.F("first_month") - timedelta(days=45)),
                                   name="membership_period_order"),
        ]
        indexes = [models.Index(fields=["kab_code", "participant"], name="membership_kab_idx"),
                   models.Index(fields=["agent", "kab_code"], name="membership_agent_idx"),
                   # one person's packages, newest first (who collects for a person on a worklist's rows; without
                   # it each row scanned the kabupaten index: 13 ms a row at 500,000 packages, bench/agents.py)
                   models.Index(fields=["participant", "-first_month"], name="membership_person_idx")]

    def __str__(self) -> str:
        last = f"{self.last_month:%m/%Y}" if self.last_month else "…"
        return f"{self.participant_id} mandiri {self.first_month:%m/%Y}-{last}"


class ArrearsMode(models.TextChoices):
    STRICT = "strict", _("ketat: bulan yang belum dibayar tidak dilindungi")
    LENIENT = "lenient", _("longgar: dilindungi bila tunggakan dilunasi dalam masa tenggang")


class ArrearsPolicy(models.Model):
    """Whether an incident in an unpaid month is covered, per branch (kabupaten; '' = the national default),
    effective from a month, with the letter or rule it comes from."""

    kab_code = models.CharField(_("kabupaten/kota"), max_length=5, blank=True)
    valid_from = models.DateField(_("berlaku mulai bulan"))
    mode = models.CharField(_("aturan"), max_length=8, choices=ArrearsMode.choices, default=ArrearsMode.STRICT)
    grace_months = models.PositiveSmallIntegerField(_("masa tenggang (bulan)"), default=3)
    source = models.CharField(_("dasar"), max_length=200)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("aturan tunggakan")
        verbose_name_plural = _("aturan tunggakan")
        ordering = ["kab_code", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["kab_code", "valid_from"], name="arrears_policy_unique")]

    def __str__(self) -> str:
        return f"{self.kab_code or 'nasional'} {self.valid_from:%m/%Y} {self.mode}/{self.grace_months}"


# --- what is owed --------------------------------------------------------------------------------------------


class RunTrigger(models.TextChoices):
    CLI = "cli", _("baris perintah")
    BUTTON = "button", _("tombol")
    SCHEDULE = "schedule", _("jadwal bulanan")


class BillingRun(Job):
    """One month's billing run: creates the dues of every covered participant for that month, then the
    schemes' invoices. Committed a kabupaten at a time; run again, it creates only what is missing."""

    month = models.DateField()
    trigger = models.CharField(max_length=10, choices=RunTrigger.choices, default=RunTrigger.CLI)
    kab_done = models.JSONField(default=list, blank=True)
    dues_created = models.PositiveIntegerField(default=0)
    invoices_created = models.PositiveIntegerField(default=0)
    amount_billed = models.BigIntegerField(default=0)
    credit_applied = models.BigIntegerField(default=0)
    skipped = models.JSONField(default=dict, blank=True)  # {reason: count}
    summary = models.JSONField(default=dict, blank=True)

    time_limit = timedelta(hours=1)
    stale_after = timedelta(minutes=30)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["month"], condition=Q(status__in=ACTIVE),
                                               name="billing_run_one_active_per_month")]

    def __str__(self) -> str:
        return f"run {self.pk} {self.month:%m/%Y} {self.status}"

    def can_retry(self) -> bool:
        from jamsosdesa.core.jobs.models import JobStatus

        return self.status == JobStatus.FAILED


class Due(models.Model):
    """What one payer owes for one participant and month, priced when it was billed (the columns say with what).

    Its foreign keys have no database constraint (`db_constraint=False`): the billing run writes a million dues a
    month, each from a join of the rows it names (so they exist), and those rows are never deleted (Django's
    PROTECT still refuses a delete through the ORM); the constraints' per-row checks, each a `FOR KEY SHARE` lock
    that dirtied the participant's and enrolment's pages, cost most of the run. `ledger check` (invariant 7) finds
    a due whose participant, payer row, scheme or run is missing, or whose scheme is not its enrolment's."""

    participant = _participant(db_constraint=False)
    kab_code = models.CharField(max_length=5)
    desa_code = models.CharField(max_length=13)
    month = models.DateField()
    enrolment = models.ForeignKey("funding.Enrolment", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", db_index=False, db_constraint=False)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   db_index=False, db_constraint=False)
    scheme = models.ForeignKey("funding.Scheme", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               db_index=False, db_constraint=False)
    payer_type = models.CharField(max_length=10, choices=PayerType.choices)
    segment = models.CharField(max_length=5, choices=Segment.choices)
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.GENERAL)
    programme_mask = models.PositiveSmallIntegerField()
    income = models.BigIntegerField(default=0)
    jkk = models.BigIntegerField(default=0)
    jkm = models.BigIntegerField(default=0)
    jht = models.BigIntegerField(default=0)
    jp = models.BigIntegerField(default=0)
    discount = models.BigIntegerField(default=0)  # already taken off the programme amounts
    amount = models.BigIntegerField()
    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            db_index=False, db_constraint=False)  # empty: billed ahead by a payment
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("iuran terutang")
        verbose_name_plural = _("iuran terutang")
        ordering = ["month", "id"]
        constraints = [
            models.CheckConstraint(condition=(Q(enrolment__isnull=False) & Q(membership__isnull=True))
                                   | (Q(enrolment__isnull=True) & Q(membership__isnull=False)),
                                   name="due_one_payer"),
            models.CheckConstraint(condition=Q(amount=models.F("jkk") + models.F("jkm") + models.F("jht")
                                               + models.F("jp")) & Q(amount__gt=0),
                                   name="due_amount_adds_up"),
            # Not partial: a package's due has no enrolment, and NULLs never clash in a unique index (both
            # databases), so it holds the same rule and also serves every per-person lookup (participant, month).
            models.UniqueConstraint(fields=["participant", "month", "enrolment"], name="due_enrolment_month_unique"),
            models.UniqueConstraint(fields=["participant", "month", "membership"],
                                    condition=Q(membership__isnull=False), name="due_membership_month_unique"),
        ]
        indexes = [models.Index(fields=["kab_code", "month"], name="due_kab_month_idx"),
                   models.Index(fields=["scheme", "month"], name="due_scheme_month_idx",
                                condition=Q(scheme__isnull=False))]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.month:%m/%Y} Rp{self.amount:,}"

    @property
    def holder(self) -> tuple[str, int]:
        if self.membership_id:
            return HolderType.PARTICIPANT, self.participant_id
        return HolderType.SCHEME, self.scheme_id


class Invoice(models.Model):
    """A scheme's collective bill for one month: one line per person, ordered by desa then name. Written once;
    dues a later run adds for the same month go on a supplementary invoice (seq 2, 3, …)."""

    scheme = models.ForeignKey("funding.Scheme", on_delete=models.PROTECT, related_name="+", db_index=False)
    month = models.DateField()
    seq = models.PositiveSmallIntegerField(default=1)
    number = models.CharField(max_length=40)
    kab_code = models.CharField(max_length=5, blank=True)  # the owner's kabupaten; '' for a wider scheme
    payer_type = models.CharField(max_length=10, choices=PayerType.choices)
    payer_name = models.CharField(max_length=150, blank=True)
    lines = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, null=True, related_name="+", db_index=False)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tagihan kolektif")
        verbose_name_plural = _("tagihan kolektif")
        ordering = ["-month", "scheme", "seq"]
        constraints = [models.UniqueConstraint(fields=["scheme", "month", "seq"], name="invoice_scheme_month_unique"),
                       models.UniqueConstraint(fields=["number"], name="invoice_number_unique")]
        indexes = [models.Index(fields=["kab_code", "month"], name="invoice_kab_month_idx")]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(models.Model):
    """One person's due on a collective invoice. Written only by the billing run's invoicing, from a join of the
    invoice and the due (never deleted): no database constraint on either key, as on `Due`; `ledger check`
    (invariant 4) finds a line whose due or invoice is missing."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="invoice_lines", db_index=False,
                                db_constraint=False)
    due = models.OneToOneField(Due, on_delete=models.PROTECT, related_name="invoice_line", db_constraint=False)
    position = models.PositiveIntegerField()
    kab_code = models.CharField(max_length=5)
    desa_code = models.CharField(max_length=13)
    name = models.CharField(max_length=120)  # as on the day it was billed, for the printout
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position_unique")]

    def __str__(self) -> str:
        return f"{self.invoice_id}#{self.position} Rp{self.amount:,}"


# --- what was paid and where it went -------------------------------------------------------------------------


class PaymentChannel(models.TextChoices):
    AGENT = "agent", _("tunai lewat agen")
    BANK = "bank", _("transfer bank")
    PPOB = "ppob", _("PPOB / loket pembayaran")
    BRANCH = "branch", _("kantor cabang")


class PaymentSource(models.TextChoices):
    ENTRY = "entry", _("dicatat di halaman")
    API = "api", _("API")
    CLI = "cli", _("baris perintah")
    CSV = "csv", _("impor CSV/XLSX")
    MT940 = "mt940", _("rekening koran MT940")


class TargetKind(models.TextChoices):
    PERSON = "person", _("peserta")
    INVOICE = "invoice", _("tagihan kolektif")
    NONE = "none", _("belum dikenali")


class Payment(models.Model):
    """Money received for contributions. Its holder (who owns what is not allocated) is empty while it waits in
    the reconciliation queue; the row itself is never changed."""

    channel = models.CharField(_("saluran"), max_length=8, choices=PaymentChannel.choices)
    source = models.CharField(max_length=8, choices=PaymentSource.choices, default=PaymentSource.ENTRY)
    external_reference = models.CharField(_("referensi"), max_length=64)
    reinstatement_no = models.PositiveSmallIntegerField(default=0)  # recorded again after a reversal
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    request_hash = models.CharField(max_length=64)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    paid_on = models.DateField(_("tanggal bayar"))
    received_at = models.DateTimeField(default=timezone.now)
    target_kind = models.CharField(max_length=8, choices=TargetKind.choices)
    participant = _participant(null=True, blank=True)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                db_index=False)
    holder_type = models.CharField(max_length=1, choices=HolderType.choices, blank=True)
    holder_id = models.BigIntegerField(null=True, blank=True)
    kab_code = models.CharField(max_length=5, blank=True)
    desa_code = models.CharField(max_length=13, blank=True)
    # The statement import (imports.StatementImport, a layer above: an id, not a foreign key) and its line.
    statement_id = models.BigIntegerField(null=True, blank=True)
    statement_row = models.PositiveIntegerField(null=True, blank=True)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", db_index=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                    db_index=False)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pembayaran")
        verbose_name_plural = _("pembayaran")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.UniqueConstraint(fields=["channel", "external_reference", "reinstatement_no"],
                                    name="payment_reference_unique"),
            models.UniqueConstraint(fields=["idempotency_key"], condition=Q(idempotency_key__isnull=False),
                                    name="payment_idempotency_unique"),
            models.UniqueConstraint(fields=["statement_id", "statement_row"], condition=Q(statement_id__isnull=False),
                                    name="payment_statement_row_unique"),
        ]
        indexes = [models.Index(fields=["holder_type", "holder_id", "paid_on"], name="payment_holder_idx"),
                   models.Index(fields=["kab_code", "paid_on"], name="payment_kab_idx"),
                   models.Index(fields=["participant", "paid_on"], name="payment_participant_idx"),
                   models.Index(fields=["invoice"], name="payment_invoice_idx")]

    def __str__(self) -> str:
        return f"{self.channel}/{self.external_reference} Rp{self.amount:,}"


class AllocationOrigin(models.TextChoices):
    PAYMENT = "payment", _("pembayaran")
    CREDIT = "credit", _("saldo titipan")
    QUEUE = "queue", _("antrean rekonsiliasi")


class Allocation(models.Model):
    """A whole due paid from a payment or from the holder's credit. `seq` counts the earlier allocations of the
    due that were reversed, so the database refuses a second live allocation of one due."""

    due = models.ForeignKey(Due, on_delete=models.PROTECT, related_name="+", db_index=False)
    seq = models.PositiveSmallIntegerField(default=0)
    amount = models.BigIntegerField()
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                db_index=False)  # empty: paid from credit
    holder_type = models.CharField(max_length=1, choices=HolderType.choices)
    holder_id = models.BigIntegerField()
    kab_code = models.CharField(max_length=5)
    origin = models.CharField(max_length=8, choices=AllocationOrigin.choices, default=AllocationOrigin.PAYMENT)
    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            db_index=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["due", "seq"], name="allocation_due_seq_unique"),
                       models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive")]
        indexes = [models.Index(fields=["payment"], name="allocation_payment_idx"),
                   models.Index(fields=["holder_type", "holder_id"], name="allocation_holder_idx"),
                   models.Index(fields=["kab_code", "due"], name="allocation_kab_idx")]

    def __str__(self) -> str:
        return f"due {self.due_id}#{self.seq} Rp{self.amount:,}"


class CreditKind(models.TextChoices):
    REMAINDER = "remainder", _("sisa pembayaran")
    USED = "used", _("dipakai membayar iuran")
    RELEASED = "released", _("dikembalikan ke saldo")
    REFUNDED = "refunded", _("dikembalikan ke pembayar")
    WITHDRAWN = "withdrawn", _("ditarik karena pembayaran dibatalkan")


class Credit(models.Model):
    """The journal of a holder's unallocated money: a row only when it changes. Balance = SUM(amount) ≥ 0."""

    holder_type = models.CharField(max_length=1, choices=HolderType.choices)
    holder_id = models.BigIntegerField()
    kab_code = models.CharField(max_length=5)
    amount = models.BigIntegerField()  # signed
    kind = models.CharField(max_length=10, choices=CreditKind.choices)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                db_index=False)
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   db_index=False)
    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            db_index=False)
    reversal = models.ForeignKey("Reversal", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 db_index=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="credit_amount_not_zero")]
        indexes = [models.Index(fields=["holder_type", "holder_id"], name="credit_holder_idx"),
                   models.Index(fields=["payment"], name="credit_payment_idx")]

    def __str__(self) -> str:
        return f"{self.holder_type}{self.holder_id} {self.kind} Rp{self.amount:,}"


class ReversalTarget(models.TextChoices):
    PAYMENT = "payment", _("pembayaran")
    ALLOCATION = "allocation", _("alokasi")
    DUE = "due", _("iuran terutang")
    CREDIT = "credit", _("saldo titipan")


class ReversalReason(models.TextChoices):
    MISTAKE = "mistake", _("salah catat")
    DUPLICATE = "duplicate", _("tercatat dua kali")
    BOUNCED = "bounced", _("dana tidak masuk / ditolak bank")
    WRONG_PERSON = "wrong_person", _("salah peserta")
    REFUND = "refund", _("dikembalikan ke pembayar")
    ENROLMENT_ENDED = "enrolment_ended", _("kepesertaan skema berakhir")
    MEMBERSHIP_ENDED = "membership_ended", _("iuran mandiri diakhiri")
    OTHER = "other", _("lainnya")


class Reversal(models.Model):
    """Cancels one payment, allocation, due or credit row exactly. Nothing is reversed twice (unique target), and
    a reversal itself is never a target: a mistake in one is mended by recording the payment again."""

    target_type = models.CharField(max_length=10, choices=ReversalTarget.choices)
    target_id = models.BigIntegerField()
    amount = models.BigIntegerField()
    reason = models.CharField(_("alasan"), max_length=16, choices=ReversalReason.choices)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               db_index=False)
    kab_code = models.CharField(max_length=5, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target_type", "target_id"], name="reversal_target_unique")]

    def __str__(self) -> str:
        return f"reversal of {self.target_type} {self.target_id}"


class QueueReason(models.TextChoices):
    UNKNOWN_NIK = "unknown_nik", _("NIK tidak dikenal")
    UNKNOWN_INVOICE = "unknown_invoice", _("nomor tagihan tidak dikenal")
    AMBIGUOUS = "ambiguous", _("cocok dengan lebih dari satu tujuan")
    OUTSIDE_REGION = "outside_region", _("peserta di luar wilayah pengimpor")
    PARTICIPANT_ENDED = "participant_ended", _("peserta sudah nonaktif")
    TOO_FAR_AHEAD = "too_far_ahead", _("melebihi 12 bulan di muka")
    NO_DUE_PAYER = "no_due_payer", _("tidak ada iuran yang bisa dibayar")


class QueueStatus(models.TextChoices):
    OPEN = "open", _("menunggu keputusan")
    ASSIGNED = "assigned", _("diberikan ke tujuan")
    REFUNDED = "refunded", _("dikembalikan")
    REJECTED = "rejected", _("ditolak")


class ReconciliationItem(models.Model):
    """A payment that matched nothing or matched ambiguously, waiting for a branch officer's decision."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="queue_item")
    statement_id = models.BigIntegerField(null=True, blank=True)  # imports.StatementImport, as on Payment
    row_no = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=20, choices=QueueReason.choices)
    candidates = models.JSONField(default=list, blank=True)  # ids, never names
    raw = models.JSONField(default=dict, blank=True)  # the line as it was read
    kab_code = models.CharField(max_length=5, blank=True)
    status = models.CharField(max_length=10, choices=QueueStatus.choices, default=QueueStatus.OPEN)
    assigned_holder_type = models.CharField(max_length=1, choices=HolderType.choices, blank=True)
    assigned_holder_id = models.BigIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", db_index=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("antrean rekonsiliasi")
        verbose_name_plural = _("antrean rekonsiliasi")
        ordering = ["id"]
        indexes = [models.Index(fields=["kab_code", "status", "id"], name="queue_kab_status_idx")]

    def __str__(self) -> str:
        return f"queue {self.pk} {self.reason} {self.status}"


# --- H8: cross-check with BPJS's own list of participants (issue 12 item 7) ------------------------------------


class BpjsStatus(models.TextChoices):
    """A BPJS list's status column, normalised (the text as written is kept beside it)."""

    ACTIVE = "active", _("aktif")
    NON_ACTIVE = "non_active", _("tidak aktif")
    OTHER = "other", _("lainnya")


class CrosscheckFinding(models.TextChoices):
    """What a row of the comparison says, BPJS's view against ours on the list's date."""

    BPJS_ONLY_ACTIVE = "bpjs_only_active", _("aktif menurut BPJS, tidak menurut jamsosdesa")
    OURS_ONLY_ACTIVE = "ours_only_active", _("aktif menurut jamsosdesa, tidak menurut BPJS")
    PAID_THROUGH_DIFFERS = "paid_through_differs", _("sama-sama aktif, bulan lunas berbeda")
    BOTH_ACTIVE = "both_active", _("sama-sama aktif")
    BOTH_INACTIVE = "both_inactive", _("sama-sama tidak aktif")
    NOT_IN_REGISTRY = "not_in_registry", _("NIK tidak ada di registri")
    OUTSIDE_AREA = "outside_area", _("di luar wilayah daftar")


class BpjsList(Job):
    """One BPJS list compared with jamsosdesa: who uploaded it, the region it covers (a kabupaten or a desa inside
    the uploader's area), the day it speaks of (`as_of`), and what the comparison found (`summary`: per desa and
    finding counts, the rows that could not be read). Its rows are `BpjsListRow`."""

    region_code = models.CharField(_("wilayah"), max_length=13)
    as_of = models.DateField(_("tanggal daftar"))
    file_name = models.CharField(max_length=200)
    file_size = models.BigIntegerField(default=0)
    mapping_name = models.CharField(max_length=80, blank=True)  # imports.ColumnMapping, by name (billing never
    # imports imports)
    mapping_columns = models.JSONField(default=dict, blank=True)
    rows_total = models.IntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    report_path = models.CharField(max_length=500, blank=True)

    time_limit = timedelta(hours=1)
    stale_after = timedelta(hours=1)
    report_fields = ("report_path",)

    class Meta:
        verbose_name = _("daftar BPJS")
        verbose_name_plural = _("daftar BPJS")
        ordering = ["-id"]
        indexes = [models.Index(fields=["region_code", "-id"], name="bpjslist_region_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    def keeps_file(self) -> bool:
        """A list whose columns were not known keeps its file for a column mapping (until `stale_after`)."""
        from jamsosdesa.core.jobs.models import JobStatus

        return self.status == JobStatus.DONE and bool((self.summary or {}).get("column_problem"))


class BpjsListRow(models.Model):
    """One person of a compared list (a row of the file, or one we count active in the region whom the list lacks:
    `row_no` 0, no BPJS values), with both views and, in our words, why we see the person so (`reason`)."""

    bpjs_list = models.ForeignKey(BpjsList, on_delete=models.CASCADE, related_name="rows", db_index=False)
    row_no = models.IntegerField(default=0)  # the file's row; 0: not in the file
    nik = models.CharField(max_length=16)
    kpj = models.CharField(max_length=20, blank=True)
    bpjs_status = models.CharField(max_length=10, choices=BpjsStatus.choices, blank=True)
    bpjs_status_raw = models.CharField(max_length=40, blank=True)
    bpjs_paid_through = models.DateField(null=True, blank=True)
    participant_id = models.BigIntegerField(null=True, blank=True)  # participants.Participant; null outside
    kab_code = models.CharField(max_length=5, blank=True)
    desa_code = models.CharField(max_length=13, blank=True)
    our_status = models.CharField(max_length=12, blank=True)  # billing.status's word; '' when not ours to say
    our_paid_through = models.DateField(null=True, blank=True)
    finding = models.CharField(max_length=20, choices=CrosscheckFinding.choices)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["bpjs_list", "desa_code", "row_no", "id"]
        indexes = [models.Index(fields=["bpjs_list", "desa_code", "finding"], name="bpjsrow_list_desa_idx")]

    def __str__(self) -> str:
        return f"{self.bpjs_list_id}:{self.row_no} {self.finding}"


class Standing(models.Model):
    """A cache, per participant, of the first and the last fully paid month (a month whose every live due has a live
    allocation; docs/design/ledger.md §4 "Standing"), how many months are fully paid and the payer kinds of the last
    one: what the worklists and the coverage dashboards (the counting rule: `coverage.rules.counted_table`) read
    instead of aggregating every due at request time. Never a decision (a status, a payment, a claim reads the
    ledger) and never a status: the status on a day is still derived, from these two months, the day and the
    registry.

    Kept exact in the same transaction as every ledger write that can change it (`billing.standing`); `ledger
    check` (invariant 8) compares it with the ledger, and `jamsosdesa billing standing` rebuilds it. No row means
    no month paid. Not a money row: it is rewritten, never audited (the ledger rows it summarises are)."""

    participant = models.OneToOneField("participants.Participant", on_delete=models.PROTECT, primary_key=True,
                                       related_name="+", db_constraint=False)
    first_paid = models.DateField(null=True, blank=True)
    last_paid = models.DateField(null=True, blank=True)
    paid_months = models.PositiveIntegerField(default=0, db_default=0)  # fully paid months, all of them
    # the payer kinds of the live dues of `last_paid`, as bits (billing.standing.PAYER_BITS); 0: nothing paid
    last_paid_payers = models.PositiveSmallIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("ringkasan bulan lunas")
        verbose_name_plural = _("ringkasan bulan lunas")
        indexes = [models.Index(fields=["last_paid"], name="standing_last_paid_idx")]

    def __str__(self) -> str:
        first = f"{self.first_paid:%m/%Y}" if self.first_paid else "-"
        last = f"{self.last_paid:%m/%Y}" if self.last_paid else "-"
        return f"{self.participant_id} {first}..{last}"
