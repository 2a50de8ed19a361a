"""Ground for the incentive tests (issue 14 part C): a wadah of Kab. Sukoharjo, agents (each a user with the agent
role, its Agent row, and its own BPU registration), workers with a package an agent collects, and money received
on their dues in a chosen month (dues, payments and allocations written directly: billing has its own tests).
Months count from the suite's clock: the run's month is always one that is over (`month(-1)` or earlier)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from jamsosdesa.agents.incentives import incentive_run_month
from jamsosdesa.agents.models import Agent, IncentiveLine, Wadah
from jamsosdesa.billing.models import Allocation, Due, HolderType, Payment, Reversal
from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from tests.billing.conftest import package
from tests.conftest import DESA_A, DESA_C, make_user
from tests.funding.conftest import month, people

__all__ = ["DESA_A", "DESA_C", "THREE", "TWO", "at", "lines_of", "make_agent", "make_wadah", "month", "people",
           "receive", "reverse", "run", "total", "workers"]

THREE = ("JKK", "JKM", "JHT")  # Rp36,800 a month on Rp1,000,000: JKK 10,000 + JKM 6,800 + JHT 20,000
TWO = ("JKK", "JKM")  # Rp16,800
AMOUNT = {THREE: 36_800, TWO: 16_800}
_refs = iter(range(1, 10**7))


def at(when, day: int = 10) -> datetime:
    """10:00 WIB on `day` of the month `when`."""
    return datetime.combine(when.replace(day=day), time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))


def make_wadah(kab: str = "33.11", *, name: str = "BUMDes Krajan Makmur") -> Wadah:
    today = clock.today()
    return Wadah.objects.create(name=name, kind="bumdes", legal_status="Perdes 3/2020", kab_code=kab,
                                pks_number=f"PKS/{kab}/{next(_refs)}", pks_date=today - timedelta(days=400),
                                pks_start=today - timedelta(days=400), pks_end=today + timedelta(days=300))


def make_agent(username: str, wadah: Wadah, desa: str = DESA_A) -> Agent:
    user = make_user(username, Role.PERISAI_AGENT, [desa])
    (me,) = people(1, desa)
    return Agent.objects.create(user=user, wadah=wadah, participant=me, kab_code=wadah.kab_code, bank_name="BRI",
                                bank_account="0011", bank_holder=username, training_certificate="SERT-1",
                                assignment_letter="ST-1", active_since=clock.today() - timedelta(days=400))


def workers(count: int, agent: Agent, *, first, programmes=THREE, desa: str = DESA_A, last=None):
    """`count` BPU workers, each with a package from `first` that `agent` collects; returns their packages."""
    return [package(p, first=first, last=last, programmes=programmes, agent=agent.user)
            for p in people(count, desa)]


def receive(ms, due_month, *, on: datetime, amount: int | None = None) -> Allocation:
    """The package's due of `due_month`, paid in full through the agent on `on` (the allocation is created then)."""
    amount = amount or {3: 16_800, 7: 36_800}.get(ms.programme_mask, 16_800)
    jkm = 6_800
    due = Due.objects.create(participant_id=ms.participant_id, kab_code=ms.kab_code, desa_code=ms.desa_code,
                             month=due_month, membership=ms, payer_type="self", segment="BPU",
                             programme_mask=ms.programme_mask, income=ms.income, jkk=10_000, jkm=jkm,
                             jht=amount - 10_000 - jkm, amount=amount)
    payment = Payment.objects.create(channel="agent", external_reference=f"R{next(_refs)}", request_hash="x",
                                     amount=amount, paid_on=on.date(), received_at=on, target_kind="person",
                                     participant_id=ms.participant_id, holder_type=HolderType.PARTICIPANT,
                                     holder_id=ms.participant_id, kab_code=ms.kab_code, desa_code=ms.desa_code,
                                     agent=ms.agent)
    return Allocation.objects.create(due=due, amount=amount, payment=payment, holder_type=HolderType.PARTICIPANT,
                                     holder_id=ms.participant_id, kab_code=ms.kab_code, created_at=on)


def reverse(allocation: Allocation, *, on: datetime) -> Reversal:
    return Reversal.objects.create(target_type="allocation", target_id=allocation.pk, amount=allocation.amount,
                                   reason="mistake", kab_code=allocation.kab_code, created_at=on)


def run(actor, when):
    done = incentive_run_month(actor=actor, month=when)
    assert done.status == "done", done.message
    return done


def lines_of(when, **filters):
    return IncentiveLine.objects.filter(month=when, **filters)


def total(when, **filters) -> int:
    return sum(lines_of(when, **filters).values_list("amount", flat=True))


@pytest.fixture
def wadah(db):
    return make_wadah()


@pytest.fixture
def agent(wadah):
    return make_agent("agen_krajan", wadah)
