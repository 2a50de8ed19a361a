from datetime import date
from typing import Annotated, Literal

from django.http import Http404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status
from pydantic import StrictInt

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.presenters import PersonalData, personal_data

from . import selectors, services
from .fields import MAX_INCOME
from .listfilters import ListFilter, list_filters
from .models import Channel, Sector
from .nik import check_nik

router = Router()
# Bounds shown in the OpenAPI schema but checked by the participant field cleaner, so that the API answers a
# wrong income with the same code and words as the form and the file import.
INCOME = Field(description="Rupiah per bulan", json_schema_extra={"minimum": 0, "maximum": MAX_INCOME})
# The same for the sector: kosong/null = taken from the occupation; a value is kept when the occupation changes.
SECTOR = Field(None, description="Sektor pekerjaan (PP 50/2025): " + ", ".join(Sector.values)
               + "; null: mengikuti pekerjaan", json_schema_extra={"enum": [*Sector.values, None]})

# The outreach (sosialisasi) event the person registered at: a code no event has is refused (422, field
# outreach_code, code outreach_code_unknown), as the form and the import refuse it.
OUTREACH = Field("", description="Kode kegiatan sosialisasi (dari undangan/halaman kegiatan); kosong: tidak ada")


class HeirIn(Schema):
    name: str
    relation: Literal["spouse", "child", "parent", "sibling", "other"]
    nik: str = ""
    phone: str = ""


class ParticipantIn(Schema):
    nik: str = Field(..., description="16 digit")
    full_name: str
    birth_date: date
    sex: Literal["L", "P"]
    desa: str = Field(..., description="Kode desa Kemendagri, mis. 33.11.11.2004")
    birth_place: str = ""
    kk: str = ""
    address: str = ""
    rt: str = ""
    rw: str = ""
    phone: str = ""
    occupation: Annotated[StrictInt, Field(ge=1, le=9999)] | None = None
    sector: str | None = SECTOR
    segment: Literal["PU", "BPU", "JAKON", "PMI"] = "BPU"
    village_role: str = "vulnerable_worker"
    declared_income: Annotated[StrictInt, INCOME] = 0
    kpj: str | None = None
    outreach_code: str = OUTREACH
    heirs: list[HeirIn] = []
    confirm_warnings: bool = False


class ParticipantPatch(Schema):
    nik: str | None = None
    full_name: str | None = None
    birth_date: date | None = None
    sex: Literal["L", "P"] | None = None
    desa: str | None = None
    birth_place: str | None = None
    kk: str | None = None
    address: str | None = None
    rt: str | None = None
    rw: str | None = None
    phone: str | None = None
    occupation: Annotated[StrictInt, Field(ge=1, le=9999)] | None = None
    sector: str | None = SECTOR
    segment: Literal["PU", "BPU", "JAKON", "PMI"] | None = None
    village_role: str | None = None
    declared_income: Annotated[StrictInt, INCOME] | None = None
    kpj: str | None = None
    outreach_code: str | None = Field(None, description=OUTREACH.description)
    heirs: list[HeirIn] | None = None
    confirm_warnings: bool = False


class DeactivateIn(Schema):
    reason: Literal["died", "moved", "duplicate", "withdrew"]
    note: str = ""


class HeirOut(Schema):
    name: str
    relation: str
    nik: str
    phone: str


class ParticipantOut(Schema):
    id: int
    nik: str
    full_name: str
    birth_place: str
    birth_date: date
    sex: str
    desa: str
    desa_name: str
    kec_code: str
    kab_code: str
    kk: str
    address: str
    rt: str
    rw: str
    phone: str
    occupation: int | None
    sector: str
    sector_source: str = Field(..., description="occupation (dari pekerjaan) | manual (dipilih petugas)")
    segment: str
    village_role: str
    declared_income: int
    kpj: str | None
    outreach_code: str = Field(..., description="Kode kegiatan sosialisasi asal pendaftaran; kosong: tidak ada")
    channel: str
    is_active: bool
    deactivation_reason: str
    heirs: list[HeirOut] = []


class ParticipantPageOut(Schema):
    items: list[ParticipantOut]
    next_after: int | None
    total: int
    total_capped: bool


class NikCheckOut(Schema):
    nik: str
    valid: bool
    errors: list[dict]
    warnings: list[dict]
    region_code: str | None
    region_status: str | None
    birth_date: date | None
    sex: str | None


def _out(p, shown: PersonalData, *, heirs: bool = True) -> dict:
    return {
        "id": p.pk, "nik": shown.nik(p.nik), "full_name": p.full_name,
        "birth_place": p.birth_place, "birth_date": p.birth_date, "sex": p.sex, "desa": p.desa_id,
        "desa_name": p.desa.name, "kec_code": p.kec_code, "kab_code": p.kab_code,
        "kk": shown.kk(p.kk), "address": shown.address(p.address), "rt": p.rt, "rw": p.rw,
        "phone": p.phone, "occupation": p.occupation_id, "sector": p.sector,
        "sector_source": p.sector_source, "segment": p.segment, "village_role": p.village_role,
        "declared_income": p.declared_income, "kpj": p.kpj, "outreach_code": p.outreach_code,
        "channel": p.channel, "is_active": p.is_active,
        "deactivation_reason": p.deactivation_reason,
        "heirs": [{**h.as_dict(), "nik": shown.nik(h.nik)} for h in p.heirs.all()] if heirs else [],
    }


def _get(request, nik: str):
    participant = selectors.participant_get(user=request.user, nik=nik)
    if participant is None:
        raise Http404
    return participant


@router.get("/nik/check", **answers({200: NikCheckOut}), summary="Periksa NIK")
def nik_check(request, nik: str, birth_date: date | None = None, sex: Literal["L", "P"] | None = None):
    return check_nik(nik, birth_date=birth_date, sex=sex).as_dict()


@router.post("/participants", **answers({201: ParticipantOut}, E.INVALID, E.FORBIDDEN, E.NIK_TAKEN, E.NIK_REFUSED,
                                         E.KPJ_TAKEN, E.KPJ_REFUSED, E.CONFIRMATION_REQUIRED),
             summary="Daftarkan peserta")
def participants_create(request, payload: ParticipantIn):
    data = payload.dict()
    heirs = data.pop("heirs")
    confirm = data.pop("confirm_warnings")
    participant = services.participant_register(
        actor=request.user, data=data, heirs=heirs, channel=Channel.API, confirm_warnings=confirm,
        client_token=request.headers.get("Idempotency-Key") or None,
    )
    return Status(201, _out(participant, personal_data(request.user, one_person=True)))


def _list_filter(name: str) -> ListFilter | None:
    """The participant list's filter another package registered under this query parameter (listfilters)."""
    return next((entry for entry in list_filters if entry.name == name), None)


class RegisteredChoice:
    """Annotates a query parameter with a registered filter's values in the OpenAPI schema, read when the document is
    built (the filters are registered in the packages' ready(), after this module is defined)."""

    def __init__(self, name: str):
        self.name = name

    def __get_pydantic_json_schema__(self, core_schema, handler) -> dict:
        schema = handler(core_schema)
        entry = _list_filter(self.name)
        if entry is not None:
            schema["enum"] = ["", *(value for value, _label in entry.choices)]
            schema["description"] = f"{entry.label}: " + ", ".join(
                f"{value} ({label})" for value, label in entry.choices) + "; kosong: semua"
        return schema


def _list_filter_values(**given: str) -> dict[str, str]:
    """The registered filters' values as asked, each checked against its filter's values (422 otherwise)."""
    chosen = {}
    for name, value in given.items():
        if not value:
            continue
        entry = _list_filter(name)
        allowed = [key for key, _label in entry.choices] if entry is not None else []
        if value not in allowed:
            message = gettext("Pilih salah satu: %(v)s.") % {"v": ", ".join(allowed) or "-"}
            raise ValidationError([{"loc": ("query", name), "msg": message, "type": "enum"}])
        chosen[name] = value
    return chosen


@router.get("/participants", **answers({200: ParticipantPageOut}), summary="Daftar peserta")
def participants_list(request, q: str = "", region: str = "", segment: str = "", village_role: str = "",
                      status: Literal["", "active", "inactive"] = "",
                      protection: Annotated[str, RegisteredChoice("protection")] = "",
                      after: int | None = None, limit: int = Query(25, ge=1, le=200)):
    filters = selectors.ParticipantFilter(q=q, region=region, segment=segment, village_role=village_role,
                                          status=status, extra=_list_filter_values(protection=protection))
    page = selectors.participant_page(user=request.user, filters=filters, after=after, limit=limit)
    shown = personal_data(request.user)
    return {"items": [_out(p, shown, heirs=False) for p in page.items], "next_after": page.next_after,
            "total": page.total, "total_capped": page.total_capped}


@router.get("/participants/{nik}", **answers({200: ParticipantOut}, E.NOT_FOUND), summary="Peserta menurut NIK")
def participants_get(request, nik: str):
    return _out(_get(request, nik), personal_data(request.user, one_person=True))


@router.patch("/participants/{nik}",
              **answers({200: ParticipantOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN, E.NIK_TAKEN, E.NIK_REFUSED,
                        E.KPJ_TAKEN, E.KPJ_REFUSED, E.CONFIRMATION_REQUIRED),
              summary="Ubah data peserta")
def participants_update(request, nik: str, payload: ParticipantPatch):
    participant = _get(request, nik)
    data = payload.dict(exclude_unset=True)
    heirs = data.pop("heirs", None)
    confirm = data.pop("confirm_warnings", False)
    participant = services.participant_update(actor=request.user, participant=participant, data=data,
                                              heirs=heirs, confirm_warnings=confirm)
    return _out(participant, personal_data(request.user, one_person=True))


@router.post("/participants/{nik}/deactivate", **answers({200: ParticipantOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN,
                                                           E.ALREADY_INACTIVE), summary="Nonaktifkan peserta")
def participants_deactivate(request, nik: str, payload: DeactivateIn):
    participant = services.participant_deactivate(actor=request.user, participant=_get(request, nik),
                                                  reason=payload.reason, note=payload.note)
    return _out(participant, personal_data(request.user, one_person=True))
