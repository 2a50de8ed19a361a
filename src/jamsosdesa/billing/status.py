"""Protection status on a date, derived from dues and live allocations (docs/design/ledger.md §4; issue 12 item 4).

Never stored: `derive` computes it from the person's dues, the day and the arrears policy in force, and is shared by
`status_of` (one person, one query) and, in SQL form, by `status_table` (a region at once, for lists, worklists and
dashboards). Both answer the same for the same rows (tests/billing/test_status_table.py compares them).

- `ended`: deactivated in the registry on or before the day, or moved to PU (the employer pays from then on).
- `not_started`: no month up to the day's month is paid (protection starts with the first paid month).
- otherwise, with *c* the cut-off (the latest month whose deadline, day BILLING_DUE_DAY of the month
  BILLING_DUE_MONTH_OFFSET later, is on or before the day) and *k* the months from the last paid month + 1 to *c*,
  whether or not they have a due (a month nobody pays for is unpaid): `active` if k = 0 (or paid ahead),
  `arrears` if k is 1 or 2, `non_active` if 3 or more.
- `covered`: active; or arrears under a lenient policy while k ≤ its grace months (`covered_if_paid_by`: the
  arrears must be paid before that day); otherwise not.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, F, Func, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core import clock
from jamsosdesa.core.months import add_months, months_between
from jamsosdesa.core.regioncodes import Level, level_of_code
from jamsosdesa.participants.models import Segment

from .live import not_reversed_sql
from .models import ReversalTarget
from .policy import Policy, default_policy, policy_for

ACTIVE, ARREARS, NON_ACTIVE, NOT_STARTED, ENDED = "active", "arrears", "non_active", "not_started", "ended"
STATUSES = (ACTIVE, ARREARS, NON_ACTIVE, NOT_STARTED, ENDED)
STATUS_WORDS = {
    ACTIVE: _("aktif"),
    ARREARS: _("menunggak"),
    NON_ACTIVE: _("tidak aktif (perlindungan berhenti)"),
    NOT_STARTED: _("belum mulai"),
    ENDED: _("berakhir"),
}
ARREARS_MONTHS_BEFORE_NON_ACTIVE = 2  # k = 1..2 is arrears, 3 or more non-active


# --- the pure part ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueLine:
    """One live due as the derivation needs it: its month, amount, whether a live allocation pays it, and whether
    the worker pays it (their own package) or a scheme does."""

    month: date
    amount: int
    paid: bool
    self_paid: bool


@dataclass(frozen=True)
class RegistryState:
    """What the registry says of the person on the day: ended (deactivated by then, or moved to PU)."""

    ended: bool = False


@dataclass(frozen=True)
class Deadline:
    """A month's contribution falls due on `day` of the month `month_offset` months after it."""

    day: int = 15
    month_offset: int = 0

    @classmethod
    def from_settings(cls) -> "Deadline":
        return cls(day=settings.BILLING_DUE_DAY, month_offset=settings.BILLING_DUE_MONTH_OFFSET)

    def of(self, month: date) -> date:
        due_month = add_months(month, self.month_offset)
        last_day = (add_months(due_month, 1) - timedelta(days=1)).day
        return due_month.replace(day=min(max(self.day, 1), last_day))

    def cutoff(self, on: date) -> date:
        """*c*: the latest month whose deadline is on or before `on`."""
        month = add_months(on.replace(day=1), -self.month_offset)
        return month if self.of(month) <= on else add_months(month, -1)


@dataclass(frozen=True)
class Status:
    status: str
    on: date
    paid_through: date | None  # the month before the oldest unpaid due; with none, the latest paid month
    owed: int  # unpaid live dues of months up to the day's month
    owed_self: int
    owed_scheme: int
    covered: bool
    covered_if_paid_by: date | None  # lenient arrears: covered only if the arrears are paid before this day
    policy: Policy
    last_paid: date | None = None
    first_unpaid: date | None = None
    months_unpaid: int = 0  # k
    cutoff: date | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def words(self) -> str:
        return str(STATUS_WORDS[self.status])

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "on": self.on.isoformat(),
            "paid_through": f"{self.paid_through:%Y-%m}" if self.paid_through else None,
            "owed": self.owed,
            "owed_self": self.owed_self,
            "owed_scheme": self.owed_scheme,
            "covered": self.covered,
            "covered_if_paid_by": self.covered_if_paid_by.isoformat() if self.covered_if_paid_by else None,
            "months_unpaid": self.months_unpaid,
            "policy": self.policy.as_dict(),
        }


def status_by_last_paid(last_paid: date | None, first_paid: date | None, on: date, cutoff: date, *,
                        ended: bool) -> tuple[str, int]:
    """The status word and k from the month summary alone (what `status_table` computes in SQL)."""
    if ended:
        return ENDED, 0
    if first_paid is None or first_paid > on.replace(day=1):
        return NOT_STARTED, 0
    k = max(months_between(last_paid, cutoff) - 1, 0)
    if k == 0:
        return ACTIVE, 0
    return (ARREARS if k <= ARREARS_MONTHS_BEFORE_NON_ACTIVE else NON_ACTIVE), k


def derive(dues: Iterable[DueLine], on: date, policy: Policy, registry: RegistryState = RegistryState(), *,
           deadline: Deadline = Deadline()) -> Status:
    """The status of one person on the day `on` from their live dues (any order). Pure: no database, no clock."""
    this_month = on.replace(day=1)
    months: dict[date, bool] = {}
    owed_self = owed_scheme = 0
    first_unpaid = None
    for line in dues:
        months[line.month] = months.get(line.month, True) and line.paid
        if not line.paid:
            first_unpaid = line.month if first_unpaid is None else min(first_unpaid, line.month)
            if line.month <= this_month:
                if line.self_paid:
                    owed_self += line.amount
                else:
                    owed_scheme += line.amount
    paid = sorted(m for m, all_paid in months.items() if all_paid)
    last_paid = paid[-1] if paid else None
    first_paid = paid[0] if paid else None
    if first_unpaid is not None:
        # the month before the oldest unpaid due, when something was paid before it (else nothing is paid through)
        paid_through = add_months(first_unpaid, -1) if first_paid and first_paid < first_unpaid else None
    else:
        paid_through = last_paid
    cutoff = deadline.cutoff(on)
    status, k = status_by_last_paid(last_paid, first_paid, on, cutoff, ended=registry.ended)
    covered, paid_by = False, None
    if status == ACTIVE:
        covered = True
    elif status == ARREARS and policy.lenient and k <= policy.grace_months:
        covered = True
        oldest_unpaid = add_months(last_paid, 1)
        paid_by = deadline.of(add_months(oldest_unpaid, policy.grace_months))
    return Status(status=status, on=on, paid_through=paid_through, owed=owed_self + owed_scheme, owed_self=owed_self,
                  owed_scheme=owed_scheme, covered=covered, covered_if_paid_by=paid_by, policy=policy,
                  last_paid=last_paid, first_unpaid=first_unpaid, months_unpaid=k, cutoff=cutoff)


# --- one person -------------------------------------------------------------------------------------------------


def day_end_moment(on: date) -> datetime:
    """The first moment after the day `on` in the project's time zone."""
    return timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))


def registry_state(participant, on: date) -> RegistryState:
    deactivated = (not participant.is_active
                   and (participant.deactivated_at is None or participant.deactivated_at < day_end_moment(on)))
    return RegistryState(ended=deactivated or participant.segment == Segment.PU)


_DUE_LINES_SQL = """
SELECT d.month, d.amount, CASE WHEN a.id IS NULL THEN 0 ELSE 1 END, d.membership_id
FROM billing_due d
LEFT JOIN billing_allocation a ON a.due_id = d.id AND {live_allocation}{paid_by}
WHERE d.participant_id = %s AND {live_due}"""
# Money that had reached the due by a day's end: an allocation from a payment paid on or before the day, or one from
# credit (no payment) made before the day ended (its created_at).
_PAID_BY_SQL = (" AND ((a.payment_id IS NULL AND a.created_at < %s) OR (a.payment_id IS NOT NULL AND EXISTS ("
                "SELECT 1 FROM billing_payment pm WHERE pm.id = a.payment_id AND pm.paid_on <= %s)))")
_DUE_LINES = {with_day: _DUE_LINES_SQL.format(live_allocation=not_reversed_sql("a", ReversalTarget.ALLOCATION),
                                              live_due=not_reversed_sql("d", ReversalTarget.DUE),
                                              paid_by=_PAID_BY_SQL if with_day else "")
              for with_day in (False, True)}


def due_lines(participant_id: int, *, paid_by: date | None = None) -> list[DueLine]:
    """The person's live dues with whether each is paid: one query on the (participant, month) index with the
    allocation's (due, seq) index, written as SQL once (the ORM's compiling took longer than the query).

    `paid_by`: a due counts as paid only by money that had reached it by the end of that day: an allocation from a
    payment with `paid_on` on or before the day, or from credit with `created_at` before the day ended
    (`day_end_moment`). A claim asks for its event day: arrears paid after a death do not make the dead protected
    (docs/design/claims.md). Reversals count as they stand (a bounced payment never paid the due). None: all money,
    whenever paid."""
    params: list = [participant_id]
    if paid_by is not None:
        params = [connection.ops.adapt_datetimefield_value(day_end_moment(paid_by)),
                  connection.ops.adapt_datefield_value(paid_by), participant_id]
    with connection.cursor() as cursor:
        cursor.execute(_DUE_LINES[paid_by is not None], params)
        rows = cursor.fetchall()
    return [DueLine(month=_as_date(m), amount=int(a), paid=bool(p), self_paid=ms is not None) for m, a, p, ms in rows]


def status_of(participant, on: date | None = None, *, policy: Policy | None = None,
              paid_by: date | None = None) -> Status:
    """The participant's status on `on` (default: today), under the policy of their kabupaten on that day.
    `paid_by`: count only the money that had reached the dues by the end of that day (`due_lines`); None: all."""
    on = on or clock.today()
    chosen = policy or policy_for(participant.kab_code, on)
    return derive(due_lines(participant.pk, paid_by=paid_by), on, chosen, registry_state(participant, on),
                  deadline=Deadline.from_settings())


def public_status(participant_id: int | None, ended: bool, on: date) -> Status:
    """For the public page: the same one query whether or not a person matched (an id that matches nothing when
    none did), under the default policy, which the answer does not depend on (it tells only active or not)."""
    lines = due_lines(participant_id if participant_id is not None else 0)
    return derive(lines, on, default_policy(), RegistryState(ended=ended), deadline=Deadline.from_settings())


# --- a region at once (set-based) -------------------------------------------------------------------------------


def region_condition(code: str) -> tuple[str, list]:
    """A condition on the participants table `p` for a region code ('': everyone; an unknown code: nobody)."""
    code = (code or "").strip()
    if not code:
        return "1 = 1", []
    by_kab = _kab_condition(code, "p.kab_code")
    if by_kab is not None:
        return by_kab
    level = level_of_code(code)
    if level == Level.KECAMATAN:
        return "p.kec_code = %s", [code]
    if level == Level.DESA:
        return "p.desa_code = %s", [code]
    return "1 = 0", []  # an unknown code: nobody, never everyone


def _kab_condition(code: str, column: str) -> tuple[str, list] | None:
    """For a kabupaten or a province: a condition on a payer row's `kab_code` column (dues, allocations, packages,
    enrolments carry the kabupaten of the payer row, an index's first column). None for any other level."""
    level = level_of_code(code)
    if level == Level.KABUPATEN:
        return f"{column} = %s", [code]
    if level == Level.PROVINSI:
        return f"{column} LIKE %s", [code + ".%"]
    return None


_LIVE_DUE = not_reversed_sql("d", ReversalTarget.DUE)
_LIVE_ALLOCATION = not_reversed_sql("a", ReversalTarget.ALLOCATION)
# The person `s1.participant_id`'s months with no unpaid live due (a live due of a month with none unpaid is paid).
_FULLY_PAID_MONTHS = f"""FROM billing_due d WHERE d.participant_id = s1.participant_id AND {_LIVE_DUE}
           AND NOT EXISTS (SELECT 1 FROM billing_due u WHERE u.participant_id = d.participant_id AND u.month = d.month
                           AND {not_reversed_sql("u", ReversalTarget.DUE)} AND NOT EXISTS (
                             SELECT 1 FROM billing_allocation a WHERE a.due_id = u.id AND {_LIVE_ALLOCATION}))"""
# (`payer_type`: for the standing cache's facts, billing.standing.facts_table, which reads the dues through this too)
_DUE_COLUMNS = ("d.participant_id, d.month, d.amount, d.membership_id, d.payer_type,"
                " CASE WHEN a.id IS NULL THEN 0 ELSE 1 END AS paid")


def _dues_sql(code: str, people: str, people_params: list) -> tuple[str, list]:
    """The live dues (with `paid`) of the people of `p`, read the cheapest exact way for the region:

    - a kabupaten or province: through the dues' and allocations' own `kab_code` (the `(kab_code, month)` and
      `(kab_code, due)` indexes), never through every due of the database; plus, for the people of the region with a
      package or enrolment billed in another kabupaten (who moved), their dues there by the `(participant, month)`
      index. Dues of people outside `p` (moved away) are read but dropped by the final join;
    - a kecamatan, a desa or a narrowed set: by the `(participant, month)` index from `p`;
    - everyone: every due."""
    kab_dues = _kab_condition(code, "d.kab_code") if code else None
    if kab_dues is None:
        join = f"JOIN ({people}) pp ON pp.id = d.participant_id" if people else ""
        return (f"SELECT {_DUE_COLUMNS} FROM billing_due d {join}"
                f" LEFT JOIN billing_allocation a ON a.due_id = d.id AND {_LIVE_ALLOCATION}"
                f" WHERE {_LIVE_DUE}"), list(people_params) if people else []
    due_kab, params = kab_dues
    allocation_kab, _p = _kab_condition(code, "a.kab_code")
    package_kab, _p = _kab_condition(code, "m.kab_code")
    enrolment_kab, _p = _kab_condition(code, "e.kab_code")
    sql = f"""
  SELECT {_DUE_COLUMNS} FROM billing_due d
  LEFT JOIN billing_allocation a ON a.due_id = d.id AND {allocation_kab} AND {_LIVE_ALLOCATION}
  WHERE {due_kab} AND {_LIVE_DUE}
  UNION ALL
  SELECT {_DUE_COLUMNS} FROM billing_due d
  LEFT JOIN billing_allocation a ON a.due_id = d.id AND {_LIVE_ALLOCATION}
  WHERE d.participant_id IN (
      SELECT m.participant_id FROM billing_membership m WHERE NOT ({package_kab}) AND m.participant_id IN ({people})
      UNION
      SELECT e.participant_id FROM funding_enrolment e WHERE NOT ({enrolment_kab}) AND e.participant_id IN ({people}))
    AND NOT ({due_kab}) AND {_LIVE_DUE}"""
    return sql, [*params, *params, *params, *people_params, *params, *people_params, *params]


def status_table(region_code: str | None, on: date | None = None, *, participants_sql: str = "",
                 participants_params: Iterable = ()) -> tuple[str, list]:
    """SQL (with its parameters) of one row per participant of the region ('' or None: every one) with
    `participant_id, status, last_paid, first_paid, first_unpaid, owed, owed_self`. `participants_sql` narrows
    it further: a condition on `p` (the participants table), e.g. `p.id IN (<a scoped queryset's SQL>)`.

    Portable (SQLite and PostgreSQL): no month arithmetic in SQL; the status is a range on `last_paid` with bounds
    computed here (c, c − 2), as in design §4. Wrap it: `SELECT participant_id FROM (<sql>) s WHERE status = %s`.

    The dues are read as `_dues_sql` says and aggregated once per person: when no month has both a paid and an
    unpaid due (the person's paid months all lie before, or all after, their unpaid ones), the latest and the first
    paid due give the latest and the first fully paid month. Only for the people where the two ranges overlap are
    the fully paid months looked up again, by the `(participant, month)` index (`_FULLY_PAID_MONTHS`).
    """
    on = on or clock.today()
    this_month = connection.ops.adapt_datefield_value(on.replace(day=1))
    status_case, status_params = status_case_sql(on)
    code, participants_params = (region_code or "").strip(), list(participants_params)
    region, region_params = region_condition(code)
    narrow = f" AND ({participants_sql})" if participants_sql else ""
    # the people again, where the dues need them (`p` itself, named twice, would be materialised: no parallel plan)
    people = f"SELECT p.id FROM participants_participant p WHERE {region}{narrow}" if code or narrow else ""
    dues, dues_params = _dues_sql(code, people, [*region_params, *participants_params])
    overlap = ("s1.first_unpaid IS NOT NULL AND s1.last_paid IS NOT NULL"
               " AND s1.last_paid >= s1.first_unpaid AND s1.last_unpaid >= s1.first_paid")
    sql = f"""
WITH p AS (
  SELECT p.id, p.is_active, p.deactivated_at, p.segment FROM participants_participant p
  WHERE {region}{narrow}
), dd AS ({dues}
), s1 AS (
  SELECT participant_id,
         MAX(CASE WHEN paid = 1 THEN month END) AS last_paid,
         MIN(CASE WHEN paid = 1 THEN month END) AS first_paid,
         MIN(CASE WHEN paid = 0 THEN month END) AS first_unpaid,
         MAX(CASE WHEN paid = 0 THEN month END) AS last_unpaid,
         SUM(CASE WHEN paid = 0 AND month <= %s THEN amount ELSE 0 END) AS owed,
         SUM(CASE WHEN paid = 0 AND month <= %s AND membership_id IS NOT NULL THEN amount ELSE 0 END) AS owed_self
  FROM dd GROUP BY participant_id
), s AS (
  SELECT s1.participant_id,
         CASE WHEN {overlap} THEN (SELECT MAX(d.month) {_FULLY_PAID_MONTHS}) ELSE s1.last_paid END AS last_paid,
         CASE WHEN {overlap} THEN (SELECT MIN(d.month) {_FULLY_PAID_MONTHS}) ELSE s1.first_paid END AS first_paid,
         s1.first_unpaid, s1.owed, s1.owed_self
  FROM s1
)
SELECT p.id AS participant_id, {status_case} AS status,
       s.last_paid, s.first_paid, s.first_unpaid, COALESCE(s.owed, 0) AS owed, COALESCE(s.owed_self, 0) AS owed_self
FROM p LEFT JOIN s ON s.participant_id = p.id"""
    params = [*region_params, *participants_params, *dues_params, this_month, this_month, *status_params]
    return sql, params


def status_case_sql(on: date, *, person: str = "p", months: str = "s") -> tuple[str, list]:
    """The status on the day as one SQL CASE (with its parameters) over a participant row `person` (is_active,
    deactivated_at, segment) and a row `months` with the first and last fully paid month (`first_paid`,
    `last_paid`; NULL: none): `status_by_last_paid` in SQL, for `status_table` and for anything that reads the months
    from the standing cache (the coverage snapshots), so every count of a status uses the same rule."""
    cutoff = Deadline.from_settings().cutoff(on)
    adapt = connection.ops.adapt_datefield_value
    day_end = connection.ops.adapt_datetimefield_value(day_end_moment(on))
    sql = (f"CASE WHEN ({person}.is_active = %s AND ({person}.deactivated_at IS NULL OR {person}.deactivated_at < %s))"
           f" OR {person}.segment = %s THEN '{ENDED}'"
           f" WHEN {months}.first_paid IS NULL OR {months}.first_paid > %s THEN '{NOT_STARTED}'"
           f" WHEN {months}.last_paid >= %s THEN '{ACTIVE}'"
           f" WHEN {months}.last_paid >= %s THEN '{ARREARS}'"
           f" ELSE '{NON_ACTIVE}' END")
    return sql, [False, day_end, Segment.PU.value, adapt(on.replace(day=1)), adapt(cutoff),
                 adapt(add_months(cutoff, -ARREARS_MONTHS_BEFORE_NON_ACTIVE))]


@contextmanager
def planned_without_jit():
    """A transaction in which PostgreSQL does not JIT-compile: the region-wide queries here and in the worklists
    are estimated expensive enough to pass `jit_above_cost`, and compiling them cost 1-4 s on the bench for queries
    that run in well under that (bench/README.md). Elsewhere, a plain transaction. The one place that sets it."""
    from django.db import transaction

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def ids_filter(queries: list[tuple[str, list]]):
    """A filter `pk IN (any of the queries)` on participants, for lists that page (ORDER BY … LIMIT) and count.
    PostgreSQL estimates a grouped region-wide subquery at a few rows and, under a LIMIT, ran it as the inner side of
    a nested loop, once per participant (> 10 minutes for an arrears list of 100,000 people); it also ran it once
    for the page and again for the count. So there the ids are fetched first (JIT off), and the list filters on them
    as an array of known size. SQLite builds a subquery's list once: it keeps the subqueries."""
    if connection.vendor != "postgresql":
        q = Q(pk__in=[])
        for sql, params in queries:
            q |= Q(pk__in=RawSQL(sql, params))
        return q
    ids: set[int] = set()
    with planned_without_jit(), connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            ids.update(row[0] for row in cursor.fetchall())
    # `id = ANY(array)`, an index condition on the primary key, not `id IN (SELECT unnest(array))`: as a semi-join
    # beside the scope's OR of two subqueries (an agent's people: its desa or registered by it, or whose package it
    # collects) the planner scanned every participant of the country for each page (2.8 s at 505,000, bench/agents.py).
    return Q(_AnyOf(F("pk"), RawSQL("%s::bigint[]", [sorted(ids)])))


class _AnyOf(Func):
    """`column = ANY(array)` (PostgreSQL)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def participant_ids_with_status(status: str, on: date | None = None, *, region_code: str = "",
                                participants_sql: str = "", participants_params: Iterable = ()) -> tuple[str, list]:
    """SQL of the ids of participants with `status` on the day (for `pk__in=RawSQL(...)`)."""
    sql, params = status_table(region_code, on, participants_sql=participants_sql,
                               participants_params=participants_params)
    return f"SELECT st.participant_id FROM ({sql}) st WHERE st.status = %s", [*params, status]


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def status_rows(region_code: str | None, on: date | None = None) -> list[dict]:
    """status_table's rows as dicts (dates as dates), for small regions and tests."""
    sql, params = status_table(region_code, on)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [col[0] for col in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for key in ("last_paid", "first_paid", "first_unpaid"):
            row[key] = _as_date(row[key])
        row["owed"], row["owed_self"] = int(row["owed"]), int(row["owed_self"])
    return rows


# --- the public page ----------------------------------------------------------------------------------------------


def protected_until(nik: str, birth_date: date, on: date | None = None) -> date | None:
    """For the public page: the paid-through month when the person with this NIK and birth date is protected
    (`active`) on the day, else None. An unknown NIK, a wrong birth date and an unprotected person cost the same
    two queries (the dues query runs for an id that matches nothing) and give the same None."""
    from jamsosdesa.participants.models import Participant

    on = on or clock.today()
    row = (Participant.objects.filter(nik=nik)
           .values("pk", "birth_date", "is_active", "deactivated_at", "segment").first())
    matched = row is not None and row["birth_date"] == birth_date
    ended = False
    if matched:
        ended = registry_state(_Registry(row["is_active"], row["deactivated_at"], row["segment"]), on).ended
    status = public_status(row["pk"] if matched else None, ended, on)
    if status.status != ACTIVE:
        return None
    return status.paid_through or status.last_paid


@dataclass(frozen=True)
class _Registry:
    is_active: bool
    deactivated_at: datetime | None
    segment: str
