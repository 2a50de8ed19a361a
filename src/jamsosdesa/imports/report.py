"""The error report: the original rows that were not loaded, with a column saying why, in the language of the
user who ran the import (the job runs under it); rows loaded although they had warnings (the operator confirmed
them) are listed too."""

from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.cells import XLSX_OPTIONS

# The import's groups (engine.GROUPS, and the report's "warning_loaded") as the job page and the report name them.
# Stored as codes; lazy, so each is read in the language at hand (the page's reader, the report's importer).
GROUP_LABELS = {"new": gettext_lazy("Baru"), "unchanged": gettext_lazy("Tidak berubah"),
                "updated": gettext_lazy("Diperbarui"), "duplicate": gettext_lazy("Ganda dalam berkas"),
                "elsewhere": gettext_lazy("Sudah terdaftar di tempat lain"),
                "refused": gettext_lazy("Tidak dapat didaftarkan di sini"), "invalid": gettext_lazy("Tidak valid"),
                "warning": gettext_lazy("Ada peringatan, belum dimuat"), "skipped": gettext_lazy("Dilewati"),
                "warning_loaded": gettext_lazy("Dimuat dengan peringatan")}


def write_report(outcome, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, **XLSX_OPTIONS})
    sheet = workbook.add_worksheet(_("Perlu diperbaiki")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#FFF2CC"})
    text = workbook.add_format({"num_format": "@"})
    header = [_("Baris"), _("Status"), _("Keterangan"), *[str(h) for h in outcome.header]]
    sheet.write_row(0, 0, header, bold)
    sheet.set_column(2, 2, 60)
    for r, problem in enumerate(sorted(outcome.problems, key=lambda p: p.row), start=1):
        sheet.write_number(r, 0, problem.row)
        sheet.write_string(r, 1, str(GROUP_LABELS.get(problem.group, problem.group)))
        sheet.write_string(r, 2, problem.message)
        for c, value in enumerate(problem.cells, start=3):
            if value is None or value == "":
                continue
            if isinstance(value, datetime | date):
                value = value.strftime("%d-%m-%Y")
            elif isinstance(value, float) and value.is_integer():
                value = str(int(value))
            sheet.write_string(r, c, str(value), text)  # as text, so NIKs keep all 16 digits
    left_out = getattr(outcome, "problems_left_out", 0)
    if left_out:
        sheet.write_string(len(outcome.problems) + 1, 2, _(
            "... dan %(n)s baris lain yang tidak dicantumkan (laporan memuat paling banyak %(limit)s baris; "
            "jumlah setiap kelompok ada di ringkasan impor).") % {
                "n": f"{left_out:,}".replace(",", "."), "limit": f"{len(outcome.problems):,}".replace(",", ".")})
    sheet.freeze_panes(1, 0)
    workbook.close()
    return path
