"""What packages above billing add to a person's protection status without billing importing them (core.registry):

- `status_overlays`: a word on top of the derived status, e.g. "at risk" when an agent collected the money and has
  not deposited it yet (issue 14). The derived status itself (`status.derive`) is unchanged; the participant's
  status panel, the status API and the public check show the overlays beside it. Each entry is a function
  `(participant_ids, on) -> {participant id: StatusOverlay}`, set-based: one query for a list or for one person.
- `receipt_checks`: the public page's check of a receipt's verification code (an agent's cash receipt). Each entry
  is a function `(code, on) -> ReceiptCheck | None`.
- `ledger_invariants`: more invariants for `ledger check` (billing.check), each a function returning the failures
  it finds.
- `payment_reversed_hooks`: told when a payment is reversed (`services.reversals.payment_reverse`, in its
  transaction), each as `hook(actor=, payment=, reversal=)`: e.g. an agent's collection that was that payment.
- `held_months`: the set-based (SQL) form of "paid, but not yet good": months billing's ledger counts as paid whose
  money has not reached BPJS in time (an agent's collection not deposited past the rules' days). Each entry is
  `(on, person, months) -> (sql, params)`: a condition, true when one of the months `months` (SQL expressions; empty:
  any month) of the participant `person` (an SQL expression of its id) is paid by such money on `on`; an indexed
  probe on the person (it runs once per person of a coverage snapshot), which tests the months before anything
  costlier. `held_condition` joins the entries and `good_paid_month_sql` gives a person's first or last fully paid
  month without them (coverage's "protected").
- `status_events`: audit events of packages above billing after which someone's protection may read differently
  (a deposit, its reversal, a change of the agents' days), with how to find their kabupaten: coverage's incremental
  refresh reads them beside its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from jamsosdesa.core.registry import Registry


@dataclass(frozen=True)
class StatusOverlay:
    kind: str  # a short key, e.g. "at_risk"
    label: str  # the badge's word, e.g. "Berisiko"
    message: str  # the sentence shown to the person and to staff
    protected: bool = False  # whether the person still counts as protected while it holds
    since: date | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": str(self.label), "message": str(self.message),
                "protected": self.protected, "since": self.since.isoformat() if self.since else None}


@dataclass(frozen=True)
class ReceiptCheck:
    """What the public page says of a receipt code: only what the receipt's holder already has on it, and where the
    money is."""

    first_month: date
    last_month: date
    amount: int
    collected_on: date
    deposited: bool  # the money reached BPJS (False: still with the agent)
    at_risk: bool  # not deposited and older than the programme's days


status_overlays: Registry[Callable[[Iterable[int], date], dict]] = Registry("status overlays")
receipt_checks: Registry[Callable[[str, date], ReceiptCheck | None]] = Registry("receipt checks")
ledger_invariants: Registry[Callable[[], list]] = Registry("ledger invariants")
payment_reversed_hooks: Registry[Callable[..., None]] = Registry("payment reversed hooks")
held_months: Registry[Callable[[date, str, tuple[str, ...]], tuple[str, list]]] = Registry("held months")
# For each `held_months` entry, under the same name: `(on, kab_code) -> (sql, params)`, a query of the participant ids
# of a kabupaten who may have held money on the day (a superset, found from the money's side by an index on its
# kabupaten), so a region-wide reader probes those few people instead of everyone with a paid month.
held_candidates: Registry[Callable[[date, str], tuple[str, list]]] = Registry("held money candidates")


@dataclass(frozen=True)
class StatusEvents:
    """Audit event types a package above billing writes that may change how someone's protection reads (see
    `held_months`), and `kabupaten(event_type, object_id) -> set of kabupaten codes | None` (None: every one)."""

    event_types: tuple[str, ...]
    kabupaten: Callable[[str, str], set[str] | None]


status_events: Registry[StatusEvents] = Registry("status events")


def held_condition(on: date, person: str, months: tuple[str, ...] = ()) -> tuple[str, list] | None:
    """Every `held_months` entry's condition joined by OR (see the module's docstring); None when none is
    registered (the caller then leaves the check out)."""
    parts, params = [], []
    for entry in held_months:
        sql, more = entry(on, person, tuple(months))
        parts.append(f"({sql})")
        params.extend(more)
    return (" OR ".join(parts), params) if parts else None


def held_candidate_ids(on: date, kab_code: str) -> list[int] | None:
    """The participant ids of the kabupaten who may have held money on `on` (every `held_candidates` entry's query,
    together); None when a `held_months` entry has no candidates query (the caller then asks everyone)."""
    from django.db import connection

    ids: set[int] = set()
    entries = dict(held_candidates._entries)
    for name in held_months._entries:
        if name not in entries:
            return None
        sql, params = entries[name](on, kab_code)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids.update(int(row[0]) for row in cursor.fetchall())
    return sorted(ids)


def good_paid_month_sql(on: date, person: str, which: str) -> tuple[str, list]:
    """A scalar subquery: the person's first (`which` 'MIN') or last ('MAX') month that is fully paid (a live due,
    no live due of that month unpaid: the standing cache's rule) and not held (`held_months`) on `on`. By the
    `(participant, month)` index: for the few people with held money only."""
    from .live import not_reversed_sql
    from .models import ReversalTarget

    if which not in ("MIN", "MAX"):
        raise ValueError(which)
    held = held_condition(on, person, ("gd.month",))
    due, allocation = ReversalTarget.DUE, ReversalTarget.ALLOCATION
    sql = (f"(SELECT {which}(gd.month) FROM billing_due gd WHERE gd.participant_id = {person}"
           f" AND {not_reversed_sql('gd', due)}"
           f" AND NOT EXISTS (SELECT 1 FROM billing_due gu WHERE gu.participant_id = gd.participant_id"
           f" AND gu.month = gd.month AND {not_reversed_sql('gu', due)} AND NOT EXISTS ("
           f"SELECT 1 FROM billing_allocation ga WHERE ga.due_id = gu.id AND {not_reversed_sql('ga', allocation)}))")
    if held is None:
        return sql + ")", []
    return f"{sql} AND NOT ({held[0]}))", held[1]


def overlays_for(participant_ids, on: date) -> dict[int, list[StatusOverlay]]:
    """Every registered overlay of these participants on `on`."""
    found: dict[int, list[StatusOverlay]] = {}
    for entry in status_overlays:
        for pk, overlay in entry(participant_ids, on).items():
            found.setdefault(pk, []).append(overlay)
    return found


def overlays_of(participant_id: int | None, on: date) -> list[StatusOverlay]:
    """One person's overlays (an id of None asks for a person that matches nothing, at the same cost)."""
    return overlays_for([participant_id if participant_id is not None else -1], on).get(participant_id, [])


def receipt_check(code: str, on: date) -> ReceiptCheck | None:
    for entry in receipt_checks:
        answer = entry(code, on)
        if answer is not None:
            return answer
    return None


def public_overlays(nik: str, birth_date: date, on: date) -> list[StatusOverlay]:
    """For the public page: the overlays of the person with this NIK and birth date (none for anyone else), after
    the same queries whether or not they match, as `status.protected_until`."""
    from jamsosdesa.participants.models import Participant

    row = Participant.objects.filter(nik=nik).values("pk", "birth_date").first()
    matched = row is not None and row["birth_date"] == birth_date
    return overlays_of(row["pk"] if matched else None, on)
