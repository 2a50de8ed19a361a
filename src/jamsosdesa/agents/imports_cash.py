"""Deposits read from a statement file (CSV or XLSX through core.sheets): one deposit per row, columns agent
(username or id), reference, date, amount, and optionally channel (default: the option's). Each row goes through
`deposit_record`, in date order so that collections are settled oldest first across the file.

All or nothing (the default): one refused row records nothing, and the report says which rows failed and why.
Partial (`partial=True`): every good row is recorded and the refused ones are reported. Either way a row already
recorded (same channel and reference, same agent, amount and date) is reported as a duplicate, so importing the
same file twice records nothing twice."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.sheets import FileProblem, data_rows, normalize_header, open_table

from .cash import DepositRequest, deposit_record
from .models_cash import DepositChannel

COLUMNS = {
    "agent": ("agen", "agent", "username", "agent_id", "id_agen", "nama_pengguna"),
    "reference": ("referensi", "reference", "ref", "no_referensi", "nomor_referensi"),
    "date": ("tanggal", "date", "tanggal_setor", "tgl"),
    "amount": ("jumlah", "amount", "nominal", "jumlah_setoran"),
    "channel": ("saluran", "channel", "kanal"),
}
MOST_ROWS = 50_000
DOTTED = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.250.000 (thousands dots); a decimal comma is refused


@dataclass
class RowReport:
    row: int
    status: str  # recorded | duplicate | refused | not_recorded (all or nothing, another row failed)
    message: str = ""
    reference: str = ""
    deposit_id: int | None = None

    def as_dict(self) -> dict:
        return {"row": self.row, "status": self.status, "message": self.message, "reference": self.reference,
                "deposit_id": self.deposit_id}


@dataclass
class ImportReport:
    file: str
    partial: bool
    rows: list[RowReport] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def ok(self) -> bool:
        return self.count("refused") == 0

    def as_dict(self) -> dict:
        return {"file": self.file, "partial": self.partial, "recorded": self.count("recorded"),
                "duplicate": self.count("duplicate"), "refused": self.count("refused"),
                "not_recorded": self.count("not_recorded"), "rows": [r.as_dict() for r in self.rows]}


def _columns(header: list[str]) -> dict[str, int]:
    names = [normalize_header(h) for h in header]
    found = {}
    for key, aliases in COLUMNS.items():
        for i, name in enumerate(names):
            if name in aliases:
                found[key] = i
                break
    return found


def _looks_like_header(cells) -> bool:
    return {"agent", "reference", "date", "amount"} <= set(_columns([str(c or "") for c in cells]))


def _day(value) -> date | str:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return text  # deposit_record names it


def _amount(value):
    if isinstance(value, float):
        return int(value) if value.is_integer() else str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value or "").strip().removeprefix("Rp").removeprefix("rp").strip()
    if DOTTED.match(text):
        text = text.replace(".", "")
    return text  # digits, or something deposit_record refuses naming the field


def _cell(cells: list, index: int | None):
    return cells[index] if index is not None and index < len(cells) else None


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _message(exc: ServiceError) -> str:
    if exc.fields:
        return "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.fields.items())
    return exc.message


def read_rows(path: Path, *, channel: str) -> tuple[list[tuple[int, DepositRequest]], str]:
    """The file's rows as deposit requests (row number in the file, request), and the file's sha256."""
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    with open(path, "rb") as stream:
        try:
            table = open_table(stream, looks_like_header=_looks_like_header)
        except FileProblem as problem:
            message = str(problem)
            if problem.no_header:
                message = _("Tidak ada baris judul kolom agen, referensi, tanggal dan jumlah (mis. agen; referensi; "
                            "tanggal; jumlah).")
            raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"file": [message]}) from None
        at = _columns(table.header)
        rows = []
        for row_no, cells in data_rows(table):
            if len(rows) >= MOST_ROWS:
                message = _("Berkas lebih dari %(n)d baris: bagi menjadi beberapa berkas.") % {"n": MOST_ROWS}
                raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"file": [message]})
            rows.append((row_no, DepositRequest(
                agent=_text(_cell(cells, at["agent"])), reference=_text(_cell(cells, at["reference"])),
                deposited_on=_day(_cell(cells, at["date"])), amount=_amount(_cell(cells, at["amount"])),
                channel=_text(_cell(cells, at.get("channel"))).lower() or channel,
                statement_name=Path(path).name, statement_sha256=digest, statement_row=row_no)))
    if not rows:
        message = _("Berkas tidak berisi baris setoran.")
        raise ServiceError(code=ErrorCode.FILE_EMPTY, message=message, fields={"file": [message]})
    return rows, digest


class _Rollback(Exception):
    pass


def deposit_import(*, actor, path: Path, partial: bool = False, channel: str = DepositChannel.PERISAI,
                   progress=None) -> ImportReport:
    """Record the file's deposits (see the module's docstring); `progress(n)` is told after each row."""
    rows, digest = read_rows(path, channel=channel)
    rows.sort(key=lambda item: (item[1].deposited_on if isinstance(item[1].deposited_on, date) else date.max,
                                item[0]))
    report = ImportReport(file=Path(path).name, partial=partial)
    try:
        with transaction.atomic():
            for row_no, request in rows:
                try:
                    with transaction.atomic():
                        outcome = deposit_record(actor=actor, request=request)
                except ServiceError as exc:
                    report.rows.append(RowReport(row=row_no, status="refused", message=_message(exc),
                                                 reference=str(request.reference)[:64]))
                else:
                    report.rows.append(RowReport(row=row_no, status="duplicate" if outcome.duplicate else "recorded",
                                                 reference=outcome.deposit.reference,
                                                 deposit_id=outcome.deposit.pk))
                if progress is not None:
                    progress(1)
            if not partial and not report.ok:
                raise _Rollback
            _audit(actor, report, digest)
    except _Rollback:
        for r in report.rows:
            if r.status == "recorded":
                r.status, r.deposit_id = "not_recorded", None
                r.message = _("Tidak dicatat: ada baris lain yang ditolak (semua atau tidak sama sekali).")
        with transaction.atomic():
            _audit(actor, report, digest)
    report.rows.sort(key=lambda r: r.row)
    return report


def _audit(actor, report: ImportReport, digest: str) -> None:
    audit_record(actor=actor, event=AuditEventType.DEPOSITS_IMPORTED, object_type="deposit_import",
                 object_id=digest[:16],
                 new={"file": report.file, "sha256": digest, "partial": report.partial,
                      "recorded": report.count("recorded"), "duplicate": report.count("duplicate"),
                      "refused": report.count("refused"), "not_recorded": report.count("not_recorded")})
