"""The reconciliation queue's decisions: a branch officer of the item's kabupaten assigns a queued payment to a person
(the money pays the person's dues, the ledger stays whole), refunds it or rejects it; each decision is audited, made
once, and another kabupaten's officer meets 404."""

from datetime import timedelta

import pytest

from jamsosdesa.billing.check import ledger_check
from jamsosdesa.billing.live import live
from jamsosdesa.billing.models import (
    Allocation,
    AllocationOrigin,
    Due,
    HolderType,
    QueueReason,
    QueueStatus,
    Reversal,
    ReversalReason,
)
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record_queued
from jamsosdesa.billing.services.queue import queue_decide
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.models import AuditEvent, AuditEventType
from tests.billing.conftest import DESA_A, month, package, people

pytestmark = pytest.mark.django_db


def queued(actor, *, amount=16800, reference="TRX-Q1", kab="33.11"):
    request = PaymentRequest(amount=amount, paid_on=clock.today() - timedelta(days=1), reference=reference,
                             channel="bank", source="csv")
    done = payment_record_queued(actor=actor, request=request, reason=QueueReason.UNKNOWN_NIK,
                                 raw={"text": "IURAN 3311110101800099"}, kab_code=kab, row_no=2)
    return done.payment.queue_item


@pytest.fixture
def person_with_a_due(db):
    (person,) = people(1, DESA_A)
    membership = package(person, first=month(0))
    due = Due.objects.create(participant=person, kab_code=person.kab_code, desa_code=person.desa_id, month=month(0),
                             membership=membership, payer_type="self", segment="BPU", programme_mask=3, jkk=10000,
                             jkm=6800, amount=16800)
    return person, due


def test_assigning_pays_the_persons_due_and_keeps_the_ledger_whole(branch, person_with_a_due):
    person, due = person_with_a_due
    item = queued(branch, amount=20000)
    decided = queue_decide(actor=branch, item=item, decision="assign", holder=person, note="NIK salah ketik")
    assert decided.status == QueueStatus.ASSIGNED
    assert (decided.assigned_holder_type, decided.assigned_holder_id) == (HolderType.PARTICIPANT, person.pk)
    (allocation,) = live(Allocation.objects.filter(payment_id=item.payment_id), "allocation")
    assert allocation.due_id == due.pk and allocation.origin == AllocationOrigin.QUEUE
    item.payment.refresh_from_db()
    assert item.payment.holder_type == ""  # the payment row is never changed
    event = AuditEvent.objects.get(event_type=AuditEventType.RECONCILIATION_DECIDED)
    assert event.actor_id == branch.pk and event.new["decision"] == "assign"
    assert event.new["months"] == [f"{month(0):%Y-%m}"] and event.new["credit"] == 3200
    assert ledger_check() == []


@pytest.mark.parametrize("decision,reason,status", [("refund", ReversalReason.REFUND, QueueStatus.REFUNDED),
                                                    ("reject", ReversalReason.OTHER, QueueStatus.REJECTED)])
def test_refund_and_reject_reverse_the_payment_and_are_audited(branch, decision, reason, status):
    item = queued(branch)
    decided = queue_decide(actor=branch, item=item, decision=decision, note="salah transfer")
    assert decided.status == status and decided.decided_by == branch and decided.decision_note == "salah transfer"
    reversal = Reversal.objects.get(target_type="payment", target_id=item.payment_id)
    assert reversal.reason == reason and reversal.amount == 16800
    assert AuditEvent.objects.filter(event_type=AuditEventType.RECONCILIATION_DECIDED, object_id=str(item.pk)).exists()
    assert ledger_check() == []


def test_an_item_is_decided_once(branch):
    item = queued(branch)
    queue_decide(actor=branch, item=item, decision="refund")
    with pytest.raises(ServiceError) as again:
        queue_decide(actor=branch, item=item, decision="reject", note="x")
    assert again.value.code == ErrorCode.NOT_READY
    assert Reversal.objects.filter(target_type="payment").count() == 1


def test_a_rejection_needs_its_reason(branch):
    item = queued(branch)
    with pytest.raises(ServiceError) as refused:
        queue_decide(actor=branch, item=item, decision="reject")
    assert "note" in refused.value.fields
    item.refresh_from_db()
    assert item.status == QueueStatus.OPEN


def test_another_kabupatens_officer_meets_not_found_and_changes_nothing(branch, branch_gianyar, person_with_a_due):
    item = queued(branch)
    for decision in ("assign", "refund", "reject"):
        with pytest.raises(NotFound):
            queue_decide(actor=branch_gianyar, item=item, decision=decision, holder=person_with_a_due[0], note="x")
    item.refresh_from_db()
    assert item.status == QueueStatus.OPEN and not Reversal.objects.exists() and not Allocation.objects.exists()


def test_a_village_operator_cannot_decide(operator_a, branch):
    with pytest.raises(NotFound):
        queue_decide(actor=operator_a, item=queued(branch), decision="refund")


def test_assigning_to_a_person_outside_the_officers_area_is_not_found(branch, branch_gianyar, db):
    from tests.billing.conftest import DESA_C

    (far,) = people(1, DESA_C)
    item = queued(branch)
    with pytest.raises(NotFound):
        queue_decide(actor=branch, item=item, decision="assign", holder=far)
    item.refresh_from_db()
    assert item.status == QueueStatus.OPEN


@pytest.mark.parametrize("reason, status", [(ReversalReason.REFUND, QueueStatus.REFUNDED),
                                            (ReversalReason.DUPLICATE, QueueStatus.REJECTED)])
def test_a_queued_payment_reversed_on_its_own_page_leaves_the_queue(branch, reason, status):
    """A queued payment reversed from the payment page (or the API) must not stay in the officer's open queue with a
    decision that can only fail ("already cancelled"): its item is closed with the reversal, audited."""
    from jamsosdesa.billing.services.reversals import payment_reverse

    item = queued(branch)
    root = payment_reverse(actor=branch, payment=item.payment, reason=reason, note="dikembalikan ke pengirim")
    item.refresh_from_db()
    assert (item.status, item.decided_by_id, item.decision_note) == (status, branch.pk, "dikembalikan ke pengirim")
    event = AuditEvent.objects.get(event_type=AuditEventType.RECONCILIATION_DECIDED, object_id=str(item.pk))
    assert event.new["status"] == status and event.new["reversal"] == root.pk
    with pytest.raises(ServiceError) as refused:
        queue_decide(actor=branch, item=item, decision="reject", note="bukan iuran")
    assert refused.value.code == ErrorCode.NOT_READY
    assert ledger_check() == []


def test_a_refund_from_the_queue_is_audited_once(branch):
    queue_decide(actor=branch, item=queued(branch), decision="refund")
    assert AuditEvent.objects.filter(event_type=AuditEventType.RECONCILIATION_DECIDED).count() == 1
