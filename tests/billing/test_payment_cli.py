"""`jamsosdesa payment record|reverse` (H3): the same reference twice is one payment; bad input is a message."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsosdesa.billing.models import Payment, Reversal
from jamsosdesa.core import clock
from tests.billing.conftest import month, package, people
from tests.billing.payment_fixtures import assert_ledger_ok, due

pytestmark = pytest.mark.django_db


def record(capsys, *args):
    call_command("payment", "record", *args)
    return capsys.readouterr().out


def test_record_twice_with_the_same_reference_is_one_payment(operator_a, capsys):
    [p] = people(1)
    pkg = package(p, first=month(-1), last=month(-1))
    due(p, month(-1), membership=pkg)
    args = ("--nik", p.nik, "--amount", "20000", "--date", clock.today().isoformat(), "--reference", "R-CLI-1",
            "--as", operator_a.username, "--json")
    first = json.loads(record(capsys, *args))
    assert first["months"] == [f"{month(-1):%Y-%m}"] and first["credit"] == 3_200 and not first["duplicate"]
    again = json.loads(record(capsys, *args))
    assert again["duplicate"] and again["id"] == first["id"] and Payment.objects.count() == 1
    assert Payment.objects.get().source == "cli"


@pytest.mark.parametrize("amount", ["0", "-5", "99999999999", "20.000,00"])
def test_a_bad_amount_is_a_clear_message(operator_a, amount):
    [p] = people(1)
    with pytest.raises(CommandError) as refused:
        call_command("payment", "record", "--nik", p.nik, "--amount", amount, "--date", clock.today().isoformat(),
                     "--reference", "R1", "--as", operator_a.username)
    assert "Jumlah harus bilangan bulat rupiah antara 1" in str(refused.value)


def test_an_unknown_nik_and_a_bad_date_are_messages(operator_a):
    with pytest.raises(CommandError) as unknown:
        call_command("payment", "record", "--nik", "3311110101900999", "--amount", "16800", "--date",
                     clock.today().isoformat(), "--reference", "R1", "--as", operator_a.username)
    assert "tidak ada (atau di luar wilayah Anda)" in str(unknown.value)
    with pytest.raises(CommandError) as bad_date:
        call_command("payment", "record", "--nik", "3311110101900999", "--amount", "16800", "--date", "03-10-2026",
                     "--reference", "R1", "--as", operator_a.username)
    assert "YYYY-MM-DD" in str(bad_date.value)


def test_reverse_then_again_then_the_reversal(operator_a, branch, capsys):
    [p] = people(1)
    created = json.loads(record(capsys, "--nik", p.nik, "--amount", "16800", "--date", clock.today().isoformat(),
                                "--reference", "R-CLI-2", "--as", operator_a.username, "--json"))
    call_command("payment", "reverse", str(created["id"]), "--reason", "bounced", "--as", branch.username)
    assert "dibatalkan" in capsys.readouterr().out
    with pytest.raises(CommandError) as twice:
        call_command("payment", "reverse", str(created["id"]), "--reason", "bounced", "--as", branch.username)
    assert "sudah dibatalkan" in str(twice.value)
    root = Reversal.objects.get(target_type="payment")
    with pytest.raises(CommandError) as of_reversal:
        call_command("payment", "reverse", str(root.pk), "--reversal", "--reason", "mistake", "--as", branch.username)
    assert "tidak dapat dibalik" in str(of_reversal.value)
    assert_ledger_ok()
