import io
from datetime import date

import pytest

from jamsosdesa.core.models import AuditEvent
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A
from tests.imports.conftest import TEMPLATE_HEADER, csv_bytes, xlsx

pytestmark = pytest.mark.django_db

ROWS = [
    ["3311110505900003", "Sugeng Riyadi", "Sukoharjo", date(1990, 5, 5), "L", "Dusun Krajan", 2, 1, 9, 1000000],
    ["3311114506900001", "SRI LESTARI", "Klaten", "05-06-1990", "P", "", "3", "2", "Petani/Pekebun", "1.500.000"],
    ["3311110606900001", "Joko", "", "1990/06/06", "1", "", "", "", "", ""],
]


def test_a_template_file_loads_every_valid_row_with_an_audit_event_each(run, operator_a):
    outcome = run(operator_a, xlsx([TEMPLATE_HEADER, *ROWS]))
    assert outcome.applied and outcome.counts["new"] == 3 and outcome.counts["invalid"] == 0
    sri = Participant.objects.get(nik="3311114506900001")
    assert (sri.full_name, sri.birth_date, sri.sex, sri.occupation_id, sri.declared_income) == (
        "SRI LESTARI", date(1990, 6, 5), "P", 9, 1_500_000)
    assert (sri.rt, sri.rw, sri.kab_code, sri.channel) == ("003", "002", "33.11", "import")
    assert sri.registered_by == operator_a
    assert Participant.objects.get(nik="3311110606900001").sex == "L"
    events = AuditEvent.objects.filter(event_type="participant.registered", object_type="participant")
    assert events.count() == 3 and {e.actor for e in events} == {operator_a}
    assert {e.new["nik"] for e in events} == {r[0] for r in ROWS}


def test_importing_the_same_file_again_changes_nothing_and_says_so(run, operator_a):
    run(operator_a, xlsx([TEMPLATE_HEADER, *ROWS]))
    audit_before = AuditEvent.objects.count()
    again = run(operator_a, xlsx([TEMPLATE_HEADER, *ROWS]))
    assert again.counts["unchanged"] == 3 and again.counts["new"] == 0 and again.nothing_changed
    assert Participant.objects.count() == 3 and AuditEvent.objects.count() == audit_before


def test_a_matching_row_updates_only_the_fields_the_file_carries(run, operator_a, register):
    p = register(operator_a, phone="0811", address="Dusun Lama")
    outcome = run(operator_a, csv_bytes("nik,nama,tanggal_lahir,alamat\n3311110505900003,Sugeng Riyadi,05-05-1990,"
                                        "Dusun Baru\n"))
    assert outcome.counts["updated"] == 1
    p.refresh_from_db()
    assert p.address == "Dusun Baru" and p.phone == "0811"  # phone is not in the file: untouched
    event = AuditEvent.objects.get(event_type="participant.updated")
    assert event.old == {"address": "Dusun Lama"} and event.new == {"address": "Dusun Baru"}


def test_a_preview_counts_every_group_and_writes_nothing(run, operator_a, register):
    register(operator_a)  # Sugeng exists already, unchanged
    rows = [TEMPLATE_HEADER, ROWS[0], ROWS[1], ROWS[1],
            ["3311113102900001", "Salah", "", "31-02-1990", "L", "", "", "", "", ""]]
    outcome = run(operator_a, xlsx(rows), dry_run=True)
    assert not outcome.applied
    assert {k: v for k, v in outcome.counts.items() if v} == {"unchanged": 1, "new": 1, "duplicate": 1, "invalid": 1}
    assert outcome.samples["invalid"][0]["row"] == 5 and "tanggal lahir" in outcome.samples["invalid"][0]["message"]
    assert Participant.objects.count() == 1


def test_all_or_nothing_rejects_the_whole_file_for_one_bad_row(run, operator_a):
    bad = ["3311110707900001", "Budi", "", "1990-13-07", "L", "", "", "", "", ""]
    outcome = run(operator_a, xlsx([TEMPLATE_HEADER, *ROWS, bad]), all_or_nothing=True, chunk_size=2)
    assert outcome.rejected and not outcome.applied
    assert Participant.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_partial_mode_loads_the_valid_rows_and_reports_the_rest(run, operator_a, tmp_path):
    from python_calamine import CalamineWorkbook

    from jamsosdesa.imports.report import write_report

    bad = ["3311110707900001", "Budi", "", "1990-13-07", "L", "", "", "", "", ""]
    outcome = run(operator_a, xlsx([TEMPLATE_HEADER, *ROWS, bad]))
    assert outcome.applied and Participant.objects.count() == 3
    report = write_report(outcome, tmp_path / "laporan.xlsx")
    rows = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["Baris", "Status", "Keterangan"] and rows[0][3:] == TEMPLATE_HEADER
    assert rows[1][0] == 5 and "tanggal lahir" in rows[1][2] and rows[1][3] == "3311110707900001"


def test_the_error_report_can_be_fixed_and_uploaded_again(run, operator_a, tmp_path):
    from jamsosdesa.imports.report import write_report

    bad = ["3311110707900001", "Budi", "", "1990-13-07", "L", "", "", "", "", ""]
    report = write_report(run(operator_a, xlsx([TEMPLATE_HEADER, bad])), tmp_path / "r.xlsx")
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    rows[1][6] = "07-07-1990"  # the operator fixes the date in Excel
    outcome = run(operator_a, xlsx(rows, text_columns=(3,)))
    assert outcome.counts["new"] == 1 and outcome.unknown_columns == []


def test_a_failure_midway_leaves_the_database_as_it_was(run, operator_a, monkeypatch):
    from jamsosdesa.imports import engine

    calls = {"n": 0}
    original = engine._Writer.insert

    def insert_then_fail(self, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        original(self, rows)

    monkeypatch.setattr(engine._Writer, "insert", insert_then_fail)
    with pytest.raises(RuntimeError):
        run(operator_a, xlsx([TEMPLATE_HEADER, *ROWS]), chunk_size=1)
    assert Participant.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_rows_may_name_their_own_desa_within_the_users_scope(run, admin_user, operator_a):
    text = ("nik;nama;tanggal_lahir;jenis_kelamin;kode_desa\n"
            "3311110505900003;Sugeng;05-05-1990;L;33.11.11.2004\n"
            "5104010505900003;Made;05-05-1990;L;51.04.01.2001\n")
    outcome = run(operator_a, csv_bytes(text), desa="")
    assert outcome.counts == {**outcome.counts, "new": 1, "invalid": 1}
    assert "di luar wilayah kerja" in outcome.samples["invalid"][0]["message"]
    assert run(admin_user, csv_bytes(text), desa="").counts["new"] == 1  # the admin may load Gianyar's row


def test_a_nik_registered_in_another_village_is_refused_without_saying_it_exists(run, operator_a, operator_b,
                                                                               register):
    register(operator_a)
    from tests.conftest import DESA_B

    def file(nik):
        return csv_bytes(f"nik,nama,tanggal_lahir,jenis_kelamin\n{nik},X,05-05-1990,L\n")

    # The preview writes nothing: it answers for a NIK registered in Krajan as for one nobody registered
    # (it said "NIK sudah terdaftar di wilayah lain": a free look-up of any NIK in the country).
    taken = run(operator_b, file("3311110505900003"), desa=DESA_B, dry_run=True)
    free = run(operator_b, file("3311110505900088"), desa=DESA_B, dry_run=True)
    assert taken.counts == free.counts and taken.counts["new"] == 1
    assert [{**row, "nik": ""} for row in taken.samples["new"]] == [{**row, "nik": ""} for row in free.samples["new"]]
    outcome = run(operator_b, file("3311110505900003"), desa=DESA_B)  # loading refuses it, naming nothing
    assert outcome.counts["refused"] == 1 and outcome.counts["new"] == 0 and outcome.counts["elsewhere"] == 0
    message = outcome.samples["refused"][0]["message"]
    assert "hubungi kantor cabang" in message and "wilayah lain" not in message and DESA_A not in message
    assert Participant.objects.get().full_name == "Sugeng Riyadi" and Participant.objects.get().desa_id == DESA_A


def test_a_file_correcting_many_people_updates_each_only_where_it_differs(run, operator_a, register):
    a = register(operator_a, nik="3311110505900003", full_name="Sugeng", address="Dusun Lama", phone="0811")
    b = register(operator_a, nik="3311110505900004", full_name="Bambang", address="Dusun Lama", phone="0812")
    c = register(operator_a, nik="3311110505900005", full_name="Slamet", address="Dusun Baru", phone="0813")
    text = ("nik,nama,tanggal_lahir,alamat\n3311110505900003,Sugeng,05-05-1990,Dusun Baru\n"
            "3311110505900004,Bambang Wijaya,05-05-1990,Dusun Baru\n3311110505900005,Slamet,05-05-1990,Dusun Baru\n")
    outcome = run(operator_a, csv_bytes(text))
    assert (outcome.counts["updated"], outcome.counts["unchanged"]) == (2, 1)
    for p in (a, b, c):
        p.refresh_from_db()
    assert (a.full_name, a.address, a.phone) == ("Sugeng", "Dusun Baru", "0811")
    assert (b.full_name, b.search_name, b.address, b.phone) == (
        "Bambang Wijaya", "BAMBANG WIJAYA", "Dusun Baru", "0812")
    assert c.updated_at < b.updated_at  # untouched
    changes = {e.object_id: e.new for e in AuditEvent.objects.filter(event_type="participant.updated")}
    assert changes == {str(a.pk): {"address": "Dusun Baru"},
                       str(b.pk): {"full_name": "Bambang Wijaya", "address": "Dusun Baru"}}


def test_a_legacy_xls_file_loads_like_an_xlsx(run, operator_a):
    from tests.imports.conftest import xls

    outcome = run(operator_a, xls([TEMPLATE_HEADER, *ROWS]))
    assert outcome.applied and outcome.counts["new"] == 3 and outcome.counts["invalid"] == 0
    sugeng = Participant.objects.get(nik="3311110505900003")
    assert (sugeng.birth_date, sugeng.rt, sugeng.occupation_id, sugeng.declared_income) == (
        date(1990, 5, 5), "002", 9, 1_000_000)


@pytest.mark.parametrize("language,male,female", [("id", "L = Laki-laki", "P = Perempuan"),
                                                  ("en", "L = Male", "P = Female")])
def test_the_templates_code_sheet_names_the_sexes_in_the_readers_language(operator_a, language, male, female):
    """The template downloaded from the English page explains its codes in English, like the roles beside them."""
    from django.test import Client
    from python_calamine import CalamineWorkbook

    client = Client()
    client.force_login(operator_a)
    client.post("/bahasa/", {"language": language, "next": "/impor/"})
    response = client.get("/impor/templat.xlsx")
    codes = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("Kode").to_python()
    assert [row[8] for row in codes[1:3]] == [male, female]
