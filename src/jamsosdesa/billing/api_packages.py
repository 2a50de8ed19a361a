"""Billing's API: the worker's own package (iuran mandiri) of a participant, named by its id (the `id` of the
participant API's answers), as the status operation names it. Reading it: whoever sees the person
(billing.access.scope_memberships); starting, changing and ending it: billing.access.can_manage_package. Anyone
else, and an unknown participant, gets the same 404."""

from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, StrictInt

from jamsosdesa.core import clock
from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.months import checked_month_text, parse_month
from jamsosdesa.funding.models import Refusal
from jamsosdesa.participants.access import scope_participants
from jamsosdesa.participants.models import Participant

from .access import can_manage_package, scope_memberships
from .models import MembershipChannel, MembershipEndReason
from .packages import membership_as_json, membership_history
from .services.membership import (
    membership_cancel,
    membership_change,
    membership_end,
    membership_start,
    open_membership,
)

router = Router()

Month = Annotated[str, AfterValidator(checked_month_text),
                  Field(description="YYYY-MM", json_schema_extra={"pattern": r"^\d{4}-(0[1-9]|1[0-2])$"})]
# What the contribution engine may refuse in a package (its programmes, its income, a month without rates).
ENGINE = (E.PROGRAMME_REQUIRED, E.PROGRAMME_NOT_ALLOWED, E.INCOME_NOT_ALLOWED, E.BAD_INCOME, E.NO_RATE)


class MembershipOut(Schema):
    id: int
    segment: str
    programmes: list[str]
    income: int
    first_month: str = Field(..., description="YYYY-MM")
    last_month: str | None = Field(None, description="YYYY-MM; null: berjalan")
    agent: str | None = Field(None, description="username agen PERISAI penagih")
    channel: str
    replaces: int | None = Field(None, description="paket yang digantikan (perubahan)")
    end_reason: str | None = None
    month: str | None = Field(None, description="bulan yang dihitung iurannya (bulan ini)")
    monthly_amount: int | None = Field(None, description="iuran sebulan (Rp) dengan sektor peserta, setelah diskon")
    discount: int | None = None
    price_error: str | None = Field(None, description="kode alasan bila bulan itu tidak dapat dihitung")


class MembershipsOut(Schema):
    participant: int
    sector: str
    current: MembershipOut | None
    history: list[MembershipOut]


class PackageStartIn(Schema):
    programmes: list[str] = Field(["JKK", "JKM"], description="JKK, JKM wajib; JHT boleh")
    income: StrictInt = Field(..., description="nominal penghasilan BPU (Rp), mis. 1000000")
    first_month: Month
    agent: str | None = Field(None, description="username agen PERISAI yang menagih")


class PackageChangeIn(Schema):
    from_month: Month
    programmes: list[str] | None = None
    income: StrictInt | None = None


class PackageEndIn(Schema):
    last_month: Month
    reason: Literal[tuple(v for v in MembershipEndReason.values if v != MembershipEndReason.CHANGED)]


def _visible(request, pk: int) -> Participant:
    """The participant, if the user sees the person or collects its package; 404 otherwise (as for an unknown one)."""
    person = Participant.objects.select_related("desa").filter(pk=pk).first()
    if person is None:
        raise Http404
    if not (scope_participants(request.user).filter(pk=person.pk).exists()
            or scope_memberships(request.user).filter(participant_id=person.pk).exists()):
        raise Http404
    return person


def _one(m) -> dict:
    return membership_as_json(m, month=clock.this_month())


@router.get("/participants/{pk}/membership", **answers({200: MembershipsOut}, E.NOT_FOUND),
            summary="Iuran mandiri peserta (berjalan dan riwayat)")
def membership_get(request, pk: int):
    person = _visible(request, pk)
    current = open_membership(person)
    return {"participant": person.pk, "sector": person.sector, "current": _one(current) if current else None,
            "history": [_one(m) for m in membership_history(person)]}


@router.post("/participants/{pk}/membership",
             **answers({201: MembershipOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN, E.PACKAGE_OPEN,
                       E.ALREADY_INACTIVE, E.SEGMENT_NOT_ALLOWED, *ENGINE, Refusal.COVERED,
                       more="or covered (a scheme pays the same programmes that month)"),
             summary="Mulai iuran mandiri")
def membership_post(request, pk: int, body: PackageStartIn):
    made = membership_start(actor=request.user, participant=_visible(request, pk), programmes=body.programmes,
                            income=body.income, first_month=parse_month(body.first_month), agent=body.agent,
                            channel=MembershipChannel.API)
    return Status(201, _one(made))


def _open_of(request, pk: int):
    """The person's open package, or None for the service to refuse as 'no package'; a user who may not manage the
    person's package hears 404 (as for anything outside its area)."""
    person = _visible(request, pk)
    current = open_membership(person)
    if current is None and not can_manage_package(request.user, person):
        raise Http404
    return current


@router.post("/participants/{pk}/membership/change",
             **answers({200: MembershipOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN, E.NO_PACKAGE, E.MONTH_PAID,
                       E.ALREADY_INACTIVE, *ENGINE, Refusal.COVERED,
                       more="or covered (a scheme pays the same programmes that month)"),
             summary="Ubah iuran mandiri mulai suatu bulan")
def membership_change_post(request, pk: int, body: PackageChangeIn):
    current = _open_of(request, pk)
    changed = membership_change(actor=request.user, membership=current, from_month=parse_month(body.from_month),
                                programmes=body.programmes, income=body.income)
    return _one(changed)


@router.post("/participants/{pk}/membership/end",
             **answers({200: MembershipOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN, E.NO_PACKAGE, E.MONTH_PAID),
             summary="Akhiri iuran mandiri")
def membership_end_post(request, pk: int, body: PackageEndIn):
    current = _open_of(request, pk)
    ended = membership_end(actor=request.user, membership=current, last_month=parse_month(body.last_month),
                           reason=body.reason)
    return _one(ended)


class PackageCancelIn(Schema):
    reason: Literal[tuple(v for v in MembershipEndReason.values if v != MembershipEndReason.CHANGED)]


@router.post("/participants/{pk}/membership/cancel",
             **answers({200: MembershipOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN, E.NO_PACKAGE, E.MONTH_PAID),
             summary="Batalkan iuran mandiri yang belum mulai (bulan terakhir = bulan sebelum bulan pertamanya)")
def membership_cancel_post(request, pk: int, body: PackageCancelIn):
    current = _open_of(request, pk)
    return _one(membership_cancel(actor=request.user, membership=current, reason=body.reason))
