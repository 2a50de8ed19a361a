"""Cross-check with BPJS (issue 12 item 7): a BPJS list against our status on its day, per desa, both ways, each
with the reason jamsosdesa sees; bad files and rows named by row and column; nothing of people outside the area.
Months come from the suite's clock (`month(offset)`)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from jamsosdesa.billing.crosscheck import bpjs_list_get
from jamsosdesa.billing.models import BpjsListRow, CrosscheckFinding
from jamsosdesa.billing.status import status_of
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.imports.bpjs import normalise_status, parse_paid_through
from jamsosdesa.imports.bpjs_import import bpjs_compare_now, bpjs_list_create, bpjs_list_run
from tests.billing.conftest import DESA_A, DESA_B, DESA_C, enrol, month, people
from tests.billing.status_fixtures import fresh_policy_cache, history, pay, scheme_due  # noqa: F401

F = CrosscheckFinding
HEADER = "NIK;KPJ;STATUS KEPESERTAAN;BULAN TERAKHIR BAYAR\n"


def ym(offset: int) -> str:
    return f"{month(offset):%m/%Y}"


def csv_file(tmp_path, lines, header=HEADER, name="bpjs.csv"):
    path = tmp_path / name
    path.write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


@pytest.fixture
def world(db, make_scheme):
    """Desa A: `paid` (own package paid up to this month), `behind` (own package, unpaid for months), `scheme_late`
    (a scheme's month unpaid), `absent` (paid up, not in BPJS's list). Desa B: `b_paid`. Gianyar: `far`."""
    paid, behind, scheme_late, absent = people(4, DESA_A)
    (b_paid,) = people(1, DESA_B)
    (far,) = people(1, DESA_C)
    for p in (paid, absent, b_paid, far):
        history(p, paid=[month(-3), month(-2), month(-1), month(0)])
    history(behind, paid=[month(-7)], unpaid=[month(-6), month(-5), month(-4), month(-3), month(-2), month(-1)])
    scheme = make_scheme()
    (enrolment,) = enrol(scheme, [scheme_late], start=month(-6))
    pay(scheme_due(scheme_late, month(-6), enrolment))
    for offset in range(-5, 0):
        scheme_due(scheme_late, month(offset), enrolment)
    return {"paid": paid, "behind": behind, "scheme_late": scheme_late, "absent": absent, "b_paid": b_paid,
            "far": far, "scheme": scheme}


def rows_by_nik(bpjs_list) -> dict[str, BpjsListRow]:
    return {r.nik: r for r in BpjsListRow.objects.filter(bpjs_list=bpjs_list)}


def test_it_finds_both_directions_with_our_reason(world, branch, tmp_path):
    w = world
    path = csv_file(tmp_path, [
        f"{w['paid'].nik};11AA0001;AKTIF;{ym(0)}",  # both active, same month
        f"{w['behind'].nik};11AA0002;AKTIF;{ym(0)}",  # BPJS active, ours non-active (own package unpaid)
        f"{w['scheme_late'].nik};11AA0003;Aktif;{month(0):%Y-%m}",  # BPJS active, ours: the scheme's month unpaid
        f"{w['b_paid'].nik};11AA0004;NON AKTIF;{ym(-4)}",  # ours active, BPJS not
    ])
    done = bpjs_compare_now(actor=branch, path=path, region_code="33.11")
    rows = rows_by_nik(done)
    assert rows[w["paid"].nik].finding == F.BOTH_ACTIVE
    behind = rows[w["behind"].nik]
    assert behind.finding == F.BPJS_ONLY_ACTIVE
    assert behind.our_status == status_of(w["behind"], done.as_of).status == "non_active"
    assert behind.reason == f"iuran {ym(-6)} belum dibayar (pembayar: peserta sendiri (iuran mandiri))"
    late = rows[w["scheme_late"].nik]
    assert late.finding == F.BPJS_ONLY_ACTIVE
    assert late.reason == f"iuran {ym(-5)} belum dibayar (pembayar: Skema {w['scheme'].name})"
    assert late.our_paid_through == status_of(w["scheme_late"], done.as_of).paid_through == month(-6)
    b = rows[w["b_paid"].nik]
    assert (b.finding, b.desa_code, b.bpjs_status, b.bpjs_status_raw) == (F.OURS_ONLY_ACTIVE, DESA_B, "non_active",
                                                                        "NON AKTIF")
    assert b.reason == f"dibayar sampai {ym(0)}"


def test_someone_we_count_active_but_absent_from_the_list_is_a_row(world, branch, tmp_path):
    done = bpjs_compare_now(actor=branch, path=csv_file(tmp_path, [f"{world['paid'].nik};;AKTIF;{ym(0)}"]),
                            region_code="33.11")
    absent = rows_by_nik(done)[world["absent"].nik]
    assert (absent.finding, absent.row_no, absent.bpjs_status, absent.desa_code) == (F.OURS_ONLY_ACTIVE, 0, "",
                                                                                   DESA_A)
    assert absent.reason == f"tidak ada di daftar BPJS; dibayar sampai {ym(0)}"
    # per desa: A has the absent one, B its paid-up person (also absent); Gianyar is not this list's region
    per_desa = done.summary["per_desa"]
    assert per_desa[DESA_A] == {"ours_only_active": 1, "both_active": 1}
    assert per_desa[DESA_B] == {"ours_only_active": 1}
    assert DESA_C not in per_desa


def test_a_paid_through_disagreement_is_its_own_finding(world, branch, tmp_path):
    done = bpjs_compare_now(actor=branch, path=csv_file(tmp_path, [f"{world['paid'].nik};;AKTIF;{ym(-2)}"]),
                            region_code="33.11")
    row = rows_by_nik(done)[world["paid"].nik]
    assert (row.finding, row.bpjs_paid_through, row.our_paid_through) == (F.PAID_THROUGH_DIFFERS, month(-2),
                                                                          month(0))
    assert done.summary["totals"]["paid_through_differs"] == 1


def test_unknown_nik_and_outside_area_are_counted_and_name_nobody(world, branch, tmp_path):
    unknown = "3311110101900999"
    done = bpjs_compare_now(actor=branch, path=csv_file(tmp_path, [
        f"{unknown};;AKTIF;{ym(0)}", f"{world['far'].nik};;AKTIF;{ym(0)}"]), region_code="33.11")
    rows = rows_by_nik(done)
    assert rows[unknown].finding == F.NOT_IN_REGISTRY
    far = rows[world["far"].nik]
    assert far.finding == F.OUTSIDE_AREA
    assert (far.participant_id, far.desa_code, far.kab_code, far.reason, far.our_status) == (None, "", "", "", "")
    assert done.summary["per_desa"][""] == {"not_in_registry": 1, "outside_area": 1}


def test_a_desa_list_leaves_the_rest_of_the_kabupaten_outside(world, branch, tmp_path):
    done = bpjs_compare_now(actor=branch, path=csv_file(tmp_path, [f"{world['b_paid'].nik};;AKTIF;{ym(0)}"]),
                            region_code=DESA_A)
    assert rows_by_nik(done)[world["b_paid"].nik].finding == F.OUTSIDE_AREA
    assert DESA_B not in done.summary["per_desa"]


def test_bad_rows_are_named_by_row_and_column_and_duplicates_compared_once(world, branch, tmp_path):
    nik = world["paid"].nik
    done = bpjs_compare_now(actor=branch, path=csv_file(tmp_path, [
        f"{nik};;AKTIF;{ym(0)}",
        f"{nik};;NA;{ym(-1)}",  # row 3: the same NIK again
        "33111101019;;AKTIF;10/2026",  # row 4: a NIK too short
        f"{world['behind'].nik};;AKTIF;bulan lalu",  # row 5: an unreadable month
    ]), region_code="33.11")
    messages = {p["row"]: p["message"] for p in done.summary["problems"]}
    assert messages[3] == "Baris 3: NIK sama dengan baris 2; hanya baris 2 yang dicocokkan."
    assert messages[4] == "Baris 4: kolom NIK: '33111101019' bukan 16 angka."
    assert "Baris 5: kolom bulan terakhir bayar: bulan 'bulan lalu' tidak dapat dibaca" in messages[5]
    assert done.summary["problem_counts"] == {"invalid": 2, "duplicate": 1}
    assert BpjsListRow.objects.filter(bpjs_list=done, nik=nik).count() == 1
    assert rows_by_nik(done)[nik].finding == F.BOTH_ACTIVE


def test_wrong_columns_and_a_broken_file_say_what_is_wrong(world, branch, tmp_path):
    wrong = bpjs_compare_now(actor=branch, region_code="33.11", path=csv_file(
        tmp_path, ["1;2;3"], header="nomor;nama;alamat\n"))
    assert wrong.status == "failed"
    assert wrong.summary["column_problem"] is True
    assert "Tidak ada baris judul kolom daftar BPJS" in wrong.summary["file_error"]
    no_status = bpjs_compare_now(actor=branch, region_code="33.11", path=csv_file(
        tmp_path, [f"{world['paid'].nik};x"], header="NIK;NAMA\n", name="b.csv"))
    assert "Kolom wajib daftar BPJS tidak ada: status kepesertaan" in no_status.summary["file_error"]
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    failed = bpjs_compare_now(actor=branch, region_code="33.11", path=str(broken))
    assert failed.status == "failed"
    assert "Berkas Excel tidak dapat dibuka" in failed.summary["file_error"]
    assert not BpjsListRow.objects.filter(bpjs_list__in=[wrong, no_status, failed]).exists()


def test_xlsx_list_with_other_headers_and_a_mapping(world, branch, tmp_path):
    import xlsxwriter

    from jamsosdesa.imports.models import ColumnMapping, MappingKind

    path = tmp_path / "bpjs.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Peserta")
    sheet.write_row(0, 0, ["No Identitas Kependudukan", "Keadaan", "Terakhir"])
    sheet.write_row(1, 0, [world["paid"].nik, "LAPSE", f"15/{month(-1):%m/%Y}"])
    book.close()
    mapping = ColumnMapping.objects.create(owner=branch, kind=MappingKind.BPJS_LIST, name="cabang",
                                           columns={"nik": "No Identitas Kependudukan", "status": "Keadaan",
                                                    "paid_through": "Terakhir"})
    done = bpjs_compare_now(actor=branch, path=str(path), region_code="33.11", mapping=mapping)
    row = rows_by_nik(done)[world["paid"].nik]
    assert (row.bpjs_status, row.bpjs_paid_through, row.finding) == ("non_active", month(-1), F.OURS_ONLY_ACTIVE)


@pytest.mark.parametrize("text,status", [("AKTIF", "active"), ("Aktif", "active"), ("NON AKTIF", "non_active"),
                                         ("NON-AKTIF", "non_active"), ("NA", "non_active"),
                                         ("TIDAK AKTIF", "non_active"), ("LAPSE", "non_active"),
                                         ("MENINGGAL", "other")])
def test_statuses_are_normalised(text, status):
    assert normalise_status(text) == status


@pytest.mark.parametrize("text", ["2026-10", "10/2026", "Okt 2026", "oktober 2026", "31/10/2026", "2026-10-31",
                                  "202610"])
def test_paid_through_months_are_read(text):
    from datetime import date

    assert parse_paid_through(text) == date(2026, 10, 1)


@pytest.mark.parametrize("text", ["13/2026", "Okt", "31/13/2026", "kemarin"])
def test_unreadable_paid_through_months_are_refused(text):
    with pytest.raises(ValueError, match="tidak dapat dibaca"):
        parse_paid_through(text)


def test_the_job_runs_from_an_upload_and_is_audited(world, branch, tmp_path):
    content = (HEADER + f"{world['behind'].nik};;AKTIF;{ym(0)}\n").encode()
    upload = SimpleUploadedFile("daftar.csv", content, content_type="text/csv")
    job = bpjs_list_create(actor=branch, upload=upload, region_code="33.11")
    job = bpjs_list_run(job.pk)
    assert job.status == "done", job.message
    assert job.summary["totals"]["bpjs_only_active"] == 1
    event = AuditEvent.objects.get(event_type=AuditEventType.BPJS_LIST_IMPORTED)
    assert (event.actor_id, event.object_id, event.region_code) == (branch.pk, str(job.pk), "33.11")
    assert event.new["totals"]["bpjs_only_active"] == 1
    assert world["behind"].nik not in json.dumps(event.new)


def test_another_kabupaten_is_refused_and_its_lists_are_not_seen(world, branch, branch_gianyar, tmp_path):
    path = csv_file(tmp_path, [f"{world['far'].nik};;AKTIF;{ym(0)}"])
    with pytest.raises(ServiceError) as refused:
        bpjs_compare_now(actor=branch, path=path, region_code="51.04")
    assert refused.value.code == "not_found"
    theirs = bpjs_compare_now(actor=branch_gianyar, path=path, region_code="51.04")
    assert bpjs_list_get(branch_gianyar, theirs.pk) is not None
    assert bpjs_list_get(branch, theirs.pk) is None


def test_a_village_operator_may_not_compare(world, operator_a, tmp_path):
    with pytest.raises(ServiceError) as refused:
        bpjs_compare_now(actor=operator_a, path=csv_file(tmp_path, []), region_code=DESA_A)
    assert refused.value.code == "forbidden"


def test_the_command_prints_per_desa_counts_as_json(world, branch, tmp_path, capsys):
    path = csv_file(tmp_path, [f"{world['behind'].nik};;AKTIF;{ym(0)}", f"{world['paid'].nik};;AKTIF;{ym(0)}"])
    call_command("bpjs", "compare", path, "--region", "33.11", "--as", branch.username, "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["per_desa"][DESA_A]["bpjs_only_active"] == 1
    assert out["per_desa"][DESA_A]["both_active"] == 1
    assert out["totals"]["ours_only_active"] == 2  # `absent` in A, `b_paid` in B
    assert out["problems"] == []
