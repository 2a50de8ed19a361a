"""The reconciliation queue's decisions (docs/design/ledger.md §3, "Reconciliation queue").

A queued payment was received but matched nothing, or several things. A branch officer of the item's kabupaten
(national admins anywhere) decides, once, and each decision is audited:
- **assign** to a participant or a collective invoice: the money is allocated to that holder (oldest due first,
  the rest its credit; allocations carry origin `queue`). The payment row keeps its empty holder; the item's
  `assigned_holder_*` says whose it became, so the payer is coalesce(payment.holder, item.assigned_holder).
- **refund**: the money went back to who paid it: a reversal of the payment (reason `refund`).
- **reject**: not a contribution at all (a wrong transfer, a bank fee): a reversal (reason `other`) with the note.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.models import AuditEventType

from ..access import can_pay_invoice, can_reconcile, can_record_payment, scope_invoices, scope_queue
from ..models import (
    HolderType,
    Invoice,
    Payment,
    QueueStatus,
    ReconciliationItem,
    Reversal,
    ReversalReason,
    ReversalTarget,
)
from .allocation import allocate, holder_kab, lock_holder
from .reversals import payment_reverse

DECISIONS = {"assign": QueueStatus.ASSIGNED, "refund": QueueStatus.REFUNDED, "reject": QueueStatus.REJECTED}
NOTE_MAX = 200


def queue_item_get(*, user, pk: int) -> ReconciliationItem | None:
    """An item the user may see (a branch officer: its kabupaten's), or None: callers answer 404."""
    return scope_queue(user).select_related("payment").filter(pk=pk).first()


def _holder(actor, holder) -> tuple[str, int, str]:
    """(holder type, holder id, what the audit calls it) of a participant or an invoice the actor may pay for."""
    from jamsosdesa.participants.access import scope_participants
    from jamsosdesa.participants.models import Participant

    if isinstance(holder, Participant):
        if not scope_participants(actor).filter(pk=holder.pk).exists() or not can_record_payment(actor, holder):
            raise NotFound(_("Peserta itu tidak ada (atau di luar wilayah Anda)."))
        return HolderType.PARTICIPANT, holder.pk, f"participant:{holder.pk}"
    if isinstance(holder, Invoice):
        if not scope_invoices(actor).filter(pk=holder.pk).exists() or not can_pay_invoice(actor, holder):
            raise NotFound(_("Tagihan itu tidak ada (atau di luar wilayah Anda)."))
        return HolderType.SCHEME, holder.scheme_id, f"invoice:{holder.number}"
    message = _("Pilih peserta (NIK) atau tagihan kolektif (nomor) yang menerima pembayaran ini.")
    raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"holder": [message]})


@transaction.atomic
def queue_decide(*, actor, item: ReconciliationItem, decision: str, holder=None, note: str = "") -> ReconciliationItem:
    """Decide an open item: assign (to `holder`, a Participant or an Invoice), refund or reject. Outside the actor's
    queue: NotFound (404), whatever the item is."""
    found = scope_queue(actor).select_for_update().filter(pk=item.pk).first()
    if found is None or not can_reconcile(actor, found.kab_code or "-"):
        raise NotFound(_("Antrean %(n)s tidak ada (atau di luar wilayah Anda).") % {"n": item.pk})
    item = found
    if decision not in DECISIONS:
        message = _("Pilih keputusan: berikan, kembalikan, atau tolak.")
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"decision": [message]})
    if item.status != QueueStatus.OPEN:
        raise ServiceError(code=ErrorCode.NOT_READY, message=_("Antrean ini sudah diputuskan (%(s)s).") % {
            "s": item.get_status_display()})
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        message = _("Catatan paling banyak %(n)d karakter.") % {"n": NOTE_MAX}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"note": [message]})
    if decision == "reject" and not note:
        message = _("Tulis alasan penolakan (mis. bukan iuran, salah transfer).")
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"note": [message]})
    payment = Payment.objects.get(pk=item.payment_id)
    if Reversal.objects.filter(target_type=ReversalTarget.PAYMENT, target_id=payment.pk).exists():
        raise ServiceError(code=ErrorCode.ALREADY_REVERSED, message=_("Pembayaran ini sudah dibatalkan."))
    new: dict = {"status": DECISIONS[decision], "decision": decision, "payment": payment.pk, "amount": payment.amount}
    if decision == "assign":
        holder_type, holder_id, named = _holder(actor, holder)
        lock_holder(holder_type, holder_id)
        done = allocate(holder_type, holder_id, payment=payment, actor=actor,
                        kab_code=holder_kab(holder_type, holder_id) or item.kab_code)
        item.assigned_holder_type, item.assigned_holder_id = holder_type, holder_id
        new.update(holder=named, months=[f"{m:%Y-%m}" for m in done.months], allocated=done.total,
                   credit=done.credit_row.amount if done.credit_row else 0)
    else:
        reason = ReversalReason.REFUND if decision == "refund" else ReversalReason.OTHER
        reversal = payment_reverse(actor=actor, payment=payment, reason=reason, note=note, close_queue_item=False)
        new["reversal"] = reversal.pk
    item.status = DECISIONS[decision]
    item.decided_by = actor if getattr(actor, "pk", None) else None
    item.decided_at = clock.now()
    item.decision_note = note
    item.save(update_fields=["status", "assigned_holder_type", "assigned_holder_id", "decided_by", "decided_at",
                             "decision_note"])
    audit_record(actor=actor, event=AuditEventType.RECONCILIATION_DECIDED, obj=item, region_code=item.kab_code,
                 old={"status": QueueStatus.OPEN, "reason": item.reason}, new=new, note=note)
    return item
