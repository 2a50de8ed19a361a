"""The decision, payment, service-clock and dashboard API (issue 15 items 6 and 7): prepare, approve, reject and pay
a claim (the roles that process claims; nobody decides a claim they prepared), look again at a claim held for
arrears, the claims past the service standard and the claims' dashboard of a region and month. A thin door onto
claims.decision, claims.payments, claims.worklist and claims.dashboard; claims through claims.access (404 outside the
user's scope)."""

from datetime import date
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.months import parse_month

from . import dashboard, decision, payments, worklist
from .access import claim_for_user, heir_data
from .clock import due_on, local_date, working_days

router = Router()


class DecisionPartOut(Schema):
    code: str
    name: str
    amount: int
    rule: str


class DecisionShareOut(Schema):
    heir: int
    name: str
    relation: str
    share: int
    paid_on: date | None
    reference: str | None
    bank_name: str = Field(..., description="Once approved: the bank approved, the only one paid to")
    account_number: str = Field(..., description="Once approved: the account approved, the only one paid to. Masked "
                                                 "except for the roles that process claims")


class DecisionClockOut(Schema):
    complete_on: date | None
    due_on: date | None = Field(..., description="Last day within the service standard (working days)")
    working_days: int | None = Field(..., description="Working days from the complete file to payment (or today)")
    overdue: bool


class ClaimDecisionOut(Schema):
    number: str
    status: str
    benefit_total: int
    benefit_words: str
    parts: list[DecisionPartOut]
    shares: list[DecisionShareOut]
    prepared_by: str | None
    prepared_at: str | None
    decided_by: str | None
    decided_at: str | None
    rejection_code: str
    rejection_note: str
    paid_at: str | None
    clock: DecisionClockOut


class DecisionRejectIn(Schema):
    code: Literal[tuple(decision.RejectionCode.values)]  # type: ignore[valid-type]
    note: str = Field("", max_length=2000)


class PaymentFields(Schema):
    """A transfer as recorded for a share of a claim or a scholarship grant: only to the account approved."""
    paid_on: date
    bank: str = Field("", max_length=60, description="Default: the bank approved; another one is refused")
    account: str = Field("", max_length=30, description="Default: the account approved; another one is refused")
    reference: str = Field(..., max_length=60)


class ClaimPaymentIn(PaymentFields):
    heir: int = Field(..., ge=1, le=2**63 - 1)


class ClaimPaymentOut(Schema):
    id: int
    heir: int
    amount: int
    paid_on: date
    reference: str
    claim_status: str


class ClaimOverdueOut(Schema):
    number: str
    kind: str
    status: str
    desa_code: str
    participant: str
    complete_on: date
    due_on: date
    working_days: int
    late_by: int
    benefit_total: int


class ClaimFiguresOut(Schema):
    paid: int
    paid_amount: int
    refused: int
    reported: int
    median_days: float | None
    average_days: float | None


class ClaimMonthOut(ClaimFiguresOut):
    month: str


class ClaimChildOut(ClaimFiguresOut):
    code: str
    name: str


class ClaimRefusalOut(Schema):
    code: str
    label: str
    count: int


class ClaimDashboardOut(Schema):
    region: str
    name: str
    parent: tuple[str, str] | None = Field(..., description="(code, name) of the region above, if the user sees it")
    month: str | None
    from_month: str = Field(..., description="YYYY-MM: the first month counted")
    to_month: str = Field(..., description="YYYY-MM: the last month counted")
    paid: int
    paid_amount: int
    refused: int
    reported: int
    median_days: float | None = Field(..., description="Working days from complete file to payment, median")
    average_days: float | None
    refusals: list[ClaimRefusalOut]
    open: dict[str, int]
    overdue: int
    months: list[ClaimMonthOut]
    children: list[ClaimChildOut]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def decision_out(user, claim) -> dict:
    from jamsosdesa.core.money import terbilang

    shown = heir_data(user)
    paid = {p.heir_id: p for p in claim.payments.filter(purpose=payments.BENEFIT)}
    started = worklist.clock_start(claim)  # the first time the file was complete: the worklist's clock
    complete = local_date(started) if started else None
    end = local_date(claim.paid_at) if claim.paid_at else None
    return {
        "number": claim.number, "status": claim.status, "benefit_total": claim.benefit_total,
        "benefit_words": terbilang(claim.benefit_total), "parts": claim.benefit_parts,
        "shares": [{"heir": h.pk, "name": h.name, "relation": h.relation, "share": h.share,
                    "paid_on": paid[h.pk].paid_on if h.pk in paid else None,
                    "reference": paid[h.pk].reference if h.pk in paid else None,
                    "bank_name": h.approved_bank_name if h.approved_share is not None else h.bank_name,
                    "account_number": shown.account(h.approved_account_number if h.approved_share is not None
                                                    else h.account_number)}
                   for h in claim.heirs.order_by("rank", "id") if h.share > 0],
        "prepared_by": claim.prepared_by.username if claim.prepared_by else None,
        "prepared_at": _iso(claim.prepared_at),
        "decided_by": claim.decided_by.username if claim.decided_by else None, "decided_at": _iso(claim.decided_at),
        "rejection_code": claim.rejection_code, "rejection_note": claim.rejection_note,
        "paid_at": _iso(claim.paid_at),
        "clock": {"complete_on": complete, "due_on": due_on(started) if complete else None,
                  "working_days": working_days(complete, end or local_date(dashboard.core_clock.now()))
                  if complete else None,
                  "overdue": worklist.is_overdue(claim)},
    }


@router.get("/claims/{claimno:number}/decision", **answers({200: ClaimDecisionOut}, E.NOT_FOUND),
            summary="Keputusan klaim: manfaat, bagian ahli waris, pembayaran dan jam layanan")
def decision_get(request, number: str):
    return decision_out(request.user, claim_for_user(request.user, number))


@router.post("/claims/{claimno:number}/prepare",
             **answers({200: ClaimDecisionOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Siapkan klaim: hitung manfaat dan bagian ahli waris (berkas harus lengkap)")
def decision_prepare(request, number: str):
    claim = decision.prepare(request.user, claim_for_user(request.user, number))
    return decision_out(request.user, claim)


@router.post("/claims/{claimno:number}/recheck",
             **answers({200: ClaimDecisionOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Periksa ulang klaim yang ditahan karena tunggakan: dilanjutkan bila lunas tepat waktu, "
                     "ditolak bila batas waktunya lewat")
def decision_recheck(request, number: str):
    claim = decision.recheck_held(request.user, claim_for_user(request.user, number))
    return decision_out(request.user, claim)


@router.post("/claims/{claimno:number}/approve",
             **answers({200: ClaimDecisionOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Setujui klaim yang disiapkan orang lain (empat mata)")
def decision_approve(request, number: str):
    claim = decision.approve(request.user, claim_for_user(request.user, number))
    return decision_out(request.user, claim)


@router.post("/claims/{claimno:number}/reject",
             **answers({200: ClaimDecisionOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Tolak klaim dengan kode alasan dan keterangan")
def decision_reject(request, number: str, payload: DecisionRejectIn):
    claim = decision.reject(request.user, claim_for_user(request.user, number), payload.code, payload.note)
    return decision_out(request.user, claim)


@router.post("/claims/{claimno:number}/payments",
             **answers({201: ClaimPaymentOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Catat pembayaran bagian seorang ahli waris (sekali per ahli waris)")
def payment_create(request, number: str, payload: ClaimPaymentIn):
    claim = claim_for_user(request.user, number)
    heir = claim.heirs.filter(pk=payload.heir).first()
    if heir is None:
        message = _("Ahli waris itu tidak tercatat pada klaim %(n)s.") % {"n": claim.number}
        raise ServiceError(code=E.INVALID, message=message, fields={"heir": [message]})
    payment = payments.record_payment(request.user, claim, heir, payload.paid_on, payload.bank, payload.account,
                                      payload.reference)
    claim.refresh_from_db(fields=["status"])
    return Status(201, {"id": payment.pk, "heir": heir.pk, "amount": payment.amount, "paid_on": payment.paid_on,
                        "reference": payment.reference, "claim_status": claim.status})


@router.get("/claims/overdue", **answers({200: list[ClaimOverdueOut]}),
            summary="Klaim lengkap yang belum dibayar melewati standar layanan (hari kerja)")
def overdue_list(request):
    return [row.as_dict() for row in worklist.overdue(request.user)]


@router.get("/claims/dashboard", **answers({200: ClaimDashboardOut}, E.NOT_FOUND, E.INVALID),
            summary="Dasbor klaim satu wilayah: dibayar, lama bayar (hari kerja), penolakan per alasan")
def dashboard_get(request, region: str = Query("", max_length=13), month: str = Query("", max_length=7)):
    when = None
    if month:
        try:
            when = parse_month(month)
        except ValueError as exc:
            raise ServiceError(code=E.INVALID, message=str(exc), fields={"month": [str(exc)]}) from None
    return dashboard.figures(request.user, region=region, month=when)
