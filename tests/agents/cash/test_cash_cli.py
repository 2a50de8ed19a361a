"""`jamsosdesa agents collect|deposit|cash` on the command line."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsosdesa.agents.models import Collection, Deposit
from tests.agents.cash.conftest import worker

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("agents", *args, stdout=out)
    return out.getvalue()


def test_collect_deposit_list_and_cash(agent, branch, tmp_path):
    person = worker(agent)
    made = json.loads(run("collect", person.nik, "--months", "2", "--as", agent.user.username, "--json"))
    c = Collection.objects.get(pk=made["id"])
    assert made["receipt_number"] == c.receipt_number and made["amount"] == c.amount
    (row,) = json.loads(run("cash", "--as", branch.username, "--json"))
    assert (row["agent"], row["undeposited"]) == (agent.user.username, c.amount)
    text = run("deposit", "record", "--agent", agent.user.username, "--reference", "SETOR-1", "--amount",
               str(c.amount), "--as", branch.username)
    assert "SETOR-1" in text and Deposit.objects.count() == 1
    assert "SETOR-1" in run("deposit", "list", "--as", branch.username)
    assert "Tidak ada uang tunai" in run("cash", "--as", branch.username)


def test_a_refusal_is_a_clear_error(agent):
    person = worker(agent)
    with pytest.raises(CommandError, match="bulan"):
        run("collect", person.nik, "--months", "0", "--as", agent.user.username)


def test_import_reports_rows_and_fails_on_a_refused_one(agent, branch, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("agen;referensi;tanggal;jumlah\ntidak_ada;R1;2020-01-01;100\n", encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("agents", "deposit", "import", str(path), "--as", branch.username, stdout=out)
    assert "baris 2: refused" in out.getvalue()
