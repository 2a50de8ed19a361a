"""A deposit settles the agent's collections oldest first; more than the undeposited cash is refused; the same
channel and reference again is the same deposit; a reversal unsettles by negative rows."""

from datetime import timedelta

import pytest

from jamsosdesa.agents.cash import CashRefusal, deposit_reverse, undeposited
from jamsosdesa.agents.models import DepositSettlement
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.agents.cash.conftest import assert_ledger_ok, collect, deposit, make_agent, worker

pytestmark = pytest.mark.django_db


def _three(agent):
    today = clock.today()
    return [collect(agent, worker(agent), 1, collected_on=today - timedelta(days=days)).collection
            for days in (1, 5, 3)]  # recorded out of order on purpose


def test_a_deposit_settles_the_oldest_collections_first(agent, branch):
    recent, oldest, middle = _three(agent)
    outcome = deposit(branch, agent, oldest.amount + middle.amount // 2)
    settled = {s.collection_id: s.amount for s in outcome.settlements}
    assert settled == {oldest.pk: oldest.amount, middle.pk: middle.amount // 2}
    assert undeposited(agent.user_id) == recent.amount + middle.amount - middle.amount // 2
    assert AuditEvent.objects.filter(event_type="deposit.recorded").count() == 1
    assert_ledger_ok()


def test_a_deposit_larger_than_the_undeposited_cash_is_refused_naming_both_amounts(agent, branch):
    held = sum(c.amount for c in _three(agent))
    with pytest.raises(ServiceError) as refused:
        deposit(branch, agent, held + 1)
    assert refused.value.code == CashRefusal.DEPOSIT_TOO_LARGE and "amount" in refused.value.fields
    assert f"{held + 1:,}".replace(",", ".") in refused.value.message
    assert f"{held:,}".replace(",", ".") in refused.value.message
    assert not DepositSettlement.objects.exists()


def test_a_deposit_for_an_agent_with_nothing_collected_is_refused(agent, branch):
    with pytest.raises(ServiceError) as refused:
        deposit(branch, agent, 1)
    assert refused.value.code == CashRefusal.DEPOSIT_TOO_LARGE


@pytest.mark.parametrize("amount", [0, -5, "1.000,00", "abc"])
def test_a_bad_deposit_amount_names_the_field(agent, branch, amount):
    _three(agent)
    with pytest.raises(ServiceError) as refused:
        deposit(branch, agent, amount)
    assert "amount" in refused.value.fields


def test_the_same_reference_is_the_same_deposit_and_another_body_a_conflict(agent, branch):
    first, *_rest = _three(agent)
    one = deposit(branch, agent, first.amount, reference="BRI-0001")
    again = deposit(branch, agent, first.amount, reference="BRI-0001")
    assert again.duplicate and again.deposit.pk == one.deposit.pk
    with pytest.raises(ServiceError) as refused:
        deposit(branch, agent, first.amount + 1, reference="BRI-0001")
    assert refused.value.code == ErrorCode.REFERENCE_CONFLICT
    assert DepositSettlement.objects.count() == 1


def test_an_agent_records_no_deposit_of_its_own(agent):
    _three(agent)
    with pytest.raises(ServiceError) as refused:
        deposit(agent.user, agent, 1_000)
    assert refused.value.code == ErrorCode.FORBIDDEN


def test_a_branch_of_another_kabupaten_does_not_find_the_agent(agent):
    from jamsosdesa.core.roles import Role
    from tests.conftest import make_user

    _three(agent)
    klaten = make_user("cabang_klaten", Role.BRANCH_OFFICER, ["33.10"])
    with pytest.raises(ServiceError) as refused:
        deposit(klaten, agent, 1_000)
    assert refused.value.code == ErrorCode.NOT_FOUND and "agent" in refused.value.fields


def test_a_reversed_deposit_unsettles_by_negative_rows_and_settles_again(agent, branch):
    cs = _three(agent)
    held = sum(c.amount for c in cs)
    made = deposit(branch, agent, held).deposit
    deposit_reverse(actor=branch, deposit=made, reason="salah catat")
    assert undeposited(agent.user_id) == held
    rows = list(DepositSettlement.objects.filter(deposit=made))
    assert sum(r.amount for r in rows) == 0 and all((r.amount < 0) == (r.reverses_id is not None) for r in rows)
    with pytest.raises(ServiceError) as refused:
        deposit_reverse(actor=branch, deposit=made, reason="lagi")
    assert refused.value.code == ErrorCode.ALREADY_REVERSED
    deposit(branch, agent, held)
    assert undeposited(agent.user_id) == 0
    assert_ledger_ok()


def test_only_the_agents_own_cash_counts(agent, branch):
    other = make_agent("agen_lain")
    collect(other, worker(other), 1)
    mine = _three(agent)
    with pytest.raises(ServiceError):
        deposit(branch, agent, sum(c.amount for c in mine) + 1)
