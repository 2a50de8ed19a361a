"""Reading payment statements (issue 12, item 3): a CSV/XLSX list of payments with a column mapping, or a bank
statement in MT940. Pure: nothing here touches the database; `imports.statement_import` matches and records.

Every line comes out as a `StatementLine` (integer rupiah, a date, a reference) or as a `LineProblem` naming its
row and what is wrong; a file that cannot be read at all raises `FileProblem` with a message for the operator.

MT940 goes through the `mt-940` library with two guards (docs/design/ledger.md §7): a file with no :20: and no :61:
is refused (the library reads any text as a statement of zero lines), and each raw :61: amount must read
^\\d{1,15},\\d{0,2}$ (the library reads '1.000,00' as 1). The reference of a line is its :61: customer reference
unless NONREF, else the bank's reference, else a hash of the account, entry date, amount, :86: text and the line's
occurrence among identical lines, so the same file imported twice is recognised and two identical lines in one
file stay two payments.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core import clock
from jamsosdesa.core.sheets import FileProblem, data_rows, normalize_header, open_table
from jamsosdesa.core.text import has_bad_chars
from jamsosdesa.participants.fields import parse_date

# The fields of a payment line and the headers our own list uses (and the other spellings people use).
PAYMENT_FIELDS = ("nik", "invoice", "amount", "date", "reference", "channel", "name")
PAYMENT_COLUMNS = {
    "nik": "nik", "no_nik": "nik", "nomor_nik": "nik",
    "no_tagihan": "invoice", "nomor_tagihan": "invoice", "tagihan": "invoice", "invoice": "invoice",
    "jumlah": "amount", "nominal": "amount", "jumlah_bayar": "amount", "amount": "amount", "kredit": "amount",
    "tanggal": "date", "tanggal_bayar": "date", "tgl_bayar": "date", "tgl": "date", "date": "date",
    "referensi": "reference", "no_referensi": "reference", "nomor_referensi": "reference", "reference": "reference",
    "ref": "reference", "saluran": "channel", "channel": "channel",
    "nama": "name", "keterangan": "name", "uraian": "name", "berita": "name", "description": "name",
}
PAYMENT_REQUIRED = ("amount", "date")
PAYMENT_FIELD_LABELS = {
    "nik": "NIK", "invoice": gettext_lazy("nomor tagihan"), "amount": gettext_lazy("jumlah"),
    "date": gettext_lazy("tanggal bayar"), "reference": gettext_lazy("referensi"),
    "channel": gettext_lazy("saluran"), "name": gettext_lazy("nama/keterangan"),
}
# What people write in a channel column -> billing.PaymentChannel's value.
CHANNELS = {"agent": "agent", "agen": "agent", "tunai": "agent", "perisai": "agent", "bank": "bank",
            "transfer": "bank", "ppob": "ppob", "loket": "ppob", "branch": "branch", "cabang": "branch",
            "kantor_cabang": "branch"}
REFERENCE_MAX = 64
AMOUNT_DIGITS = 15
NIK_IN_TEXT = re.compile(r"(?<!\d)\d{16}(?!\d)")
INVOICE_IN_TEXT = re.compile(r"\bINV/[A-Za-z0-9/\-]*[A-Za-z0-9]", re.IGNORECASE)
NONREF = "NONREF"


@dataclass
class StatementLine:
    """One credit line, read: whole rupiah, the day paid, a reference, and what may name its target."""

    row: int  # the file's row (CSV/XLSX) or the line of the :61: tag (MT940)
    amount: int
    paid_on: date
    reference: str
    text: str = ""  # name / description / the :86: text
    nik: str = ""  # from the NIK column, else the one NIK found in the text
    invoice: str = ""  # likewise for the invoice number
    niks: list[str] = field(default_factory=list)  # every NIK named (column and text), in order, distinct
    invoices: list[str] = field(default_factory=list)
    channel: str = ""  # from the channel column; '' = the import's channel
    raw: dict = field(default_factory=dict)  # the line as read, for the queue and the report
    cells: list = field(default_factory=list)


@dataclass
class LineProblem:
    row: int
    group: str  # invalid | duplicate | debit
    message: str
    cells: list = field(default_factory=list)
    raw: dict = field(default_factory=dict)


@dataclass
class Statement:
    kind: str  # csv | xlsx | mt940
    header: list[str] = field(default_factory=list)
    lines: list[StatementLine] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_total: int = 0


class ColumnsMissing(FileProblem):
    """The file is readable but lacks columns: the page offers a column mapping of `header` (its column titles)."""

    def __init__(self, message: str, *, header: list[str] | None = None):
        super().__init__(message)
        self.header = header or []


# --- values ---------------------------------------------------------------------------------------------------

_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+(,\d*)?$")  # 33.600 / 1.000.000,00
_PLAIN_COMMA = re.compile(r"^\d+(,\d*)?$")  # 33600 / 33600,00
_PLAIN_DOT = re.compile(r"^\d+\.\d{1,2}$")  # 33600.00 (a spreadsheet's own decimal point)


def parse_amount(value) -> int:
    """Whole rupiah from a cell: 33600, '33.600', 'Rp33.600', 'Rp 33.600,00', '33600.00'. Raises ValueError with
    the message for the operator (a fraction of a rupiah, an unreadable or non-positive amount)."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValueError(_("jumlah kosong"))
    if isinstance(value, int):
        number = Decimal(value)
        shown = str(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("jumlah '%(v)s' tidak dapat dibaca") % {"v": value})
        number = Decimal(repr(value))
        shown = f"{value:g}"
    else:
        shown = str(value).strip()
        text = re.sub(r"^(rp\.?|idr)\s*", "", shown.lower()).replace(" ", "").replace("\u00a0", "")
        text = text.removesuffix(",-").removesuffix(".-")
        negative = text.startswith("-")
        text = text.lstrip("-")
        if _THOUSANDS_DOT.match(text):
            whole, _sep, frac = text.partition(",")
            number = Decimal(whole.replace(".", "") + "." + (frac or "0"))
        elif _PLAIN_COMMA.match(text):
            whole, _sep, frac = text.partition(",")
            if len(frac) == 3:  # '33,600': thousands in English, 33.6 in Indonesian: never guessed
                raise ValueError(_("jumlah '%(v)s' tidak jelas: tulis rupiah tanpa pecahan, mis. 33.600 atau 33600")
                                 % {"v": shown})
            number = Decimal(whole + "." + (frac or "0"))
        elif _PLAIN_DOT.match(text):
            number = Decimal(text)
        else:
            raise ValueError(_("jumlah '%(v)s' tidak dapat dibaca sebagai rupiah (mis. 33.600 atau 33600)")
                             % {"v": shown})
        if negative:
            number = -number
    if number != number.to_integral_value():
        raise ValueError(_("jumlah '%(v)s' berisi pecahan rupiah; rupiah harus bulat") % {"v": shown})
    amount = int(number)
    if amount <= 0:
        raise ValueError(_("jumlah '%(v)s' harus lebih dari 0") % {"v": shown})
    if len(str(amount)) > AMOUNT_DIGITS:
        raise ValueError(_("jumlah '%(v)s' terlalu besar") % {"v": shown})
    return amount


def parse_paid_on(value) -> date:
    """The day paid: a date cell, dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd; never in the future."""
    today = clock.today()
    shown = value.strftime("%d-%m-%Y") if isinstance(value, datetime | date) else str(value or "").strip()
    try:
        day = parse_date(value, today=today)
    except (ValueError, OverflowError):
        raise ValueError(_("tanggal '%(v)s' tidak dapat dibaca (gunakan DD/MM/YYYY atau YYYY-MM-DD)")
                         % {"v": shown}) from None
    if day is None:
        raise ValueError(_("tanggal bayar kosong"))
    if day > today:
        raise ValueError(_("tanggal %(v)s masih di masa depan") % {"v": day.strftime("%d-%m-%Y")})
    return day


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d-%m-%Y")
    return " ".join(str(value).split())


def _nik(value) -> str:
    text = re.sub(r"[\s.\-']", "", _text(value))
    return text


def targets_in(text: str) -> tuple[list[str], list[str]]:
    """The NIKs (16 digits) and invoice numbers (INV/...) a free text names, each once, in order."""
    niks = list(dict.fromkeys(NIK_IN_TEXT.findall(text or "")))
    invoices = list(dict.fromkeys(m.upper() for m in INVOICE_IN_TEXT.findall(text or "")))
    return niks, invoices


def line_hash(*parts) -> str:
    """The reference of a line that has none: sha256 of what identifies it (and its occurrence number)."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def _reference_problem(reference: str) -> str:
    if len(reference) > REFERENCE_MAX:
        return _("referensi lebih dari %(n)s karakter") % {"n": REFERENCE_MAX}
    if has_bad_chars(reference) or any(ord(ch) < 32 for ch in reference):
        return _("referensi berisi karakter kendali")
    return ""


class _Dedup:
    """The same reference twice in one file: the first counts, the next are reported (a different amount or day
    under the same reference is reported as a conflict, never added)."""

    def __init__(self, statement: Statement):
        self.statement = statement
        self.seen: dict[str, StatementLine] = {}

    def add(self, line: StatementLine) -> None:
        first = self.seen.get(line.reference)
        if first is None:
            self.seen[line.reference] = line
            self.statement.lines.append(line)
            return
        if (first.amount, first.paid_on) == (line.amount, line.paid_on):
            message = _("Baris %(row)s: referensi %(ref)s sama dengan baris %(first)s; dihitung sekali.")
        else:
            message = _("Baris %(row)s: referensi %(ref)s sudah dipakai baris %(first)s dengan jumlah atau tanggal "
                        "lain; baris ini tidak dicatat.")
        self.statement.problems.append(LineProblem(line.row, "duplicate", message % {
            "row": line.row, "ref": line.reference, "first": first.row}, line.cells, line.raw))


# --- CSV / XLSX -----------------------------------------------------------------------------------------------

def _looks_like_payment_header(mapping: dict[str, str] | None):
    wanted = {normalize_header(c) for c in (mapping or {}).values() if c} or set(PAYMENT_COLUMNS)

    def looks(cells) -> bool:
        names = {normalize_header(c) for c in cells if isinstance(c, str)}
        return len(names & wanted) >= (2 if not mapping else min(2, len(wanted)))

    return looks


def shown_columns(header: list[str]) -> str:
    """The file's column titles as a message lists them."""
    return ", ".join(str(h) for h in header if str(h).strip()) or "-"


def column_positions(header: list[str], mapping: dict[str, str] | None, fields,
                     known: dict[str, str]) -> dict[str, int]:
    """field -> column index: from a saved mapping {field: header} (its `fields` only), else from the column titles
    we know (`known`: normalised title -> field; the first column of a field wins). Raises ColumnsMissing naming a
    mapped column the file does not have. Every mapped file kind (payments, BPJS lists) reads its columns so."""
    names = [normalize_header(h) for h in header]
    positions: dict[str, int] = {}
    if mapping:
        missing = []
        for fld, column in mapping.items():
            if not column or fld not in fields:
                continue
            if normalize_header(column) in names:
                positions[fld] = names.index(normalize_header(column))
            else:
                missing.append(str(column))
        if missing:
            raise ColumnsMissing(_("Kolom dari pemetaan tidak ada di berkas: %(c)s. Kolom yang ada: %(h)s.") % {
                "c": ", ".join(missing), "h": shown_columns(header)})
    else:
        for index, name in enumerate(names):
            fld = known.get(name)
            if fld and fld not in positions:
                positions[fld] = index
    return positions


def payment_layout(header: list[str], mapping: dict[str, str] | None = None) -> dict[str, int]:
    """field -> column index, from a saved mapping {field: header} or from our own column names. Raises
    ColumnsMissing naming the columns that are not there."""
    positions = column_positions(header, mapping, PAYMENT_FIELDS, PAYMENT_COLUMNS)
    missing = [str(PAYMENT_FIELD_LABELS[f]) for f in PAYMENT_REQUIRED if f not in positions]
    if not any(f in positions for f in ("nik", "invoice", "name")):
        missing.append(_("NIK, nomor tagihan atau keterangan (salah satu)"))
    if missing:
        raise ColumnsMissing(_("Kolom wajib tidak ada: %(c)s. Kolom yang ada: %(h)s.") % {
            "c": ", ".join(missing), "h": shown_columns(header)})
    return positions


def read_payment_table(source: str | Path | BinaryIO, *, mapping: dict[str, str] | None = None) -> Statement:
    """A CSV/XLSX list of payments, one per row. Raises FileProblem (ColumnsMissing for columns)."""
    try:
        table = open_table(source, looks_like_header=_looks_like_payment_header(mapping),
                           preferred_sheets=("pembayaran", "data"))
    except UnicodeDecodeError:
        raise FileProblem(_("Berkas ini bukan spreadsheet (.xlsx, .xls) atau CSV.")) from None
    except FileProblem as exc:
        if exc.no_header:
            raise ColumnsMissing(_("Tidak ada baris judul kolom pembayaran (mis. nik, jumlah, tanggal, referensi). "
                                   "Pilih atau buat pemetaan kolom."), header=_first_row(source)) from None
        raise
    header = [str(h) for h in table.header]
    try:
        positions = payment_layout(header, mapping)
    except ColumnsMissing as exc:
        table.release()
        exc.header = header
        raise
    statement = Statement(kind="csv" if table.kind == "csv" else "xlsx", header=header, notes=list(table.notes))
    dedup = _Dedup(statement)
    occurrences: dict[tuple, int] = {}
    width = max(positions.values()) + 1
    try:
        for row_no, cells in data_rows(table):
            statement.rows_total += 1
            if len(cells) < width:
                cells = list(cells) + [None] * (width - len(cells))
            _payment_row(statement, dedup, occurrences, positions, header, row_no, cells)
    except UnicodeDecodeError:
        raise FileProblem(_("Berkas CSV berisi karakter yang tidak dapat dibaca; simpan ulang sebagai UTF-8 atau "
                            "Excel.")) from None
    finally:
        table.release()
    if statement.rows_total == 0:
        raise FileProblem(_("Berkas tidak berisi baris data di bawah judul kolom."))
    return statement


def _first_row(source) -> list[str]:
    """The first row with two or more cells filled: the titles a mapping can choose from, when none was known."""
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        table = open_table(source, looks_like_header=lambda cells: sum(1 for c in cells if str(c or "").strip()) >= 2)
    except (FileProblem, UnicodeDecodeError):
        return []
    table.release()
    return [str(h) for h in table.header]


def _payment_row(statement, dedup, occurrences, positions, header, row_no, cells) -> None:
    def cell(fld):
        return cells[positions[fld]] if fld in positions else None

    raw = {str(h or f"#{i + 1}"): _text(cells[i]) for i, h in enumerate(header) if i < len(cells)}
    errors = []
    try:
        amount = parse_amount(cell("amount"))
    except ValueError as exc:
        amount, _e = None, errors.append(f"{PAYMENT_FIELD_LABELS['amount']}: {exc}")
    try:
        paid_on = parse_paid_on(cell("date"))
    except ValueError as exc:
        paid_on, _e = None, errors.append(f"{PAYMENT_FIELD_LABELS['date']}: {exc}")
    nik_cell, invoice_cell = _nik(cell("nik")), _text(cell("invoice")).upper()
    text = _text(cell("name"))
    if nik_cell and not (len(nik_cell) == 16 and nik_cell.isdigit()):
        errors.append(_("NIK: '%(v)s' bukan 16 angka") % {"v": nik_cell[:40]})
    channel = ""
    if cell("channel") not in (None, ""):
        channel = CHANNELS.get(normalize_header(cell("channel")), "")
        if not channel:
            errors.append(_("saluran: '%(v)s' tidak dikenal (agen, bank, ppob, cabang)") % {
                "v": _text(cell("channel"))[:40]})
    reference = _text(cell("reference"))
    if reference and (problem := _reference_problem(reference)):
        errors.append(f"{PAYMENT_FIELD_LABELS['reference']}: {problem}")
    if errors:
        statement.problems.append(LineProblem(row_no, "invalid", _("Baris %(row)s: %(why)s.") % {
            "row": row_no, "why": "; ".join(errors)}, list(cells), raw))
        return
    text_niks, text_invoices = targets_in(text)
    niks = list(dict.fromkeys(([nik_cell] if nik_cell else []) + ([] if nik_cell else text_niks)))
    invoices = list(dict.fromkeys(([invoice_cell] if invoice_cell else []) + ([] if invoice_cell else text_invoices)))
    if not reference:
        key = ("csv", paid_on.isoformat(), amount, nik_cell, invoice_cell, text)
        occurrences[key] = occurrences.get(key, 0) + 1
        reference = line_hash(*key, occurrences[key])
    dedup.add(StatementLine(row=row_no, amount=amount, paid_on=paid_on, reference=reference, text=text,
                            nik=niks[0] if len(niks) == 1 else "", invoice=invoices[0] if len(invoices) == 1 else "",
                            niks=niks, invoices=invoices, channel=channel, raw=raw, cells=list(cells)))


# --- MT940 ----------------------------------------------------------------------------------------------------

_TAG = re.compile(r"^:(\d{2}[A-Z]?|NS):")
# :61: value date, optional entry date (MMDD), C/D/RC/RD, optional funds code, the amount as written.
_LINE61 = re.compile(r"^(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>R?[CD])(?P<funds>[A-Z])?"
                     r"(?P<amount>[0-9][0-9.,' ]*?)(?P<type>[NFS][A-Z0-9]{3})")
MT940_AMOUNT = re.compile(r"^\d{1,15},\d{0,2}$")


@dataclass
class _Raw61:
    line_no: int
    text: str  # the :61: line without its tag
    account: str
    details: str = ""  # the :86: that follows
    end: int = 0  # the first line after its block (the :61:, its :86: and :NS:), 1-based exclusive


def looks_like_mt940(head: bytes) -> bool:
    text = head.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \r\n")
    return text.startswith((":20:", "{1:", ":940:")) or bool(re.search(r"(?m)^:20:", text) and
                                                               re.search(r"(?m)^:61:", text))


def _scan(lines: list[str]) -> tuple[bool, list[_Raw61]]:
    """The raw :61: lines (their file line, the account of their statement, their :86:, where their block ends),
    and whether there is a :20:; independent of the library, so its silent readings can be checked."""
    has_20, found, account, current, last_tag = False, [], "", None, ""
    for number, line in enumerate(lines, start=1):
        match = _TAG.match(line)
        if not match:
            if last_tag == "86" and current is not None:
                current.details += "\n" + line
            continue
        last_tag = match.group(1)
        body = line[match.end():]
        if current is not None and not current.end and last_tag not in ("86", "NS"):
            current.end = number
        if last_tag == "20":
            has_20 = True
        elif last_tag == "25":
            account = body.strip()
        elif last_tag == "61":
            current = _Raw61(number, body.strip(), account)
            found.append(current)
        elif last_tag == "86" and current is not None and not current.details:
            current.details = body
    if current is not None and not current.end:
        current.end = len(lines) + 1
    return has_20, found


def _decode_mt940(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_mt940(source: str | Path | BinaryIO) -> Statement:
    """A bank statement in MT940 (one or more :20: blocks). Raises FileProblem for a file that is not one."""
    import mt940

    data = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    if not data.strip():
        raise FileProblem(_("Berkas kosong."))
    if b"\x00" in data[:4096]:
        raise FileProblem(_("Berkas ini bukan rekening koran MT940."))
    lines = _decode_mt940(data).lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    has_20, raws = _scan(lines)
    if not has_20 and not raws:
        raise FileProblem(_("Berkas ini bukan rekening koran MT940: tidak ada tag :20: maupun :61:."))
    if not raws:
        raise FileProblem(_("Rekening koran ini tidak berisi transaksi (:61:)."))
    statement = Statement(kind="mt940", header=[":61:", ":86:"], rows_total=len(raws))
    # A :61: line the library would misread (1.000,00 as 1) or skip is refused here and left out of what it reads,
    # so every line it returns is one of ours, in order.
    readable = []
    for raw61 in raws:
        why = _unreadable_61(raw61)
        if why:
            statement.problems.append(_mt940_problem(raw61, "invalid", why))
            lines[raw61.line_no - 1:raw61.end - 1] = [""] * (raw61.end - raw61.line_no)
        else:
            readable.append(raw61)
    parsed = []
    if readable:
        try:
            parsed = list(mt940.parse("\n".join(line for line in lines if line.strip())))
        except Exception as exc:  # noqa: BLE001 - the library raises many kinds; the operator needs the words
            raise FileProblem(_("Rekening koran MT940 tidak dapat dibaca: %(e)s") % {"e": str(exc)[:200]}) from None
    if len(parsed) != len(readable):
        raise FileProblem(_("Rekening koran MT940 tidak dapat dibaca dengan pasti: %(n)s baris :61: di berkas, "
                            "%(m)s terbaca. Minta berkas asli dari bank.") % {"n": len(readable), "m": len(parsed)})
    dedup = _Dedup(statement)
    occurrences: dict[tuple, int] = {}
    today = clock.today()  # once per file: asking the clock per line took a fifth of the reading
    for raw61, transaction in zip(readable, parsed, strict=True):
        _mt940_line(statement, dedup, occurrences, raw61, transaction.data, today)
    return statement


def _details(raw61: _Raw61, data: dict | None = None) -> str:
    return " ".join(((data or {}).get("transaction_details") or raw61.details or "").split())


def _mt940_problem(raw61: _Raw61, group: str, why: str, data: dict | None = None) -> LineProblem:
    details = _details(raw61, data)
    return LineProblem(raw61.line_no, group, _("Baris %(row)s (:61:): %(why)s.") % {"row": raw61.line_no, "why": why},
                       [":61:" + raw61.text, details], {":25:": raw61.account, ":61:": raw61.text, ":86:": details})


def _unreadable_61(raw61: _Raw61) -> str:
    """Why the library must not read this :61: line ('' when it may)."""
    match = _LINE61.match(raw61.text)
    if match is None:
        return _("baris :61: tidak dapat dibaca")
    written = match.group("amount").strip()
    if not MT940_AMOUNT.match(written):
        return _("jumlah '%(v)s' tidak ditulis seperti MT940 (angka dengan koma desimal, mis. 1000,00); baris ini "
                 "tidak dicatat") % {"v": written}
    return ""


def _mt940_line(statement, dedup, occurrences, raw61: _Raw61, data: dict, today: date) -> None:
    row = raw61.line_no
    details = _details(raw61, data)
    raw = {":25:": raw61.account, ":61:": raw61.text, ":86:": details}
    cells = [":61:" + raw61.text, details]

    def problem(group: str, why: str) -> None:
        statement.problems.append(_mt940_problem(raw61, group, why, data))

    match = _LINE61.match(raw61.text)
    written = match.group("amount").strip()
    if match.group("mark").endswith("D") != match.group("mark").startswith("R"):  # D or RC: money out
        problem("debit", _("debit %(v)s (uang keluar), dilewati") % {"v": written})
        return
    whole, _sep, frac = written.partition(",")
    if frac.strip("0"):
        problem("invalid", _("jumlah %(v)s berisi pecahan rupiah") % {"v": written})
        return
    amount = int(whole)
    currency = str(data.get("currency") or getattr(data.get("amount"), "currency", "") or "IDR").upper()
    if currency != "IDR":
        problem("invalid", _("mata uang %(c)s, bukan IDR") % {"c": currency})
        return
    if amount <= 0:
        problem("invalid", _("jumlah harus lebih dari 0"))
        return
    value = data.get("entry_date") or data.get("date")
    paid_on = date(value.year, value.month, value.day)
    if paid_on > today:
        problem("invalid", _("tanggal %(v)s masih di masa depan") % {"v": paid_on.strftime("%d-%m-%Y")})
        return
    customer = (data.get("customer_reference") or "").strip()
    bank = (data.get("bank_reference") or "").strip()
    if customer and customer.upper() != NONREF:
        reference = customer
    elif bank and bank.upper() != NONREF:
        reference = bank
    else:
        key = (raw61.account, paid_on.isoformat(), amount, details)
        occurrences[key] = occurrences.get(key, 0) + 1
        reference = line_hash(*key, occurrences[key])
    if why := _reference_problem(reference):
        problem("invalid", why)
        return
    niks, invoices = targets_in(details)
    dedup.add(StatementLine(row=row, amount=amount, paid_on=paid_on, reference=reference, text=details,
                            nik=niks[0] if len(niks) == 1 else "", invoice=invoices[0] if len(invoices) == 1 else "",
                            niks=niks, invoices=invoices, raw=raw, cells=cells))


# --- either ---------------------------------------------------------------------------------------------------

def read_statement(source: str | Path | BinaryIO, *, fmt: str = "auto",
                   mapping: dict[str, str] | None = None) -> Statement:
    """`fmt` auto | csv | xlsx | mt940. Auto: MT940 when the file starts like one, else a table."""
    if fmt == "auto":
        if isinstance(source, str | Path):
            with open(source, "rb") as f:
                head = f.read(4096)
        else:
            head = source.read(4096)
            source.seek(0)
        fmt = "mt940" if looks_like_mt940(head) else "table"
    if fmt == "mt940":
        return read_mt940(source)
    return read_payment_table(source, mapping=mapping)
