from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    """What happened, named `<object>.<what happened>`; the part before the dot is the object type."""

    PARTICIPANT_REGISTERED = "participant.registered", _("peserta didaftarkan")
    PARTICIPANT_UPDATED = "participant.updated", _("data peserta diubah")
    PARTICIPANT_DEACTIVATED = "participant.deactivated", _("peserta dinonaktifkan")
    PARTICIPANT_EXPORTED = "participant.exported", _("daftar peserta diekspor")
    SCHEME_CREATED = "scheme.created", _("skema dibuat")
    SCHEME_UPDATED = "scheme.updated", _("skema diubah")
    SCHEME_WELFARE_LIST_REPLACED = "scheme.welfare_list_replaced", _("daftar DTKS/DTSEN skema diganti")
    SCHEME_BUDGET_SHEET_EXPORTED = "scheme.budget_sheet_exported", _("lembar anggaran skema dicetak (ekspor)")
    ENROLMENT_CREATED = "enrolment.created", _("didaftarkan ke skema")
    ENROLMENT_ENDED = "enrolment.ended", _("kepesertaan skema diakhiri")
    MEMBERSHIP_STARTED = "membership.started", _("iuran mandiri dimulai")
    MEMBERSHIP_CHANGED = "membership.changed", _("iuran mandiri diubah")
    MEMBERSHIP_ENDED = "membership.ended", _("iuran mandiri diakhiri")
    BILLING_RUN_FINISHED = "billing_run.finished", _("penagihan bulanan selesai")
    INVOICE_ISSUED = "invoice.issued", _("tagihan kolektif diterbitkan")
    DUE_VOIDED = "due.voided", _("iuran terutang dibatalkan")
    PAYMENT_RECORDED = "payment.recorded", _("pembayaran dicatat")
    PAYMENT_REVERSED = "payment.reversed", _("pembayaran dibatalkan")
    ALLOCATION_REVERSED = "allocation.reversed", _("alokasi pembayaran dibatalkan")
    RECONCILIATION_DECIDED = "reconciliation.decided", _("antrean rekonsiliasi diputuskan")
    ARREARS_POLICY_CHANGED = "arrears_policy.changed", _("aturan tunggakan diubah")
    STATEMENT_IMPORTED = "statement.imported", _("rekening koran/daftar pembayaran diimpor")
    BPJS_LIST_IMPORTED = "bpjs_list.imported", _("daftar BPJS diimpor untuk dicocokkan")
    WORKLIST_EXPORTED = "worklist.exported", _("daftar kerja diekspor")
    STATEMENT_EXPORTED = "ledger_statement.exported", _("laporan iuran dicetak (ekspor)")
    STATEMENT_PRINTED = "ledger_statement.printed", _("laporan iuran dibuka untuk dicetak")
    BPJS_LIST_EXPORTED = "bpjs_list.exported", _("hasil pencocokan BPJS diekspor")
    API_TOKEN_ISSUED = "api_token.issued", _("token API dibuat")
    API_TOKEN_REVOKED = "api_token.revoked", _("token API dicabut")
    ADMIN_RECORD_CHANGED = "admin_record.changed", _("data diubah lewat halaman admin")
    TARGET_SET = "coverage_target.set", _("target kepesertaan ditetapkan atau diubah")
    DENOMINATOR_SET = "denominator.set", _("jumlah penduduk bekerja ditetapkan atau diubah")
    DENOMINATORS_IMPORTED = "denominator.imported", _("jumlah penduduk bekerja diimpor")
    OUTREACH_EVENT_CREATED = "outreach_event.created", _("kegiatan sosialisasi dicatat")
    OUTREACH_EVENT_UPDATED = "outreach_event.updated", _("kegiatan sosialisasi diubah")
    COUNTING_RULE_CHANGED = "counting_rule.changed", _("aturan penghitungan cakupan diubah")
    COVERAGE_EXPORTED = "coverage.exported", _("laporan cakupan diekspor")

    # --- issue 14: PERISAI agents, their wadah, collections, deposits and incentives
    AGENT_RULES_CHANGED = "agent_rules.changed", _("aturan agen PERISAI diubah")
    WADAH_CREATED = "wadah.created", _("wadah PERISAI dicatat")
    WADAH_UPDATED = "wadah.updated", _("data wadah PERISAI diubah")
    AGENT_CREATED = "agent.created", _("agen PERISAI dicatat")
    AGENT_UPDATED = "agent.updated", _("data agen PERISAI diubah")
    AGENT_DEACTIVATED = "agent.deactivated", _("agen PERISAI dinonaktifkan")
    AGENT_REACTIVATED = "agent.reactivated", _("agen PERISAI diaktifkan kembali")
    AGENT_EXPORTED = "agent.exported", _("data agen PERISAI diekspor")
    COLLECTION_RECORDED = "collection.recorded", _("setoran tunai peserta ke agen dicatat")
    COLLECTION_REVERSED = "collection.reversed", _("penagihan agen dibatalkan")
    DEPOSIT_RECORDED = "deposit.recorded", _("penyetoran agen ke BPJS dicatat")
    DEPOSIT_REVERSED = "deposit.reversed", _("penyetoran agen dibatalkan")
    DEPOSITS_IMPORTED = "deposit.imported", _("penyetoran agen diimpor dari rekening koran")
    INCENTIVE_RULE_CHANGED = "incentive_rule.changed", _("aturan insentif agen diubah")
    INCENTIVE_RUN_FINISHED = "incentive_run.finished", _("perhitungan insentif bulanan selesai")
    INCENTIVE_EXPORTED = "incentive.exported", _("laporan insentif diekspor")
    OFFLINE_SUBMISSION_RECEIVED = "offline_submission.received", _("kiriman luring dari ponsel agen diterima")

    # --- issue 15: death and work-accident claims
    BENEFIT_PARAMETER_CHANGED = "benefit_parameter.changed", _("parameter manfaat klaim diubah")
    CLAIM_REPORTED = "claim.reported", _("kejadian klaim dilaporkan")
    CLAIM_UPDATED = "claim.updated", _("data klaim diubah")
    CLAIM_HELD = "claim.held", _("klaim ditahan menunggu pelunasan tunggakan")
    CLAIM_PREPARED = "claim.prepared", _("klaim disiapkan")
    CLAIM_APPROVED = "claim.approved", _("klaim disetujui")
    CLAIM_REJECTED = "claim.rejected", _("klaim ditolak")
    CLAIM_WITHDRAWN = "claim.withdrawn", _("klaim dibatalkan")
    CLAIM_EXPORTED = "claim.exported", _("data klaim diekspor")
    CLAIM_HEIR_SET = "claim_heir.set", _("ahli waris pada klaim ditambah atau diubah")
    CLAIM_DOCUMENT_ADDED = "claim_document.added", _("dokumen klaim ditambahkan")
    CLAIM_DOCUMENT_WITHDRAWN = "claim_document.withdrawn", _("dokumen klaim ditarik")
    CLAIM_PAYMENT_RECORDED = "claim_payment.recorded", _("pembayaran klaim kepada ahli waris dicatat")
    SCHOLARSHIP_GRANTED = "scholarship.granted", _("beasiswa anak peserta diberikan")

    @property
    def object_type(self) -> str:
        return self.value.split(".", 1)[0]


class AuditEvent(models.Model):
    """Append-only trail of every change to a person or to money.

    Written by services in the same transaction as the change. The database refuses UPDATE and
    DELETE on this table (triggers installed by the migration), and the model refuses them too.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=150)
    event_type = models.CharField(max_length=40, choices=AuditEventType.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    # Region of the object (desa code) so the trail is scoped like the data it describes.
    region_code = models.CharField(max_length=13, blank=True)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx"),
            # One index serves "this desa" and "everything under this kabupaten" (a prefix) alike.
            models.Index(fields=["region_code"], name="audit_region_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.event_type} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")
