"""The error report: the original rows that were not loaded, with a column saying why, in Indonesian; rows
loaded although they had warnings (the operator confirmed them) are listed too."""

from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from django.utils.translation import gettext as _

from jamsosdesa.core.cells import XLSX_OPTIONS

GROUP_TEXT = {"duplicate": "Ganda dalam berkas", "elsewhere": "Sudah terdaftar di tempat lain",
              "invalid": "Tidak valid", "warning": "Ada peringatan, belum dimuat",
              "warning_loaded": "Dimuat dengan peringatan", "skipped": "Dilewati"}


def write_report(outcome, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, **XLSX_OPTIONS})
    sheet = workbook.add_worksheet("Perlu diperbaiki")
    bold = workbook.add_format({"bold": True, "bg_color": "#FFF2CC"})
    text = workbook.add_format({"num_format": "@"})
    header = ["Baris", "Status", "Keterangan", *[str(h) for h in outcome.header]]
    sheet.write_row(0, 0, header, bold)
    sheet.set_column(2, 2, 60)
    for r, problem in enumerate(sorted(outcome.problems, key=lambda p: p.row), start=1):
        sheet.write_number(r, 0, problem.row)
        sheet.write_string(r, 1, GROUP_TEXT.get(problem.group, problem.group))
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
