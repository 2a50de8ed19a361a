"""The agents' cash API: collections (record with a client token or an Idempotency-Key: a resend is safe; list),
deposits (record, idempotent on channel and reference; list) and each agent's cash in transit."""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from jamsosdesa.core import clock
from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.roles import Role

from .cash import (
    CollectionRequest,
    DepositRequest,
    cash_in_transit,
    collection_record,
    collections_for,
    deposit_record,
    deposits_for,
    settled_sq,
)
from .models_cash import Collection, Deposit, DepositReversal, DepositSettlement

router = Router()


class CollectionIn(Schema):
    nik: str
    months: int = Field(..., description="Whole months of the worker's own package, oldest unpaid first")
    amount: int | None = Field(None, description="Rupiah; omitted: the exact price of those months")
    collected_on: date | None = Field(None, description="Default today")
    client_token: str = Field("", description="The phone's UUID: a resend with it returns the first collection")


class CollectionOut(Schema):
    id: int
    receipt_number: str
    verification_code: str
    nik: str
    agent: str
    months: int
    first_month: str
    last_month: str
    amount: int
    collected_on: date
    payment_id: int
    settled: int = Field(..., description="Rupiah of it already deposited")
    duplicate: bool = False


class CollectionPageOut(Schema):
    items: list[CollectionOut]
    next_after: int | None


class DepositIn(Schema):
    agent: str = Field(..., description="The agent's username or id")
    channel: str = Field(..., description="perisai | bank")
    reference: str
    amount: int
    deposited_on: date | None = None
    note: str = ""


class SettlementOut(Schema):
    receipt_number: str
    amount: int


class DepositOut(Schema):
    id: int
    agent: str
    channel: str
    reference: str
    amount: int
    deposited_on: date
    reversed: bool
    settlements: list[SettlementOut]
    duplicate: bool = False


class DepositPageOut(Schema):
    items: list[DepositOut]
    next_after: int | None


class TransitOut(Schema):
    agent: str
    agent_id: int
    wadah: str
    kab_code: str
    undeposited: int
    oldest: date
    age_days: int
    flagged: bool = Field(..., description="Older than the programme's deposit_due_days")


def _cash_api_user(request) -> None:
    from jamsosdesa.core.access import sees_everything

    user = request.user
    if not (sees_everything(user) or user.role in (Role.PERISAI_AGENT, Role.WADAH_MANAGER, Role.BRANCH_OFFICER)):
        raise Http404


def _collection_out(c: Collection, shown, *, duplicate: bool = False) -> dict:
    from django.db.models import Sum

    settled = getattr(c, "settled", None)  # annotated on a list (cash.settled_sq): one query for the page
    if settled is None:
        settled = c.settlements.aggregate(s=Sum("amount"))["s"] or 0
    return {"id": c.pk, "receipt_number": c.receipt_number, "verification_code": c.verification_code,
            "nik": shown.nik(c.participant.nik), "agent": c.agent.username, "months": c.months,
            "first_month": f"{c.first_month:%Y-%m}", "last_month": f"{c.last_month:%Y-%m}", "amount": c.amount,
            "collected_on": c.collected_on, "payment_id": c.payment_id, "settled": settled, "duplicate": duplicate}


def _deposit_out(d: Deposit, *, duplicate: bool = False) -> dict:
    rows = getattr(d, "live_settlements", None)  # prefetched on a list (_deposits_page)
    if rows is None:
        rows = d.settlements.filter(reverses__isnull=True).select_related("collection").order_by("id")
    reversed_ = getattr(d, "is_reversed", None)
    if reversed_ is None:
        reversed_ = DepositReversal.objects.filter(deposit_id=d.pk).exists()
    return {"id": d.pk, "agent": d.agent.username, "channel": d.channel, "reference": d.reference,
            "amount": d.amount, "deposited_on": d.deposited_on, "reversed": reversed_,
            "settlements": [{"receipt_number": s.collection.receipt_number, "amount": s.amount} for s in rows],
            "duplicate": duplicate}


@router.post("/agent-collections", **answers({201: CollectionOut, 200: CollectionOut}, E.INVALID, E.NOT_FOUND,
                                             E.FORBIDDEN, E.ACTOR_REFUSED, E.IDEMPOTENCY_CONFLICT, E.MONTH_PAID,
                                             E.NO_PACKAGE,
                                             more="or not_whole_months"),
             summary="Catat penagihan tunai agen (client_token atau Idempotency-Key: kirim ulang aman)")
def collections_create(request, payload: CollectionIn):
    token = payload.client_token or request.headers.get("Idempotency-Key") or ""
    outcome = collection_record(actor=request.user, request=CollectionRequest(
        participant=payload.nik, months=payload.months, amount=payload.amount, collected_on=payload.collected_on,
        client_token=token, source="api"))
    body = _collection_out(outcome.collection, personal_data(request.user, one_person=True),
                           duplicate=outcome.duplicate)
    return Status(200 if outcome.duplicate else 201, body)


@router.get("/agent-collections", **answers({200: CollectionPageOut}, E.NOT_FOUND),
            summary="Daftar penagihan tunai (agen: miliknya; wadah: agennya; cabang: kabupatennya)")
def collections_list(request, after: int | None = None, limit: int = Query(25, ge=1, le=200)):
    _cash_api_user(request)
    qs = (collections_for(request.user).select_related("participant", "agent").annotate(settled=settled_sq())
          .order_by("-id"))
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows = list(qs[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    shown = personal_data(request.user)
    return {"items": [_collection_out(c, shown) for c in rows], "next_after": rows[-1].pk if more and rows else None}


@router.post("/agent-deposits", **answers({201: DepositOut, 200: DepositOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN,
                                          E.REFERENCE_CONFLICT, more="or deposit_too_large"),
             summary="Catat setoran agen ke BPJS (melunasi penagihan tertua lebih dulu)")
def deposits_create(request, payload: DepositIn):
    outcome = deposit_record(actor=request.user, request=DepositRequest(
        agent=payload.agent, channel=payload.channel, reference=payload.reference, amount=payload.amount,
        deposited_on=payload.deposited_on, note=payload.note))
    return Status(200 if outcome.duplicate else 201, _deposit_out(outcome.deposit, duplicate=outcome.duplicate))


@router.get("/agent-deposits", **answers({200: DepositPageOut}, E.NOT_FOUND), summary="Daftar setoran agen")
def deposits_list(request, after: int | None = None, limit: int = Query(25, ge=1, le=200)):
    _cash_api_user(request)
    live = DepositSettlement.objects.filter(reverses__isnull=True).select_related("collection").order_by("id")
    qs = (deposits_for(request.user).select_related("agent")
          .annotate(is_reversed=Exists(DepositReversal.objects.filter(deposit_id=OuterRef("pk"))))
          .prefetch_related(Prefetch("settlements", queryset=live, to_attr="live_settlements")).order_by("-id"))
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows = list(qs[: limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    return {"items": [_deposit_out(d) for d in rows], "next_after": rows[-1].pk if more and rows else None}


@router.get("/agent-cash", **answers({200: list[TransitOut]}, E.NOT_FOUND),
            summary="Uang tunai agen yang belum disetor, tertua lebih dulu")
def cash_list(request, kab: str = ""):
    _cash_api_user(request)
    kab = kab.strip() if len(kab.strip()) == 5 else ""
    return [{"agent": r.agent.user.username, "agent_id": r.agent.pk, "wadah": r.agent.wadah.name,
             "kab_code": r.agent.kab_code, "undeposited": r.undeposited, "oldest": r.oldest,
             "age_days": r.age_days, "flagged": r.flagged}
            for r in cash_in_transit(request.user, on=clock.today(), kab=kab)]

