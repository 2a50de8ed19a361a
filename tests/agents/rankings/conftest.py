"""A small world for the agents' ranking (issue 14 item 6), built with the services on a travelled clock: workers
registered (participants' service), their own packages started with an agent (billing's membership_start) in
months counted back from this one, payments received through the agents (billing's payment_record, one reversed)
and deposits (rows: the deposit service is part B's). Months are `month(k)` from the suite's clock, never fixed.

Kab. Sukoharjo (33.11): wadah W1 with agents a1 and a2, wadah W2 with agent a3; Kab. Gianyar (51.04): wadah G with
agent g. What each agent did is in `EXPECTED` (the ranking of this month) and `EXPECTED_TWO_MONTHS` (last month
and this one)."""

from contextlib import contextmanager
from datetime import datetime
from itertools import count

import pytest
import time_machine

from jamsosdesa.agents.models import Deposit, DepositReversal
from jamsosdesa.billing.models import Membership, Payment
from jamsosdesa.billing.services.dues import membership_price
from jamsosdesa.billing.services.membership import membership_change, membership_end, membership_start
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
from jamsosdesa.billing.services.reversals import payment_reverse
from jamsosdesa.core import clock
from jamsosdesa.core.months import add_months
from jamsosdesa.core.roles import Role
from jamsosdesa.participants.services import participant_register
from tests.agents.incentives.conftest import make_agent, make_wadah
from tests.conftest import DESA_A, DESA_C, JAKARTA, make_user, person
from tests.funding.conftest import month

_serial = count(1)
_refs = count(1)


@contextmanager
def on_day(when, day: int = 10):
    """The clock at 10:00 WIB on `day` of the month `when` (a first-of-month date)."""
    with time_machine.travel(datetime(when.year, when.month, day, 10, tzinfo=JAKARTA), tick=False):
        yield


def worker(actor, desa: str = DESA_A):
    """A worker registered through the registry's service (a NIK of desa A's kecamatan or desa C's)."""
    n = next(_serial)
    prefix = "331111" if desa.startswith("33.11.11") else "510401"
    return participant_register(actor=actor, data=person(nik=f"{prefix}050590{n:04d}", full_name=f"Pekerja Uji {n}",
                                                         desa=desa), confirm_warnings=True)


def start(actor, participant, agent_user, first) -> Membership:
    return membership_start(actor=actor, participant=participant, programmes=["JKK", "JKM"], income=1_000_000,
                            first_month=first, agent=agent_user)


def price(membership: Membership, first, months: int) -> int:
    return sum(membership_price(membership, add_months(first, i)).total for i in range(months))


def pay(actor, agent_user, participant, amount: int) -> Payment:
    request = PaymentRequest(amount=amount, paid_on=clock.today(), reference=f"AGEN-{next(_refs)}", channel="bank",
                             participant_id=participant.pk, agent=agent_user)
    return payment_record(actor=actor, request=request).payment


def deposit(agent_user, amount: int, day, *, reversed_: bool = False) -> Deposit:
    row = Deposit.objects.create(agent=agent_user, kab_code="33.11", channel="perisai",
                                 reference=f"SETOR-{next(_refs)}", amount=amount, deposited_on=day,
                                 recorded_by=agent_user)
    if reversed_:
        DepositReversal.objects.create(deposit=row, reason="salah catat", created_by=agent_user)
    return row


@pytest.fixture
def branch(db):
    return make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])


@pytest.fixture
def cast(admin_user, branch):
    """The wadah, their agents and W1's manager, with nothing done yet."""
    w1 = make_wadah("33.11", name="BUMDes Krajan Makmur")
    w2 = make_wadah("33.11", name="Koperasi Gatak Sejahtera")
    wg = make_wadah("51.04", name="BUMDes Batubulan")
    users = {}
    for name, wadah, desa in (("a1", w1, DESA_A), ("a2", w1, DESA_A), ("a3", w2, DESA_A), ("g", wg, DESA_C)):
        users[name] = make_agent(name, wadah, desa).user
        users[name].first_name = {"a1": "Sri", "a2": "Budi", "a3": "Wati", "g": "Made"}[name]
        users[name].save(update_fields=["first_name"])
    manager = make_user("pengelola_w1", Role.WADAH_MANAGER, [DESA_A])
    w1.managers.add(manager)
    return {"users": users, "manager": manager, "branch": branch, "admin": admin_user, "wadah": (w1, w2, wg)}


@pytest.fixture
def world(cast):
    """The cast and their work (see the module's docstring), with `p` (the workers) and `prices` (what the
    payments of the period paid)."""
    users, admin_user = cast["users"], cast["admin"]
    admin, a1, a2, a3, g = admin_user, users["a1"], users["a2"], users["a3"], users["g"]
    m = {k: month(k) for k in range(-13, 3)}  # counted before the clock travels back
    p = {}
    with on_day(m[-12]):  # the 12-month cohort of a1: p1 pays 12 months at once, p2 one month
        p["p1"], p["p2"], p["p8"] = worker(admin), worker(admin), worker(admin)
        m1 = start(admin, p["p1"], a1, m[-12])
        pay(admin, a1, p["p1"], price(m1, m[-12], 12))
        m2 = start(admin, p["p2"], a1, m[-12])
        pay(admin, a1, p["p2"], price(m2, m[-12], 1))
        m8 = start(admin, p["p8"], a2, m[-10])  # p8: a package of its own before, ended
        membership_end(actor=admin, membership=m8, last_month=m[-9], reason="stopped")
    with on_day(m[-6]):  # the 6-month cohort: p3, p4 (a1) and p6 (a2) pay 8 months, p5 (a1) nothing
        for key, agent in (("p3", a1), ("p4", a1), ("p5", a1), ("p6", a2)):
            p[key] = worker(admin)
            package = start(admin, p[key], agent, m[-6])
            if key != "p5":
                pay(admin, agent, p[key], price(package, m[-6], 8))
    with on_day(m[-1]):  # last month: a3 acquires p10 (who pays a month), a1 deposits
        p["p10"] = worker(admin)
        m10 = start(admin, p["p10"], a3, m[-1])
        pay(admin, a3, p["p10"], price(m10, m[-1], 1))
        deposit(a1, 5_000, clock.today())
    # this month
    p["p7"], p["p9"] = worker(admin), worker(admin)
    m7 = start(admin, p["p7"], a1, m[0])  # new
    start(admin, p["p8"], a2, m[0])  # acquired again: it had a package before
    start(admin, p["p9"], a3, m[0])  # new
    # p10's package changed from this month (same agent): not an acquisition of this month
    membership_change(actor=admin, membership=Membership.objects.get(participant=p["p10"], last_month=None),
                      from_month=m[0], programmes=["JKK", "JKM", "JHT"])
    pay(admin, a1, p["p1"], price(m1, m[0], 2))
    pay(admin, a1, p["p7"], price(m7, m[0], 1))
    wrong = pay(admin, a1, p["p7"], price(m7, m[1], 1))
    payment_reverse(actor=admin, payment=wrong, reason="mistake")
    m6 = Membership.objects.get(participant=p["p6"], last_month=None)
    pay(admin, a2, p["p6"], price(m6, m[2], 1))
    deposit(a1, 40_000, clock.today())
    deposit(a1, 10_000, clock.today(), reversed_=True)
    gp = worker(admin, DESA_C)  # Gianyar: never in Sukoharjo's ranking
    mg = start(admin, gp, g, m[0])
    pay(admin, g, gp, price(mg, m[0], 1))
    deposit(g, 7_000, clock.today())
    return {**cast, "p": p,
            "prices": {"p1": price(m1, m[0], 2), "p7": price(m7, m[0], 1), "p6": price(m6, m[2], 1),
                       "p10": price(m10, m[-1], 1)}}
