"""One rounding: a share in basis points, half-up to a whole rupiah per line, the same in Python and in the run's
SQL on each database (a negative base rounds away from zero, so a correction cancels its line exactly)."""

import pytest
from django.db import connection

from jamsosdesa.agents.incentives import round_share, share_sql


@pytest.mark.parametrize(("base", "bp", "expected"), [
    (16_800, 1500, 2_520), (10, 1500, 2), (3, 1500, 0), (1, 5000, 1), (33_333, 500, 1_667),
    (1_026_000, 1000, 102_600), (5, 1000, 1), (-5, 1000, -1), (-16_800, 1500, -2_520), (0, 1500, 0),
])
def test_half_up_to_whole_rupiah(base, bp, expected):
    assert round_share(base, bp) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("base", "bp"), [(10, 1500), (3, 1500), (33_333, 500), (5, 1000), (-5, 1000),
                                          (-33_333, 500), (999_999_999_999, 1500)])
def test_sql_rounds_as_python(base, bp):
    with connection.cursor() as cursor:
        sql = share_sql("%s", str(bp))
        cursor.execute(f"SELECT {sql}", [base] * sql.count("%s"))
        assert cursor.fetchone()[0] == round_share(base, bp)
