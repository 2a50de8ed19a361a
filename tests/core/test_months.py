from datetime import date

import pytest

from jamsosdesa.core.months import add_months, add_years, months_between, parse_month


def test_months_between_counts_both_ends_across_a_year_end():
    assert months_between(date(2026, 11, 1), date(2027, 4, 1)) == 6
    assert months_between(date(2026, 12, 1), date(2026, 12, 1)) == 1
    assert months_between(date(2027, 1, 1), date(2026, 12, 1)) == 0


def test_add_months_steps_over_year_ends_both_ways():
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_months(date(2027, 1, 1), -1) == date(2026, 12, 1)
    assert add_months(date(2028, 2, 1), 23) == date(2030, 1, 1)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 1)  # a day inside a month counts as its month


def test_add_years_keeps_the_day_and_moves_a_leap_day_to_28_february():
    assert add_years(date(2026, 12, 31), 1) == date(2027, 12, 31)
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)


@pytest.mark.parametrize("text", ["2026-11", "11/2026", " 2026-11 ", "11/2026\n"])
def test_parse_month_reads_both_ways_people_write_a_month(text):
    assert parse_month(text) == date(2026, 11, 1)


@pytest.mark.parametrize("text", ["2026", "2026-13", "13/2026", "November", ""])
def test_parse_month_refuses_what_is_not_a_month(text):
    with pytest.raises(ValueError):
        parse_month(text)


@pytest.mark.parametrize("text", ["0000-01", "0001-01", "9999-12", "2026-13", "2026", "２０２６-11", "2026-1x", ""])
def test_parse_month_refuses_what_is_no_month_in_the_users_language(text):
    with pytest.raises(ValueError, match="tidak dikenal: tulis YYYY-MM"):
        parse_month(text)
