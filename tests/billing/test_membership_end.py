"""Ending the worker's own package: the dues billed for months after its end are voided with their own reason
(`membership_ended`; `mistake` for a package ended as a mistake), a reason only billing gives."""


import pytest

from jamsosdesa.billing.models import Reversal, ReversalReason
from jamsosdesa.billing.services.membership import membership_end
from jamsosdesa.core.models import AuditEvent
from tests.billing.conftest import month, people, start, unpaid_due
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def reasons() -> dict[int, str]:
    return dict(Reversal.objects.filter(target_type="due").values_list("target_id", "reason"))


def test_ending_a_package_voids_its_later_dues_as_membership_ended(operator_a):
    (p,) = people(1)
    m = start(operator_a, p, month(0))
    kept, gone = unpaid_due(m, month(0)), unpaid_due(m, month(2))
    membership_end(actor=operator_a, membership=m, last_month=month(1), reason="stopped")
    assert reasons() == {gone.pk: ReversalReason.MEMBERSHIP_ENDED}
    event = AuditEvent.objects.get(event_type="due.voided")
    assert event.object_id == str(gone.pk) and event.new["reason"] == "membership_ended"
    assert kept.pk not in reasons()


def test_a_package_ended_as_a_mistake_keeps_the_mistake_reason(operator_a):
    (p,) = people(1)
    m = start(operator_a, p, month(0))
    gone = unpaid_due(m, month(1))
    membership_end(actor=operator_a, membership=m, last_month=month(0), reason="mistake")
    assert reasons() == {gone.pk: ReversalReason.MISTAKE}


def test_a_person_reversing_a_payment_cannot_choose_the_package_ending_reason(operator_a, branch):
    from tests.billing.payment_fixtures import pay

    (p,) = people(1)
    payment = pay(operator_a, nik=p.nik, amount=16_800).payment
    answer = api_client(branch)("post", f"/payments/{payment.pk}/reverse", {"reason": "membership_ended"})
    assert answer.status_code == 422
    assert not Reversal.objects.exists()
