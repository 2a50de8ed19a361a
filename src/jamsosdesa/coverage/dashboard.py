"""The coverage dashboard's reading (issue 13 item 4): the day asked, a region's figures from
`coverage.snapshot.coverage_figures` (the one service the page, the API, the CLI and the exports read, so their
numbers agree), the child regions in the order asked, and the .xlsx workbook of every table on the page (audited as
`coverage.exported`). No HTTP here: views_dashboard and api_figures call it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.billing.status import STATUS_WORDS
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, ServiceError

from .snapshot import STATUS_COLUMNS, coverage_figures


def count_text(n) -> str:
    """12800 -> '12.800'; None -> '-'."""
    from jamsosdesa.core.money import thousands

    return "-" if n is None else thousands(n)


def percent_text(x) -> str:
    """43.2 -> '43,2 %' (in the page's language); None -> '-'."""
    from django.utils.formats import number_format

    return "-" if x is None else f"{number_format(x, decimal_pos=1)} %"


def units_text(x) -> str:
    """Units counted toward a target (exact thousandths): whole ones as a count, else with one decimal."""
    from django.utils.formats import number_format

    if x is None:
        return "-"
    return count_text(int(x)) if float(x).is_integer() else number_format(x, decimal_pos=1, force_grouping=True)

LEVEL_WORDS = {"nasional": gettext_lazy("Nasional"), "provinsi": gettext_lazy("Provinsi"),
               "kabupaten": gettext_lazy("Kabupaten/Kota"), "kecamatan": gettext_lazy("Kecamatan"),
               "desa": gettext_lazy("Desa/Kelurahan")}
CHILD_LEVEL_WORDS = {"nasional": gettext_lazy("Provinsi"), "provinsi": gettext_lazy("Kabupaten/kota"),
                     "kabupaten": gettext_lazy("Kecamatan"), "kecamatan": gettext_lazy("Desa/kelurahan")}
BREAKDOWN_WORDS = {"segment": gettext_lazy("Segmen"), "village_role": gettext_lazy("Peran di desa"),
                   "payer_kind": gettext_lazy("Pembayar iuran"), "programme": gettext_lazy("Program")}
# The orders the children's ranking offers (?urut=): key -> (what the link says, sort key, largest first)
SORTS = {
    "kode": (gettext_lazy("kode"), lambda c: c["region"], False),
    "cakupan": (gettext_lazy("cakupan"), lambda c: (c["coverage"] is not None, c["coverage"] or 0), True),
    "kemajuan": (gettext_lazy("kemajuan target"),
                 lambda c: (c["target_progress"] is not None, c["target_progress"] or 0), True),
    "terlindungi": (gettext_lazy("terlindungi"), lambda c: c["protected"], True),
}


def day_asked(text: str | None, *, field: str = "on") -> date:
    """The day a figure is asked for: 'YYYY-MM-DD' (empty: today). A date that cannot be read, or one after today,
    is a ServiceError naming `field` (a snapshot of a day to come does not exist: today's would be shown as if it
    were that day's)."""
    from jamsosdesa.billing.api_status import parse_day

    day = parse_day(text, field)
    today = clock.today()
    if day > today:
        message = _("Tanggal %(d)s belum tiba: pilih hari ini (%(t)s) atau tanggal yang sudah lewat.") % {
            "d": f"{day:%d-%m-%Y}", "t": f"{today:%d-%m-%Y}"}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={field: [message]})
    return day


def figures_for(*, user, region: str, on: date) -> dict:
    """coverage_figures, as the page, the API and the export read it (NotFound outside the user's area;
    ServiceError when no snapshot exists on or before the day)."""
    return coverage_figures(user=user, region=region, on=on)


def sorted_children(children: list[dict], sort: str) -> list[dict]:
    """Copies of the children in the ranking's order (unknown values last; ties by code)."""
    _label, key, largest_first = SORTS.get(sort, SORTS["kode"])
    ordered = sorted((dict(c) for c in children), key=lambda c: c["region"])
    return sorted(ordered, key=key, reverse=largest_first)


def rule_text(on: date) -> str:
    """How the counting rule in force on the day counts a person toward a target, in words."""
    from jamsosdesa.contributions.models import PayerType

    from .rules import rule_for

    rule = rule_for(on)
    if rule.full_after_months <= 0 or not rule.pro_rata_payers:
        return _("setiap orang terlindungi dihitung penuh")
    payers = ", ".join(str(dict(PayerType.choices).get(p, p)) for p in sorted(rule.pro_rata_payers))
    return _("dibayar %(p)s: dihitung penuh setelah %(n)s bulan dibayar, sebelumnya sebanding") % {
        "p": payers, "n": rule.full_after_months}


def status_rows(figures: dict) -> list[tuple[str, int]]:
    return [(str(STATUS_WORDS[s]), figures["statuses"][s]) for s in STATUS_COLUMNS]


# --- the workbook ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    code: str
    title: str
    held_on: date
    place: str
    attendance: int
    registered: int
    protected: int
    rate: float | None


EVENTS_SHOWN = 10


def region_events(*, user, region: str, on: date, limit: int = EVENTS_SHOWN) -> tuple[list[EventRow], int]:
    """The newest events held in the region or under it that the user sees, with their conversion on the day, and
    how many there are in all (events_for_region; two queries for the conversions of the page's events)."""
    from .event_selectors import conversions, events_for_region

    qs = events_for_region(region, user)
    total = qs.count()
    events = list(qs[:limit]) if limit else list(qs)
    found = conversions([e.code for e in events], on)
    return [EventRow(e.code, e.title, e.held_on, ", ".join(x for x in (e.venue, e.region.name) if x), e.attendance,
                     found[e.code].registered, found[e.code].protected, found[e.code].rate)
            for e in events], total


def summary_rows(f: dict) -> list[tuple[str, object]]:
    """The key figures, one (label, value) per line: the workbook's first sheet and the print report's table."""
    rows = [
        (_("Wilayah"), f["name"]), (_("Kode wilayah"), f["region"]), (_("Tingkat"), str(LEVEL_WORDS[f["level"]])),
        (_("Tanggal diminta"), f["asked"]), (_("Hari potret"), f["on"]), (_("Potret diperbarui"), f["refreshed_at"]),
        (_("Terlindungi (status aktif pada hari itu)"), f["protected"]), (_("Terdaftar"), f["registered"]),
    ]
    rows += [(_("Status: %(s)s") % {"s": label}, n) for label, n in status_rows(f)]
    rows += [
        (_("Dihitung untuk target (%(r)s)") % {"r": rule_text(date.fromisoformat(f["on"]))}, f["counted"]),
        (_("Penduduk bekerja (penyebut)"), f["denominator"]), (_("Sumber penyebut"), f["denominator_source"]),
        (_("Cakupan (%)"), f["coverage"]), (_("Peringatan cakupan"), f["warning"]),
        (_("Target"), f["target"]), (_("Jatuh tempo target"), f["target_due"]),
        (_("Kemajuan: terlindungi / target (%)"), f["target_progress"]),
        (_("Kemajuan: dihitung / target (%)"), f["target_progress_counted"]),
        (_("Kekurangan dari target"), f["target_gap"]), (_("Bulan tersisa"), f["months_left"]),
        (_("Tambahan terlindungi per bulan yang diperlukan"), f["pace_per_month"]),
        (_("Berhenti terlindungi bulan depan bila tidak membayar"), f["lapse_next_month"]),
    ]
    return rows


CHILD_COLUMNS = ("region", "name", "protected", "registered", "counted", "denominator", "denominator_source",
                 "coverage", "warning", "target", "target_due", "target_progress", "target_progress_counted",
                 "target_gap", "pace_per_month", "lapse_next_month")


def child_header() -> list[str]:
    return [_("Kode wilayah"), _("Wilayah"), _("Terlindungi"), _("Terdaftar"), _("Dihitung untuk target"),
            _("Penduduk bekerja"), _("Sumber penyebut"), _("Cakupan (%)"), _("Peringatan cakupan"), _("Target"),
            _("Jatuh tempo"), _("Kemajuan terlindungi (%)"), _("Kemajuan dihitung (%)"), _("Kekurangan"),
            _("Per bulan diperlukan"), _("Berhenti bulan depan")]


def figures_xlsx(*, figures: dict, children: list[dict], events: list[EventRow], target) -> int:
    """One workbook for a region and day: sheets summary, child regions (in the page's order), breakdowns, trend
    and outreach events; the same numbers as the page (all from one `coverage_figures` dict). Text cells stay
    text. Returns the number of child regions written."""
    import xlsxwriter

    from jamsosdesa.core.cells import XLSX_OPTIONS

    book = xlsxwriter.Workbook(target if hasattr(target, "write") else str(target), XLSX_OPTIONS)
    bold = book.add_format({"bold": True})

    def put(sheet, r: int, values: list) -> None:
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))

    sheet = book.add_worksheet(_("Ringkasan"))
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 28)
    sheet.write_row(0, 0, [_("Angka"), _("Nilai")], bold)
    for r, (label, value) in enumerate(summary_rows(figures), start=1):
        put(sheet, r, [label, value])

    sheet = book.add_worksheet(_("Wilayah di bawahnya"))
    sheet.write_row(0, 0, child_header(), bold)
    for r, child in enumerate(children, start=1):
        put(sheet, r, [child[k] for k in CHILD_COLUMNS])

    sheet = book.add_worksheet(_("Rincian"))
    sheet.write_row(0, 0, [_("Rincian menurut"), _("Kode"), _("Kelompok"), _("Terlindungi"), _("Terdaftar"),
                           _("Dihitung untuk target")], bold)
    r = 0
    for kind, entries in figures["breakdowns"].items():
        for e in entries:
            r += 1
            put(sheet, r, [str(BREAKDOWN_WORDS.get(kind, kind)), e["key"], e["label"], e["protected"],
                           e["registered"], e["counted"]])

    sheet = book.add_worksheet(_("Tren"))
    sheet.write_row(0, 0, [_("Bulan"), _("Hari potret"), _("Terlindungi"), _("Terdaftar"),
                           _("Dihitung untuk target")], bold)
    for r, t in enumerate(figures["trend"], start=1):
        put(sheet, r, [t["month"], t["on"], t["protected"], t["registered"], t["counted"]])

    sheet = book.add_worksheet(_("Sosialisasi"))
    sheet.write_row(0, 0, [_("Kode"), _("Kegiatan"), _("Tanggal"), _("Tempat"), _("Hadir"), _("Mendaftar"),
                           _("Terlindungi"), _("Konversi (%)")], bold)
    for r, e in enumerate(events, start=1):
        put(sheet, r, [e.code, e.title, e.held_on.isoformat(), e.place, e.attendance, e.registered, e.protected,
                       e.rate])
    book.close()
    return len(children)


def figures_export_record(*, actor, figures: dict, rows: int) -> None:
    """One COVERAGE_EXPORTED event: which region and day, how many child rows went out."""
    from django.db import transaction

    from jamsosdesa.core.audit import audit_record
    from jamsosdesa.core.models import AuditEventType

    from .access import parse_region

    with transaction.atomic():
        audit_record(actor=actor, event=AuditEventType.COVERAGE_EXPORTED, object_type="coverage_figures",
                     object_id=figures["region"], region_code=parse_region(figures["region"]),
                     new={"list": "figures", "region": figures["region"], "on": figures["on"],
                          "asked": figures["asked"], "format": "xlsx", "rows": rows})
