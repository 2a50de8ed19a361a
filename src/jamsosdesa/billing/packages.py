"""Reads of the worker's own package (iuran mandiri): its history and what a month of it costs for this person.

A month is priced by `billing.pricing.price` with the person's sector (PP 50/2025 discounts transport workers
from January 2026 to March 2027, others from April to December 2026; a district's or the state's budget gets no
discount), the same as the billing run prices it."""

from __future__ import annotations

from datetime import date

from jamsosdesa.contributions.book import rate_book
from jamsosdesa.contributions.calculator import RateBook
from jamsosdesa.funding.models import programme_mask

from .models import Membership
from .pricing import Combo, Priced, price


def person_price(participant, month: date, *, programmes, income: int, payer: str = "self", segment: str = "BPU",
                 book: RateBook | None = None) -> Priced:
    """One month of the given programmes and income for this person, paid by `payer`, priced with the person's
    sector."""
    combo = Combo(segment=segment, mask=programme_mask(programmes), income=income, payer=payer,
                  sector=participant.sector)
    return price(book or rate_book(), month, combo)


def package_price(membership: Membership, month: date, *, book: RateBook | None = None) -> Priced:
    """One month of a package for its worker (who pays it himself)."""
    return person_price(membership.participant, month, programmes=membership.programmes, income=membership.income,
                        segment=membership.segment, book=book)


def membership_history(participant) -> list[Membership]:
    """Every package of the person, the latest first."""
    return list(Membership.objects.filter(participant_id=participant.pk).select_related("agent", "participant")
                .order_by("-first_month", "-id"))


def membership_as_json(m: Membership, *, month: date | None = None, book: RateBook | None = None) -> dict:
    """A package as the API and the command line give it; with `month`, what that month costs."""
    data = {"id": m.pk, "segment": m.segment, "programmes": list(m.programmes), "income": m.income,
            "first_month": f"{m.first_month:%Y-%m}", "last_month": f"{m.last_month:%Y-%m}" if m.last_month else None,
            "agent": m.agent.username if m.agent_id else None, "channel": m.channel,
            "replaces": m.replaces_id, "end_reason": m.end_reason or None}
    if month is not None:
        priced = package_price(m, month, book=book)
        data["month"] = f"{month:%Y-%m}"
        data["monthly_amount"] = priced.total if not priced.error else None
        data["discount"] = priced.discount if not priced.error else None
        data["price_error"] = priced.error or None
    return data
