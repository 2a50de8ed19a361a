"""Ground for the cash tests (issue 14 part B): a wadah in Kab. Sukoharjo with its PKS in force, an agent working in
desa A with its own BPU registration, workers with a package the agent collects, and the people who look at the
agent's cash (its wadah's manager, the branch). Months and days count from the suite's clock."""

from datetime import timedelta

import pytest

from jamsosdesa.agents.cash import CollectionRequest, DepositRequest, collection_record, deposit_record
from jamsosdesa.agents.models import Agent, Wadah
from jamsosdesa.billing.check import ledger_check
from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from tests.billing.conftest import package
from tests.conftest import DESA_A, DESA_C, make_user
from tests.funding.conftest import month, people

__all__ = ["DESA_A", "DESA_C", "collect", "deposit", "make_agent", "make_wadah", "month", "people", "worker"]

_refs = iter(range(1, 10**6))


def make_wadah(kab: str = "33.11", *, name: str = "BUMDes Krajan Makmur", **more) -> Wadah:
    today = clock.today()
    data = dict(name=name, kind="bumdes", legal_status="Perdes Krajan 3/2020", kab_code=kab,
                pks_number=f"PKS/{kab}/{next(_refs)}", pks_date=today - timedelta(days=30),
                pks_start=today - timedelta(days=30), pks_end=today + timedelta(days=300))
    data.update(more)
    return Wadah.objects.create(**data)


def make_agent(username: str = "agen_krajan", *, desa: str = DESA_A, wadah: Wadah | None = None, **more) -> Agent:
    """An agent user working in `desa`, its Agent row in `wadah` (a new one in the desa's kabupaten by default)."""
    user = make_user(username, Role.PERISAI_AGENT, [desa])
    wadah = wadah or make_wadah(desa[:5])
    (me,) = people(1, desa)
    data = dict(user=user, wadah=wadah, participant=me, kab_code=wadah.kab_code, bank_name="BRI",
                bank_account="0011223344", bank_holder=username, training_certificate="SERT-1",
                assignment_letter="ST-1", active_since=clock.today() - timedelta(days=30))
    data.update(more)
    return Agent.objects.create(**data)


def worker(agent: Agent | None, desa: str = DESA_A, *, first=None):
    """A BPU worker in `desa` with an open JKK+JKM package (Rp16,800 a month) from `first` (default this month)
    that `agent` collects."""
    (person,) = people(1, desa)
    package(person, first=first or month(0), agent=agent.user if agent else None)
    return person


def collect(agent: Agent, person, months: int = 1, **more):
    return collection_record(actor=agent.user, request=CollectionRequest(participant=person.nik, months=months,
                                                                         **more))


def deposit(actor, agent: Agent, amount: int, **more):
    data = dict(agent=agent.user.username, channel="perisai", reference=f"SETOR-{next(_refs)}", amount=amount)
    data.update(more)
    return deposit_record(actor=actor, request=DepositRequest(**data))


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def branch(db):
    return make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])


def assert_ledger_ok() -> None:
    failures = ledger_check()
    assert failures == [], [f.as_dict() for f in failures]
