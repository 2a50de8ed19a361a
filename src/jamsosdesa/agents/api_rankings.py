"""GET /api/v1/agents/rankings: the ranking of a kabupaten's PERISAI agents and wadah over a period of months, the
dict `agents.rankings.rankings_read` gives the page, the CLI and the workbook (so the numbers agree)."""

from ninja import Field, Router, Schema

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E

from . import rankings as service

router = Router()

RATE = "Percent with one decimal; null when nobody was acquired in that month"


class RankingMeasuresOut(Schema):
    acquisitions: int = Field(..., description="Participants whose own package with the agent starts in the period")
    new: int = Field(..., description="Of them, never in the BPU ledger before (no earlier package, enrolment, due)")
    collections: int = Field(..., description="Live payments received through the agent in the period")
    collected: int = Field(..., description="Their rupiah")
    deposits: int = Field(..., description="The agent's deposits to BPJS in the period, not reversed")
    deposited: int = Field(..., description="Their rupiah")
    retention_6_cohort: int = Field(..., description="Acquired in the month 6 months before `last_day`")
    retention_6_protected: int = Field(..., description="Of them, status 'active' on `last_day`")
    retention_6_rate: float | None = Field(None, description=RATE)
    retention_12_cohort: int = Field(..., description="Acquired in the month 12 months before `last_day`")
    retention_12_protected: int = Field(..., description="Of them, status 'active' on `last_day`")
    retention_12_rate: float | None = Field(None, description=RATE)


class RankingAgentOut(RankingMeasuresOut):
    agent_id: int
    user_id: int
    username: str
    name: str
    wadah_id: int
    wadah: str
    status: str = Field(..., description="active | inactive")


class RankingWadahOut(RankingMeasuresOut):
    wadah_id: int
    name: str
    kab_code: str
    agents: int


class RankingTotalsOut(RankingMeasuresOut):
    agents: int
    wadah: int


class RankingsOut(Schema):
    kab: str = Field(..., description="Kemendagri code of the kabupaten (33.11) or province (33)")
    name: str
    from_: str = Field(..., alias="from", description="First month, YYYY-MM")
    to: str = Field(..., description="Last month, YYYY-MM")
    first_day: str = Field(..., description="YYYY-MM-DD")
    last_day: str = Field(..., description="The period's last day (today while its last month runs): retention's day")
    cohorts: dict[str, str] = Field(..., description="Months of acquisition the retention reads: {'6': YYYY-MM, ...}")
    sort: str = Field(..., description="The column the rows are ordered by: " + ", ".join(service.SORTS))
    order: str = Field(..., description="naik (ascending) | turun (descending)")
    agents: list[RankingAgentOut]
    wadah: list[RankingWadahOut] = Field(..., description="Each wadah's totals over its agents, in the same order")
    totals: RankingTotalsOut


@router.get("/agents/rankings", **answers({200: RankingsOut}, E.INVALID, E.NOT_FOUND), by_alias=True,
            summary="Peringkat agen PERISAI dan wadah satu kabupaten/kota dalam suatu periode")
def rankings(request, kab: str, dari: str = "", sampai: str = "", urut: str = "", arah: str = ""):
    """The agents and wadah of kabupaten (or province) `kab` ranked over the months `dari`..`sampai` (YYYY-MM;
    default this month): acquisitions, collections, deposits and retention after 6 and 12 months. The same numbers
    as /agen/peringkat/, its .xlsx and `jamsosdesa agents ranking --json`. 404 outside your area (and for roles
    that see no rankings); 422 for a code that is no kabupaten or province, a month that cannot be read, a first
    month after the last, or a last month still to come."""
    return service.rankings_read(user=request.user, kab=kab, first=dari, last=sampai, sort=urut, order=arah)
