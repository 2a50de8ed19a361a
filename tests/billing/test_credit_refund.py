"""Money handed back from a holder's credit (billing.services.credits.credit_refund) and a due voided without
re-applying its money (`due_void(..., reapply=False)`): what a claim's refund of the months paid after a death needs
(claims.services.settle_refund). Ledger check 6 stays green."""

import pytest

from jamsosdesa.billing.live import live
from jamsosdesa.billing.models import Allocation, Credit, HolderType, ReversalTarget
from jamsosdesa.billing.services.allocation import credit_balance
from jamsosdesa.billing.services.credits import credit_refund
from jamsosdesa.billing.services.reversals import due_void
from jamsosdesa.core.errors import NotFound, ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.billing.conftest import month, package, people
from tests.billing.payment_fixtures import assert_ledger_ok, due, pay

pytestmark = pytest.mark.django_db
DUE = 16_800


def paid(d) -> bool:
    return live(Allocation.objects.filter(due=d), ReversalTarget.ALLOCATION).exists()


@pytest.fixture
def ahead(operator_a):
    """A worker who paid this month and next month, with an older month billed after the payment, unpaid."""
    (p,) = people(1)
    pkg = package(p, first=month(-1))
    now, later = due(p, month(0), membership=pkg), due(p, month(1), membership=pkg)
    pay(operator_a, nik=p.nik, amount=2 * DUE)
    older = due(p, month(-1), membership=pkg)
    assert paid(now) and paid(later) and not paid(older)
    return p, older, later


def test_a_voided_due_s_money_re_applied_by_default_pays_the_older_month(ahead, branch):
    p, older, later = ahead
    due_void(actor=branch, due=later, reason="membership_ended")
    assert paid(older) and credit_balance(HolderType.PARTICIPANT, p.pk) == 0
    assert_ledger_ok()


def test_reapply_false_leaves_the_money_in_credit_and_the_older_month_unpaid(ahead, branch):
    p, older, later = ahead
    due_void(actor=branch, due=later, reason="membership_ended", reapply=False)
    assert not paid(older) and credit_balance(HolderType.PARTICIPANT, p.pk) == DUE
    event = AuditEvent.objects.get(event_type="due.voided", object_id=str(later.pk))
    assert (event.new["released_to_credit"], event.new["reapplied"]) == (DUE, False)
    assert_ledger_ok()


def test_credit_refund_hands_the_money_back_audited_and_the_ledger_check_stays_green(ahead, branch):
    p, _older, later = ahead
    due_void(actor=branch, due=later, reason="membership_ended", reapply=False)
    row = credit_refund(actor=branch, holder_type=HolderType.PARTICIPANT, holder_id=p.pk, amount=DUE,
                        note="pengembalian iuran klaim KLM-1")
    assert (row.kind, row.amount, row.kab_code, row.created_by) == ("refunded", -DUE, p.kab_code, branch)
    assert credit_balance(HolderType.PARTICIPANT, p.pk) == 0
    event = AuditEvent.objects.get(object_type="credit", object_id=str(row.pk))
    assert (event.actor_id, event.new["amount"], event.new["balance"], event.old["balance"]) == (branch.pk, DUE, 0, DUE)
    assert event.note == "pengembalian iuran klaim KLM-1" and event.region_code == p.kab_code
    assert_ledger_ok()


def test_credit_refund_refuses_more_than_the_balance_and_writes_nothing(ahead, branch):
    p, _older, later = ahead
    due_void(actor=branch, due=later, reason="membership_ended", reapply=False)
    with pytest.raises(ServiceError) as refused:
        credit_refund(actor=branch, holder_type=HolderType.PARTICIPANT, holder_id=p.pk, amount=DUE + 1)
    assert "Saldo titipan hanya Rp16.800" in refused.value.message and "amount" in refused.value.fields
    for bad in (0, -5, "16800", True):
        with pytest.raises(ServiceError):
            credit_refund(actor=branch, holder_type=HolderType.PARTICIPANT, holder_id=p.pk, amount=bad)
    assert not Credit.objects.filter(kind="refunded").exists()
    assert credit_balance(HolderType.PARTICIPANT, p.pk) == DUE


def test_only_who_reverses_payments_may_hand_credit_back(ahead, operator_a, branch_gianyar):
    p, _older, later = ahead
    due_void(actor=operator_a, due=later, reason="membership_ended", reapply=False)
    for user in (operator_a, branch_gianyar):  # a village operator; a branch officer of another kabupaten
        with pytest.raises(NotFound):
            credit_refund(actor=user, holder_type=HolderType.PARTICIPANT, holder_id=p.pk, amount=DUE)
    assert credit_balance(HolderType.PARTICIPANT, p.pk) == DUE
