from datetime import date, timedelta

import pytest

from jamsosdesa.core import clock
from jamsosdesa.core.months import add_months, add_years
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.services import SchemeData, scheme_create
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, make_user


def month(offset: int = 0) -> date:
    """The month `offset` months after this one on the suite's clock (tests/conftest.py travels it): schemes
    start now, so no test month falls into the past. The default scheme runs from month(0) to month(5)."""
    return add_months(clock.this_month(), offset)


def month_text(offset: int = 0) -> str:
    """month(offset) as the API, the CLI and the forms take it: 'YYYY-MM'."""
    return f"{month(offset):%Y-%m}"


def born_aged(years: int, *, days_after: int = 0) -> date:
    """A birth date that makes someone `years` old on the first day of this month (`days_after` later: younger)."""
    return add_years(month(0), -years) + timedelta(days=days_after)


@pytest.fixture
def official(db):
    """District official of Kab. Sukoharjo (33.11)."""
    return make_user("pemkab_skh", Role.DISTRICT_OFFICIAL, ["33.11"])


@pytest.fixture
def official_gianyar(db):
    return make_user("pemkab_gianyar", Role.DISTRICT_OFFICIAL, ["51.04"])


_serial = iter(range(1, 10**6))


def people(count: int, desa: str = DESA_A, *, born: date = date(1985, 3, 7), **fields) -> list[Participant]:
    """`count` registered BPU participants in `desa` (rows written directly: these tests are about schemes)."""
    rows = []
    for _ in range(count):
        serial = next(_serial)
        nik = f"{desa[:2]}{desa[3:5]}{desa[6:8]}{born:%d%m%y}{serial:04d}"
        row = Participant(nik=nik, full_name=f"Warga {serial}", birth_date=born, sex="L", desa_id=desa,
                          segment=fields.get("segment", "BPU"),
                          village_role=fields.get("village_role", "vulnerable_worker"),
                          is_active=fields.get("is_active", True))
        rows.append(row.fill_derived())
    return Participant.objects.bulk_create(rows)


def scheme_data(**overrides) -> SchemeData:
    """Kab. Sukoharjo pays 100 vulnerable workers per desa, JKK+JKM on Rp1,000,000, for six months from this one
    (APBD: no PP 50/2025 discount, so Rp16,800 a month whatever the month)."""
    data = dict(name="Satu Desa 100 Pekerja Rentan", payer_type="apbd", owner_code="33.11",
                legal_basis_number="Perbup Sukoharjo 12/2026", legal_basis_date=date(2026, 10, 1),
                start_month=month(0), end_month=month(5), budget_ceiling=2_000_000_000, quota_per_desa=100)
    data.update(overrides)
    return SchemeData(**data)


@pytest.fixture
def make_scheme(official):
    def _make(actor=None, **overrides):
        return scheme_create(actor=actor or official, data=scheme_data(**overrides))

    return _make
