"""Dues of one worker's own package for chosen months: what a payment that pays ahead bills before it allocates.

The billing run bills everyone set-based (services/run.py); this prices the same way (`pricing.price`, with the
programmes a scheme pays that month taken off) for one membership, and is idempotent: a month already billed
returns its due."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction

from jamsosdesa.contributions.book import rate_book
from jamsosdesa.contributions.models import PayerType
from jamsosdesa.core import clock
from jamsosdesa.funding.models import Enrolment

from ..models import Due, Membership
from ..pricing import Combo, Priced, price
from ..standing import standing_refresh


def _covered_mask(participant_id: int, month: date) -> int:
    """The programmes schemes pay for the person in `month` (funding refuses overlaps, so OR is a sum)."""
    mask = 0
    for scheme_mask in (Enrolment.objects.filter(participant_id=participant_id, start_month__lte=month,
                                                 end_month__gte=month)
                        .values_list("scheme__programme_mask", flat=True)):
        mask |= scheme_mask
    return mask


def membership_price(membership: Membership, month: date, *, book=None, sector: str | None = None) -> Priced:
    """The package's due for `month` as the billing run would price it (less what a scheme pays that month)."""
    if sector is None:
        from jamsosdesa.participants.models import Participant

        sector = Participant.objects.filter(pk=membership.participant_id).values_list("sector", flat=True).first()
    combo = Combo(segment=membership.segment, mask=membership.programme_mask, income=membership.income,
                  payer=PayerType.SELF, sector=sector or "umum")
    priced = price(book or rate_book(), month, combo)
    if priced.error:
        return priced
    return priced.without(_covered_mask(membership.participant_id, month))


def membership_dues(membership: Membership, months: Iterable[date], *, run=None, book=None) -> list[Due]:
    """The package's dues for `months` (inside its period), created when missing; a month the engine cannot price
    or a scheme pays in full has none. Returns the dues in month order."""
    from jamsosdesa.participants.models import Participant

    person = Participant.objects.only("pk", "sector").get(pk=membership.participant_id)
    book = book or rate_book()
    found: list[Due] = []
    created = False
    for month in sorted(set(months)):
        if month < membership.first_month or (membership.last_month and month > membership.last_month):
            continue
        existing = Due.objects.filter(participant_id=membership.participant_id, month=month,
                                      membership_id=membership.pk).first()
        if existing is not None:
            found.append(existing)
            continue
        priced = membership_price(membership, month, book=book, sector=person.sector)
        if priced.error or priced.total <= 0:
            continue
        due = Due(participant_id=membership.participant_id, kab_code=membership.kab_code,
                  desa_code=membership.desa_code, month=month, membership=membership, payer_type=PayerType.SELF,
                  segment=membership.segment, sector=person.sector, programme_mask=membership.programme_mask,
                  income=membership.income, jkk=priced.jkk, jkm=priced.jkm, jht=priced.jht, jp=priced.jp,
                  discount=priced.discount, amount=priced.total, run=run, created_at=clock.now())
        try:
            with transaction.atomic():
                due.save()
            created = True
        except IntegrityError:  # a billing run billed the month meanwhile: take its due
            due = Due.objects.get(participant_id=membership.participant_id, month=month, membership_id=membership.pk)
        found.append(due)
    if created:  # a new unpaid due can make a fully paid month (another payer's) unpaid
        standing_refresh([membership.participant_id])
    return found
