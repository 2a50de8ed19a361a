"""The scholarship API (issue 15: children's scholarships year by year up to the caps): the tracking of a claim's
grants, a proposal, the four-eyes approval or rejection by another person, and the payment of an approved grant.
A thin door onto claims.scholarships; claims through claims.access (404 outside the user's scope, 403 for a role
that sees the claim but does not process claims). Accounts are masked except for the roles that process claims."""

from datetime import date
from typing import Annotated

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.errors import ServiceError

from . import scholarships
from .access import claim_for_user, heir_data
from .api_decision import PaymentFields
from .models import ScholarshipGrant, SchoolLevel

router = Router()
GrantId = Annotated[int, Field(ge=1, le=2**62)]


class ScholarshipGrantOut(Schema):
    id: int
    child: int = Field(..., description="The child heir on the claim")
    child_name: str
    year: int = Field(..., description="The school year's first year (2027 for 2027/2028)")
    level: str
    amount: int
    status: str = Field(..., description="proposed, approved or rejected")
    proposed_by: str
    decided_by: str | None
    decision_note: str
    guardian: int | None = Field(..., description="The heir whose account it is paid to, when it is not given")
    bank_name: str
    account_number: str = Field(..., description="Masked except for the roles that process claims")
    paid_on: date | None
    reference: str | None


class ScholarshipChildOut(Schema):
    heir_id: int
    name: str
    granted: int = Field(..., description="Approved so far, over the participant's claims")
    proposed: int = Field(..., description="Proposed, waiting for a decision (held against the caps)")
    remaining: int
    years: list[dict]


class ScholarshipsOut(Schema):
    claim: str
    children: list[ScholarshipChildOut]
    grants: list[ScholarshipGrantOut]


class ScholarshipProposeIn(Schema):
    child: int = Field(..., ge=1, le=2**63 - 1)
    year: int = Field(..., ge=scholarships.FIRST_YEAR, le=scholarships.LAST_YEAR)
    level: str = Field(..., max_length=8, description=", ".join(SchoolLevel.values))


class ScholarshipApproveIn(Schema):
    guardian: int | None = Field(None, ge=1, le=2**63 - 1, description="An heir of the claim whose account it is "
                                                                       "paid to (default: the child, else the spouse)")
    bank: str = Field("", max_length=60, description="With `account`: the account it is paid to")
    account: str = Field("", max_length=30)


class ScholarshipRejectIn(Schema):
    note: str = Field("", max_length=500)


class ScholarshipPaymentIn(PaymentFields):
    pass


class ScholarshipPaymentOut(Schema):
    id: int
    scholarship: int
    purpose: str
    amount: int
    paid_on: date
    bank_name: str
    account_number: str
    reference: str


def grant_out(user, row: ScholarshipGrant) -> dict:
    shown = heir_data(user)
    return {"id": row.pk, "child": row.child_id, "child_name": row.child.name, "year": row.year, "level": row.level,
            "amount": row.amount, "status": row.status, "proposed_by": row.proposed_by.username,
            "decided_by": row.decided_by.username if row.decided_by else None, "decision_note": row.decision_note,
            "guardian": row.guardian_id, "bank_name": row.bank_name,
            "account_number": shown.account(row.account_number),
            "paid_on": row.payment.paid_on if row.payment_id else None,
            "reference": row.payment.reference if row.payment_id else None}


def scholarships_out(user, claim) -> dict:
    rows = claim.scholarships.select_related("child", "proposed_by", "decided_by", "payment").order_by(
        "child_id", "year", "id")
    return {"claim": claim.number, "children": [c.as_dict() for c in scholarships.summary(claim)],
            "grants": [grant_out(user, r) for r in rows]}


def grant_of(claim, grant_id) -> ScholarshipGrant:
    """The grant of this claim (Http404 for another claim's or none)."""
    row = claim.scholarships.select_related("child", "claim").filter(pk=grant_id).first()
    if row is None:
        raise Http404
    return row


def _refresh(row: ScholarshipGrant) -> ScholarshipGrant:
    return ScholarshipGrant.objects.select_related("child", "proposed_by", "decided_by", "payment").get(pk=row.pk)


@router.get("/claims/{claimno:number}/scholarships", **answers({200: ScholarshipsOut}, E.NOT_FOUND),
            summary="Beasiswa anak pada klaim: per anak yang disetujui, diusulkan dan sisanya; setiap usulan")
def scholarship_list(request, number: str):
    return scholarships_out(request.user, claim_for_user(request.user, number))


@router.post("/claims/{claimno:number}/scholarships",
             **answers({201: ScholarshipGrantOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Usulkan beasiswa satu tahun ajaran untuk seorang anak (disetujui orang lain)")
def scholarship_propose(request, number: str, payload: ScholarshipProposeIn):
    claim = claim_for_user(request.user, number)
    child = claim.heirs.filter(pk=payload.child).first()
    if child is None:
        message = scholarships.child_missing_message(claim)
        raise ServiceError(code=E.INVALID, message=message, fields={"child": [message]})
    row = scholarships.propose(request.user, claim, child, payload.year, payload.level)
    return Status(201, grant_out(request.user, _refresh(row)))


@router.post("/claims/{claimno:number}/scholarships/{grant_id}/approve",
             **answers({200: ScholarshipGrantOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Setujui usulan beasiswa orang lain (empat mata), dengan rekening tujuannya")
def scholarship_approve(request, number: str, grant_id: GrantId, payload: ScholarshipApproveIn):
    claim = claim_for_user(request.user, number)
    row = grant_of(claim, grant_id)
    guardian = None
    if payload.guardian is not None:
        guardian = claim.heirs.filter(pk=payload.guardian).first()
        if guardian is None:
            message = scholarships.child_missing_message(claim)
            raise ServiceError(code=E.INVALID, message=message, fields={"guardian": [message]})
    row = scholarships.approve(request.user, row, guardian=guardian, bank=payload.bank, account=payload.account)
    return grant_out(request.user, _refresh(row))


@router.post("/claims/{claimno:number}/scholarships/{grant_id}/reject",
             **answers({200: ScholarshipGrantOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Tolak usulan beasiswa orang lain, dengan keterangan")
def scholarship_reject(request, number: str, grant_id: GrantId, payload: ScholarshipRejectIn):
    claim = claim_for_user(request.user, number)
    row = scholarships.reject(request.user, grant_of(claim, grant_id), payload.note)
    return grant_out(request.user, _refresh(row))


@router.post("/claims/{claimno:number}/scholarships/{grant_id}/payments",
             **answers({201: ScholarshipPaymentOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Catat pembayaran beasiswa yang disetujui (sekali, ke rekening yang disetujui)")
def scholarship_pay(request, number: str, grant_id: GrantId, payload: ScholarshipPaymentIn):
    claim = claim_for_user(request.user, number)
    row = grant_of(claim, grant_id)
    payment = scholarships.pay(request.user, row, payload.paid_on, payload.bank, payload.account, payload.reference)
    shown = heir_data(request.user)
    return Status(201, {"id": payment.pk, "scholarship": row.pk, "purpose": payment.purpose,
                        "amount": payment.amount, "paid_on": payment.paid_on, "bank_name": payment.bank_name,
                        "account_number": shown.account(payment.account_number), "reference": payment.reference})
