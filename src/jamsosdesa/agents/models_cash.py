"""Cash an agent collects and hands on to BPJS (design §3): a `Collection` is one cash collection for whole months of
the worker's own package, recorded as a billing `Payment` (channel agent); a `Deposit` is money the agent paid in
(PERISAI channel or bank); `DepositSettlement` rows say which collections a deposit settled, oldest first. Cash in
transit = Σ collections − Σ settlements. Nothing here is edited: a deposit is undone by a `DepositReversal` and
negative settlement rows that name the rows they cancel."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Receipt verification codes: no look-alikes (0/O, 1/I/L, 5/S, 2/Z, 8/B are left out).
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8


class Collection(models.Model):
    """One cash collection by an agent from one participant for `months` whole months of its own package."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("agen"), db_index=False)
    participant = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("peserta"), db_index=False)
    kab_code = models.CharField(max_length=5)
    desa_code = models.CharField(max_length=13)
    months = models.PositiveSmallIntegerField(_("jumlah bulan"))
    first_month = models.DateField(_("bulan pertama"))
    last_month = models.DateField(_("bulan terakhir"))
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    payment = models.OneToOneField("billing.Payment", on_delete=models.PROTECT, related_name="agent_collection",
                                   verbose_name=_("pembayaran"))
    receipt_number = models.CharField(_("nomor kuitansi"), max_length=40, unique=True)
    verification_code = models.CharField(_("kode verifikasi"), max_length=CODE_LENGTH, unique=True)
    client_token = models.CharField(max_length=64, blank=True)
    request_hash = models.CharField(max_length=64)
    collected_on = models.DateField(_("tanggal terima"))
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the billing payment behind it was reversed (the ledger check accepts a reversed payment only then).
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penagihan tunai")
        verbose_name_plural = _("penagihan tunai")
        ordering = ["-collected_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="collection_amount_positive"),
            models.CheckConstraint(condition=Q(months__gt=0), name="collection_months_positive"),
            models.CheckConstraint(condition=Q(last_month__gte=models.F("first_month")),
                                   name="collection_month_order"),
            models.UniqueConstraint(fields=["agent", "client_token"], condition=~Q(client_token=""),
                                    name="collection_client_token_unique"),
        ]
        indexes = [models.Index(fields=["agent", "collected_on"], name="collection_agent_idx"),
                   models.Index(fields=["participant", "collected_on"], name="collection_participant_idx"),
                   models.Index(fields=["kab_code", "collected_on"], name="collection_kab_idx")]

    def __str__(self) -> str:
        return self.receipt_number


class DepositChannel(models.TextChoices):
    PERISAI = "perisai", _("kanal PERISAI")
    BANK = "bank", _("transfer bank")


class Deposit(models.Model):
    """Money an agent handed to BPJS, with the channel's reference (unique per channel)."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("agen"), db_index=False)
    kab_code = models.CharField(max_length=5)  # the agent's (its wadah's) kabupaten: what a branch sees
    channel = models.CharField(_("saluran"), max_length=8, choices=DepositChannel.choices)
    reference = models.CharField(_("referensi"), max_length=64)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    deposited_on = models.DateField(_("tanggal setor"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    # When read from a statement file: its name, its sha256 and the row (1 = the first data row).
    statement_name = models.CharField(max_length=200, blank=True)
    statement_sha256 = models.CharField(max_length=64, blank=True)
    statement_row = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("setoran agen")
        verbose_name_plural = _("setoran agen")
        ordering = ["-deposited_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_amount_positive"),
            models.UniqueConstraint(fields=["channel", "reference"], name="deposit_reference_unique"),
        ]
        indexes = [models.Index(fields=["agent", "deposited_on"], name="deposit_agent_idx"),
                   models.Index(fields=["kab_code", "deposited_on"], name="deposit_kab_idx")]

    def __str__(self) -> str:
        return f"{self.channel}/{self.reference} Rp{self.amount:,}"


class DepositReversal(models.Model):
    """A deposit recorded by mistake (or bounced): its settlements are cancelled by negative rows."""

    deposit = models.OneToOneField(Deposit, on_delete=models.PROTECT, related_name="reversal")
    reason = models.CharField(_("alasan"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pembatalan setoran")
        verbose_name_plural = _("pembatalan setoran")

    def __str__(self) -> str:
        return f"{self.deposit} ({self.reason[:40]})"


class DepositSettlement(models.Model):
    """Part (or all) of a collection settled by a deposit. A negative row cancels the row it `reverses`."""

    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="settlements")
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="settlements")
    amount = models.BigIntegerField()
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reversed_by")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pelunasan setoran")
        verbose_name_plural = _("pelunasan setoran")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="settlement_amount_nonzero"),
            models.CheckConstraint(condition=Q(amount__gt=0, reverses__isnull=True)
                                   | Q(amount__lt=0, reverses__isnull=False), name="settlement_sign"),
        ]

    def __str__(self) -> str:
        return f"{self.deposit_id}->{self.collection_id} Rp{self.amount:,}"
