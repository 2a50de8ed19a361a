"""`jamsosdesa coverage target ...`: the same service from the command line, its refusals as messages."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamsosdesa.coverage.models import Target

from .region_fixtures import DESA_A, DESA_B, this_year

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("coverage", *args, stdout=out)
    return out.getvalue()


def test_set_list_and_history_from_the_command_line(operator_a):
    year = str(this_year())
    made = json.loads(run("target", "set", "--region", DESA_A, "--year", year, "--count", "1000", "--user", "op_a",
                          "--json"))
    assert made["count"] == 1000 and made["region"] == DESA_A and made["region_name"] == "Krajan" and made["changed"]
    assert "Target disimpan" in run("target", "set", "--region", DESA_A, "--year", year, "--count", "1.200",
                                    "--user", "op_a")
    listed = json.loads(run("target", "list", "--region", DESA_A, "--user", "op_a", "--json"))
    assert [(t["region"], t["year"], t["count"]) for t in listed] == [(DESA_A, this_year(), 1200)]
    history = json.loads(run("target", "history", str(made["id"]), "--user", "op_a", "--json"))
    assert [(h["old"] and h["old"]["count"], h["new"]["count"]) for h in history] == [(None, 1000), (1000, 1200)]


def test_the_nation_is_written_id(admin_user):
    made = json.loads(run("target", "set", "--region", "ID", "--year", str(this_year() + 1), "--count", "70000000",
                          "--json"))
    assert made["region"] == "ID" and Target.objects.get().region_code == ""


@pytest.mark.parametrize("args, message", [
    (["--region", "99.99", "--count", "10"], "tidak ada"),
    (["--region", DESA_A, "--count", "-1"], "negatif"),
    (["--region", DESA_A, "--count", "seribu"], "bilangan bulat"),
    (["--region", DESA_B, "--count", "10"], "Tidak ditemukan"),  # operator A's neighbour: not theirs
])
def test_bad_input_is_a_message_not_a_traceback(operator_a, args, message):
    with pytest.raises(CommandError, match=message):
        run("target", "set", "--year", str(this_year()), "--user", "op_a", *args)
    with pytest.raises(CommandError, match="sudah lewat"):
        run("target", "set", "--region", DESA_A, "--year", str(this_year() - 1), "--count", "5", "--user", "op_a")
    assert not Target.objects.exists()


def test_options_written_before_the_subcommand_are_not_lost(admin_user):
    """`jamsosdesa coverage --json target list` printed text: the subcommand's own --json (False) overwrote the one
    written before it. Both orders now give JSON."""
    before, after = StringIO(), StringIO()
    call_command("coverage", "--json", "target", "list", stdout=before)
    call_command("coverage", "target", "list", "--json", stdout=after)
    assert json.loads(before.getvalue()) == json.loads(after.getvalue())
