"""/api/v1/coverage/targets: the targets' API door onto coverage.targets (the page and the CLI share the service)."""

from datetime import date, datetime
from typing import Annotated

from django.http import Http404
from ninja import Field, Router, Schema

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.regions.selectors import region_names

from . import targets as service

router = Router()

REGION = "Kode wilayah Kemendagri (33.11, 33.11.11.2004); 'ID' untuk nasional"


class TargetIn(Schema):
    region: str = Field(..., description=REGION)
    year: int
    count: int = Field(..., description="Jumlah peserta terlindungi yang dituju (0 atau lebih)")
    due_date: date | None = Field(None, description="Jatuh tempo, di tahun target (bawaan: 31 Desember)")
    segment: str = Field("", description="Hanya satu segmen (PU, BPU, JAKON, PMI); kosong: semua")
    village_role: str = Field("", description="Hanya satu peran di desa (participants VillageRole); kosong: semua")
    note: str = ""


class TargetOut(Schema):
    id: int
    region: str = Field(..., description=REGION)
    region_name: str
    year: int
    due_date: date
    segment: str
    village_role: str
    count: int
    note: str
    set_by: str
    set_at: datetime


class TargetSetOut(TargetOut):
    changed: bool = Field(..., description="false: the same figures were set already (nothing recorded)")


class TargetChangeOut(Schema):
    at: datetime
    actor: str
    old: dict | None = Field(None, description="The values before (null: the target was created)")
    new: dict | None


@router.get("/coverage/targets", **answers({200: list[TargetOut]}, E.INVALID, E.NOT_FOUND),
            summary="Target kepesertaan: satu wilayah, atau seluruh wilayah Anda")
def target_list(request, region: str | None = None, year: int | None = None,
                limit: Annotated[int, Field(ge=1, le=1000)] = 100,
                offset: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0):
    rows = list(service.target_list(user=request.user, region=region, year=year)[offset:offset + limit])
    names = region_names(t.region_code for t in rows)
    return [service.target_as_json(t, names) for t in rows]


@router.post("/coverage/targets",
             **answers({200: TargetSetOut}, E.INVALID, E.BAD_PERIOD, E.NOT_FOUND, E.FORBIDDEN),
             summary="Tetapkan atau ubah target satu wilayah dan tahun (satu target per wilayah, tahun, segmen, peran)")
def target_set(request, body: TargetIn):
    target, changed = service.target_set(actor=request.user, request=service.TargetRequest(**body.dict()))
    return {**service.target_as_json(target, region_names([target.region_code])), "changed": changed}


@router.get("/coverage/targets/{pk}/history", **answers({200: list[TargetChangeOut]}, E.NOT_FOUND),
            summary="Riwayat perubahan satu target: siapa, kapan, dari berapa menjadi berapa")
def target_history(request, pk: int):
    target = service.target_get(user=request.user, pk=pk)
    if target is None:
        raise Http404
    return service.history_as_json(service.target_history(target))
