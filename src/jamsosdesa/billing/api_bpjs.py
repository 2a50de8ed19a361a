"""Billing's API: the BPJS cross-check (H8, issue 12 item 7): a compared list's summary (per desa and finding counts,
the rows that could not be read). The comparison itself starts from the page or `jamsosdesa bpjs compare`."""

from datetime import date

from django.http import Http404
from ninja import Field, Router, Schema

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E

from .crosscheck import FINDINGS, bpjs_list_get

router = Router()
FINDING_KEYS = " | ".join(f.value for f in FINDINGS)


class ProblemOut(Schema):
    row: int
    group: str = Field(..., description="invalid | duplicate")
    message: str


class BpjsListOut(Schema):
    id: int
    status: str = Field(..., description="queued | running | done | failed | cancelled")
    region_code: str
    as_of: date
    file_name: str
    message: str = Field(..., description="Why it failed ('' otherwise)")
    file_error: str = Field("", description="Why the file could not be read ('' otherwise)")
    rows: int = Field(0, description="Data rows in the file")
    compared: int = Field(0, description="Rows compared (each NIK once)")
    per_desa: dict[str, dict[str, int]] = Field(
        default_factory=dict, description=f"desa code ('' = rows with none) -> {{finding: count}}; {FINDING_KEYS}")
    totals: dict[str, int] = Field(default_factory=dict)
    problems: list[ProblemOut] = Field(default_factory=list, description="The first 200 rows that could not be read")


@router.get("/bpjs-lists/{pk}", **answers({200: BpjsListOut}, E.NOT_FOUND),
            summary="Hasil pencocokan daftar BPJS per desa")
def bpjs_list_summary(request, pk: int):
    """A compared BPJS list: per desa, who BPJS counts active that jamsosdesa does not (`bpjs_only_active`), the
    reverse (`ours_only_active`), differing paid-through months, and the rest. 404 outside your area."""
    job = bpjs_list_get(request.user, pk)
    if job is None:
        raise Http404
    summary = job.summary or {}
    return {"id": job.pk, "status": job.status, "region_code": job.region_code, "as_of": job.as_of,
            "file_name": job.file_name, "message": job.message, "file_error": summary.get("file_error", ""),
            "rows": summary.get("rows_total", 0), "compared": summary.get("compared", 0),
            "per_desa": summary.get("per_desa", {}), "totals": summary.get("totals", {}),
            "problems": summary.get("problems", [])}
