"""Shared test setup: all regions loaded once per session, and three actors at hand for every
permission test (a national admin, the operator of desa A and the operator of desa B).

Every test runs on a travelled clock: `pytest --today=YYYY-MM-DD` (or JAMSOSDESA_TEST_TODAY) runs the
suite as if it were that day; without it, the real date taken once when the session starts."""

import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from jamsosdesa.accounts.models import User
from jamsosdesa.core.roles import Role
from jamsosdesa.participants import services

DESA_A = "33.11.11.2004"  # Krajan, Kec. Gatak, Kab. Sukoharjo
DESA_B = "33.11.11.2001"  # Sanggung, Kec. Gatak, Kab. Sukoharjo
DESA_C = "51.04.01.2001"  # Batubulan, Kec. Sukawati, Kab. Gianyar


JAKARTA = ZoneInfo("Asia/Jakarta")
TEST_TIME_OF_DAY = time(10, 0)  # every test starts at 10:00 WIB on the suite's day, and the clock runs on
TODAY = pytest.StashKey[date]()


def pytest_addoption(parser):
    parser.addoption("--today", metavar="YYYY-MM-DD", default=os.environ.get("JAMSOSDESA_TEST_TODAY") or None,
                     help="run every test as if it were this day (10:00 WIB); default: the real date at the start "
                          "(env JAMSOSDESA_TEST_TODAY)")


def pytest_configure(config):
    text = config.getoption("--today")
    if text:
        try:
            config.stash[TODAY] = date.fromisoformat(text.strip())
        except ValueError:
            raise pytest.UsageError(f"--today={text}: write the date as YYYY-MM-DD, e.g. 2028-02-29") from None
    else:  # taken once, so a run that crosses midnight does not change its day halfway
        config.stash[TODAY] = datetime.now(JAKARTA).date()


def pytest_collection_modifyitems(config, items):
    """Tests of a PostgreSQL-only path are left out on other databases (deselected, so a run on SQLite still
    has no skips: CI fails on any skip)."""
    if connection.vendor == "postgresql":
        return
    chosen = [item for item in items if item.get_closest_marker("postgresql")]
    if chosen:
        config.hook.pytest_deselected(items=chosen)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]


def pytest_report_header(config):
    chosen = "--today" if config.getoption("--today") else "the real date"
    return [f"database: {os.environ.get('DATABASE_URL', 'sqlite (default)')}",
            f"today: {config.stash[TODAY].isoformat()} ({chosen}, clock at {TEST_TIME_OF_DAY:%H:%M} WIB)"]


@pytest.fixture(autouse=True)
def _travelled_clock(request):
    """Each test starts on the suite's day at 10:00 WIB and its clock ticks from there (the live server of
    the browser tests runs in this process and sees the same clock)."""
    with time_machine.travel(datetime.combine(request.config.stash[TODAY], TEST_TIME_OF_DAY, tzinfo=JAKARTA),
                             tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_arrears_policy_cache():
    """The arrears policy is cached per process (billing.policy, 60 s): a policy a test wrote, and rolled back,
    must not answer for the next test."""
    from jamsosdesa.billing.policy import policy_cache_clear

    policy_cache_clear()
    yield
    policy_cache_clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from jamsosdesa.regions.loader import regions_load
    from jamsosdesa.regions.selectors import clear_region_caches

    expected = os.environ.get("JAMSOSDESA_EXPECT_DB_VENDOR")
    if expected and connection.vendor != expected:
        pytest.exit(f"tests were to run on {expected} but the database is {connection.vendor}", returncode=3)
    with django_db_blocker.unblock():
        regions_load()
        clear_region_caches()


def api_client(user):
    """call(method, path, body=None, **headers) against /api/v1 with a fresh Bearer token of `user`."""
    import json

    from django.test import Client

    from jamsosdesa.accounts.models import ApiToken

    _token, raw = ApiToken.issue(user=user, name="test")
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    def call(method, path, body=None, **headers):
        kwargs = {"content_type": "application/json", "headers": headers}
        if body is not None:
            kwargs["data"] = body if isinstance(body, str) else json.dumps(body)
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return call


def make_user(username: str, role: str, regions: list[str] = ()) -> User:
    user = User.objects.create_user(username=username, password="rahasia-123", role=role)
    user.regions.set(regions)
    return user


@pytest.fixture
def admin_user(db):
    return make_user("admin", Role.NATIONAL_ADMIN)


@pytest.fixture
def operator_a(db):
    return make_user("op_a", Role.VILLAGE_OPERATOR, [DESA_A])


@pytest.fixture
def operator_b(db):
    return make_user("op_b", Role.VILLAGE_OPERATOR, [DESA_B])


def person(**overrides) -> dict:
    """Valid registration data for desa A; the NIK matches its kecamatan, birth date and sex."""
    data = {
        "nik": "3311110505900003", "full_name": "Sugeng Riyadi", "birth_place": "Sukoharjo",
        "birth_date": date(1990, 5, 5), "sex": "L", "desa": DESA_A, "address": "Dusun Krajan",
        "rt": "2", "rw": "1", "phone": "081234567890", "occupation": 9, "segment": "BPU",
        "village_role": "rt_head", "declared_income": 1_000_000,
    }
    data.update(overrides)
    return data


@pytest.fixture
def register():
    """Register through the real service: register(actor, **field overrides)."""

    def _register(actor, heirs=None, **overrides):
        return services.participant_register(actor=actor, data=person(**overrides), heirs=heirs or [])

    return _register


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings, tmp_path):
    """Background tasks run inside the test (a real worker is not started), each test with its own files."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
