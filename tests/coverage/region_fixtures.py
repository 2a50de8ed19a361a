"""Ground for the target and denominator tests (imported by them, so no conftest is shared with the other coverage
parts): who works where (a village operator of desa A is tests/conftest's operator_a),
and years counted from the suite's clock, never a fixed year."""

import pytest
from django.test import Client

from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from tests.conftest import DESA_A, DESA_B, DESA_C, make_user

__all__ = ["DESA_A", "DESA_B", "DESA_C", "this_year", "logged_in"]


def this_year() -> int:
    return clock.today().year


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def official(db):
    """District official of Kab. Sukoharjo (33.11), which holds desa A and B."""
    return make_user("pemkab_skh", Role.DISTRICT_OFFICIAL, ["33.11"])


@pytest.fixture
def official_gianyar(db):
    return make_user("pemkab_gianyar", Role.DISTRICT_OFFICIAL, ["51.04"])


@pytest.fixture
def branch(db):
    return make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])
