"""Ground for the wadah and agent tests (issue 14 part A): the Solo branch (Kab. Sukoharjo) and a branch elsewhere
(Klaten), a wadah of Sukoharjo with its PKS in force and its manager, BPU participants to make agents of, and the
roles that see no wadah. Days and months count from the suite's clock."""

from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
import time_machine

from jamsosdesa.agents.services_wadah import AgentData, WadahData, agent_create, pks_latest_end, wadah_create
from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from tests.conftest import DESA_A, DESA_B, JAKARTA, make_user
from tests.funding.conftest import people

PASSWORD = "kata-sandi-agen-9"
_serial = iter(range(1, 10**6))


@contextmanager
def on_day(day):
    """The whole program on `day` (10:00 WIB, the clock standing still)."""
    with time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=JAKARTA), tick=False):
        yield


def wadah_form(**more) -> WadahData:
    start = clock.today() - timedelta(days=30)
    data = dict(name="BUMDes Krajan Makmur", kind="bumdes", legal_status="Perdes Krajan 4/2019", kab_code="33.11",
                pks_number=f"PKS/SKH/{next(_serial)}", pks_date=start, pks_start=start,
                pks_end=pks_latest_end(start, 12), acquisition_target=1000, managers=["pengelola_krajan"])
    data.update(more)
    return WadahData(**data)


def agent_form(person, **more) -> AgentData:
    n = next(_serial)
    data = dict(username=f"agen_{n}", password=PASSWORD, nik=person.nik, full_name=person.full_name,
                desa=[DESA_A], bank_name="BRI", bank_account=f"0011-{n}", bank_holder=person.full_name,
                training_certificate=f"SERT/{n}", assignment_letter=f"ST/{n}")
    data.update(more)
    return AgentData(**data)


@pytest.fixture
def branch(db):
    return make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])


@pytest.fixture
def branch_klaten(db):
    return make_user("cabang_klaten", Role.BRANCH_OFFICER, ["33.10"])


@pytest.fixture
def manager(db):
    return make_user("pengelola_krajan", Role.WADAH_MANAGER, [DESA_A, DESA_B])


@pytest.fixture
def wadah(branch, manager):
    return wadah_create(actor=branch, data=wadah_form())


@pytest.fixture
def bpu(db):
    """make n BPU participants of desa A (rows written directly)."""
    def _make(n: int = 1, desa: str = DESA_A, **fields):
        return people(n, desa, **fields)

    return _make


@pytest.fixture
def make_agent(branch, wadah, bpu):
    def _make(**more):
        (person,) = bpu(1)
        return agent_create(actor=branch, wadah=more.pop("wadah", wadah), data=agent_form(person, **more))

    return _make


@pytest.fixture
def agent(make_agent):
    return make_agent()
