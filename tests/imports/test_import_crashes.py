"""Import input the outside review turned into crashes (issue 11, "Crashes"): each gets a message in the user's
language naming the row or the file, and a good row beside it still loads, on SQLite and PostgreSQL."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamsosdesa.imports.models import ImportJob
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, DESA_B
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = "nik,nama,tempat_lahir,tanggal_lahir,jenis_kelamin,alamat,rt,rw,kode_pekerjaan,penghasilan\n"
GOOD = ["3311110505900003", "Sugeng", "Sukoharjo", "05-05-1990", "L", "Dusun", "1", "2", "9", "1000000"]
OTHER = ["3311114408850001", "Siti", "Sukoharjo", "04-08-1985", "P", "Dusun", "1", "2", "9", "1000000"]


@pytest.mark.parametrize("column", [0, 1, 5])  # the NIK (the duplicate check keys on it), the name, the address
def test_a_nul_byte_in_a_cell_refuses_that_row_and_loads_the_rest(run, operator_a, column):
    cells = list(GOOD)
    cells[column] = cells[column][:2] + "\x00" + cells[column][2:]
    # the NUL lies beyond the first 4 KB, where the file's type is sniffed (blank lines are skipped)
    text = HEADER + "\n" * 5000 + ",".join(cells) + "\n" + ",".join(OTHER) + "\n"
    preview = run(operator_a, csv_bytes(text), dry_run=True)
    assert preview.counts["invalid"] == 1 and preview.counts["new"] == 1
    outcome = run(operator_a, csv_bytes(text))
    assert not outcome.file_error and outcome.counts["invalid"] == 1 and outcome.applied
    assert list(Participant.objects.values_list("nik", flat=True)) == [OTHER[0]]
    assert outcome.problems[0].row == 5002 and outcome.problems[0].issues[0]["code"] == "bad_chars"


@pytest.mark.parametrize("desa", ["99.99.99.9999", "abc", "33.11.11", DESA_B])  # unknown, no code, no desa, not hers
def test_an_unknown_or_foreign_desa_on_the_import_page_is_a_message_and_leaves_no_file(operator_a, settings, desa):
    client = Client()
    client.force_login(operator_a)
    answer = client.post("/impor/", {"file": SimpleUploadedFile("desa.csv", ",".join(HEADER.split(",")[:4]).encode()
                                                                + b"\n3311110505900003,Sugeng,Sukoharjo,05-05-1990\n"),
                                     "desa": desa, "format": "auto", "all_or_nothing": "0"})
    assert answer.status_code == 200
    assert f"Desa tujuan {desa} tidak dikenal atau di luar wilayah kerja Anda." in answer.content.decode()
    assert not ImportJob.objects.exists()
    assert not [p for p in Path(settings.VAR_DIR).rglob("*") if p.is_file()]


def test_a_one_megabyte_cell_names_its_line_in_the_users_language(run, operator_a):
    text = HEADER + ",".join(OTHER) + "\n" + ",".join(GOOD[:1] + ["x" * 1_000_000] + GOOD[2:]) + "\n"
    for dry_run in (True, False):
        outcome = run(operator_a, csv_bytes(text), dry_run=dry_run)
        assert outcome.file_error.startswith("Baris 3: satu sel berisi lebih dari 128 KB teks"), outcome.file_error
        assert "field limit" not in outcome.file_error and not outcome.applied
    assert not Participant.objects.exists()


def test_a_one_megabyte_cell_in_a_nik_list_is_a_file_problem():
    from jamsosdesa.core.sheets import FileProblem
    from jamsosdesa.funding.lists import read_niks

    with pytest.raises(FileProblem, match="Baris 2: satu sel"):
        read_niks(csv_bytes("NIK,catatan\n3311110505900003," + "x" * 1_000_000 + "\n"))


@pytest.mark.parametrize("bulk", [False, True])  # on PostgreSQL the bulk load COPYs into an index-free table
def test_a_second_cli_import_of_the_same_file_at_once_says_what_happened(tmp_path, operator_a, monkeypatch,
                                                                         settings, bulk):
    """Two `jamsosdesa import participants` of one file at once: the other one commits the NIKs after this one
    looked them up (simulated: the lookup sees nothing, and the rows are committed meanwhile). This one loads
    nothing and says why in the user's language, not an IntegrityError traceback."""
    from django.core.management import CommandError, call_command

    from jamsosdesa.imports import engine

    if bulk:
        settings.IMPORT_BULK_MIN_ROWS, settings.IMPORT_BULK_MIN_SHARE = 1, 0
    path = tmp_path / "desa.csv"
    path.write_text(HEADER + ",".join(GOOD) + "\n" + ",".join(OTHER) + "\n")
    monkeypatch.setattr(engine._Registered, "rows", lambda self, chunk_no, niks: iter(()))
    monkeypatch.setattr(engine._Registered, "asks", lambda self, chunk_no: False)
    monkeypatch.setattr(engine._Registered, "_stage", lambda self, first: None)
    call_command("import", "participants", str(path), "--user", operator_a.username, "--desa", DESA_A, "--quiet")
    assert Participant.objects.count() == 2
    with pytest.raises(CommandError, match="Tidak ada yang dimuat: sebagian peserta di berkas ini baru saja "
                                           "didaftarkan oleh proses lain"):
        call_command("import", "participants", str(path), "--user", operator_a.username, "--desa", DESA_A, "--quiet")
    assert Participant.objects.count() == 2


def test_bytes_that_are_no_text_are_refused_not_stored_as_control_characters(run, operator_a):
    """A Windows-1252 file with bytes Windows-1252 does not define (0x81, 0x9D: garbage) is read as Latin-1, where
    they are C1 control characters; a raw 0x01 is a control character in any encoding. Such a row is refused,
    naming the field; the file's other names keep their accents."""
    lines = [HEADER.encode(),
             ",".join(OTHER).replace("Siti", "José").encode("cp1252") + b"\n",
             ",".join(GOOD).replace("Sugeng", "Sug\x81\x9deng").encode("latin-1") + b"\n",
             ",".join(GOOD).replace("3311110505900003", "3311110505900011").replace("Dusun", "Dus\x01un").encode()
             + b"\n"]
    outcome = run(operator_a, io.BytesIO(b"".join(lines)))
    assert outcome.counts["new"] == 1 and outcome.counts["invalid"] == 2, outcome.counts
    assert [(p.row, p.issues[0]["field"], p.issues[0]["code"]) for p in outcome.problems] == [
        (3, "full_name", "bad_chars"), (4, "address", "bad_chars")]
    assert list(Participant.objects.values_list("full_name", flat=True)) == ["José"]
