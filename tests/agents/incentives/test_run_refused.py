"""A run is refused for a month not over yet and while another run (of any month) waits or runs; a user who may not
run it is refused; the command line says so in words, never a traceback."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from jamsosdesa.agents.incentives import incentive_run_month
from jamsosdesa.agents.models import IncentiveLine, IncentiveRun
from jamsosdesa.core.errors import ErrorCode, PermissionDenied, ServiceError
from tests.agents.incentives.conftest import month

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("offset", [0, 1])
def test_a_month_not_over_is_refused(admin_user, offset):
    with pytest.raises(ServiceError) as refused:
        incentive_run_month(actor=admin_user, month=month(offset))
    assert refused.value.code == ErrorCode.BAD_PERIOD
    assert f"{month(offset):%m/%Y}" in refused.value.message and "belum selesai" in refused.value.message
    assert not IncentiveRun.objects.exists()


def test_months_run_in_order(admin_user):
    """Corrections negate earlier months' lines: a gap, or a first run before a computed month, is refused; a rerun
    and the next month are not."""
    incentive_run_month(actor=admin_user, month=month(-3))
    with pytest.raises(ServiceError) as gap:
        incentive_run_month(actor=admin_user, month=month(-1))
    assert gap.value.code == ErrorCode.BAD_PERIOD and f"{month(-2):%m/%Y}" in gap.value.message
    with pytest.raises(ServiceError) as earlier:
        incentive_run_month(actor=admin_user, month=month(-4))
    assert earlier.value.code == ErrorCode.BAD_PERIOD and f"{month(-4):%m/%Y}" in earlier.value.message
    incentive_run_month(actor=admin_user, month=month(-3))  # a rerun
    incentive_run_month(actor=admin_user, month=month(-2))
    incentive_run_month(actor=admin_user, month=month(-1))
    assert IncentiveRun.objects.filter(status="done").count() == 4


def test_refused_while_another_run_is_active(admin_user):
    IncentiveRun.objects.create(month=month(-3), status="running")

    with pytest.raises(ServiceError) as refused:
        incentive_run_month(actor=admin_user, month=month(-1))

    assert refused.value.code == ErrorCode.JOB_ACTIVE
    assert f"{month(-3):%m/%Y}" in refused.value.message
    assert IncentiveRun.objects.count() == 1 and not IncentiveLine.objects.exists()


def test_the_database_keeps_one_active_run(admin_user):
    IncentiveRun.objects.create(month=month(-3), status="queued")
    with pytest.raises(IntegrityError), transaction.atomic():
        IncentiveRun.objects.create(month=month(-2), status="running")


def test_a_village_operator_may_not_run_it(operator_a):
    with pytest.raises(PermissionDenied):
        incentive_run_month(actor=operator_a, month=month(-1))


@pytest.mark.parametrize(("text", "words"), [("2026-13", "tidak dikenal"), ("kemarin", "tidak dikenal")])
def test_cli_bad_month(admin_user, text, words):
    with pytest.raises(CommandError, match=words):
        call_command("incentives", "run", "--month", text)


def test_cli_current_month(admin_user):
    with pytest.raises(CommandError, match="belum selesai"):
        call_command("incentives", "run", "--month", f"{month(0):%Y-%m}")
