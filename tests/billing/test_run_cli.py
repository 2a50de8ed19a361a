"""`jamsosdesa billing run --month YYYY-MM [--json]` and `jamsosdesa billing schedule`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsosdesa.billing.models import BillingRun, Due
from tests.billing.conftest import DESA_A, enrol, month, month_text, people

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = StringIO()
    call_command("billing", *args, stdout=out)
    return out.getvalue()


def test_the_command_bills_a_month_and_says_so_and_a_second_time_says_nothing_is_new(admin_user, make_scheme):
    enrol(make_scheme(), people(3, DESA_A))
    first = json.loads(_call("run", "--month", month_text(0), "--json"))
    assert (first["status"], first["month"], first["dues_created"], first["invoices_created"],
            first["amount_billed"]) == ("done", month_text(0), 3, 1, 3 * 16_800)
    assert _call("run", "--month", month_text(0)).startswith("0 iuran baru (Rp0), 0 tagihan kolektif baru")
    assert Due.objects.count() == 3


def test_the_command_lists_who_was_not_billed_and_why(admin_user, make_scheme):
    enrol(make_scheme(), people(1, DESA_A), start=month(-1))
    text = _call("run", "--month", month_text(-1))
    assert "tidak ditagih (terdaftar sesudah bulan itu): 1" in text


@pytest.mark.parametrize("text, says", [("2026-13", "tulis YYYY-MM"), ("kemarin", "tulis YYYY-MM")])
def test_a_bad_month_is_refused_in_words(admin_user, text, says):
    with pytest.raises(CommandError, match=says):
        _call("run", "--month", text)
    assert not BillingRun.objects.exists()


def test_a_month_without_rates_is_refused_in_words(admin_user):
    with pytest.raises(CommandError, match="Belum ada tarif iuran untuk bulan"):
        _call("run", "--month", month_text(-12 * 40))


def test_schedule_queues_this_month_for_the_worker_once(admin_user):
    assert json.loads(_call("schedule", "--json"))["queued"] is True
    run = BillingRun.objects.get()
    assert (run.month, run.trigger) == (month(0), "schedule")
    assert "Tidak ada yang diantrekan" in _call("schedule")


def test_serve_s_periodic_tick_queues_this_month_s_run(admin_user):
    from jamsosdesa.core.periodic import periodic_tasks, run_periodic

    assert "billing.schedule" in periodic_tasks  # registered by billing's AppConfig.ready()
    run_periodic()
    run_periodic()
    assert list(BillingRun.objects.values_list("month", "trigger")) == [(month(0), "schedule")]
