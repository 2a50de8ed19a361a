"""Where money goes: a holder's pool (credit balance plus new money) pays its unpaid dues, whole dues only, oldest
first; what is left stays the holder's credit (docs/design/ledger.md §3).

- A person (holder `P`, a self-payer) pays its package's dues by month, then id. When the pool still covers the
  next month and the person has an open package, the months ahead are billed first (`dues.membership_dues`) up to
  `this_month + BILLING_MAX_MONTHS_AHEAD - 1`; a pool that would pay beyond is refused (TOO_FAR_AHEAD).
- A scheme payer (holder `S`) pays its invoices' lines in the order `(month, desa_code, name, line id)`.

Callers hold the holder's row lock (`lock_holder`); nothing here updates or deletes a money row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.months import add_months

from ..live import live
from ..models import (
    Allocation,
    AllocationOrigin,
    Credit,
    CreditKind,
    Due,
    HolderType,
    Membership,
    Reversal,
    ReversalTarget,
)
from ..standing import standing_after_payment


@dataclass
class Allocated:
    """What one call of `allocate` did."""

    allocations: list[Allocation] = field(default_factory=list)
    credit_row: Credit | None = None  # the payment's remainder, or the credit used
    balance: int = 0  # the holder's credit balance afterwards

    @property
    def months(self) -> list[date]:
        return sorted({a.due.month for a in self.allocations})

    @property
    def total(self) -> int:
        return sum(a.amount for a in self.allocations)


def credit_balance(holder_type: str, holder_id: int) -> int:
    """The holder's unallocated money: the sum of its credit journal (never below zero; ledger check 6)."""
    total = Credit.objects.filter(holder_type=holder_type, holder_id=holder_id).aggregate(s=Sum("amount"))["s"]
    return int(total or 0)


def holder_kab(holder_type: str, holder_id: int) -> str:
    """The kabupaten a holder's credit rows carry: the person's own, or the scheme owner's ('' for a wider one)."""
    if holder_type == HolderType.PARTICIPANT:
        from jamsosdesa.participants.models import Participant

        return Participant.objects.filter(pk=holder_id).values_list("kab_code", flat=True).first() or ""
    from jamsosdesa.funding.models import Scheme

    scheme = Scheme.objects.filter(pk=holder_id).first()
    return (scheme.owner_code or "")[:5] if scheme else ""


def lock_holder(holder_type: str, holder_id: int) -> None:
    """Take the holder's row lock (the participant or the scheme row) for the rest of the transaction, so two
    payments or a payment and a reversal of one holder allocate one after the other; on PostgreSQL also the billing
    lock, shared. SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        # Shared with other payments, exclusive for the billing run's invoicing and credit steps (ledger.md §2), so
        # a payment never allocates half-way through a run's credit step and never waits for a whole chunk.
        from .run import BILLING_LOCK

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [BILLING_LOCK])
    if holder_type == HolderType.PARTICIPANT:
        from jamsosdesa.participants.models import Participant as Row
    else:
        from jamsosdesa.funding.models import Scheme as Row
    list(Row.objects.select_for_update().filter(pk=holder_id).values_list("pk", flat=True))


def _live_allocation_of_due():
    return live(Allocation.objects.filter(due_id=OuterRef("pk")), ReversalTarget.ALLOCATION)


def unpaid_dues(holder_type: str, holder_id: int) -> list[Due]:
    """The holder's live, unpaid dues in the order they are paid."""
    if holder_type == HolderType.PARTICIPANT:
        qs = Due.objects.filter(participant_id=holder_id, membership__isnull=False).order_by("month", "id")
    else:
        qs = (Due.objects.filter(scheme_id=holder_id, enrolment__isnull=False, invoice_line__isnull=False)
              .select_related("invoice_line")
              .order_by("month", "invoice_line__desa_code", "invoice_line__name", "invoice_line__id"))
    qs = live(qs, ReversalTarget.DUE).filter(~Exists(_live_allocation_of_due()))
    return list(qs)


def _next_seq(due: Due) -> int:
    """The allocation's `seq`: how many earlier allocations of the due were reversed (there is no live one)."""
    return Allocation.objects.filter(due_id=due.pk).count()


def _too_far(limit: date, most: int) -> ServiceError:
    message = _("Pembayaran terlalu besar: paling banyak %(n)s bulan di muka (sampai %(m)s): %(max)s.") % {
        "n": settings.BILLING_MAX_MONTHS_AHEAD, "m": f"{limit:%m/%Y}", "max": rupiah(max(most, 0))}
    return ServiceError(code=ErrorCode.TOO_FAR_AHEAD, message=message, fields={"amount": [message]})


def allocate(holder_type: str, holder_id: int, *, payment=None, actor, run=None, ahead: bool | None = None,
             kab_code: str | None = None, book=None) -> Allocated:
    """Pay the holder's unpaid dues from its pool: its credit balance plus `payment.amount` (when given).

    With a payment, the allocations carry it (origin `payment`, or `queue` for a queued one assigned later) and
    one `remainder` credit row (pool left − balance before, signed) accounts for the rest. Without one (re-applying
    credit after a reversal, or a billing run's new dues), the allocations come from credit (origin `credit`) and
    one `used` row takes their sum off the balance. `ahead` (default: with a payment) bills a person's months
    ahead as the pool allows. The caller holds `lock_holder`. `book`: the rate book to price months billed here
    (one per statement import, so a file of thousands of lines builds it once)."""
    balance = credit_balance(holder_type, holder_id)
    new_money = payment.amount if payment is not None else 0
    pool = balance + new_money
    if ahead is None:
        ahead = payment is not None
    kab = kab_code if kab_code is not None else (payment.kab_code if payment is not None and payment.kab_code
                                                 else holder_kab(holder_type, holder_id))
    chosen: list[Due] = []
    if ahead and holder_type == HolderType.PARTICIPANT:
        book = _bill_gaps(holder_id, book)
    unpaid = unpaid_dues(holder_type, holder_id)
    unpaid_before = len(unpaid)
    for due in unpaid:
        if due.amount > pool:
            break  # whole dues only, oldest first: a later, cheaper month is not paid before this one
        chosen.append(due)
        pool -= due.amount
    if ahead and holder_type == HolderType.PARTICIPANT and len(chosen) == unpaid_before and pool > 0:
        chosen, pool = _pay_ahead(holder_id, chosen, pool, balance, book)
    origin = AllocationOrigin.PAYMENT if payment is not None else AllocationOrigin.CREDIT
    if payment is not None and not payment.holder_type:
        origin = AllocationOrigin.QUEUE
    now = clock.now()
    rows = [Allocation(due=due, seq=_next_seq(due), amount=due.amount, payment=payment, holder_type=holder_type,
                       holder_id=holder_id, kab_code=due.kab_code, origin=origin, run=run,
                       created_by=actor if getattr(actor, "pk", None) else None, created_at=now)
            for due in chosen]
    Allocation.objects.bulk_create(rows)
    for row, due in zip(rows, chosen, strict=True):
        row.due = due
    standing_after_payment(due.pk for due in chosen)
    spent = sum(d.amount for d in chosen)
    credit_row = None
    if payment is not None:
        remainder = new_money - spent  # = (pool left) − (balance before)
        if remainder:
            credit_row = Credit.objects.create(holder_type=holder_type, holder_id=holder_id, kab_code=kab,
                                               amount=remainder, kind=CreditKind.REMAINDER, payment=payment, run=run,
                                               created_by=actor if getattr(actor, "pk", None) else None,
                                               created_at=now)
    elif spent:
        credit_row = Credit.objects.create(holder_type=holder_type, holder_id=holder_id, kab_code=kab, amount=-spent,
                                           kind=CreditKind.USED, run=run,
                                           created_by=actor if getattr(actor, "pk", None) else None, created_at=now)
    return Allocated(allocations=rows, credit_row=credit_row, balance=balance + new_money - spent)


def _open_package(participant_id: int) -> Membership | None:
    return (Membership.objects.filter(participant_id=participant_id, last_month__isnull=True)
            .order_by("-first_month").first())


def _last_billable_month(participant_id: int) -> date | None:
    """The last month a deactivated person may be billed for (the month they left: the run bills a month when they
    were still registered at its start); None while they are registered."""
    from django.utils import timezone

    from jamsosdesa.participants.models import Participant

    row = Participant.objects.filter(pk=participant_id).values("is_active", "deactivated_at").first()
    if row is None or row["is_active"] or row["deactivated_at"] is None:
        return None
    return timezone.localtime(row["deactivated_at"]).date().replace(day=1)


def _bill_gaps(participant_id: int, book):
    """Bill the open package's months from this month (or its first) up to the latest month already billed, where
    one is missing: a month billed early (a run for next month before this month's) must not be paid before this
    month, which the oldest-first walk can only see once it is billed. Returns the rate book (built when needed)."""
    membership = _open_package(participant_id)
    if membership is None:
        return book
    start = max(membership.first_month, clock.this_month())
    latest = (Due.objects.filter(participant_id=participant_id, membership_id=membership.pk, month__gt=start)
              .order_by("-month").values_list("month", flat=True).first())
    if latest is None:
        return book
    billed = set(Due.objects.filter(participant_id=participant_id, membership_id=membership.pk,
                                    month__gte=start, month__lte=latest).values_list("month", flat=True))
    left = _last_billable_month(participant_id)
    if left is not None and left < latest:
        latest = add_months(left, 1)
    missing, month = [], start
    while month < latest:
        if month not in billed:
            missing.append(month)
        month = add_months(month, 1)
    if missing:
        from jamsosdesa.contributions.book import rate_book

        from .dues import membership_dues

        book = book or rate_book()
        membership_dues(membership, missing, book=book)
    return book


def _pay_ahead(participant_id: int, chosen: list[Due], pool: int, balance: int, book=None) -> tuple[list[Due], int]:
    """After every unpaid due: bill and take the open package's next months while the pool covers a whole one, up
    to this month + BILLING_MAX_MONTHS_AHEAD - 1. A pool that would still pay the month after is refused."""
    from .dues import membership_dues, membership_price

    membership = _open_package(participant_id)
    if membership is None:
        return chosen, pool
    from jamsosdesa.contributions.book import rate_book

    book = book or rate_book()
    limit = add_months(clock.this_month(), settings.BILLING_MAX_MONTHS_AHEAD - 1)
    left = _last_billable_month(participant_id)
    if left is not None and left < limit:
        limit = left  # a person who left is billed no month after it (as the run's PERSON_OK): the rest is credit
    taken = {d.pk for d in chosen}
    month = max(membership.first_month, clock.this_month())
    while month <= limit:
        existing = Due.objects.filter(participant_id=participant_id, month=month, membership_id=membership.pk).first()
        if existing is not None:
            settled = (existing.pk in taken
                       or Reversal.objects.filter(target_type=ReversalTarget.DUE, target_id=existing.pk).exists()
                       or live(Allocation.objects.filter(due_id=existing.pk), ReversalTarget.ALLOCATION).exists())
            if not settled:  # an unpaid due the first pass could not take: nothing is paid after it
                return chosen, pool
            month = add_months(month, 1)
            continue
        priced = membership_price(membership, month, book=book)
        if priced.error:
            return chosen, pool  # no rate yet for that month: the rest stays credit
        if priced.total and priced.total > pool:
            return chosen, pool
        if priced.total:
            chosen.extend(membership_dues(membership, [month], book=book))
            pool -= chosen[-1].amount
        month = add_months(month, 1)
    if left is not None and left == limit:
        return chosen, pool
    after = membership_price(membership, month, book=book)
    if not after.error and after.total and pool >= after.total:
        raise _too_far(limit, sum(d.amount for d in chosen) - balance)
    return chosen, pool


def apply_credit_to_new_dues(*, run, kab_code: str) -> int:
    """After a billing run's chunk for `kab_code`: every holder there with a positive credit balance pays its unpaid
    dues from it, oldest first (whole dues). Returns the rupiah applied. Scheme payers' lines exist only once the
    run has invoiced, so the run calls this again after invoicing (with the owner's kabupaten)."""
    sql = ("SELECT holder_type, holder_id FROM billing_credit WHERE kab_code = %s "
           "GROUP BY holder_type, holder_id HAVING SUM(amount) > 0 ORDER BY holder_type, holder_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [kab_code])
        holders = cursor.fetchall()
    applied = 0
    actor = getattr(run, "created_by", None) if run is not None else None
    for holder_type, holder_id in holders:
        lock_holder(holder_type, holder_id)
        done = allocate(holder_type, holder_id, actor=actor, run=run, ahead=False)
        applied += done.total
    return applied


def months_to_pay(participant_id: int, count: int, *, book=None) -> list[tuple[date, int]]:
    """The next `count` months a person's payment would pay, oldest first, with each month's price: the unpaid dues
    of its package(s), then the open package's months ahead as `allocate` would bill them (up to this month +
    BILLING_MAX_MONTHS_AHEAD - 1). Fewer when fewer are payable (none: nothing is left to pay). For a door that sells
    whole months (an agent's cash collection); the caller holds `lock_holder`. Bills missing months between this
    month and the latest billed one, as `allocate` does first."""
    from .dues import membership_price

    book = _bill_gaps(participant_id, book)
    found: dict[date, int] = {}
    for due in unpaid_dues(HolderType.PARTICIPANT, participant_id):
        if due.month not in found and len(found) == count:
            return list(found.items())
        found[due.month] = found.get(due.month, 0) + due.amount
    membership = _open_package(participant_id)
    if membership is None or len(found) >= count:
        return list(found.items())
    from jamsosdesa.contributions.book import rate_book

    book = book or rate_book()
    limit = add_months(clock.this_month(), settings.BILLING_MAX_MONTHS_AHEAD - 1)
    left = _last_billable_month(participant_id)
    if left is not None and left < limit:
        limit = left
    billed = set(Due.objects.filter(participant_id=participant_id, membership_id=membership.pk)
                 .values_list("month", flat=True))
    month = max(membership.first_month, clock.this_month())
    while month <= limit and len(found) < count:
        if month not in billed:
            priced = membership_price(membership, month, book=book)
            if priced.error:
                break  # no rate yet for that month
            if priced.total:
                found[month] = priced.total
        month = add_months(month, 1)
    return list(found.items())
