"""A full refresh on PostgreSQL writes kabupaten side by side, each on its own thread and connection: it must write
exactly what one kabupaten after the other writes. A transactional test: the threads see only what is committed."""

import pytest
from django.db import connection

from jamsosdesa.core import clock
from jamsosdesa.coverage import snapshot
from jamsosdesa.coverage.models import Snapshot
from jamsosdesa.coverage.models_snapshot import SnapshotKab
from tests.billing.test_run_kill import reference  # noqa: F401 (regions, rules; the SQLite audit guard for the flush)
from tests.conftest import DESA_A, DESA_B, DESA_C
from tests.coverage.rules_fixtures import due
from tests.funding.conftest import month, people

pytestmark = pytest.mark.django_db(transaction=True)

KEY = ("kab_code", "desa_code", "segment", "village_role", "payer_kind", "programmes")


def written() -> tuple[list, list]:
    columns = (*KEY, *snapshot.COUNT_COLUMNS, "counted_units", "lapse_next_month")
    return (sorted(Snapshot.objects.values_list(*columns)),
            sorted(SnapshotKab.objects.values_list("kab_code", *KEY[2:], *snapshot.COUNT_COLUMNS)))


def test_two_writers_write_what_one_writes(reference, settings, monkeypatch):  # noqa: F811
    everyone = people(5, DESA_A) + people(4, DESA_B) + people(6, DESA_C)
    for n, person in enumerate(everyone):
        for k in range(-3, 1):
            due(person, month(k), payer_type=("self", "apbd")[n % 2], paid=k <= -(n % 4))
    used = []
    real = snapshot._side_by_side
    monkeypatch.setattr(snapshot, "_side_by_side", lambda *a: used.append(a[2]) or real(*a))
    day = clock.today()

    settings.COVERAGE_REFRESH_WORKERS = 1
    rows_one = snapshot.snapshot_refresh(day)
    one = written()
    settings.COVERAGE_REFRESH_WORKERS = 2
    rows_two = snapshot.snapshot_refresh(day)
    two = written()

    assert rows_one == rows_two > 0 and one == two and {row[0] for row in one[0]} == {"33.11", "51.04"}
    assert used == ([2] if connection.vendor == "postgresql" else [])  # SQLite writes one at a time
