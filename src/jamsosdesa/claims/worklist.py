"""Claims past the service standard (issue 15 item 6): a file complete and not yet paid after more working days
than the standard in force allows, counted from the first time the file was complete (claims.clock: weekends and
Indonesian public holidays counted out). Held claims wait for the heirs' arrears, not for the office, and are not
on the list. Scoped by claims.access.scope_claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.db.models.functions import Coalesce

from jamsosdesa.core import clock as core_clock

from .access import scope_claims
from .clock import due_on, local_date, working_days
from .models import Claim, ClaimStatus

WAITING = (ClaimStatus.REPORTED, ClaimStatus.PREPARED, ClaimStatus.APPROVED)
# The clock starts the first time the file was complete (a document replaced or withdrawn and added again does not
# restart it); a claim recorded before that field existed starts from complete_at.
STARTED = Q(first_complete_at__isnull=False) | Q(complete_at__isnull=False)


def clock_start(claim: Claim):
    """When the service clock of `claim` started (None: its file was never complete)."""
    return claim.first_complete_at or claim.complete_at


@dataclass(frozen=True)
class OverdueRow:
    claim: Claim
    complete_on: date
    due_on: date
    working_days: int  # working days since the file was complete
    late_by: int  # working days past the standard

    def as_dict(self) -> dict:
        c = self.claim
        return {"number": c.number, "kind": c.kind, "status": c.status, "desa_code": c.desa_code,
                "participant": c.participant.full_name, "complete_on": self.complete_on.isoformat(),
                "due_on": self.due_on.isoformat(), "working_days": self.working_days, "late_by": self.late_by,
                "benefit_total": c.benefit_total}


def overdue(user, *, today: date | None = None) -> list[OverdueRow]:
    """The claims the user sees that are complete, unpaid and past their due day, the longest waiting first."""
    today = today or core_clock.today()
    rows = []
    qs = scope_claims(user, Claim.objects.filter(STARTED, status__in=WAITING).select_related("participant"))
    for claim in qs.order_by(Coalesce("first_complete_at", "complete_at"), "id"):
        start = local_date(clock_start(claim))
        due = due_on(clock_start(claim))
        if today > due:
            elapsed = working_days(start, today)
            rows.append(OverdueRow(claim, start, due, elapsed, working_days(due, today)))
    return rows


def is_overdue(claim: Claim, *, today: date | None = None) -> bool:
    today = today or core_clock.today()
    return bool(claim.status in WAITING and clock_start(claim) and today > due_on(clock_start(claim)))
