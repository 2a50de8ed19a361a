"""`jamsosdesa scheme ...`: a district official's scheme from the command line, with a NIK list file."""

import json
from io import StringIO

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command

from jamsosdesa.funding.models import Enrolment, Scheme
from tests.conftest import DESA_A

from .conftest import month_text, people

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("scheme", *args, stdout=out)
    return out.getvalue()


def test_create_enrol_from_a_spreadsheet_budget_and_end(official, tmp_path):
    created = json.loads(run("create", "--user", official.username, "--name", "Satu Desa 100", "--payer", "apbd",
                             "--owner", "33.11", "--legal-number", "Perbup 12/2026", "--legal-date", "2026-10-01",
                             "--start", month_text(0), "--end", month_text(5), "--budget", "2000000000",
                             "--quota-per-desa", "100", "--json"))
    pk = str(created["id"])
    workers = people(3, DESA_A)
    book = tmp_path / "penerima.xlsx"
    with xlsxwriter.Workbook(book) as wb:
        ws = wb.add_worksheet("Data")
        ws.write_row(0, 0, ["No", "Nama", "NIK"])
        for i, p in enumerate(workers, start=1):
            ws.write_row(i, 0, [i, p.full_name, int(p.nik)])  # Excel turned the NIK into a number
        ws.write_row(4, 0, [4, "Belum terdaftar", "3311110101800099"])
    result = json.loads(run("enrol", pk, "--user", official.username, "--file", str(book), "--start", month_text(0),
                            "--json"))
    assert result["enrolled"] == 3 and [(r["nik"], r["reason"]) for r in result["refusals"]] == [
        ("3311••••••••0099", "not_registered")]  # a district: masked
    text = run("budget", pk, "--user", official.username)
    assert "terpakai Rp302.400" in text and "Krajan" in text
    first = Enrolment.objects.order_by("pk").first()
    assert "Rp16.800" in run("end", str(first.pk), "--user", official.username, "--last-month", month_text(0),
                             "--reason", "died")


def test_cli_errors_are_messages_not_tracebacks(official, make_scheme, tmp_path):
    with pytest.raises(CommandError, match="melebihi pagu"):
        run("create", "--user", official.username, "--name", "Terlalu besar", "--payer", "apbd", "--owner", "33.11",
            "--legal-number", "Perbup 12/2026", "--legal-date", "2026-10-01", "--start", month_text(0), "--end",
            month_text(5), "--budget", "1000000", "--quota-per-desa", "100")
    assert not Scheme.objects.exists()
    scheme = make_scheme()
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CommandError, match="tidak bisa dibaca|bukan|rusak"):
        run("enrol", str(scheme.pk), "--user", official.username, "--file", str(broken))
    no_nik = tmp_path / "tanpa-nik.csv"
    no_nik.write_text("nama,alamat\nSugeng,Krajan\n")
    with pytest.raises(CommandError, match="kolom berjudul NIK"):
        run("enrol", str(scheme.pk), "--user", official.username, "--file", str(no_nik))
    with pytest.raises(CommandError, match="di luar wilayah kerja Anda"):
        run("enrol", str(scheme.pk), "--user", official.username, "--region", "51.04")
    assert not Enrolment.objects.exists()


def test_the_scheme_list_names_each_schemes_owner_beside_its_code(official, make_scheme):
    make_scheme(quota_per_desa=None)  # owned by Kab. Sukoharjo (33.11)
    assert ", 33.11 Kabupaten Sukoharjo]" in run("list", "--user", official.username)
