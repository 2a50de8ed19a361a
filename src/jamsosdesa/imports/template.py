"""The downloadable import template: a sheet to fill in and a sheet of allowed codes."""

import io

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jamsosdesa.core.cells import XLSX_OPTIONS
from jamsosdesa.participants.models import Occupation, Sector, Segment, Sex, VillageRole

from .columns import TEMPLATE_COLUMNS

EXAMPLE = ["3311110505900003", "Sugeng Riyadi", "Sukoharjo", "05-05-1990", "L", "", "Dusun Krajan", "2", "1",
           "081234567890", "9", "BPU", "rt_head", "1000000", "", "", "", ""]
# The column names are the file format (Indonesian in every language); the notes on them are in the reader's.
NOTES = {
    "nik": gettext_noop("16 digit, ketik sebagai teks"), "tanggal_lahir": "DD-MM-YYYY",
    "jenis_kelamin": gettext_noop("L atau P"),
    "kode_desa": gettext_noop("kosongkan: desa yang dipilih saat impor"),
    "kode_pekerjaan": gettext_noop("kode 1-89 (lembar Kode)"), "segmen": "PU, BPU, JAKON, PMI",
    "peran": gettext_noop("kode peran (lembar Kode)"), "penghasilan": gettext_noop("rupiah per bulan"),
    "sektor": gettext_noop("kosongkan: mengikuti pekerjaan; atau kode sektor (lembar Kode)"),
    "kode_sosialisasi": gettext_noop("kode kegiatan sosialisasi tempat peserta mendaftar; boleh kosong"),
}


def template_xlsx() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **XLSX_OPTIONS})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    note = book.add_format({"italic": True, "font_color": "#666666"})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("Peserta")
    columns = list(TEMPLATE_COLUMNS)
    for c, name in enumerate(columns):
        sheet.write_string(0, c, name, head)
        sheet.set_column(c, c, 18, text)  # every column as text: NIKs keep their 16 digits
        if name in NOTES:
            sheet.write_comment(0, c, _(NOTES[name]))
    for c, value in enumerate(EXAMPLE):
        sheet.write_string(1, c, value)
    sheet.write_string(3, 0, _("Hapus baris contoh di atas sebelum mengunggah."), note)
    sheet.freeze_panes(1, 0)
    codes = book.add_worksheet("Kode")
    codes.write_row(0, 0, ["kode_pekerjaan", "pekerjaan", "", "segmen", "", "peran", "keterangan", "",
                           "jenis_kelamin", "", "sektor", "keterangan"], head)
    for r, (code, name) in enumerate(Occupation.objects.values_list("code", "name"), start=1):
        codes.write_number(r, 0, code)
        codes.write_string(r, 1, name)
    for r, value in enumerate(Segment.values, start=1):
        codes.write_string(r, 3, value)
    for r, (value, label) in enumerate(VillageRole.choices, start=1):
        codes.write_string(r, 5, value)
        codes.write_string(r, 6, str(label))
    for r, (value, label) in enumerate(Sex.choices, start=1):  # L = Laki-laki (Male): the words, not only codes
        codes.write_string(r, 8, f"{value} = {label}")
    for r, (value, label) in enumerate(Sector.choices, start=1):
        codes.write_string(r, 10, value)
        codes.write_string(r, 11, str(label))
    codes.set_column(1, 1, 36)
    codes.set_column(10, 11, 24)
    codes.set_column(5, 6, 24)
    book.close()
    return buffer.getvalue()
