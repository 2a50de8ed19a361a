"""A package that has not started yet (its first month after this one) is cancelled: it ends in the month before
its first month (as an enrolment ended before its start), covers no month, its dues billed ahead are voided, and a
new package may start in any month; one service for the page, the API and the command line (`membership_cancel`,
which is `membership_end` in the month before the first). The database allows that month before and nothing
earlier."""


import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from jamsosdesa.billing.check import ledger_check
from jamsosdesa.billing.models import Allocation, HolderType, Membership, Reversal, ReversalReason
from jamsosdesa.billing.services.membership import (
    membership_cancel,
    membership_end,
    open_membership,
)
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.billing.conftest import month, month_text, package, people, start, unpaid_due
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def test_a_package_not_started_yet_is_cancelled(operator_a):
    (p,) = people(1)
    m = start(operator_a, p, month(2))
    billed = unpaid_due(m, month(2))  # billed ahead
    cancelled = membership_cancel(actor=operator_a, membership=m, reason="stopped")
    assert (cancelled.first_month, cancelled.last_month, cancelled.end_reason) == (month(2), month(1), "stopped")
    assert open_membership(p) is None
    assert dict(Reversal.objects.filter(target_type="due").values_list("target_id", "reason")) == {
        billed.pk: ReversalReason.MEMBERSHIP_ENDED}
    event = AuditEvent.objects.get(event_type="membership.ended", object_id=str(m.pk))
    assert event.new["cancelled"] is True and event.actor_id == operator_a.pk
    assert ledger_check() == []
    # the person may start again, in the same first month or earlier: the cancelled package covers no month
    again = start(operator_a, p, month(2))
    assert open_membership(p) == again
    membership_cancel(actor=operator_a, membership=again, reason="mistake")
    assert start(operator_a, p, month(1)).first_month == month(1)


def test_a_running_package_is_ended_not_cancelled(operator_a):
    (p,) = people(1)
    m = start(operator_a, p, month(0))
    with pytest.raises(ServiceError) as refused:
        membership_cancel(actor=operator_a, membership=m, reason="stopped")
    assert str(refused.value.code) == "invalid" and f"{month(0):%m/%Y}" in refused.value.message
    assert Membership.objects.get(pk=m.pk).last_month is None


def test_a_package_with_a_month_paid_ahead_is_not_cancelled(operator_a):
    (p,) = people(1)
    m = start(operator_a, p, month(1))
    due = unpaid_due(m, month(1))
    Allocation.objects.create(due=due, amount=16_800, holder_type=HolderType.PARTICIPANT, holder_id=p.pk,
                              kab_code=m.kab_code, origin="credit")
    with pytest.raises(ServiceError) as refused:
        membership_cancel(actor=operator_a, membership=m, reason="stopped")
    assert str(refused.value.code) == "month_paid"


def test_the_api_cancels_a_package_not_started_yet(operator_a, operator_b):
    (p,) = people(1)
    start(operator_a, p, month(3))
    assert api_client(operator_b)("post", f"/participants/{p.pk}/membership/cancel",
                                  {"reason": "scheme"}).status_code == 404
    answer = api_client(operator_a)("post", f"/participants/{p.pk}/membership/cancel", {"reason": "scheme"})
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["first_month"], answer.json()["last_month"]) == (month_text(3), month_text(2))
    again = api_client(operator_a)("post", f"/participants/{p.pk}/membership/cancel", {"reason": "scheme"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "no_package"


def test_the_page_offers_the_cancellation_only_before_the_start(operator_a):
    (p, q) = people(2)
    start(operator_a, p, month(2))
    start(operator_a, q, month(0))
    client = Client()
    client.force_login(operator_a)
    assert "Batalkan paket yang belum mulai" not in client.get(f"/peserta/{q.pk}/").content.decode()
    assert "Batalkan paket yang belum mulai" in client.get(f"/peserta/{p.pk}/").content.decode()
    answer = client.post(f"/tagihan/peserta/{p.pk}/mandiri/batalkan/", {"reason": "stopped"})
    assert answer.status_code == 302
    assert "dibatalkan sebelum mulai" in client.get(f"/peserta/{p.pk}/").content.decode()


def test_the_database_allows_the_month_before_the_first_and_nothing_earlier():
    (p,) = people(1)
    package(p, first=month(2), last=month(1))  # cancelled
    with pytest.raises(IntegrityError), transaction.atomic():
        package(p, first=month(4), last=month(2))
    package(p, first=month(2))  # a cancelled package does not hold its first month
    with pytest.raises(IntegrityError), transaction.atomic():
        package(p, first=month(2), last=month(3))


def test_the_command_line_cancels_a_package_not_started_yet(operator_a):
    import io
    import json

    from django.core.management import CommandError, call_command

    (p, q) = people(2)
    start(operator_a, p, month(1))
    start(operator_a, q, month(0))
    out = io.StringIO()
    call_command("membership", "cancel", p.nik, "--reason", "stopped", "--as", operator_a.username, "--json",
                 stdout=out)
    assert json.loads(out.getvalue())["last_month"] == month_text(0)
    with pytest.raises(CommandError, match="tidak dapat dibatalkan"):
        call_command("membership", "cancel", q.nik, "--reason", "stopped", "--as", operator_a.username)


def test_ending_in_the_month_before_the_first_cancels_and_earlier_is_refused(operator_a):
    (p,) = people(1)
    m = start(operator_a, p, month(2))
    with pytest.raises(ServiceError) as refused:
        membership_end(actor=operator_a, membership=m, last_month=month(0), reason="stopped")
    assert "last_month" in refused.value.fields and f"{month(1):%m/%Y}" in refused.value.message
    ended = membership_end(actor=operator_a, membership=m, last_month=month(1), reason="mistake")
    assert (ended.first_month, ended.last_month) == (month(2), month(1))
    assert AuditEvent.objects.get(event_type="membership.ended").new["cancelled"] is True
