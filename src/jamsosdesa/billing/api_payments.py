"""Billing's API: payments (record with an Idempotency-Key, list, one with its allocations, reverse)."""

from datetime import date
from typing import Annotated, Literal

from django.conf import settings
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import StrictInt

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.presenters import PersonalData, personal_data

from .access import scope_payments
from .live import reversed_only
from .models import Allocation, Credit, Invoice, Payment, PaymentChannel, PaymentSource, Reversal, ReversalReason
from .services.payments import PaymentRequest, payment_get, payment_record
from .services.reversals import payment_reverse, reversal_reverse

router = Router()

AMOUNT = Field(description="Rupiah, bilangan bulat", json_schema_extra={"minimum": 1,
                                                                        "maximum": settings.PAYMENT_MAX_AMOUNT})


class PaymentIn(Schema):
    """One of `nik` (a person's own dues) or `invoice` (a collective invoice's number)."""

    nik: str = ""
    invoice: str = ""
    amount: Annotated[StrictInt, AMOUNT]
    paid_on: date
    reference: str = Field(..., description="Nomor kuitansi/transfer, 1-64 karakter")
    channel: Literal[tuple(PaymentChannel.values)] = PaymentChannel.BANK
    note: str = ""


class PaymentReverseIn(Schema):
    reason: Literal[tuple(r for r in ReversalReason.values
                          if r not in (ReversalReason.ENROLMENT_ENDED, ReversalReason.MEMBERSHIP_ENDED))]
    note: str = ""


class PaymentAllocationOut(Schema):
    id: int
    due_id: int
    month: str
    amount: int
    origin: str
    reversed: bool


class PaymentCreditOut(Schema):
    kind: str
    amount: int


class PaymentOut(Schema):
    id: int
    channel: str
    source: str
    reference: str
    reinstatement_no: int
    amount: int
    paid_on: date
    target_kind: str
    nik: str
    invoice: str
    holder_type: str
    holder_id: int | None
    kab_code: str
    reversed: bool
    duplicate: bool = False
    months: list[str] = []
    credit: int | None = Field(None, description="Saldo titipan pemegang sesudah pembayaran ini (saat dicatat)")


class PaymentDetailOut(PaymentOut):
    allocations: list[PaymentAllocationOut]
    credits: list[PaymentCreditOut]
    reversal_id: int | None


class PaymentPageOut(Schema):
    items: list[PaymentOut]
    next_after: int | None


class PaymentReversalOut(Schema):
    id: int
    payment_id: int
    reason: str
    reversed_allocations: int


def _out(payment: Payment, shown: PersonalData, *, gone: bool) -> dict:
    nik = payment.participant.nik if payment.participant_id else ""
    invoice = Invoice.objects.filter(pk=payment.invoice_id).values_list("number", flat=True).first() \
        if payment.invoice_id else ""
    return {"id": payment.pk, "channel": payment.channel, "source": payment.source,
            "reference": payment.external_reference, "reinstatement_no": payment.reinstatement_no,
            "amount": payment.amount, "paid_on": payment.paid_on, "target_kind": payment.target_kind,
            "nik": shown.nik(nik), "invoice": invoice or "", "holder_type": payment.holder_type,
            "holder_id": payment.holder_id, "kab_code": payment.kab_code, "reversed": gone}


def _detail(payment: Payment, shown: PersonalData) -> dict:
    rows = list(Allocation.objects.filter(payment_id=payment.pk).select_related("due").order_by("id"))
    gone = set(reversed_only(Allocation.objects.filter(payment_id=payment.pk), "allocation")
               .values_list("pk", flat=True))
    reversal = Reversal.objects.filter(target_type="payment", target_id=payment.pk).values_list("pk", flat=True).first()
    return {**_out(payment, shown, gone=reversal is not None),
            "allocations": [{"id": a.pk, "due_id": a.due_id, "month": f"{a.due.month:%Y-%m}", "amount": a.amount,
                             "origin": a.origin, "reversed": a.pk in gone} for a in rows],
            "credits": [{"kind": c.kind, "amount": c.amount}
                        for c in Credit.objects.filter(payment_id=payment.pk).order_by("id")],
            "reversal_id": reversal}


def _get(request, pk: int) -> Payment:
    payment = payment_get(user=request.user, pk=pk)
    if payment is None:
        raise Http404
    return payment


@router.post("/payments", **answers({201: PaymentOut, 200: PaymentOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN,
                                    E.IDEMPOTENCY_CONFLICT, E.REFERENCE_CONFLICT, E.TOO_FAR_AHEAD),
             summary="Catat pembayaran (header Idempotency-Key: kirim ulang aman)")
def payments_create(request, payload: PaymentIn):
    outcome = payment_record(actor=request.user, request=PaymentRequest(
        amount=payload.amount, paid_on=payload.paid_on, reference=payload.reference, channel=payload.channel,
        nik=payload.nik, invoice=payload.invoice, source=PaymentSource.API, note=payload.note,
        idempotency_key=request.headers.get("Idempotency-Key") or None))
    shown = personal_data(request.user, one_person=True)
    body = {**_out(outcome.payment, shown, gone=False), "duplicate": outcome.duplicate,
            "months": [f"{m:%Y-%m}" for m in outcome.months], "credit": outcome.credit}
    return Status(200 if outcome.duplicate else 201, body)


@router.get("/payments", **answers({200: PaymentPageOut}), summary="Daftar pembayaran")
def payments_list(request, nik: str = "", after: int | None = None, limit: int = Query(25, ge=1, le=200)):
    qs = scope_payments(request.user).select_related("participant").order_by("-id")
    if nik:
        qs = qs.filter(participant__nik=nik.strip())
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    gone = set(reversed_only(Payment.objects.filter(pk__in=[p.pk for p in rows]), "payment")
               .values_list("pk", flat=True))
    shown = personal_data(request.user)
    return {"items": [_out(p, shown, gone=p.pk in gone) for p in rows],
            "next_after": rows[-1].pk if more and rows else None}


@router.get("/payments/{pk}", **answers({200: PaymentDetailOut}, E.NOT_FOUND), summary="Satu pembayaran")
def payments_get(request, pk: int):
    return _detail(_get(request, pk), personal_data(request.user, one_person=True))


@router.post("/payments/{pk}/reverse", **answers({200: PaymentReversalOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN,
                                                 E.ALREADY_REVERSED),
             summary="Batalkan pembayaran (petugas cabang)")
def payments_reverse(request, pk: int, payload: PaymentReverseIn):
    payment = _get(request, pk)
    root = payment_reverse(actor=request.user, payment=payment, reason=payload.reason, note=payload.note)
    return {"id": root.pk, "payment_id": payment.pk, "reason": root.reason,
            "reversed_allocations": Reversal.objects.filter(parent=root, target_type="allocation").count()}


@router.post("/reversals/{pk}/reverse", **answers({200: PaymentReversalOut}, E.NOT_FOUND, E.FORBIDDEN,
                                                  E.REVERSAL_OF_REVERSAL),
             summary="Membatalkan pembatalan: selalu ditolak (catat ulang pembayarannya)")
def reversals_reverse(request, pk: int):
    reversal_reverse(actor=request.user, reversal_id=pk)  # always raises
    raise Http404  # pragma: no cover
