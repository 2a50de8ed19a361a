"""`ledger check`: passes on a ledger built by the services, and each of its eight invariants fails on a row a
test breaks on purpose (so a check that can never fail is caught) (H3)."""

import json

import pytest
from django.core.management import call_command

from jamsosdesa.billing.check import ledger_check
from jamsosdesa.billing.models import Allocation, Credit, Due, Invoice, Payment, Reversal
from jamsosdesa.billing.services.reversals import payment_reverse
from tests.billing.conftest import enrol, month, package, people
from tests.billing.payment_fixtures import assert_ledger_ok, due, invoice, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(operator_a, branch, make_scheme):
    """A small ledger: a person paying two months with credit left, a reversed payment, an invoice half paid."""
    [p, q, r] = people(3)
    pkg = package(p, first=month(-2), last=month(0))
    dues = [due(p, month(i), membership=pkg) for i in (-2, -1, 0)]
    paid = pay(operator_a, nik=p.nik, amount=2 * 16_800 + 1_000)
    wrong = pay(operator_a, nik=p.nik, amount=16_800)
    payment_reverse(actor=branch, payment=wrong.payment, reason="duplicate")
    scheme = make_scheme(start_month=month(-1))
    es = {e.participant_id: e for e in enrol(scheme, [q, r], start=month(-1))}
    bill = invoice(scheme, month(-1), [due(x, month(-1), enrolment=es[x.pk]) for x in (q, r)])
    pay(branch, invoice_number=bill.number, amount=20_000, channel="bank")
    assert_ledger_ok()
    return {"person": p, "dues": dues, "payment": paid.payment, "scheme": scheme, "invoice": bill}


def failed(number: int) -> list[dict]:
    found = {f.invariant: f for f in ledger_check()}
    assert number in found, f"invariant {number} did not fail: {[f.as_dict() for f in found.values()]}"
    return found[number].rows


def test_1_a_payment_not_fully_accounted_for_fails(ledger):
    Credit.objects.create(holder_type="P", holder_id=ledger["person"].pk, kab_code="33.11", amount=500,
                          kind="remainder", payment=ledger["payment"])
    assert failed(1)[0]["payment_id"] == ledger["payment"].pk


def test_2_a_month_paid_twice_fails(ledger):
    first = Allocation.objects.filter(payment=ledger["payment"]).first()
    Allocation.objects.create(due_id=first.due_id, seq=5, amount=first.amount, holder_type="P",
                              holder_id=first.holder_id, kab_code=first.kab_code, origin="credit")
    assert failed(2)[0]["ref_id"] == first.due_id


def test_2_two_live_dues_of_one_month_and_programme_fail(ledger):
    p = ledger["person"]
    other = package(p, first=month(3))
    due(p, month(-2), membership=other)  # a second package's due for a month already billed (JKK+JKM twice)
    assert any(row["ref_id"] == p.pk for row in failed(2))


def test_3_an_allocation_that_differs_from_its_due_fails(ledger):
    d = ledger["dues"][2]
    Allocation.objects.create(due=d, seq=7, amount=d.amount - 1, holder_type="P", holder_id=d.participant_id,
                              kab_code=d.kab_code, origin="credit")
    assert failed(3)[0]["due_id"] == d.pk


def test_3_an_allocation_filed_under_another_kabupaten_than_its_due_fails(ledger):
    """A region's status reads allocations by their own kab_code (billing.status): one filed elsewhere would leave
    a paid month unpaid there."""
    d = ledger["dues"][2]
    Allocation.objects.create(due=d, seq=7, amount=d.amount, holder_type="P", holder_id=d.participant_id,
                              kab_code="35.78", origin="credit")
    assert failed(3)[0]["due_id"] == d.pk


def test_4_an_invoice_whose_total_is_not_its_lines_fails(ledger):
    Invoice.objects.filter(pk=ledger["invoice"].pk).update(total=1)  # a direct write: the app never updates it
    assert failed(4)[0]["invoice_id"] == ledger["invoice"].pk


def test_5_a_reversal_of_nothing_or_of_another_amount_fails(ledger):
    Reversal.objects.create(target_type="payment", target_id=999_999, amount=1, reason="other")
    d = ledger["dues"][2]
    Reversal.objects.create(target_type="due", target_id=d.pk, amount=d.amount + 1, reason="other")
    problems = {row["problem"] for row in failed(5)}
    assert {"missing_target", "amount"} <= problems


def test_5_a_live_allocation_of_a_voided_due_fails(ledger):
    paid = Allocation.objects.filter(payment=ledger["payment"]).first()
    Reversal.objects.create(target_type="due", target_id=paid.due_id, amount=paid.amount, reason="other")
    assert any(row["problem"] == "voided_due_paid" for row in failed(5))


def test_6_a_negative_credit_balance_fails(ledger):
    Credit.objects.create(holder_type="S", holder_id=ledger["scheme"].pk, kab_code="33.11", amount=-999_999,
                          kind="used")
    rows = failed(6)
    assert rows[0]["holder_id"] == ledger["scheme"].pk and rows[0]["balance"] < 0


def test_7_a_due_outside_its_period_or_kabupaten_fails(ledger):
    p = ledger["person"]
    pkg = package(p, first=month(4), last=month(4))
    outside = due(p, month(5), membership=pkg)
    Due.objects.filter(pk=ledger["dues"][0].pk).update(kab_code="51.04")
    problems = {row["due_id"]: row["problem"] for row in failed(7)}
    assert problems == {outside.pk: "outside_period", ledger["dues"][0].pk: "kab_code"}


def test_the_command_exits_1_and_lists_the_rows_as_json(ledger, capsys):
    call_command("ledger", "check", "--json")  # a clean ledger: exit 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "failures": []}
    Payment.objects.filter(pk=ledger["payment"].pk).update(amount=1)
    with pytest.raises(SystemExit) as exit_:
        call_command("ledger", "check", "--json")
    assert exit_.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["failures"][0]["rows"][0]["payment_id"] == ledger["payment"].pk


def test_the_command_says_ok_in_words(ledger, capsys):
    call_command("ledger", "check")
    assert "8 invarian" in capsys.readouterr().out


def test_8_a_standing_that_differs_from_the_ledger_fails_and_a_rebuild_mends_it(ledger):
    from jamsosdesa.billing.models import Standing
    from jamsosdesa.billing.standing import standing_rebuild

    p = ledger["person"]
    kept = Standing.objects.get(participant_id=p.pk)
    assert kept.last_paid == month(-1)  # two of three months paid, by the services
    Standing.objects.filter(participant_id=p.pk).update(last_paid=month(0))
    assert failed(8)[0]["participant_id"] == p.pk
    Standing.objects.filter(participant_id=p.pk).delete()  # a missing row is as wrong as a stale one
    assert failed(8)[0]["participant_id"] == p.pk
    assert standing_rebuild() >= 1
    assert_ledger_ok()
    assert Standing.objects.get(participant_id=p.pk).last_paid == month(-1)


def test_8_a_wrong_count_of_paid_months_or_payer_of_the_last_one_fails(ledger):
    from jamsosdesa.billing.models import Standing
    from jamsosdesa.billing.standing import payer_mask, standing_rebuild

    p = ledger["person"]
    row = Standing.objects.get(participant_id=p.pk)
    assert (row.paid_months, row.last_paid_payers) == (2, payer_mask(["self"]))  # what the coverage rule reads
    Standing.objects.filter(participant_id=p.pk).update(paid_months=3)
    assert failed(8)[0]["cached_paid_months"] == 3
    standing_rebuild()
    assert_ledger_ok()
    Standing.objects.filter(participant_id=p.pk).update(last_paid_payers=payer_mask(["apbdes"]))
    assert failed(8)[0]["participant_id"] == p.pk
    standing_rebuild()
    assert_ledger_ok()


def test_the_billing_standing_command_rebuilds_a_cache_loaded_outside_the_services(ledger, capsys):
    from jamsosdesa.billing.models import Standing

    Standing.objects.all().delete()  # as after rows loaded with COPY
    call_command("billing", "standing", "--json")
    assert json.loads(capsys.readouterr().out)["changed"] >= 1
    assert_ledger_ok()
