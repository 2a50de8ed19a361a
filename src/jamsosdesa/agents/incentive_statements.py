"""Incentive statements (issue 14 part C): an agent's month line by line (who, with the NIK masked, which
contribution month, which rule, base, amount) and a wadah's month (each agent's total and the wadah's own line),
as the page, the command line, the API and the .xlsx export (audited as INCENTIVE_EXPORTED) show them. The agent and
the wadah are fetched through agents.access by the callers (outside scope: 404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jamsosdesa.billing.statements import _book, _write
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.months import parse_month
from jamsosdesa.core.presenters import mask_nik
from jamsosdesa.participants.models import Participant

from .models_incentives import IncentiveKind, IncentiveLine, IncentiveRun
from .models_wadah import Agent, Wadah


@dataclass
class Line:
    kind: str
    rule: str
    nik: str
    name: str
    contribution_month: date | None
    month_index: int | None
    base: int
    rate_bp: int
    amount: int

    @property
    def rate_text(self) -> str:
        return f"{self.rate_bp / 100:g}%" if self.rate_bp else ""

    def as_dict(self) -> dict:
        return {"kind": self.kind, "nik": self.nik, "name": self.name,
                "contribution_month": self.contribution_month and f"{self.contribution_month:%Y-%m}",
                "month_index": self.month_index, "base": self.base, "rate_bp": self.rate_bp, "amount": self.amount}


@dataclass
class AgentStatement:
    agent: Agent
    month: date
    lines: list[Line]
    by_kind: list[tuple[str, int, int]]  # (rule, lines, amount)
    total: int
    run: IncentiveRun | None

    def as_dict(self) -> dict:
        return {"agent": self.agent.pk, "username": self.agent.user.username, "wadah": self.agent.wadah_id,
                "month": f"{self.month:%Y-%m}", "total": self.total,
                "by_kind": [{"rule": r, "lines": n, "amount": a} for r, n, a in self.by_kind],
                "lines": [line.as_dict() for line in self.lines]}


@dataclass
class WadahStatement:
    wadah: Wadah
    month: date
    agents: list[tuple[Agent, int, int]]  # (agent, lines, amount)
    agents_total: int
    wadah_base: int
    wadah_amount: int
    run: IncentiveRun | None
    lines: list[tuple[str, Line]] = field(default_factory=list)  # (agent username, line), for the export

    @property
    def total(self) -> int:
        return self.agents_total + self.wadah_amount

    def as_dict(self) -> dict:
        return {"wadah": self.wadah.pk, "name": self.wadah.name, "month": f"{self.month:%Y-%m}",
                "agents": [{"agent": a.pk, "username": a.user.username, "lines": n, "amount": amount}
                           for a, n, amount in self.agents],
                "agents_total": self.agents_total, "wadah_base": self.wadah_base, "wadah_amount": self.wadah_amount,
                "total": self.total}


def month_or_404(text: str) -> date:
    """A statement's month from its address (YYYY-MM); anything else is an address that does not exist."""
    try:
        return parse_month(text)
    except ValueError:
        raise Http404 from None


def _kind_label(kind: str) -> str:
    return str(IncentiveKind(kind).label) if kind in IncentiveKind.values else kind


def last_run(month: date) -> IncentiveRun | None:
    return IncentiveRun.objects.filter(month=month, status="done").order_by("-finished_at", "-pk").first()


def _lines(qs) -> list[Line]:
    rows = list(qs.order_by("kind", "contribution_month", "participant_id", "pk").values_list(
        "kind", "participant_id", "contribution_month", "month_index", "base", "rate_bp", "amount"))
    people = dict((pk, (nik, name)) for pk, nik, name in Participant.objects.filter(
        pk__in={r[1] for r in rows if r[1]}).values_list("pk", "nik", "full_name"))
    found = []
    for kind, person, cmonth, index, base, bp, amount in rows:
        nik, name = people.get(person, ("", ""))
        found.append(Line(kind=kind, rule=_kind_label(kind), nik=mask_nik(nik) if nik else "", name=name,
                          contribution_month=cmonth, month_index=index, base=base, rate_bp=bp, amount=amount))
    return found


def agent_statement(agent: Agent, month: date) -> AgentStatement:
    qs = IncentiveLine.objects.filter(month=month, agent_id=agent.user_id)
    lines = _lines(qs)
    by_kind = [(_kind_label(row["kind"]), row["n"], row["amount"] or 0) for row in
               qs.values("kind").annotate(n=Count("id"), amount=Sum("amount")).order_by("kind")]
    return AgentStatement(agent=agent, month=month, lines=lines, by_kind=by_kind,
                          total=sum(a for _r, _n, a in by_kind), run=last_run(month))


def wadah_statement(wadah: Wadah, month: date, *, with_lines: bool = False) -> WadahStatement:
    qs = IncentiveLine.objects.filter(month=month, wadah_id=wadah.pk)
    sums = {row["agent_id"]: (row["n"], row["amount"] or 0) for row in
            qs.exclude(kind=IncentiveKind.WADAH).values("agent_id").annotate(n=Count("id"), amount=Sum("amount"))}
    agents = Agent.objects.select_related("user").filter(user_id__in=sums).order_by("user__username")
    rows = [(a, *sums[a.user_id]) for a in agents]
    own = qs.filter(kind=IncentiveKind.WADAH).aggregate(base=Sum("base"), amount=Sum("amount"))
    statement = WadahStatement(wadah=wadah, month=month, agents=rows, agents_total=sum(r[2] for r in rows),
                               wadah_base=own["base"] or 0, wadah_amount=own["amount"] or 0, run=last_run(month))
    if with_lines:
        names = {a.user_id: a.user.username for a in agents}
        for agent_id in sorted(sums, key=lambda pk: names.get(pk, "")):
            statement.lines += [(names.get(agent_id, ""), line) for line in _lines(qs.filter(agent_id=agent_id))]
    return statement


# --- .xlsx --------------------------------------------------------------------------------------------------


HEAD = tuple(gettext_noop(h) for h in ("Aturan", "NIK", "Nama", "Bulan iuran", "Bulan ke-", "Dasar (Rp)", "Tarif",
                                         "Insentif (Rp)"))


def _line_row(line: Line) -> list:
    return [line.rule, line.nik, line.name, line.contribution_month and f"{line.contribution_month:%Y-%m}",
            line.month_index, line.base, line.rate_text, line.amount]


def agent_statement_xlsx(*, statement: AgentStatement, target) -> int:
    book, bold, money = _book(target)
    sheet = book.add_worksheet(_("Insentif"))
    agent = statement.agent
    _write(sheet, 0, [_("Agen"), str(agent), agent.user.username], money)
    _write(sheet, 1, [_("Wadah"), agent.wadah.name], money)
    _write(sheet, 2, [_("Bulan"), f"{statement.month:%Y-%m}"], money)
    sheet.write_row(4, 0, [_(h) for h in HEAD], bold)
    r = 5
    for line in statement.lines:
        _write(sheet, r, _line_row(line), money)
        r += 1
    _write(sheet, r + 1, [_("Jumlah"), "", "", "", "", "", "", statement.total], money)
    book.close()
    return len(statement.lines)


def wadah_statement_xlsx(*, statement: WadahStatement, target) -> int:
    book, bold, money = _book(target)
    sheet = book.add_worksheet(_("Wadah"))
    _write(sheet, 0, [_("Wadah"), statement.wadah.name], money)
    _write(sheet, 1, [_("Bulan"), f"{statement.month:%Y-%m}"], money)
    sheet.write_row(3, 0, [_("Agen"), _("Baris"), _("Insentif (Rp)")], bold)
    r = 4
    for agent, n, amount in statement.agents:
        _write(sheet, r, [agent.user.username, n, amount], money)
        r += 1
    _write(sheet, r + 1, [_("Jumlah insentif agen"), "", statement.agents_total], money)
    _write(sheet, r + 2, [_("Tambahan wadah"), statement.wadah_base, statement.wadah_amount], money)
    lines = book.add_worksheet(_("Baris"))
    lines.write_row(0, 0, [_("Agen"), *[_(h) for h in HEAD]], bold)
    for i, (username, line) in enumerate(statement.lines, start=1):
        _write(lines, i, [username, *_line_row(line)], money)
    book.close()
    return len(statement.lines) + len(statement.agents)


def incentive_export_record(*, actor, kind: str, obj, month: date, rows: int, region_code: str = "") -> None:
    """The audit row of an exported statement (who, which agent or wadah, which month, how many rows)."""
    audit_record(actor=actor, event=AuditEventType.INCENTIVE_EXPORTED, obj=obj, region_code=region_code,
                 new={"kind": kind, "month": f"{month:%Y-%m}", "rows": rows, "format": "xlsx"},
                 note=f"{kind} {month:%m/%Y}")
