"""A billing run killed halfway (SIGKILL, in a real process, after its first kabupaten committed) and run again
ends exactly as one clean run; two runs of one month at once never bill anyone twice. Transactional tests: the
other process (and the other thread) must see what this one committed."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from jamsosdesa.billing.models import BillingRun, Due, Invoice, InvoiceLine
from jamsosdesa.billing.services.run import billing_run
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.jobs import JobStatus
from tests.billing.conftest import DESA_A, DESA_B, DESA_C, enrol, month, package, people

pytestmark = pytest.mark.django_db(transaction=True)

KILLED_RUN = """
import datetime, os, signal, sys
import django
django.setup()
import time_machine
time_machine.travel(datetime.datetime.fromisoformat(sys.argv[1]), tick=True).start()
from jamsosdesa.accounts.models import User
from jamsosdesa.billing.services.run import billing_run

def progress(done, total, stage=None):
    if done == 1 and total > 2:  # the first kabupaten is committed; the others and the invoices are not
        os.kill(os.getpid(), signal.SIGKILL)

billing_run(actor=User.objects.get(username=sys.argv[2]), month=datetime.date.fromisoformat(sys.argv[3]),
            progress=progress)
"""


@pytest.fixture
def reference(transactional_db):
    """Regions and rules reloaded (a transactional test flushes the database after itself), and on SQLite the
    audit guard lifted for that flush (a DELETE, which the audit trail refuses)."""
    from jamsosdesa.contributions.defaults import load as rules_load
    from jamsosdesa.contributions.models import Rate
    from jamsosdesa.core.append_only import DROP, INSTALL
    from jamsosdesa.regions.loader import regions_load
    from jamsosdesa.regions.models import Region

    if not Region.objects.filter(code=DESA_C).exists() or not Region.objects.filter(code=DESA_A).exists():
        regions_load(prefixes=("33.11", "51.04"))
    if not Rate.objects.exists():
        rules_load()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in INSTALL["sqlite"]:
                cursor.execute(sql)
    try:
        yield
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for sql in DROP["sqlite"]:
                    cursor.execute(sql)


@pytest.fixture
def world(reference, admin_user, make_scheme):
    """Two kabupaten: Sukoharjo (a scheme, and packages) and Gianyar (a scheme, and a package)."""
    sukoharjo = make_scheme()
    gianyar = make_scheme(actor=admin_user, name="Skema Gianyar", owner_code="51.04", payer_type="apbd",
                          legal_basis_number="Perbup Gianyar 1/2026")
    enrol(sukoharjo, people(6, DESA_A) + people(4, DESA_B))
    enrol(gianyar, people(5, DESA_C))
    for p in people(3, DESA_B):
        package(p, programmes=("JKK", "JKM", "JHT"))
    package(people(1, DESA_C)[0])


def snapshot() -> dict:
    """Every due, invoice and line column except ids, times and the run that wrote them."""
    dues = sorted(Due.objects.values_list(
        "participant_id", "kab_code", "desa_code", "month", "enrolment_id", "membership_id", "scheme_id",
        "payer_type", "segment", "sector", "programme_mask", "income", "jkk", "jkm", "jht", "jp", "discount",
        "amount"))
    invoices = sorted(Invoice.objects.values_list("scheme_id", "month", "seq", "number", "kab_code", "payer_type",
                                                  "payer_name", "lines", "total"))
    lines = sorted(InvoiceLine.objects.values_list("invoice__number", "position", "due__participant_id",
                                                   "due__month", "kab_code", "desa_code", "name", "amount"))
    return {"dues": dues, "invoices": invoices, "lines": lines}


def _clean_run(admin) -> dict:
    """What one clean run gives, then rolled back."""
    with transaction.atomic():
        run = billing_run(actor=admin, month=month(0))
        assert run.status == JobStatus.DONE, run.message
        found = snapshot()
        transaction.set_rollback(True)
    assert not Due.objects.exists()
    return found


def _database_for_a_process(tmp_path) -> tuple[str, Path | None]:
    """A DATABASE_URL another process can open onto this test's data: the PostgreSQL test database itself, or
    (SQLite's test database lives in memory) a file copy of it."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}", None
    path = tmp_path / "copy.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    return f"sqlite:///{path}", path


def test_a_run_killed_after_its_first_kabupaten_and_run_again_equals_one_clean_run(world, admin_user, tmp_path):
    clean = _clean_run(admin_user)
    assert len({d[1] for d in clean["dues"]}) == 2 and len(clean["invoices"]) == 2

    url, copy = _database_for_a_process(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "JAMSOSDESA_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "jamsosdesa.settings_test"}
    killed = subprocess.run([sys.executable, "-c", KILLED_RUN, clock.now().isoformat(), admin_user.username,
                             month(0).isoformat()], env=env, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    if copy is not None:  # bring the killed process's database back into this test's
        with sqlite3.connect(copy) as source:
            source.backup(connection.connection)

    half = BillingRun.objects.get()
    assert half.status == JobStatus.RUNNING and half.kab_done == ["33.11"]
    assert set(Due.objects.values_list("kab_code", flat=True)) == {"33.11"}  # committed whole, and only it
    assert not Invoice.objects.exists()

    again = billing_run(actor=admin_user, month=month(0))  # the dead run's month is freed on the way

    assert again.status == JobStatus.DONE, again.message
    half.refresh_from_db()
    assert half.status == JobStatus.FAILED and "berhenti di tengah jalan" in half.message
    assert again.dues_created == len(clean["dues"]) - len([d for d in clean["dues"] if d[1] == "33.11"])
    assert snapshot() == clean


@pytest.mark.postgresql
def test_two_runs_of_a_month_at_once_bill_each_due_once(world, admin_user):
    results, barrier = [], threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(billing_run(actor=admin_user, month=month(0)).status)
        except ServiceError as exc:
            results.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert JobStatus.DONE in results and set(results) <= {JobStatus.DONE, ErrorCode.JOB_ACTIVE}
    covered = 6 + 4 + 5 + 3 + 1
    assert Due.objects.count() == covered
    assert Due.objects.values("participant_id", "month").distinct().count() == covered
    assert Invoice.objects.count() == 2 and InvoiceLine.objects.count() == 15
