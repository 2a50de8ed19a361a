"""The status derivation on its own (design §4): pure, so each boundary is a plain call. Months come from the
suite's clock (month(offset)); the deadline is day 15 of the month itself unless a test says otherwise."""

from datetime import date, timedelta

from jamsosdesa.billing.policy import Policy
from jamsosdesa.billing.status import (
    ACTIVE,
    ARREARS,
    ENDED,
    NON_ACTIVE,
    NOT_STARTED,
    Deadline,
    DueLine,
    RegistryState,
    derive,
)
from jamsosdesa.core.months import add_months
from tests.billing.conftest import month

STRICT = Policy(mode="strict", grace_months=3, source="uji")
LENIENT = Policy(mode="lenient", grace_months=3, source="Surat Cabang 7/2026")
DEADLINE = Deadline(day=15, month_offset=0)


def own(when: date, paid: bool, amount: int = 16_800) -> DueLine:
    return DueLine(month=when, amount=amount, paid=paid, self_paid=True)


def by_scheme(when: date, paid: bool, amount: int = 16_800) -> DueLine:
    return DueLine(month=when, amount=amount, paid=paid, self_paid=False)


def day(offset: int, day_of_month: int) -> date:
    return month(offset).replace(day=day_of_month)


def status(lines, on, policy=STRICT, ended=False, deadline=DEADLINE):
    return derive(lines, on, policy, RegistryState(ended=ended), deadline=deadline)


def test_before_the_deadline_last_month_is_the_cut_off_so_an_unpaid_current_month_is_still_active():
    lines = [own(month(-2), True), own(month(-1), True), own(month(0), False)]
    on_14th = status(lines, day(0, 14))
    assert (on_14th.status, on_14th.covered, on_14th.months_unpaid) == (ACTIVE, True, 0)
    assert on_14th.paid_through == month(-1)
    assert on_14th.owed == 16_800  # this month's due is owed already, it is just not late
    on_16th = status(lines, day(0, 16))
    assert (on_16th.status, on_16th.covered, on_16th.months_unpaid) == (ARREARS, False, 1)
    assert on_16th.paid_through == month(-1)


def test_on_the_deadline_day_itself_the_month_is_late():
    lines = [own(month(-1), True), own(month(0), False)]
    assert status(lines, day(0, 15)).status == ARREARS


def test_the_second_unpaid_month_is_still_arrears_and_the_third_deadline_ends_protection():
    lines = [own(month(-3), True), own(month(-2), False), own(month(-1), False), own(month(0), False)]
    before = status(lines, day(0, 14))  # c = last month: two months late
    assert (before.status, before.months_unpaid) == (ARREARS, 2)
    after = status(lines, day(0, 16))  # c = this month: three
    assert (after.status, after.months_unpaid, after.covered) == (NON_ACTIVE, 3, False)
    assert after.paid_through == month(-3)
    assert after.owed == 3 * 16_800


def test_paid_ahead_is_active_with_the_future_month_as_paid_through_and_nothing_owed():
    lines = [own(add_months(month(0), n), True) for n in range(-1, 4)]
    s = status(lines, day(0, 20))
    assert (s.status, s.covered, s.owed) == (ACTIVE, True, 0)
    assert s.paid_through == month(3)


def test_strict_never_covers_an_unpaid_month_and_lenient_covers_it_within_the_grace_months():
    lines = [own(month(-1), True), own(month(0), False)]
    strict = status(lines, day(0, 16), STRICT)
    assert (strict.status, strict.covered, strict.covered_if_paid_by) == (ARREARS, False, None)
    lenient = status(lines, day(0, 16), LENIENT)
    assert (lenient.status, lenient.covered) == (ARREARS, True)
    # the oldest unpaid month is this one: its deadline (the 15th) plus three grace months
    assert lenient.covered_if_paid_by == day(3, 15)
    assert lenient.as_dict()["policy"] == {"mode": "lenient", "grace_months": 3, "source": "Surat Cabang 7/2026"}


def test_lenient_with_fewer_grace_months_than_the_arrears_does_not_cover():
    lines = [own(month(-2), True), own(month(-1), False), own(month(0), False)]
    one_month = Policy(mode="lenient", grace_months=1, source="uji")
    s = status(lines, day(0, 16), one_month)
    assert (s.status, s.months_unpaid, s.covered, s.covered_if_paid_by) == (ARREARS, 2, False, None)
    assert status(lines, day(0, 16), LENIENT).covered is True


def test_non_active_is_not_covered_even_under_a_lenient_policy():
    lines = [own(month(-4), True)] + [own(month(n), False) for n in (-3, -2, -1)]
    s = status(lines, day(0, 16), Policy(mode="lenient", grace_months=12, source="uji"))
    assert (s.status, s.covered) == (NON_ACTIVE, False)


def test_not_started_without_dues_with_only_unpaid_dues_or_with_only_future_paid_months():
    assert status([], day(0, 20)).status == NOT_STARTED
    unpaid = status([own(month(-2), False), own(month(-1), False)], day(0, 20))
    assert (unpaid.status, unpaid.paid_through, unpaid.owed, unpaid.covered) == (NOT_STARTED, None, 33_600, False)
    ahead = status([own(month(1), True)], day(0, 20))
    assert (ahead.status, ahead.covered) == (NOT_STARTED, False)


def test_protection_starts_with_the_first_paid_month():
    lines = [own(month(0), True)]
    assert status(lines, day(0, 1)).status == ACTIVE  # c is last month, but this month is paid: paid ahead of c
    assert status(lines, day(-1, 28)).status == NOT_STARTED


def test_ended_in_the_registry_wins_over_paid_months_and_keeps_the_amount_owed():
    lines = [own(month(-1), True), own(month(0), False)]
    s = status(lines, day(0, 20), LENIENT, ended=True)
    assert (s.status, s.covered, s.owed, s.paid_through) == (ENDED, False, 16_800, month(-1))


def test_a_scheme_month_then_nothing_falls_into_arrears_although_nothing_is_billed():
    """A scheme paid up to two months ago and ended; no package follows: the months without any payer are unpaid."""
    lines = [by_scheme(month(-3), True), by_scheme(month(-2), True)]
    s = status(lines, day(0, 16))
    assert (s.status, s.months_unpaid, s.owed, s.paid_through) == (ARREARS, 2, 0, month(-2))
    assert status(lines, day(1, 16)).status == NON_ACTIVE


def test_a_month_is_paid_only_when_each_of_its_dues_is_and_owed_is_split_by_payer():
    lines = [by_scheme(month(-1), True), own(month(-1), True, 20_000),
             by_scheme(month(0), True), own(month(0), False, 20_000),
             by_scheme(month(1), False)]
    s = status(lines, day(0, 16))
    assert s.status == ARREARS and s.paid_through == month(-1)
    assert (s.owed, s.owed_self, s.owed_scheme) == (20_000, 20_000, 0)  # next month's scheme due is not owed yet
    s = status(lines, day(1, 2))
    assert (s.owed, s.owed_self, s.owed_scheme) == (36_800, 20_000, 16_800)


def test_a_due_month_one_month_later_moves_the_cut_off_a_month_back():
    lines = [own(month(-1), True), own(month(0), False)]
    next_month_deadline = Deadline(day=15, month_offset=1)
    assert status(lines, day(0, 28), deadline=next_month_deadline).status == ACTIVE
    assert status(lines, day(1, 14), deadline=next_month_deadline).status == ACTIVE
    assert status(lines, day(1, 15), deadline=next_month_deadline).status == ARREARS


def _next(month_number: int) -> date:
    """The next month with this number (February, January) from the suite's month on."""
    return next(add_months(month(0), n) for n in range(12) if add_months(month(0), n).month == month_number)


def test_a_deadline_past_the_end_of_a_short_month_falls_on_its_last_day():
    deadline = Deadline(day=31, month_offset=0)
    february = _next(2)
    last = (add_months(february, 1) - timedelta(days=1)).day  # 28, or 29 in a leap year
    assert deadline.of(february) == february.replace(day=last)
    assert deadline.cutoff(february.replace(day=last - 1)) == add_months(february, -1)
    assert deadline.cutoff(february.replace(day=last)) == february


def test_the_year_end_boundary():
    january = _next(1)
    deadline = Deadline()
    assert deadline.cutoff(january.replace(day=14)) == add_months(january, -1)  # December of the year before
    assert deadline.cutoff(january.replace(day=16)) == january
    lines = [own(add_months(january, -1), True), own(january, False)]
    assert status(lines, january.replace(day=14)).status == ACTIVE
    assert status(lines, january.replace(day=16)).status == ARREARS


def test_as_dict_has_the_keys_the_api_and_the_cli_promise():
    s = status([own(month(-1), True)], day(0, 10))
    d = s.as_dict()
    assert {"status", "paid_through", "owed", "owed_self", "owed_scheme", "covered", "covered_if_paid_by",
            "policy"} <= set(d)
    assert d["paid_through"] == f"{month(-1):%Y-%m}" and d["owed"] == 0 and d["covered"] is True
