"""The incentives' API (issue 14 part C): start a month's run (national admins and branch officers; it runs in the
background), read runs, and read an agent's or a wadah's statement of a month, scoped as the pages are."""

from typing import Annotated

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status

from jamsosdesa.billing.api_runs import Month
from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.months import parse_month

from .access import get_agent_for_user, get_wadah_for_user
from .incentive_statements import agent_statement, month_or_404, wadah_statement
from .incentives import can_run_incentives, incentive_run_queue, run_as_json
from .models_incentives import IncentiveRun

router = Router()
Pk = Annotated[int, Field(ge=1, le=2**63 - 1)]


class IncentiveRunIn(Schema):
    month: Month


class ProgressOut(Schema):
    done: int
    total: int
    percent: int
    stage: str


class IncentiveRunOut(Schema):
    id: int
    month: str = Field(..., description="YYYY-MM")
    status: str = Field(..., description="queued, running, done, failed, cancelled")
    trigger: str
    message: str
    lines: int
    agents: int
    total_agents: int = Field(..., description="Rupiah earned by the agents this month")
    total_wadah: int = Field(..., description="Rupiah of the wadah's extra share")
    summary: dict
    progress: ProgressOut | None
    created_at: str
    started_at: str | None
    finished_at: str | None


class IncentiveLineOut(Schema):
    kind: str = Field(..., description="acquisition, share_1_24, share_25_60, correction")
    nik: str = Field(..., description="masked")
    name: str
    contribution_month: str | None
    month_index: int | None
    base: int
    rate_bp: int
    amount: int


class KindOut(Schema):
    rule: str
    lines: int
    amount: int


class AgentStatementOut(Schema):
    agent: int
    username: str
    wadah: int
    month: str
    total: int
    by_kind: list[KindOut]
    lines: list[IncentiveLineOut]


class WadahAgentOut(Schema):
    agent: int
    username: str
    lines: int
    amount: int


class WadahStatementOut(Schema):
    wadah: int
    name: str
    month: str
    agents: list[WadahAgentOut]
    agents_total: int
    wadah_base: int
    wadah_amount: int
    total: int


def _runner_or_404(user) -> None:
    if not can_run_incentives(user):
        raise Http404


@router.post("/agents/incentive-runs", **answers({201: IncentiveRunOut}, E.NOT_FOUND, E.FORBIDDEN, E.BAD_PERIOD,
                                                E.JOB_ACTIVE),
             summary="Hitung insentif agen satu bulan yang sudah berakhir (berjalan di latar)")
def incentive_run_create(request, body: IncentiveRunIn):
    _runner_or_404(request.user)
    run = incentive_run_queue(actor=request.user, month=parse_month(body.month))
    return Status(201, run_as_json(run))


@router.get("/agents/incentive-runs", **answers({200: list[IncentiveRunOut]}, E.NOT_FOUND),
            summary="Perhitungan insentif, terbaru dahulu")
def incentive_run_list(request):
    _runner_or_404(request.user)
    return [run_as_json(r) for r in IncentiveRun.objects.order_by("-month", "-pk")[:120]]


@router.get("/agents/incentive-runs/{pk}", **answers({200: IncentiveRunOut}, E.NOT_FOUND),
            summary="Satu perhitungan insentif dan kemajuannya")
def incentive_run_read(request, pk: Pk):
    _runner_or_404(request.user)
    run = IncentiveRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404
    return run_as_json(run)


@router.get("/agents/agents/{pk}/incentives/{month}", **answers({200: AgentStatementOut}, E.NOT_FOUND),
            summary="Laporan insentif seorang agen untuk satu bulan (YYYY-MM)")
def incentive_agent_statement(request, pk: Pk, month: str):
    return agent_statement(get_agent_for_user(request.user, pk), month_or_404(month)).as_dict()


@router.get("/agents/wadah/{pk}/incentives/{month}", **answers({200: WadahStatementOut}, E.NOT_FOUND),
            summary="Laporan insentif sebuah wadah untuk satu bulan (YYYY-MM)")
def incentive_wadah_statement(request, pk: Pk, month: str):
    return wadah_statement(get_wadah_for_user(request.user, pk), month_or_404(month)).as_dict()
