"""Export the participants a user may see, with the list's filters; every export is audited."""

import csv
import io
from collections.abc import Iterator
from dataclasses import asdict

import xlsxwriter
from django.db import transaction

from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.cells import XLSX_OPTIONS, csv_safe_row
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.regioncodes import MAX_CODE_LENGTH
from jamsosdesa.participants.labels import value_text
from jamsosdesa.participants.models import SectorSource
from jamsosdesa.participants.selectors import ParticipantFilter, participant_filter_qs

HEADER = ["nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "kode_desa", "desa", "alamat", "rt", "rw",
          "no_hp", "kode_pekerjaan", "segmen", "peran", "penghasilan", "no_kk", "kpj", "status", "alasan_nonaktif",
          "sektor", "kode_sosialisasi"]
FIELDS = ("nik", "full_name", "birth_place", "birth_date", "sex", "desa_id", "desa__name", "address", "rt", "rw",
          "phone", "occupation_id", "segment", "village_role", "declared_income", "kk", "kpj", "is_active",
          "deactivation_reason", "sector", "outreach_code", "sector_source")


def _rows(user, filters: ParticipantFilter) -> Iterator[list]:
    shown = personal_data(user)
    qs = participant_filter_qs(user=user, filters=filters).order_by("pk").values_list(*FIELDS)
    for row in qs.iterator(chunk_size=5000):
        row = list(row)
        row[0], row[7], row[15] = shown.nik(row[0]), shown.address(row[7]), shown.kk(row[15])
        row[3] = row[3].strftime("%d-%m-%Y")
        row[17] = "aktif" if row[17] else "nonaktif"
        row[18] = value_text("deactivation_reason", row[18])  # words (Meninggal dunia), not the code (died)
        row[16] = row[16] or ""
        row[11] = "" if row[11] is None else row[11]
        # The sector only where someone chose it: a blank one follows the occupation when the file is imported
        # again, so the export imports back unchanged.
        row[19] = row[19] if row.pop() == SectorSource.MANUAL else ""
        yield row


@transaction.atomic
def export_record(*, user, filters: ParticipantFilter, fmt: str, rows: int) -> None:
    audit_record(actor=user, event=AuditEventType.PARTICIPANT_EXPORTED, object_type="participant_export",
                 object_id=fmt, region_code=filters.region[:MAX_CODE_LENGTH],
                 new={"filter": asdict(filters), "format": fmt, "rows": rows,
                      "nik_masked": personal_data(user).nik_masked})


class _Line:
    def write(self, value: str) -> str:
        return value


def export_csv_lines(user, filters: ParticipantFilter) -> Iterator[str]:
    """The CSV line by line, for streaming a large export; the audit event is written at the end."""
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    count = 0
    for row in _rows(user, filters):
        yield writer.writerow(csv_safe_row(row))  # a name like =HYPERLINK(...) must not run in Excel
        count += 1
    export_record(user=user, filters=filters, fmt="csv", rows=count)


def export_csv(user, filters: ParticipantFilter, out: io.TextIOBase) -> int:
    lines = 0
    for line in export_csv_lines(user, filters):
        out.write(line)
        lines += 1
    return lines - 1


def export_xlsx(user, filters: ParticipantFilter, target) -> int:
    """`target`: a path or a binary file object."""
    book = xlsxwriter.Workbook(target if hasattr(target, "write") else str(target),
                               {"constant_memory": True, **XLSX_OPTIONS})
    sheet = book.add_worksheet("Peserta")
    head = book.add_format({"bold": True})
    sheet.write_row(0, 0, HEADER, head)
    count = 0
    for r, row in enumerate(_rows(user, filters), start=1):
        for c, value in enumerate(row):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))  # NIK, KK, KPJ as text
        count += 1
    book.close()
    export_record(user=user, filters=filters, fmt="xlsx", rows=count)
    return count
