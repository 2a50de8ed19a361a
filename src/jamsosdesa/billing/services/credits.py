"""Money handed back from a holder's credit (`Credit` kind `refunded`, negative): the one door that lowers a
credit balance other than paying a due. Ledger check 6 counts these rows on both sides (the balance and the
payments less allocations less refunds), so the check stays green.

Used by claims.services.settle_refund: the months a participant paid after a death (or a total permanent
disability) are voided without re-applying their money (`reversals.due_void(..., reapply=False)`), then handed back
with the claim. Who may: who reverses payments (`billing.access.can_reconcile`: a branch officer of the holder's
kabupaten, a national admin); anyone else meets 404 as for a holder they cannot see.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.text import has_bad_chars

from ..access import can_reconcile
from ..models import Credit, CreditKind, HolderType
from .allocation import credit_balance, holder_kab, lock_holder


def _invalid(field: str, message: str) -> ServiceError:
    return ServiceError(code=ErrorCode.INVALID, message=message, fields={field: [message]})


@transaction.atomic
def credit_refund(*, actor, holder_type: str, holder_id: int, amount: int, note: str = "") -> Credit:
    """Hand `amount` rupiah of the holder's credit back to the payer: one `refunded` credit row of -amount, under the
    holder's lock, never more than the balance; audited (`payment.reversed` on the credit row, reason `refund`: a
    dedicated audit type needs a core migration)."""
    if holder_type not in HolderType.values:
        raise NotFound()
    kab = holder_kab(holder_type, holder_id)
    if not kab or not can_reconcile(actor, kab):
        raise NotFound()
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise _invalid("amount", _("Jumlah yang dikembalikan harus bilangan bulat rupiah lebih dari nol."))
    note = (note or "").strip()
    if has_bad_chars(note):
        raise _invalid("note", _("Keterangan berisi karakter yang tidak sah."))
    lock_holder(holder_type, holder_id)
    balance = credit_balance(holder_type, holder_id)
    if amount > balance:
        raise _invalid("amount", _("Saldo titipan hanya %(b)s: tidak dapat mengembalikan %(a)s.") % {
            "b": rupiah(balance), "a": rupiah(amount)})
    row = Credit.objects.create(holder_type=holder_type, holder_id=holder_id, kab_code=kab, amount=-amount,
                                kind=CreditKind.REFUNDED, created_by=actor if getattr(actor, "pk", None) else None,
                                created_at=clock.now())
    audit_record(actor=actor, event=AuditEventType.PAYMENT_REVERSED, obj=row, object_type="credit", region_code=kab,
                 old={"holder": f"{holder_type}{holder_id}", "balance": balance},
                 new={"kind": CreditKind.REFUNDED, "reason": "refund", "amount": amount, "balance": balance - amount},
                 note=note[:200])
    return row


__all__ = ["credit_refund"]
