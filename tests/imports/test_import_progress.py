"""An import says what it is doing: reading the file, then rows done out of rows, and (PostgreSQL's bulk load)
each index it rebuilds once every row is in, instead of standing at 100 % with no word for seconds per
million rows."""

import pytest
from django.db import connection

from jamsosdesa.imports.engine import ImportOptions, participants_import
from tests.conftest import DESA_A
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db


def _rows(count: int) -> str:
    lines = ["nik,nama,tanggal_lahir,jenis_kelamin"]
    lines += [f"33111105059{i:05d},Warga {i},05-05-1990,L" for i in range(1, count + 1)]
    return "\n".join(lines) + "\n"


def test_the_import_reports_rows_and_then_each_index_it_rebuilds(operator_a, settings):
    settings.IMPORT_BULK_MIN_ROWS, settings.IMPORT_BULK_MIN_SHARE = 1, 0
    heard = []

    def progress(done, total, stage=None):
        heard.append((done, total, str(stage or "")))

    outcome = participants_import(actor=operator_a, source=csv_bytes(_rows(30)), progress=progress,
                                  options=ImportOptions(desa=DESA_A, dry_run=False, chunk_size=10))
    assert outcome.applied
    assert heard[0] == (0, 0, "membaca berkas")
    assert [(d, t) for d, t, s in heard if not s] == [(10, 30), (20, 30), (30, 30)]
    rebuilding = [s for d, t, s in heard[4:]]
    if connection.vendor == "postgresql":
        assert outcome.bulk_load and rebuilding and all(d == t == 30 for d, t, _s in heard[4:])
        assert rebuilding[0].startswith("membangun ulang indeks ")
        assert rebuilding[0].endswith(f"(1 dari {len(rebuilding)})")
        assert any(s.startswith("memeriksa kunci asing ") for s in rebuilding)
    else:  # no bulk load: nothing to rebuild
        assert rebuilding == []
