"""Dues and allocations written directly for the worklist and statement tests (billing runs and payments have their
own tests): a self-paid month of Rp16,800 (JKK Rp10,000 + JKM Rp6,800 on Rp1,000,000, no discount) and its
payment."""

from datetime import date

from jamsosdesa.billing.models import Allocation, Due, HolderType, Membership, Payment
from jamsosdesa.billing.standing import standing_refresh
from jamsosdesa.funding.models import Enrolment

JKK, JKM = 10_000, 6_800
MONTHLY = JKK + JKM

_refs = iter(range(1, 10**6))


def due(payer: Membership | Enrolment, when: date, *, jkk: int = JKK, jkm: int = JKM) -> Due:
    own = isinstance(payer, Membership)
    row = Due.objects.create(
        participant_id=payer.participant_id, kab_code=payer.kab_code, desa_code=payer.desa_code, month=when,
        membership=payer if own else None, enrolment=None if own else payer,
        scheme_id=None if own else payer.scheme_id, payer_type="self" if own else payer.scheme.payer_type,
        segment="BPU", programme_mask=3, income=1_000_000, jkk=jkk, jkm=jkm, amount=jkk + jkm)
    standing_refresh([row.participant_id])  # what the services do after writing ledger rows
    return row


def pay(dues: list[Due], *, amount: int | None = None, paid_on: date | None = None, reference: str = "") -> Payment:
    """One payment allocated whole to these dues (of one holder); `amount` above their sum leaves no credit row
    here (the statement tests write credit themselves)."""
    first = dues[0]
    holder_type, holder_id = first.holder
    person = holder_type == HolderType.PARTICIPANT
    payment = Payment.objects.create(
        channel="agent" if person else "bank", external_reference=reference or f"R{next(_refs)}",
        request_hash="x", amount=amount or sum(d.amount for d in dues), paid_on=paid_on or first.month,
        target_kind="person" if person else "invoice", participant_id=first.participant_id if person else None,
        holder_type=holder_type, holder_id=holder_id, kab_code=first.kab_code, desa_code=first.desa_code)
    Allocation.objects.bulk_create([Allocation(due=d, amount=d.amount, payment=payment, holder_type=holder_type,
                                               holder_id=holder_id, kab_code=d.kab_code) for d in dues])
    standing_refresh({d.participant_id for d in dues})
    return payment
