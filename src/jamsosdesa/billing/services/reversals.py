"""Undoing money rows by writing reversals: nothing is edited or deleted (docs/design/ledger.md §3, "Reversals").

- `payment_reverse`: the payment's live allocations are reversed, its net credit is withdrawn; if the holder's
  balance would go below zero (the remainder was spent since), the holder's newest allocations are released to
  credit until it is not; then the credit is re-applied, oldest due first. Every row gets a `Reversal` whose
  parent is the payment's.
- `due_void`: a due is cancelled (its allocation first, the money released to the payer's credit, re-applied).
- `void_dues_after`: what an ended enrolment leaves behind (registered in funding's `enrolment_ended_hooks`).

A reversal is never itself reversed: the mistake is mended by recording the payment again, which takes the next
`reinstatement_no` with the same reference.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.models import AuditEventType

from ..access import can_reconcile, scope_payments
from ..live import live
from ..models import (
    Allocation,
    Credit,
    CreditKind,
    Due,
    HolderType,
    Payment,
    QueueStatus,
    ReconciliationItem,
    Reversal,
    ReversalReason,
    ReversalTarget,
)
from ..standing import standing_refresh
from .allocation import allocate, credit_balance, holder_kab, lock_holder


def _already() -> ServiceError:
    return ServiceError(code=ErrorCode.ALREADY_REVERSED, message=_("Pembayaran ini sudah dibatalkan."))


def reversal_of_reversal() -> ServiceError:
    return ServiceError(code=ErrorCode.REVERSAL_OF_REVERSAL,
                        message=_("Pembalikan tidak dapat dibalik; catat ulang pembayarannya."))


def _by(actor):
    return actor if getattr(actor, "pk", None) else None


def _reverse_row(*, actor, target_type: str, target_id: int, amount: int, reason: str, note: str, parent,
                 kab_code: str) -> Reversal:
    """One reversal row; the unique (target_type, target_id) refuses a second one (ALREADY_REVERSED)."""
    try:
        with transaction.atomic():
            return Reversal.objects.create(target_type=target_type, target_id=target_id, amount=amount, reason=reason,
                                           note=note, parent=parent, kab_code=kab_code, created_by=_by(actor),
                                           created_at=clock.now())
    except IntegrityError:
        raise _already() from None


def _reverse_allocation(*, actor, allocation: Allocation, reason: str, parent: Reversal | None, release: bool,
                        note: str = "") -> Reversal:
    """Reverse one allocation; `release` puts its money back in the holder's credit (the due is unpaid again,
    the money stays received)."""
    row = _reverse_row(actor=actor, target_type=ReversalTarget.ALLOCATION, target_id=allocation.pk,
                       amount=allocation.amount, reason=reason, note=note, parent=parent, kab_code=allocation.kab_code)
    if release:
        Credit.objects.create(holder_type=allocation.holder_type, holder_id=allocation.holder_id,
                              kab_code=holder_kab(allocation.holder_type, allocation.holder_id) or allocation.kab_code,
                              amount=allocation.amount, kind=CreditKind.RELEASED, payment_id=allocation.payment_id,
                              allocation=allocation, reversal=row, created_by=_by(actor), created_at=clock.now())
    audit_record(actor=actor, event=AuditEventType.ALLOCATION_REVERSED, obj=allocation, region_code=allocation.kab_code,
                 old={"due": allocation.due_id, "amount": allocation.amount, "payment": allocation.payment_id},
                 new={"reversal": row.pk, "released": release, "reason": reason})
    return row


def _rebalance(*, actor, holder_type: str, holder_id: int, parent: Reversal, reason: str) -> None:
    """While the holder's credit is below zero, release its newest live allocations (newest month first)."""
    balance = credit_balance(holder_type, holder_id)
    if balance >= 0:
        return
    newest = (live(Allocation.objects.filter(holder_type=holder_type, holder_id=holder_id), ReversalTarget.ALLOCATION)
              .select_related("due").order_by("-due__month", "-id"))
    for allocation in newest:
        if balance >= 0:
            break
        _reverse_allocation(actor=actor, allocation=allocation, reason=reason, parent=parent, release=True)
        balance += allocation.amount


def _refresh_standing_under(root: Reversal) -> None:
    """The standing of everyone whose due lost an allocation under this reversal (a payment's: its own
    allocations and those `_rebalance` released), once the holder's credit has been re-applied."""
    due_ids = Allocation.objects.filter(
        pk__in=Reversal.objects.filter(parent=root, target_type=ReversalTarget.ALLOCATION).values("target_id"))
    standing_refresh(Due.objects.filter(pk__in=due_ids.values("due_id")).values_list("participant_id", flat=True))


def _check_reason(reason: str) -> None:
    if reason not in ReversalReason.values:
        message = _("Pilih alasan pembatalan: %(r)s.") % {"r": ", ".join(ReversalReason.values)}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"reason": [message]})


def _close_queue_item(*, actor, payment: Payment, reason: str, note: str, root: Reversal) -> None:
    """A queued payment reversed on its own page (or through the API) leaves the open queue: its item is decided by
    the reversal (refunded, or rejected for any other reason), so no officer is left with an item whose every
    decision fails."""
    item = ReconciliationItem.objects.select_for_update().filter(payment_id=payment.pk,
                                                                status=QueueStatus.OPEN).first()
    if item is None:
        return
    refund = reason == ReversalReason.REFUND
    item.status = QueueStatus.REFUNDED if refund else QueueStatus.REJECTED
    item.decided_by, item.decided_at, item.decision_note = _by(actor), clock.now(), note
    item.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, event=AuditEventType.RECONCILIATION_DECIDED, obj=item, region_code=item.kab_code,
                 old={"status": QueueStatus.OPEN, "reason": item.reason},
                 new={"status": item.status, "decision": "refund" if refund else "reject", "payment": payment.pk,
                      "amount": payment.amount, "reversal": root.pk, "reversal_reason": reason},
                 note=note)


@transaction.atomic
def payment_reverse(*, actor, payment: Payment, reason: str, note: str = "",
                    close_queue_item: bool = True) -> Reversal:
    """Cancel a recorded payment (bounced, a mistake, the wrong person, recorded twice). A branch officer of the
    payment's kabupaten (national admins anywhere) may; anyone else who cannot see it meets 404. A queued payment
    still open in the queue leaves it (`close_queue_item`; the queue's own refund and reject close it themselves)."""
    if not scope_payments(actor).filter(pk=payment.pk).exists():
        raise NotFound(_("Pembayaran %(n)s tidak ada (atau di luar wilayah Anda).") % {"n": payment.pk})
    if not can_reconcile(actor, payment.kab_code):
        raise ServiceError(code=ErrorCode.FORBIDDEN,
                           message=_("Hanya petugas kantor cabang yang dapat membatalkan pembayaran."))
    _check_reason(reason)
    note = (note or "").strip()[:200]
    payment = Payment.objects.get(pk=payment.pk)
    holder_type, holder_id = payment.holder_type, payment.holder_id
    if not holder_type:  # a queued payment: its assigned holder, if it was assigned
        item = getattr(payment, "queue_item", None)
        if item is not None and item.assigned_holder_type:
            holder_type, holder_id = item.assigned_holder_type, item.assigned_holder_id
    if holder_type:
        lock_holder(holder_type, holder_id)
    if Reversal.objects.filter(target_type=ReversalTarget.PAYMENT, target_id=payment.pk).exists():
        raise _already()
    root = _reverse_row(actor=actor, target_type=ReversalTarget.PAYMENT, target_id=payment.pk, amount=payment.amount,
                        reason=reason, note=note, parent=None, kab_code=payment.kab_code)
    reversed_allocations = []
    for allocation in live(Allocation.objects.filter(payment_id=payment.pk), ReversalTarget.ALLOCATION):
        _reverse_allocation(actor=actor, allocation=allocation, reason=reason, parent=root, release=False)
        reversed_allocations.append(allocation.pk)
    net = int(Credit.objects.filter(payment_id=payment.pk).aggregate(s=Sum("amount"))["s"] or 0)
    if net and holder_type:
        Credit.objects.create(holder_type=holder_type, holder_id=holder_id,
                              kab_code=holder_kab(holder_type, holder_id) or payment.kab_code, amount=-net,
                              kind=CreditKind.WITHDRAWN, payment=payment, reversal=root, created_by=_by(actor),
                              created_at=clock.now())
    if holder_type:
        _rebalance(actor=actor, holder_type=holder_type, holder_id=holder_id, parent=root, reason=reason)
        allocate(holder_type, holder_id, actor=actor, ahead=False)
    audit_record(actor=actor, event=AuditEventType.PAYMENT_REVERSED, obj=payment,
                 region_code=payment.desa_code or payment.kab_code,
                 old={"amount": payment.amount, "reference": payment.external_reference},
                 new={"reversal": root.pk, "reason": reason, "allocations_reversed": reversed_allocations,
                      "credit_withdrawn": net},
                 note=note)
    if close_queue_item and not payment.holder_type:
        _close_queue_item(actor=actor, payment=payment, reason=reason, note=note, root=root)
    _refresh_standing_under(root)
    from ..overlays import payment_reversed_hooks  # packages above billing follow (an agent's collection)

    for hook in payment_reversed_hooks:
        hook(actor=actor, payment=payment, reversal=root)
    return root


def reversal_reverse(*, actor, reversal_id: int) -> None:
    """Asked to reverse a reversal: never possible (the API and the command line answer REVERSAL_OF_REVERSAL for a
    reversal the user can see, 404 otherwise)."""
    row = Reversal.objects.filter(pk=reversal_id).first()
    visible = False
    if row is not None:
        root = row
        while root.parent_id:
            root = Reversal.objects.get(pk=root.parent_id)
        if root.target_type == ReversalTarget.PAYMENT:
            visible = scope_payments(actor).filter(pk=root.target_id).exists()
        else:
            visible = can_reconcile(actor, row.kab_code) if row.kab_code else False
    if not visible:
        raise NotFound(_("Pembalikan %(n)s tidak ada (atau di luar wilayah Anda).") % {"n": reversal_id})
    raise reversal_of_reversal()


@transaction.atomic
def due_void(*, actor, due: Due, reason: str, parent: Reversal | None = None, reapply: bool = True) -> Reversal:
    """Cancel a due (billed by mistake, or for a month after its enrolment ended): a live allocation is reversed
    first with its money released to the payer's credit, which then pays the payer's other unpaid dues. Called by
    billing's own code (an enrolment's end, the run's catch-all), not from a page. `reapply=False`: the released
    money stays in the payer's credit, to be handed back (`credits.credit_refund`; a claim's refund of the months
    paid after a death, claims.services.settle_refund)."""
    _check_reason(reason)
    due = Due.objects.get(pk=due.pk)
    holder_type, holder_id = due.holder
    lock_holder(holder_type, holder_id)
    if Reversal.objects.filter(target_type=ReversalTarget.DUE, target_id=due.pk).exists():
        raise ServiceError(code=ErrorCode.ALREADY_REVERSED, message=_("Iuran ini sudah dibatalkan."))
    root = _reverse_row(actor=actor, target_type=ReversalTarget.DUE, target_id=due.pk, amount=due.amount,
                        reason=reason, note="", parent=parent, kab_code=due.kab_code)
    released = 0
    for allocation in live(Allocation.objects.filter(due_id=due.pk), ReversalTarget.ALLOCATION):
        _reverse_allocation(actor=actor, allocation=allocation, reason=reason, parent=root, release=True)
        released += allocation.amount
    audit_record(actor=actor, event=AuditEventType.DUE_VOIDED, obj=due, region_code=due.desa_code,
                 old={"month": due.month, "amount": due.amount, "paid": bool(released)},
                 new={"reversal": root.pk, "reason": reason, "released_to_credit": released,
                      "reapplied": bool(released) and reapply})
    if released and reapply:
        allocate(holder_type, holder_id, actor=actor, ahead=False)
    standing_refresh([due.participant_id])
    return root


def void_dues_after(*, actor, enrolment) -> int:
    """Void the enrolment's live dues for months after its (new) end month; returns how many."""
    dues = live(Due.objects.filter(enrolment_id=enrolment.pk, month__gt=enrolment.end_month),
                ReversalTarget.DUE).order_by("-month", "-id")
    count = 0
    for due in dues:
        due_void(actor=actor, due=due, reason=ReversalReason.ENROLMENT_ENDED)
        count += 1
    return count


def enrolment_ended_hook(*, actor, enrolment) -> None:
    """funding's `enrolment_ended_hooks` entry (billing/apps.py)."""
    void_dues_after(actor=actor, enrolment=enrolment)


__all__ = ["HolderType", "due_void", "enrolment_ended_hook", "payment_reverse", "reversal_of_reversal",
           "reversal_reverse", "void_dues_after"]
