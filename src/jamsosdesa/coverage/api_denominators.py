"""/api/v1/coverage/denominators: the denominators' API door onto coverage.denominators."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.sheets import FileProblem
from jamsosdesa.regions.selectors import region_names

from . import denominators as service
from .api_targets import REGION
from .models import DenominatorSource

router = Router()


class DenominatorIn(Schema):
    region: str = Field(..., description=REGION)
    year: int
    count: int = Field(..., description="Jumlah penduduk bekerja (0 atau lebih)")
    source: str = Field(..., description="bps_sakernas, village_count or other")
    source_note: str = Field("", description="e.g. 'Sakernas Agustus 2025'")


class DenominatorOut(Schema):
    id: int
    region: str = Field(..., description=REGION)
    region_name: str
    year: int
    count: int
    source: str
    source_label: str
    source_note: str
    set_by: str
    set_at: datetime


class DenominatorSetOut(DenominatorOut):
    changed: bool = Field(..., description="false: the same figures were set already (nothing recorded)")


class RowProblemOut(Schema):
    row: int = Field(..., description="Row number in the file")
    field: str
    message: str


class ImportReportOut(Schema):
    file_name: str
    partial: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    refused_rows: int
    loaded: bool = Field(..., description="false: nothing was written (all-or-nothing with refused rows)")
    problems: list[RowProblemOut]


@router.get("/coverage/denominators", **answers({200: list[DenominatorOut]}, E.INVALID, E.NOT_FOUND),
            summary="Jumlah penduduk bekerja: satu wilayah, atau seluruh wilayah Anda")
def denominator_list(request, region: str | None = None, year: int | None = None,
                     limit: Annotated[int, Field(ge=1, le=1000)] = 100,
                     offset: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0):
    rows = list(service.denominator_list(user=request.user, region=region, year=year)[offset:offset + limit])
    names = region_names(d.region_code for d in rows)
    return [service.denominator_as_json(d, names) for d in rows]


@router.post("/coverage/denominators", **answers({200: DenominatorSetOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN),
             summary="Tetapkan atau ubah jumlah penduduk bekerja satu wilayah dan tahun")
def denominator_set(request, body: DenominatorIn):
    row, changed = service.denominator_set(actor=request.user, request=service.DenominatorRequest(**body.dict()))
    return {**service.denominator_as_json(row, region_names([row.region_code])), "changed": changed}


@router.post("/coverage/denominators/import", **answers({200: ImportReportOut}, E.INVALID, E.FORBIDDEN),
             summary="Impor berkas CSV/XLSX jumlah penduduk bekerja; laporan per baris")
def denominator_import(request, file: UploadedFile = File(...), partial: bool = Form(False),  # noqa: B008
                       year: int | None = Form(None),  # noqa: B008
                       source: Literal[tuple(["", *DenominatorSource.values])] = Form("")):  # noqa: B008
    """All-or-nothing unless `partial`: with a refused row nothing is loaded (`loaded` false), and the report names
    every refused row. `year` and `source` fill rows whose file has no such column."""
    try:
        report = service.denominator_import(actor=request.user, source=file, partial=partial,
                                            file_name=file.name or "", default_year=year, default_source=source)
    except FileProblem as exc:
        raise service.import_error(exc) from None
    return report.as_json()
