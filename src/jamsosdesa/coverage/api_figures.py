"""/api/v1/coverage/figures: a region's coverage figures on a day, the dict `coverage.snapshot.coverage_figures`
gives the dashboard, the CLI and the exports (so the numbers agree), with its schema documented."""

from ninja import Field, Router, Schema

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E

from . import dashboard as service

router = Router()

REGION = "Kode wilayah Kemendagri (33.11, 33.11.11.2004); 'ID' untuk nasional"
PERCENT = "Persen dengan satu desimal"


class StatusesOut(Schema):
    active: int
    arrears: int
    non_active: int
    not_started: int
    ended: int


class ParentOut(Schema):
    region: str = Field(..., description=REGION)
    name: str


class BreakdownOut(Schema):
    key: str = Field(..., description="The group's code (BPU, rt_head, apbdes, JKK, ...; '' for none)")
    label: str = Field(..., description="The group's name, in the request's language")
    protected: int
    registered: int
    counted: float = Field(..., description="Units counted toward the target (exact thousandths)")


class BreakdownsOut(Schema):
    segment: list[BreakdownOut]
    village_role: list[BreakdownOut]
    payer_kind: list[BreakdownOut]
    programme: list[BreakdownOut]


class TrendOut(Schema):
    month: str = Field(..., description="YYYY-MM")
    on: str = Field(..., description="The snapshot day read (a month end, or the day asked), YYYY-MM-DD")
    protected: int
    registered: int
    counted: float


class RegionFiguresOut(Schema):
    region: str = Field(..., description=REGION)
    name: str
    level: str = Field(..., description="nasional | provinsi | kabupaten | kecamatan | desa")
    protected: int = Field(..., description="Participants whose billing status is 'active' on the snapshot day")
    registered: int
    statuses: StatusesOut
    counted: float = Field(..., description="Units counted toward the target under the counting rule of that day")
    denominator: int | None = Field(None, description="Working population of the day's year (null: none recorded)")
    denominator_source: str | None = Field(None, description="Where the denominator comes from, named")
    coverage: float | None = Field(None, description=f"{PERCENT}; null whenever `warning` says why")
    warning: str | None = Field(None, description="Why there is no coverage (no, zero or too small a denominator)")
    target: int | None = None
    target_due: str | None = Field(None, description="YYYY-MM-DD")
    target_progress: float | None = Field(None, description=f"protected / target, {PERCENT}")
    target_progress_counted: float | None = Field(None, description=f"counted / target, {PERCENT}")
    target_gap: int | None = Field(None, description="max(target - protected, 0)")
    pace_per_month: int | None = Field(None, description="Protected people to add per month to meet the target")
    lapse_next_month: int = Field(..., description="Active on the day, non-active next month unless they pay")


class FiguresOut(RegionFiguresOut):
    parents: list[ParentOut] = Field(..., description="The regions above, nation first, that you may see")
    on: str = Field(..., description="The snapshot day read: the latest on or before the day asked")
    asked: str = Field(..., description="The day asked")
    refreshed_at: str | None = Field(None, description="When the oldest snapshot row read was written (ISO)")
    counting_rule: str | None = Field(None, description="The counting rule in force on the day, named")
    months_left: int | None = Field(None, description="Whole months from `on` to the target's due date (>= 1)")
    breakdowns: BreakdownsOut
    trend: list[TrendOut] = Field(..., description="Month-end snapshots of the last 12 months, oldest first")
    children: list[RegionFiguresOut] = Field(..., description="One entry per child region you may see, by code; "
                                                              "their counts add up to the region's")


@router.get("/coverage/figures", **answers({200: FiguresOut}, E.INVALID, E.NOT_FOUND),
            summary="Angka cakupan satu wilayah pada suatu tanggal, dengan wilayah di bawahnya")
def figures(request, region: str, on: str = ""):
    """The figures of `region` on `on` (YYYY-MM-DD; default today) from the latest coverage snapshot on or before
    that day: the same numbers as the dashboard, its .xlsx export and `jamsosdesa coverage --region --json`.
    404 for a region outside your area; 422 for a code that is no region, a date that cannot be read or is still
    to come, or a day before any snapshot."""
    day = service.day_asked(on)
    return service.figures_for(user=request.user, region=region, on=day)
