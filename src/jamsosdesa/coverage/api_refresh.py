"""The coverage snapshot refresh in the API: a national admin starts one (it runs in the background); anyone
logged in reads its status and progress."""

from typing import Annotated

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status

from jamsosdesa.billing.api_status import parse_day
from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E

from .models import CoverageRefresh, RefreshTrigger
from .refresh import refresh_as_json, refresh_queue

router = Router()


class RefreshIn(Schema):
    day: str | None = Field(None, description="YYYY-MM-DD (default today; never in the future)",
                            json_schema_extra={"pattern": r"^\d{4}-\d{2}-\d{2}$"})
    kab: list[str] = Field(default_factory=list, max_length=600,
                           description="Kabupaten codes such as 33.11 (empty: every kabupaten)")


class RefreshProgressOut(Schema):
    done: int
    total: int
    percent: int
    stage: str


class RefreshOut(Schema):
    id: int
    day: str = Field(..., description="YYYY-MM-DD")
    status: str = Field(..., description="queued, running, done, failed, cancelled")
    trigger: str = Field(..., description="manual, cli, periodic")
    kab_codes: list[str] = Field(..., description="Asked (empty: every kabupaten)")
    changed: bool = Field(..., description="The incremental pass over the kabupaten that changed")
    kab_done: list[str]
    days_written: list[str]
    rows_written: int
    message: str
    progress: RefreshProgressOut | None
    created_by: str | None
    created_at: str
    started_at: str | None
    finished_at: str | None


@router.post("/coverage/refreshes", **answers({201: RefreshOut}, E.FORBIDDEN, E.INVALID, E.BAD_PERIOD, E.JOB_ACTIVE),
             summary="Perbarui potret cakupan (admin nasional; berjalan di latar)")
def refresh_create(request, body: RefreshIn):
    job = refresh_queue(actor=request.user, day=parse_day(body.day, "day"), kab_codes=body.kab,
                        trigger=RefreshTrigger.MANUAL)
    return Status(201, refresh_as_json(job))


@router.get("/coverage/refreshes/{pk}", **answers({200: RefreshOut}, E.NOT_FOUND),
            summary="Satu pembaruan potret cakupan dan kemajuannya")
def refresh_read(request, pk: Annotated[int, Field(ge=1, le=2**63 - 1)]):
    job = CoverageRefresh.objects.select_related("created_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    return refresh_as_json(job)
