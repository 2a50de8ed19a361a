"""Shared ground for billing tests: people, a district scheme paying some of them, the users who work on them.

Months count from the suite's clock (`month(offset)`, from tests/funding/conftest.py), never a fixed month."""

from datetime import date

import pytest

from jamsosdesa.billing.models import Due, Membership
from jamsosdesa.billing.services.membership import membership_start
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.models import Enrolment, programme_mask
from tests.conftest import DESA_A, DESA_B, DESA_C, make_user
from tests.funding.conftest import month, month_text, people, scheme_data  # noqa: F401 (re-exported)

__all__ = ["DESA_A", "DESA_B", "DESA_C", "month", "month_text", "people", "scheme_data", "enrol", "package"]


@pytest.fixture
def official(db):
    """District official of Kab. Sukoharjo (33.11)."""
    return make_user("pemkab_skh", Role.DISTRICT_OFFICIAL, ["33.11"])


@pytest.fixture
def branch(db):
    """BPJS branch officer for Kab. Sukoharjo."""
    return make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])


@pytest.fixture
def branch_gianyar(db):
    return make_user("cabang_gianyar", Role.BRANCH_OFFICER, ["51.04"])


@pytest.fixture
def agent(db):
    """A PERISAI agent working in desa A (the agent of a wadah with a PKS in force: only such an agent acts)."""
    from tests.agents.wadah.factories import record_agent

    user = make_user("agen_a", Role.PERISAI_AGENT, [DESA_A])
    record_agent(user)
    return user


@pytest.fixture
def make_scheme(official):
    from jamsosdesa.funding.services import scheme_create

    def _make(actor=None, **overrides):
        return scheme_create(actor=actor or official, data=scheme_data(**overrides))

    return _make


def enrol(scheme, participants, *, start: date | None = None, end: date | None = None) -> list[Enrolment]:
    """Enrolment rows written directly (the enrolment service has its own tests): the scheme pays for each person
    from `start` to `end` (default: the scheme's own period)."""
    rows = [Enrolment(scheme=scheme, participant=p, desa_code=p.desa_id, kab_code=p.kab_code,
                      start_month=start or scheme.start_month, end_month=end or scheme.end_month, cost=0)
            for p in participants]
    return Enrolment.objects.bulk_create(rows)


def package(participant, *, first: date | None = None, last: date | None = None, programmes=("JKK", "JKM"),
            income: int = 1_000_000, agent=None) -> Membership:
    """A worker's own package written directly (the membership service has its own tests)."""
    return Membership.objects.create(participant=participant, kab_code=participant.kab_code,
                                     desa_code=participant.desa_id, programmes=list(programmes),
                                     programme_mask=programme_mask(programmes), income=income,
                                     first_month=first or month(0), last_month=last, agent=agent)


def start(actor, person, first: date) -> Membership:
    """A JKK+JKM package on Rp1,000,000 started through the service (as the page does)."""
    return membership_start(actor=actor, participant=person, programmes=["JKK", "JKM"], income=1_000_000,
                            first_month=first)


def unpaid_due(m: Membership, when: date) -> Due:
    """A package's due of Rp16,800 for `when`, written as a billing run writes it."""
    return Due.objects.create(participant_id=m.participant_id, kab_code=m.kab_code, desa_code=m.desa_code, month=when,
                              membership=m, payer_type="self", segment="BPU", programme_mask=m.programme_mask,
                              income=m.income, jkk=10_000, jkm=6_800, amount=16_800)
