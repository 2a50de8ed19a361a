"""Ground for the field app's tests (issue 14 part D): an agent of a wadah in Kab. Sukoharjo working in desa A and
B, and who else meets its pages. Agents and wadah are written directly (their services have their own tests)."""

from datetime import date, timedelta

import pytest

from jamsosdesa.agents.models import Agent, Wadah
from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, DESA_B, api_client, make_user

_serial = iter(range(100, 10**6))


def make_field_agent(username: str, regions=(DESA_A, DESA_B), **more) -> Agent:
    today = clock.today()
    n = next(_serial)
    wadah = Wadah.objects.create(
        name=f"BUMDes Lapangan {n}", kind="bumdes", legal_status="Perdes 1/2020", kab_code="33.11",
        pks_number=f"PKS/LAP/{n}", pks_date=today - timedelta(days=30), pks_start=today - timedelta(days=30),
        pks_end=today + timedelta(days=300))
    user = make_user(username, Role.PERISAI_AGENT, list(regions))
    me = Participant.objects.bulk_create([Participant(
        nik=f"33110107038{n:05d}", full_name=f"Agen {username}", birth_date=date(1985, 3, 7), sex="L",
        desa_id="33.11.01.2001", segment="BPU", village_role="vulnerable_worker").fill_derived()])[0]
    data = dict(user=user, wadah=wadah, participant=me, kab_code="33.11", bank_name="BRI", bank_account="0011",
                bank_holder=username, training_certificate="SERT-1", assignment_letter="ST-1",
                active_since=today - timedelta(days=30))
    data.update(more)
    return Agent.objects.create(**data)


def worker(**overrides) -> dict:
    """A registration as the phone sends it: the form's fields as text."""
    data = {"nik": "3311114506900001", "full_name": "Sri Lestari", "birth_place": "Sukoharjo",
            "birth_date": "1990-06-05", "sex": "P", "desa": DESA_A, "rt": "3", "rw": "2", "occupation": "88",
            "declared_income": "1000000", "heir_name": "Budi Santoso", "heir_relation": "spouse"}
    data.update(overrides)
    return data


@pytest.fixture
def agent(db):
    return make_field_agent("agen_lapangan")


@pytest.fixture
def send(agent):
    """send(token, data, kind='registration', as_=agent.user) through the API with the user's token."""
    callers = {}

    def _send(token, data, kind="registration", as_=None, **more):
        user = as_ or agent.user
        call = callers.setdefault(user.pk, api_client(user))
        return call("post", "/agents/field/submissions", {"token": token, "kind": kind, "data": data, **more})

    return _send
