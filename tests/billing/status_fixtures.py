"""Dues and allocations written directly for the status tests (the billing run and payments have their own tests):
`self_due(p, month(-1))`, `scheme_due(p, month(-1), enrolment)`, `pay(due)` (a live allocation of the due's whole
amount to its holder), `unpay(allocation)`, `void(due)`; `history(p, paid=[...], unpaid=[...])` for a package."""

from datetime import date

import pytest

from jamsosdesa.billing.models import (
    Allocation,
    AllocationOrigin,
    Due,
    Membership,
    Reversal,
    ReversalReason,
    ReversalTarget,
)
from jamsosdesa.billing.policy import policy_cache_clear
from jamsosdesa.billing.standing import standing_refresh
from jamsosdesa.funding.models import Enrolment
from tests.billing.conftest import package


def _due(participant, when: date, *, amount: int, **payer) -> Due:
    scheme = payer["enrolment"].scheme if payer.get("enrolment") else None
    row = Due.objects.create(participant=participant, kab_code=participant.kab_code, desa_code=participant.desa_id,
                             month=when, scheme=scheme, payer_type=scheme.payer_type if scheme else "self",
                             segment="BPU", programme_mask=3, income=1_000_000, jkk=amount - 6_800, jkm=6_800,
                             amount=amount, **payer)
    standing_refresh([participant.pk])  # as the services do after every ledger write
    return row


def self_due(participant, when: date, *, amount: int = 16_800, membership: Membership | None = None) -> Due:
    membership = membership or Membership.objects.filter(participant=participant).first() or package(
        participant, first=when)
    return _due(participant, when, amount=amount, membership=membership)


def scheme_due(participant, when: date, enrolment: Enrolment, *, amount: int = 16_800) -> Due:
    return _due(participant, when, amount=amount, enrolment=enrolment)


def pay(due: Due) -> Allocation:
    holder_type, holder_id = due.holder
    seq = Reversal.objects.filter(target_type=ReversalTarget.ALLOCATION,
                                  target_id__in=Allocation.objects.filter(due=due).values("pk")).count()
    row = Allocation.objects.create(due=due, seq=seq, amount=due.amount, holder_type=holder_type,
                                    holder_id=holder_id, kab_code=due.kab_code, origin=AllocationOrigin.CREDIT)
    standing_refresh([due.participant_id])
    return row


def unpay(allocation: Allocation) -> Reversal:
    row = Reversal.objects.create(target_type=ReversalTarget.ALLOCATION, target_id=allocation.pk,
                                  amount=allocation.amount, reason=ReversalReason.MISTAKE,
                                  kab_code=allocation.kab_code)
    standing_refresh([allocation.due.participant_id])
    return row


def void(due: Due) -> Reversal:
    row = Reversal.objects.create(target_type=ReversalTarget.DUE, target_id=due.pk, amount=due.amount,
                                  reason=ReversalReason.ENROLMENT_ENDED, kab_code=due.kab_code)
    standing_refresh([due.participant_id])
    return row


def history(participant, *, paid=(), unpaid=()) -> list[Due]:
    """The worker's own package billed for the months `paid` (each paid) and `unpaid`."""
    months = sorted([*paid, *unpaid])
    membership = package(participant, first=months[0]) if months else None
    dues = []
    for when in months:
        due = self_due(participant, when, membership=membership)
        if when in paid:
            pay(due)
        dues.append(due)
    return dues


@pytest.fixture(autouse=True)
def fresh_policy_cache():
    """The policy cache lives in the process: rows of one test (rolled back) must not answer for the next."""
    policy_cache_clear()
    yield
    policy_cache_clear()
