"""Deposits imported from a statement file (CSV or XLSX): a per-row report; all or nothing by default, or partial;
the same file twice records nothing twice."""

from datetime import timedelta

import pytest

from jamsosdesa.agents.cash import undeposited
from jamsosdesa.agents.imports_cash import deposit_import
from jamsosdesa.agents.models import Deposit
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.agents.cash.conftest import assert_ledger_ok, collect, worker

pytestmark = pytest.mark.django_db


def _file(tmp_path, lines, name="setoran.csv"):
    path = tmp_path / name
    path.write_text("agen;referensi;tanggal;jumlah\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _collected(agent, n=2):
    today = clock.today()
    return [collect(agent, worker(agent), 1, collected_on=today - timedelta(days=n - i)).collection for i in range(n)]


def test_good_rows_are_recorded_and_settle_oldest_first(agent, branch, tmp_path):
    first, second = _collected(agent)
    day = clock.today().strftime("%d-%m-%Y")
    path = _file(tmp_path, [f"{agent.user.username};BRI-1;{day};{first.amount}",
                            f"{agent.pk};BRI-2;{day};{second.amount}"])
    report = deposit_import(actor=branch, path=path)
    assert [(r.row, r.status) for r in report.rows] == [(2, "recorded"), (3, "recorded")]
    assert undeposited(agent.user_id) == 0
    assert Deposit.objects.get(reference="BRI-1").statement_row == 2
    again = deposit_import(actor=branch, path=path)
    assert [r.status for r in again.rows] == ["duplicate", "duplicate"] and Deposit.objects.count() == 2
    assert AuditEvent.objects.filter(event_type="deposit.imported").count() == 2
    assert_ledger_ok()


def test_all_or_nothing_records_nothing_when_a_row_is_refused(agent, branch, tmp_path):
    first, _second = _collected(agent)
    day = clock.today().isoformat()
    path = _file(tmp_path, [f"{agent.user.username};BRI-1;{day};{first.amount}",
                            f"{agent.user.username};BRI-2;{day};99999999",  # more than the agent holds
                            f"orang_lain;BRI-3;{day};1000",  # no such agent
                            f"{agent.user.username};BRI-4;besok;1000"])  # no date
    report = deposit_import(actor=branch, path=path)
    by_row = {r.row: r for r in report.rows}
    assert [by_row[n].status for n in (2, 3, 4, 5)] == ["not_recorded", "refused", "refused", "refused"]
    assert "amount" in by_row[3].message and "agent" in by_row[4].message and "deposited_on" in by_row[5].message
    assert not Deposit.objects.exists()


def test_partial_keeps_the_good_rows(agent, branch, tmp_path):
    first, _second = _collected(agent)
    day = clock.today().isoformat()
    path = _file(tmp_path, [f"{agent.user.username};BRI-1;{day};{first.amount}", f"{agent.user.username};;{day};5"])
    report = deposit_import(actor=branch, path=path, partial=True)
    assert [r.status for r in report.rows] == ["recorded", "refused"] and "reference" in report.rows[1].message
    assert list(Deposit.objects.values_list("reference", flat=True)) == ["BRI-1"]


def test_an_xlsx_statement_is_read_too(agent, branch, tmp_path):
    import xlsxwriter

    (c,) = _collected(agent, 1)
    path = tmp_path / "setoran.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Agen", "Referensi", "Tanggal", "Jumlah"])
    sheet.write_row(1, 0, [agent.user.username, "BRI-X", clock.today().isoformat(), c.amount])
    book.close()
    assert [r.status for r in deposit_import(actor=branch, path=path).rows] == ["recorded"]


def test_a_file_without_the_columns_is_refused(branch, tmp_path):
    path = tmp_path / "lain.csv"
    path.write_text("nik;nama\n3311110505900003;Sugeng\n", encoding="utf-8")
    with pytest.raises(ServiceError) as refused:
        deposit_import(actor=branch, path=path)
    assert "file" in refused.value.fields
