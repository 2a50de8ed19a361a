from datetime import date
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator

from jamsosdesa.contributions.models import PayerType
from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.months import checked_month_text, parse_month
from jamsosdesa.core.presenters import PersonalData, personal_data
from jamsosdesa.participants.models import VillageRole

from . import selectors, services
from .models import ApbdesSource, EndReason

router = Router()

Month = Annotated[str, AfterValidator(checked_month_text),
                  Field(description="YYYY-MM", json_schema_extra={"pattern": r"^\d{4}-(0[1-9]|1[0-2])$"})]


def _month(text: str | None) -> date | None:
    return parse_month(text) if text else None  # the schema's validator has checked it


class SchemeIn(Schema):
    name: str
    payer_type: Literal[tuple(PayerType.values)]
    apbdes_source: Literal[tuple(["", *ApbdesSource.values])] = ""
    payer_name: str = ""
    owner_code: str = Field("", description="Kode wilayah pemilik (desa untuk APBDes, kabupaten untuk APBD)")
    legal_basis_number: str
    legal_basis_date: date
    segment: Literal["BPU", "PU"] = "BPU"
    programmes: list[Literal["JKK", "JKM", "JHT", "JP"]] = ["JKK", "JKM"]
    income_nominal: Annotated[int, Field(ge=0, le=10**12)] = 1_000_000
    start_month: Month
    end_month: Month
    budget_ceiling: Annotated[int, Field(ge=1, le=10**15)]
    quota_per_desa: Annotated[int, Field(ge=1, le=10**7)] | None = None
    includes_kelurahan: bool = Field(False, description="Kuota per desa juga untuk kelurahan (bawaan: hanya desa "
                                                        "dan desa adat)")
    quotas: dict[str, Annotated[int, Field(ge=0, le=10**7)]] = {}
    max_age: Annotated[int, Field(ge=1, le=120)] = 65
    village_roles: list[Literal[tuple(VillageRole.values)]] = []
    requires_welfare_list: bool = False
    welfare_niks: list[str] = []
    note: str = ""


class SchemeOut(Schema):
    id: int
    name: str
    payer_type: str
    apbdes_source: str
    payer_name: str
    owner_code: str
    legal_basis_number: str
    legal_basis_date: date
    segment: str
    programmes: list[str]
    income_nominal: int
    start_month: str
    end_month: str
    budget_ceiling: int
    quota_per_desa: int | None
    includes_kelurahan: bool
    max_age: int
    village_roles: list[str]
    requires_welfare_list: bool


class DesaOut(Schema):
    code: str
    name: str
    quota: int | None
    enrolled: int
    room: int | None
    committed: int


class BudgetMonthOut(Schema):  # not MonthOut: the quote's MonthOut has that name in the OpenAPI document
    month: str
    per_person: int
    people: int
    amount: int


class BudgetOut(Schema):
    scheme_id: int
    budget_ceiling: int
    per_person: int
    committed: int
    remaining: int
    enrolled: int
    ended: int
    planned_people: int | None
    remaining_quota: int | None
    whole_scheme: bool
    months: list[BudgetMonthOut]
    desa: list[DesaOut]


class EnrolIn(Schema):
    """One of: `nik` (one person), `niks` (a list), or a filter (`region`, `village_role`; neither: everyone you
    see)."""

    nik: str | None = None
    niks: list[str] | None = None
    region: str = ""
    village_role: str = ""
    start_month: Month | None = None
    end_month: Month | None = None
    all_or_nothing: bool = False


class RefusalOut(Schema):
    nik: str
    desa_code: str
    reason: str
    message: str


class BatchOut(Schema):
    id: int
    scheme_id: int
    how: str
    start_month: str
    end_month: str
    candidates: int
    enrolled: int
    refused: int
    cost_per_person: int
    refusals: list[RefusalOut]
    refusals_left_out: int = Field(0, description="Refusals of people outside the caller's regions (not listed).")


class EnrolmentOut(Schema):
    id: int
    scheme_id: int
    nik: str
    full_name: str
    desa_code: str
    start_month: str
    end_month: str
    cost: int
    ended: bool
    end_reason: str


class EndIn(Schema):
    last_month: Month
    reason: Literal[tuple(EndReason.values)]
    note: str = ""


def _scheme(request, pk: int):
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    if scheme is None:
        raise Http404
    return scheme


def _enrolment_out(e, shown: PersonalData) -> dict:
    return {"id": e.pk, "scheme_id": e.scheme_id, "nik": shown.nik(e.participant.nik),
            "full_name": e.participant.full_name, "desa_code": e.desa_code,
            "start_month": e.start_month.strftime("%Y-%m"), "end_month": e.end_month.strftime("%Y-%m"),
            "cost": e.cost, "ended": e.ended_at is not None, "end_reason": e.end_reason}


@router.get("/schemes", **answers({200: list[SchemeOut]}), summary="Skema pembiayaan yang boleh Anda lihat")
def scheme_list(request):
    return [selectors.scheme_as_json(s) for s in selectors.scheme_list(user=request.user)]


@router.post("/schemes", **answers({201: SchemeOut}, E.INVALID, E.FORBIDDEN), summary="Buat skema pembiayaan")
def scheme_create(request, body: SchemeIn):
    data = body.dict()
    data.update(start_month=_month(body.start_month), end_month=_month(body.end_month),
                programmes=tuple(body.programmes), village_roles=tuple(body.village_roles),
                welfare_niks=tuple(body.welfare_niks))
    scheme = services.scheme_create(actor=request.user, data=services.SchemeData(**data))
    return Status(201, selectors.scheme_as_json(scheme))


@router.get("/schemes/{pk}", **answers({200: SchemeOut}, E.NOT_FOUND))
def scheme_detail(request, pk: int):
    return selectors.scheme_as_json(_scheme(request, pk))


@router.get("/schemes/{pk}/budget", **answers({200: BudgetOut}, E.NOT_FOUND),
            summary="Anggaran skema: terpakai, sisa pagu, kuota per desa")
def scheme_budget(request, pk: int):
    return selectors.scheme_budget(user=request.user, scheme=_scheme(request, pk)).as_json()


@router.get("/schemes/{pk}/enrolments", **answers({200: list[EnrolmentOut]}, E.NOT_FOUND))
def enrolment_list(request, pk: int, desa: str = "", limit: Annotated[int, Field(ge=1, le=1000)] = 100,
                   offset: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0):  # beyond bigint: 422, not 500
    rows = selectors.scheme_enrolments(user=request.user, scheme=_scheme(request, pk), desa=desa)
    shown = personal_data(request.user)
    return [_enrolment_out(e, shown) for e in rows[offset:offset + limit]]


@router.post("/schemes/{pk}/enrolments",
             **answers({201: BatchOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN, E.SCHEME_ENDED, E.BAD_PERIOD,
                       E.OUTSIDE_REGION, more="or, for one `nik`, the reason it is refused (Refusal)"),
             summary="Daftarkan peserta: satu NIK, daftar NIK, atau filter")
def enrolment_create(request, pk: int, body: EnrolIn):
    """A list or a filter runs within the request (the answer carries the refusals), as one NIK does."""
    enrolment = services.EnrolmentRequest(
        nik=body.nik, niks=body.niks, region=body.region, village_role=body.village_role,
        start_month=_month(body.start_month), end_month=_month(body.end_month), all_or_nothing=body.all_or_nothing,
        via="API")
    batch = services.enrolment_submit(actor=request.user, scheme=_scheme(request, pk), request=enrolment)
    return Status(201, selectors.enrolment_batch_as_json(batch, user=request.user))


@router.post("/enrolments/{pk}/end",
             **answers({200: EnrolmentOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN, E.ALREADY_ENDED),
             summary="Akhiri kepesertaan skema (tidak dihapus)")
def enrolment_end(request, pk: int, body: EndIn):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    if enrolment is None:
        raise Http404
    ended = services.enrolment_end(actor=request.user, enrolment=enrolment, last_month=_month(body.last_month),
                                   reason=body.reason, note=body.note)
    return _enrolment_out(ended, personal_data(request.user))

