"""Denominators: a region's working population per year with its source, set one by one or imported from a file
(all-or-nothing or partial, reported per row), and what the dashboards ask of them."""

import pytest
import xlsxwriter

from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.coverage.denominators import (
    DenominatorRequest,
    coverage_percent,
    coverage_warning,
    denominator_for,
    denominator_import,
    denominator_list,
    denominator_set,
)
from jamsosdesa.coverage.models import Denominator

from .region_fixtures import DESA_A, DESA_B, DESA_C, this_year

pytestmark = pytest.mark.django_db


def ask(region=DESA_A, count=2500, source="village_count", year=None, **more) -> DenominatorRequest:
    return DenominatorRequest(region=region, year=this_year() if year is None else year, count=count, source=source,
                              **more)


def test_a_desa_sets_its_own_count_and_changes_it_audited(operator_a):
    row, changed = denominator_set(actor=operator_a, request=ask(count=2500, source_note="Pendataan RT 2026"))
    assert changed and row.source == "village_count"
    assert not denominator_set(actor=operator_a, request=ask(count=2500, source_note="Pendataan RT 2026"))[1]
    denominator_set(actor=operator_a, request=ask(count=2600, source_note="Pendataan RT 2026"))
    events = AuditEvent.objects.filter(event_type=AuditEventType.DENOMINATOR_SET).order_by("at", "id")
    assert [((e.old or {}).get("count"), e.new["count"]) for e in events] == [(None, 2500), (2500, 2600)]
    assert denominator_for(DESA_A, this_year()) == (2600, "pendataan desa sendiri (Pendataan RT 2026)")
    assert denominator_for(DESA_A, this_year() - 1) is None  # no other year's figure in its place


def test_a_past_year_is_allowed_for_a_denominator(official):
    denominator_set(actor=official, request=ask(region="33.11", source="BPS", count=480_000, year=this_year() - 1))
    assert Denominator.objects.get().source == "bps_sakernas"


@pytest.mark.parametrize("request_, code, field", [
    (dict(region="33.99.99.9999"), ErrorCode.INVALID, "region"),
    (dict(count=-1), ErrorCode.INVALID, "count"),
    (dict(count="banyak"), ErrorCode.INVALID, "count"),
    (dict(source="kira-kira"), ErrorCode.INVALID, "source"),
    (dict(region=DESA_B), ErrorCode.NOT_FOUND, None),
    (dict(region="33.11"), ErrorCode.FORBIDDEN, None),
])
def test_bad_figures_are_refused_by_field(operator_a, request_, code, field):
    with pytest.raises(ServiceError) as refused:
        denominator_set(actor=operator_a, request=ask(**request_))
    assert refused.value.code == code and (field is None or field in refused.value.fields)
    assert not Denominator.objects.exists()


def test_coverage_is_never_shown_without_naming_what_is_wrong_with_its_denominator():
    assert coverage_warning(350, None).code == "no_denominator"
    assert coverage_warning(350, 0).code == "zero_denominator"
    below = coverage_warning(350, 300)
    assert below.code == "below_protected" and "300" in below.message and "350" in below.message
    assert coverage_warning(350, 1000) is None and coverage_warning(0, 0).code == "zero_denominator"
    assert coverage_percent(350, 1000) == 35.0 and coverage_percent(350, 350) == 100.0
    assert coverage_percent(350, 0) is None and coverage_percent(350, None) is None
    assert coverage_percent(350, 300) is None  # never a figure above 100 %: the warning stands in its place


CSV = (
    "kode_wilayah;tahun;jumlah;sumber;keterangan\n"
    "33.11;{y};480.000;BPS;Sakernas Agustus\n"
    "3311112004;{y};2500;desa;\n"          # BPS's undotted code
    "33.99;{y};100;BPS;\n"                 # no such kabupaten
    "33.11.11;{y};-4;BPS;\n"               # a negative number
    "33.11.11.2001;{y};seribu;desa;\n"     # not a number
    "33.11;{y};490000;BPS;\n"              # the same region and year again
)


def _csv(tmp_path, text=CSV):
    path = tmp_path / "penduduk.csv"
    path.write_text(text.format(y=this_year()), encoding="utf-8")
    return path


def test_an_import_with_problems_loads_nothing_by_default_and_names_each_row(official, tmp_path):
    report = denominator_import(actor=official, source=_csv(tmp_path))
    assert not report.loaded and report.rows == 6 and not Denominator.objects.exists()
    problems = [(p.row, p.field) for p in report.problems]
    assert problems == [(4, "region"), (5, "count"), (6, "count"), (7, "region")]
    assert "33.99" in report.problems[0].message and "baris 2" in report.problems[3].message
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DENOMINATORS_IMPORTED).exists()


def test_a_partial_import_loads_the_good_rows_audited(official, tmp_path):
    report = denominator_import(actor=official, source=_csv(tmp_path), partial=True)
    assert report.loaded and (report.created, report.updated, report.refused_rows) == (2, 0, 4)
    assert denominator_for("33.11", this_year()) == (480_000, "BPS Sakernas (Sakernas Agustus)")
    assert denominator_for(DESA_A, this_year()).count == 2500
    events = AuditEvent.objects.filter(event_type=AuditEventType.DENOMINATORS_IMPORTED)
    assert sorted(e.region_code for e in events) == ["33.11", DESA_A] and all(e.old is None for e in events)
    again = denominator_import(actor=official, source=_csv(tmp_path, "kode;jumlah\n33.11;500000\n"),
                               default_year=this_year(), default_source="bps_sakernas")
    assert (again.updated, again.unchanged) == (1, 0)
    changed = AuditEvent.objects.filter(event_type=AuditEventType.DENOMINATORS_IMPORTED, region_code="33.11").first()
    assert (changed.old["count"], changed.new["count"]) == (480_000, 500_000)


def test_an_import_reads_xlsx_and_refuses_rows_outside_the_users_area(operator_a, tmp_path):
    book = tmp_path / "desa.xlsx"
    with xlsxwriter.Workbook(book) as wb:
        ws = wb.add_worksheet("Data")
        ws.write_row(0, 0, ["Kode Wilayah", "Tahun", "Jumlah Penduduk Bekerja", "Sumber"])
        ws.write_row(1, 0, [DESA_A, this_year(), 2500, "pendataan desa"])
        ws.write_row(2, 0, [DESA_C, this_year(), 900, "pendataan desa"])  # Gianyar: not operator A's
        ws.write_row(3, 0, [DESA_B, this_year(), 800.0, "pendataan desa"])  # the neighbour's
    report = denominator_import(actor=operator_a, source=book, partial=True)
    assert report.created == 1 and [(p.row, p.field) for p in report.problems] == [(3, "region"), (4, "region")]
    assert [d.region_code for d in denominator_list(user=operator_a)] == [DESA_A]
