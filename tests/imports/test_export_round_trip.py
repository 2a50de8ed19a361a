"""Issue 11: our own CSV export imports back unchanged. The export puts an apostrophe before a cell a spreadsheet
would run as a formula (core.cells.csv_safe); the import takes exactly that apostrophe away again."""

import io

import pytest

from jamsosdesa.core.cells import csv_unsafe
from jamsosdesa.imports.export import export_csv
from jamsosdesa.participants.models import Participant
from jamsosdesa.participants.selectors import ParticipantFilter
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value,expected", [
    ("'=1+1", "=1+1"), ("'+62812", "+62812"), ("'-2", "-2"), ("'@SUM(A1)", "@SUM(A1)"), ("'\t=1", "\t=1"),
    ("'\r=1", "\r=1"), ("'004", "'004"), ("''=x", "''=x"), ("O'Neil", "O'Neil"), ("'", "'"), ("", ""),
])
def test_only_the_apostrophe_the_export_added_is_taken_away(value, expected):
    assert csv_unsafe(value) == expected


def test_an_exported_csv_imports_back_unchanged(admin_user, operator_a, register, run):
    register(operator_a, full_name="=Sugeng Riyadi", phone="+6281234567890", address="-Dusun Krajan",
             birth_place="@Sukoharjo")
    before = Participant.objects.values("full_name", "phone", "address", "birth_place").get()
    out = io.StringIO()
    export_csv(admin_user, ParticipantFilter(), out)
    assert "'+6281234567890" in out.getvalue() and "'=Sugeng Riyadi" in out.getvalue()

    outcome = run(admin_user, csv_bytes(out.getvalue()))

    assert outcome.counts["invalid"] == 0, outcome.samples["invalid"]
    assert outcome.counts["unchanged"] == 1 and outcome.counts["updated"] == 0, outcome.samples["updated"]
    assert Participant.objects.values("full_name", "phone", "address", "birth_place").get() == before


def test_the_export_names_why_someone_was_deactivated(admin_user, operator_a, register):
    from jamsosdesa.participants import services

    p = register(operator_a)
    services.participant_deactivate(actor=operator_a, participant=p, reason="died")
    out = io.StringIO()
    export_csv(admin_user, ParticipantFilter(), out)
    assert "Meninggal dunia" in out.getvalue() and ",died" not in out.getvalue()
