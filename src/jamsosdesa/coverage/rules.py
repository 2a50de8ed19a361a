"""Counting rules (issue 13 item 3): the two figures a coverage page shows side by side, each under its own name.

- **protected** (`Rule.protected_name`, default "Terlindungi (status aktif)"): participants whose status on the day
  is `active` (billing.status: derived from dues and allocations, never stored);
- **counted toward target** (`Rule.counted_name`, default "Dihitung untuk target"): the figure branches report
  against their targets. Each protected person weighs 1, except one whose latest paid month (up to the day's
  month) was paid by a payer kind in `Rule.pro_rata_payers` (default APBDes, APBD, APBN: a government or village
  scheme): they weigh min(k, N) / N, with N = `Rule.full_after_months` (default 6) and k, by `Rule.basis`, the
  fully paid months up to the day's month (default) or the months from the first paid month to the day's month,
  both included. 1,000 village-paid workers with 3 paid months count as 500. N = 0: everyone protected weighs 1.
  A person not protected weighs 0.

Weights are exact: `fractions.Fraction` in Python; in SQL an integer number of *units*, weight × N (never a
float), so a region's counted figure is `Fraction(sum of units, N)`, exact at any size. Pages show it rounded
down to whole people (`Counts.counted_whole`: a person who has not yet counted fully is not yet a whole person).

The rule is data (`CountingRule`: effective from a month, with its source and who set it; a national admin edits
it in the Django admin, each save audited as `counting_rule.changed`); the default row comes from BPJS's procedure
book (migration 0005). `rule_for(on)` picks the row in force; before the first row, the same default from code.

`target_weight` (one person, pure) and `counted_table` (a region at once, SQL) answer the same for the same rows
(tests/coverage/test_rules_agree.py compares them on generated data). `counted_table` reads a person's facts from
billing's standing cache (count of fully paid months, first and last, payers of the last) when their last paid
month is not after the day's month, and their dues otherwise.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamsosdesa.billing.live import not_reversed_sql
from jamsosdesa.billing.models import ReversalTarget
from jamsosdesa.billing.standing import payer_mask
from jamsosdesa.billing.status import ACTIVE, status_table
from jamsosdesa.core import clock
from jamsosdesa.core.months import add_months, months_between

from .models_rules import CountingBasis, CountingRule

CODE_DEFAULT_SOURCE = "default"  # `Rule.source` when no row applies (a day before the first row)
CODE_DEFAULT_WORDS = _("aturan bawaan sistem")


@dataclass(frozen=True)
class Rule:
    full_after_months: int
    pro_rata_payers: frozenset[str]
    basis: str
    protected_name: str
    protected_name_en: str
    counted_name: str
    counted_name_en: str
    source: str
    valid_from: date | None = None  # None: the code's default (no row in force)

    @property
    def denominator(self) -> int:
        """N of the units: a weight is units / N (N = 0 counts everyone fully: one unit of one)."""
        return max(self.full_after_months, 1)

    def names(self, lang: str | None = None) -> tuple[str, str]:
        """(name of the protected figure, name of the counted figure) in the reader's language."""
        english = (lang or get_language() or "id").startswith("en")
        if english:
            return self.protected_name_en or self.protected_name, self.counted_name_en or self.counted_name
        return self.protected_name, self.counted_name

    def source_text(self) -> str:
        return str(CODE_DEFAULT_WORDS) if self.source == CODE_DEFAULT_SOURCE else self.source

    def as_dict(self) -> dict:
        protected, counted = self.names()
        return {"valid_from": self.valid_from.isoformat() if self.valid_from else None,
                "full_after_months": self.full_after_months, "pro_rata_payers": sorted(self.pro_rata_payers),
                "basis": self.basis, "protected_name": protected, "counted_name": counted,
                "source": self.source_text()}


DEFAULT_RULE = Rule(full_after_months=6, pro_rata_payers=frozenset({"apbdes", "apbd", "apbn"}),
                    basis=CountingBasis.PAID_MONTHS.value, protected_name="Terlindungi (status aktif)",
                    protected_name_en="Protected (status active)", counted_name="Dihitung untuk target",
                    counted_name_en="Counted toward target", source=CODE_DEFAULT_SOURCE)


def rule_from_row(row: CountingRule) -> Rule:
    return Rule(full_after_months=row.full_after_months, pro_rata_payers=frozenset(row.pro_rata_payers or ()),
                basis=row.basis, protected_name=row.protected_name, protected_name_en=row.protected_name_en,
                counted_name=row.counted_name, counted_name_en=row.counted_name_en, source=row.source,
                valid_from=row.valid_from)


def rule_for(on: date | None = None) -> Rule:
    """The rule in force on the day (its month decides): the latest row valid from that month or earlier."""
    month = (on or clock.today()).replace(day=1)
    row = CountingRule.objects.filter(valid_from__lte=month).order_by("-valid_from").first()
    return rule_from_row(row) if row is not None else DEFAULT_RULE


# --- one person (pure) -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaidFacts:
    """What the weight depends on, for one person on one day."""

    protected: bool  # status active on the day
    payer_type: str | None  # who paid the latest fully paid month up to the day's month (a listed kind if any did)
    paid_months: int  # fully paid months up to the day's month
    months_since_first_paid: int  # from the first fully paid month to the day's month, both included (0: none)


def target_weight(facts: PaidFacts, rule: Rule) -> Fraction:
    """The person's weight toward a target, 0..1, exact."""
    return Fraction(target_units(facts, rule), rule.denominator)


def target_units(facts: PaidFacts, rule: Rule) -> int:
    """The weight × N, an integer 0..N (what the SQL form sums)."""
    if not facts.protected:
        return 0
    n = rule.denominator
    if rule.full_after_months == 0 or facts.payer_type not in rule.pro_rata_payers:
        return n
    k = facts.months_since_first_paid if rule.basis == CountingBasis.SINCE_FIRST_PAID else facts.paid_months
    return max(min(k, n), 0)


@dataclass(frozen=True)
class PaidLine:
    """One live due as the facts need it."""

    month: date
    paid: bool  # a live allocation pays it
    payer_type: str


def facts_from_lines(lines: Iterable[PaidLine], on: date, *, protected: bool, rule: Rule) -> PaidFacts:
    """The facts from a person's live dues (any order). A month is paid when every live due of it is paid (as in
    billing.status); its payer is a kind of `rule.pro_rata_payers` when any of its dues is one, else any of them."""
    this_month = on.replace(day=1)
    paid: dict[date, bool] = {}
    funded: dict[date, str] = {}
    other: dict[date, str] = {}
    for line in lines:
        if line.month > this_month:
            continue
        paid[line.month] = paid.get(line.month, True) and line.paid
        (funded if line.payer_type in rule.pro_rata_payers else other).setdefault(line.month, line.payer_type)
    months = sorted(m for m, ok in paid.items() if ok)
    if not months:
        return PaidFacts(protected=protected, payer_type=None, paid_months=0, months_since_first_paid=0)
    last = months[-1]
    return PaidFacts(protected=protected, payer_type=funded.get(last) or other.get(last), paid_months=len(months),
                     months_since_first_paid=months_between(months[0], this_month))


def paid_lines(participant_id: int) -> list[PaidLine]:
    """The person's live dues with whether each is paid and by which payer kind (one query)."""
    sql = f"""SELECT d.month, d.payer_type, CASE WHEN EXISTS (
                SELECT 1 FROM billing_allocation a WHERE a.due_id = d.id
                AND {not_reversed_sql("a", ReversalTarget.ALLOCATION)}) THEN 1 ELSE 0 END
              FROM billing_due d WHERE d.participant_id = %s AND {not_reversed_sql("d", ReversalTarget.DUE)}"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [participant_id])
        rows = cursor.fetchall()
    return [PaidLine(month=_as_date(m), paid=bool(p), payer_type=t) for m, t, p in rows]


def weight_of(participant, on: date | None = None, *, rule: Rule | None = None) -> Fraction:
    """One participant's weight toward a target on the day (status from billing.status.status_of)."""
    from jamsosdesa.billing.status import status_of

    on = on or clock.today()
    rule = rule or rule_for(on)
    protected = status_of(participant, on).status == ACTIVE
    return target_weight(facts_from_lines(paid_lines(participant.pk), on, protected=protected, rule=rule), rule)


# --- a set of participants at once (SQL) -----------------------------------------------------------------------


def counted_table(region_code: str | None, on: date | None = None, *, rule: Rule | None = None,
                  participants_sql: str = "", participants_params: Iterable = (),
                  active: tuple[str, list] | None = None) -> tuple[str, list]:
    """SQL (with parameters) of one row per protected participant of the region (narrowed as `status_table`
    narrows) with `participant_id, units`: the weight × `rule.denominator`. Portable: no month arithmetic in SQL
    (the months-since bounds are computed here). `active`: SQL of the protected people's ids (a column
    `participant_id` whose rows all have status active on the day) when the caller has them already (the coverage
    snapshot reads them from the standing cache); the region arguments are then ignored.

    A person's facts come from billing's standing cache (`billing.models.Standing`: the count of fully paid months,
    the first and the last, the payer kinds of the last) whenever their last fully paid month is on or before the
    day's month: then every paid month is one "up to the day's month", and the cache, exact after every ledger write,
    is the answer. Someone with a month paid after it (paid ahead; any day before their last paid month) still has
    their dues and allocations up to the day's month read, as before: the cache knows only the months as they are
    now. Both ways give the same units (tests/coverage/test_rules_agree.py)."""
    on = on or clock.today()
    rule = rule or rule_for(on)
    if active is not None:
        status_sql = f"SELECT ac.participant_id, '{ACTIVE}' AS status FROM ({active[0]}) ac"
        status_params = list(active[1])
    else:
        status_sql, status_params = status_table(region_code, on, participants_sql=participants_sql,
                                                 participants_params=participants_params)
    adapt = connection.ops.adapt_datefield_value
    this_month = on.replace(day=1)
    n = rule.denominator
    payers = sorted(rule.pro_rata_payers)
    if rule.full_after_months == 0 or not payers:
        sql = f"SELECT st.participant_id, {n} AS units FROM ({status_sql}) st WHERE st.status = '{ACTIVE}'"
        return sql, status_params

    def pro_rata(facts: str) -> tuple[str, list]:
        """min(k, N) of a row `facts` with `first_paid` and `paid_months`."""
        if rule.basis == CountingBasis.SINCE_FIRST_PAID:
            # k ≥ u when the first paid month is on or before this month − (u − 1)
            whens = " ".join(f"WHEN {facts}.first_paid <= %s THEN {u}" for u in range(n, 0, -1))
            return f"CASE {whens} ELSE 0 END", [adapt(add_months(this_month, 1 - u)) for u in range(n, 0, -1)]
        return f"CASE WHEN {facts}.paid_months >= {n} THEN {n} ELSE {facts}.paid_months END", []

    cached_pro_rata, cached_params = pro_rata("sa")
    ledger_pro_rata, ledger_params = pro_rata("pp")
    marks = ", ".join(["%s"] * len(payers))
    live_allocation = not_reversed_sql("a", ReversalTarget.ALLOCATION)
    if connection.vendor == "postgresql":
        # One index probe per due (LATERAL with a LIMIT: not flattened into a join). As an EXISTS the planner chose a
        # hashed subplan at national size: every allocation of the country hashed for each kabupaten's snapshot.
        paid_join = (f"LEFT JOIN LATERAL (SELECT 1 AS hit FROM billing_allocation a WHERE a.due_id = d.id"
                     f" AND {live_allocation} LIMIT 1) al ON TRUE")
        paid = "al.hit IS NOT NULL"
        # and one probe of the standing cache per person (as a plain join: the national table hashed per kabupaten)
        standing_join = ("LEFT JOIN LATERAL (SELECT s0.first_paid, s0.last_paid, s0.paid_months, s0.last_paid_payers"
                         " FROM billing_standing s0 WHERE s0.participant_id = act.participant_id LIMIT 1) sc ON TRUE")
    else:
        paid_join = ""
        paid = f"EXISTS (SELECT 1 FROM billing_allocation a WHERE a.due_id = d.id AND {live_allocation})"
        standing_join = "LEFT JOIN billing_standing sc ON sc.participant_id = act.participant_id"
    sql = f"""
WITH act AS (SELECT st.participant_id FROM ({status_sql}) st WHERE st.status = '{ACTIVE}'),
sa AS (
  SELECT act.participant_id, sc.first_paid, sc.paid_months, sc.last_paid_payers,
         CASE WHEN sc.last_paid IS NOT NULL AND sc.last_paid <= %s THEN 1 ELSE 0 END AS cached
  FROM act {standing_join}),
pp AS (
  SELECT pm.participant_id, SUM(pm.paid) AS paid_months,
         MIN(CASE WHEN pm.paid = 1 THEN pm.month END) AS first_paid,
         MAX(CASE WHEN pm.paid = 1 THEN pm.month END) AS last_paid,
         MAX(CASE WHEN pm.paid = 1 AND pm.funded = 1 THEN pm.month END) AS last_funded
  FROM (
    SELECT d.participant_id, d.month,
           MIN(CASE WHEN {paid} THEN 1 ELSE 0 END) AS paid,
           MAX(CASE WHEN d.payer_type IN ({marks}) THEN 1 ELSE 0 END) AS funded
    FROM billing_due d {paid_join}
    WHERE d.participant_id IN (SELECT sa.participant_id FROM sa WHERE sa.cached = 0)
      AND d.month <= %s AND {not_reversed_sql("d", ReversalTarget.DUE)}
    GROUP BY d.participant_id, d.month) pm
  GROUP BY pm.participant_id)
SELECT sa.participant_id,
       CASE WHEN sa.cached = 1 THEN (CASE WHEN (sa.last_paid_payers & {payer_mask(payers)}) <> 0
                                          THEN {cached_pro_rata} ELSE {n} END)
            WHEN pp.last_funded IS NOT NULL AND pp.last_funded = pp.last_paid THEN {ledger_pro_rata}
            ELSE {n} END AS units
FROM sa LEFT JOIN pp ON pp.participant_id = sa.participant_id"""
    month_value = adapt(this_month)
    params = [*status_params, month_value, *payers, month_value, *cached_params, *ledger_params]
    return sql, params


@dataclass(frozen=True)
class Counts:
    """The two figures of a set of participants on a day, under the rule that names them."""

    on: date
    protected: int
    counted: Fraction
    rule: Rule

    @property
    def counted_whole(self) -> int:
        """The counted figure in whole people (rounded down)."""
        return self.counted.numerator // self.counted.denominator

    def as_dict(self) -> dict:
        protected_name, counted_name = self.rule.names()
        return {"on": self.on.isoformat(), "protected": self.protected, "counted": self.counted_whole,
                "counted_exact": f"{self.counted.numerator}/{self.counted.denominator}",
                "protected_name": protected_name, "counted_name": counted_name, "rule": self.rule.as_dict()}


def counts(region_code: str | None, on: date | None = None, *, rule: Rule | None = None,
           participants_sql: str = "", participants_params: Iterable = ()) -> Counts:
    """Protected and counted-toward-target of a region (or a narrowed set) on the day, in one query."""
    from jamsosdesa.billing.status import planned_without_jit

    on = on or clock.today()
    rule = rule or rule_for(on)
    sql, params = counted_table(region_code, on, rule=rule, participants_sql=participants_sql,
                                participants_params=participants_params)
    with planned_without_jit(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), COALESCE(SUM(ct.units), 0) FROM ({sql}) ct", params)
        protected, units = cursor.fetchone()
    return Counts(on=on, protected=int(protected), counted=Fraction(int(units), rule.denominator), rule=rule)


def _as_date(value) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
