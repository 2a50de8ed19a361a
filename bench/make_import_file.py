"""Realistic participant files of any size, for the import benchmark and for trying the import by hand.

The file follows our template (nik, nama, tempat_lahir, tanggal_lahir, jenis_kelamin, [kode_desa,] alamat,
rt, rw, kode_pekerjaan, penghasilan) as CSV (comma or semicolon; UTF-8, UTF-8 with BOM or Windows-1252)
or .xlsx (xlsxwriter, constant memory: any size in little memory). People come from
`jamsosdesa.participants.fake.fake_participants`, so every NIK is valid and matches its desa's kecamatan;
rows from many desa are interleaved, as in a national file, and carry their own kode_desa.

A share of the rows (`--bad-share`, default 5 %) is messy, in this mix:

* still valid, loaded as new: mixed-case names with extra spaces (20 %), NIKs with spaces or dots (10 %),
  other date formats (yyyy-mm-dd, dd/mm/yyyy, d-m-yyyy, dd.mm.yyyy; in .xlsx as text, while the clean rows
  hold real Excel dates) (15 %), other spellings (jenis kelamin 1/2 or words, "Rp 1.500.000", RT "3") (10 %);
* invalid: NIK of 15 or 17 digits (7 %), NIK with birth date 31-02 (7 %), NIK serial 0000 (6 %), a birth
  date that does not exist, 31-02-yyyy (5 %);
* duplicates: the same person again later in the file, sometimes spelled differently (12 %: the copy is
  a duplicate), the NIK of an earlier person with another name (8 %: both rows are invalid).

Deterministic: the same arguments give the same file, byte for byte. Next to the file goes
`<file>.expect.json` with the arguments, the count of each kind of row and the counts the import should
report (new, duplicate, invalid; on a second import of the same file every `new` is `unchanged`).

    .venv/bin/python bench/make_import_file.py --rows 100000 --out /tmp/peserta.csv
    .venv/bin/python bench/make_import_file.py --rows 100000 --format xlsx --out /tmp/peserta.xlsx
    .venv/bin/python bench/make_import_file.py --rows 500 --desa-count 1 --no-desa-column --delimiter ';' \\
        --encoding cp1252 --out /tmp/krajan.csv      # one desa; import with --desa CODE
"""

import argparse
import csv
import gzip
import json
import random
import sys
from collections import deque
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
if str(SRC) not in sys.path:  # runnable without the package installed
    sys.path.insert(0, str(SRC))

from jamsosdesa.participants.fake import NikFactory, fake_participants  # noqa: E402  (no Django needed)

HEADER = ["nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "kode_desa", "alamat", "rt", "rw",
          "kode_pekerjaan", "penghasilan"]
# Kinds of messy rows and their share of the messy rows; the import's verdict on each.
KINDS = {
    # still valid
    "name_case": 0.20, "nik_spaced": 0.10, "date_format": 0.15, "other_spelling": 0.10,
    # invalid
    "nik_length": 0.07, "nik_31_02": 0.07, "nik_serial_0000": 0.06, "bad_birth_date": 0.05,
    # duplicates
    "same_person_twice": 0.12, "same_nik_other_name": 0.08,
}
VALID_KINDS = ("clean", "name_case", "nik_spaced", "date_format", "other_spelling")
INVALID_KINDS = ("nik_length", "nik_31_02", "nik_serial_0000", "bad_birth_date")
# Names with characters outside ASCII (typographic apostrophe from Word/Excel, accents): about 1 % of the
# people, so an encoding mistake shows. All of them exist in Windows-1252.
SPECIAL_FIRST_NAMES = {"L": ["Ma’ruf", "Mu’min", "André", "Désiré"], "P": ["Nur’aini", "Sa’diyah", "Zoë", "Fa’izah"]}
SEX_WORDS = {"L": ["1", "Laki-laki", "LAKI-LAKI", "l"], "P": ["2", "Perempuan", "PEREMPUAN", "p"]}
POOL_SIZE = 10_000  # earlier people a duplicate may copy
DEFAULT_SEED = 2026
DEFAULT_DESA_COUNT = 2000


def _region_list() -> tuple[list[str], dict[str, str]]:
    """Every current desa code (sorted) and the name of every kabupaten/kota, from the packaged
    Kemendagri list: no database needed."""
    data = resources.files("jamsosdesa.regions") / "data" / "wilayah.csv.gz"
    codes, kab_names = [], {}
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        for row in csv.DictReader(text):
            if row["level"] == "desa":
                codes.append(row["code"])
            elif row["level"] == "kabupaten":
                kab_names[row["code"]] = row["name"].removeprefix("Kabupaten ").removeprefix("Kota ").title()
    return sorted(codes), kab_names


def desa_codes(count: int, seed: int = DEFAULT_SEED) -> list[str]:
    """`count` current desa spread evenly over the whole country (every province). Deterministic (the
    seed only shifts the start)."""
    codes = _region_list()[0]
    count = max(1, min(count, len(codes)))
    offset = seed % max(1, len(codes) // count)
    return [codes[(i * len(codes) // count + offset) % len(codes)] for i in range(count)]


def _people(codes: list[str], rows: int, seed: int) -> Iterator[dict]:
    """An endless-enough stream of fake people from every desa in turn (registrations from many villages
    arrive interleaved). One NIK factory, so desa in one kecamatan never share a NIK."""
    niks = NikFactory()
    kab_names = _region_list()[1]
    base, extra = divmod(rows, len(codes))
    streams = deque(fake_participants([code], base + (i < extra), seed=seed * 7919 + i, nik_factory=niks)
                    for i, code in enumerate(codes))
    while streams:
        stream = streams.popleft()
        person = next(stream, None)
        if person is None:
            continue
        if person["birth_place"] == "-":  # fake.py knows places in four provinces only: born in the kabupaten
            person["birth_place"] = kab_names.get(person["desa"][:5], "-")
        yield person
        streams.append(stream)


class _Row:
    """One person as the file will show them: the values plus how each is spelled."""

    __slots__ = ("person", "nik", "name", "date_style", "sex", "income", "rt", "rw", "birth_text", "valid")

    def __init__(self, person: dict):
        self.person = person
        self.nik = person["nik"]
        self.name = person["full_name"]
        self.date_style = "clean"  # clean: dd-mm-yyyy in CSV, a real date in .xlsx
        self.birth_text = ""  # set for a birth date that does not exist
        self.sex = person["sex"]
        self.income: str | int = person["declared_income"]
        self.rt, self.rw = person["rt"], person["rw"]
        self.valid = True


DATE_STYLES = {
    "iso": lambda d: d.isoformat(),
    "slash": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "short": lambda d: f"{d.day}-{d.month}-{d.year}",
    "dots": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "text": lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",  # .xlsx: the usual text, not a real date
}


def _messy_name(name: str, rng: random.Random) -> str:
    cased = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in name)
    spaced = cased.replace(" ", " " * rng.randint(2, 3))
    return " " * rng.randint(0, 2) + spaced + " " * rng.randint(1, 2)


def _spaced_nik(nik: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{nik[:4]}.{nik[4:8]} {nik[8:12]}.{nik[12:]}"
    return f"{nik[:6]} {nik[6:12]} {nik[12:]}"


def _restyle(row: _Row, rng: random.Random) -> None:
    """A different but equivalent spelling of the same person (for a repeated row)."""
    choice = rng.randrange(3)
    if choice == 0:
        row.name = _messy_name(row.name, rng)
    elif choice == 1:
        row.date_style = rng.choice(list(DATE_STYLES))


def _spoil(row: _Row, kind: str, rng: random.Random) -> None:
    person, nik = row.person, row.nik
    if kind == "name_case":
        row.name = _messy_name(row.name, rng)
    elif kind == "nik_spaced":
        row.nik = _spaced_nik(nik, rng)
    elif kind == "date_format":
        row.date_style = rng.choice(list(DATE_STYLES))
    elif kind == "other_spelling":
        row.sex = rng.choice(SEX_WORDS[row.sex])
        row.income = f"Rp {person['declared_income']:,}".replace(",", ".")
        row.rt, row.rw = row.rt.lstrip("0"), row.rw.lstrip("0")
    elif kind == "nik_length":
        row.nik = nik[:-1] if rng.random() < 0.5 else nik + str(rng.randrange(10))
    elif kind == "nik_31_02":
        day = 71 if person["sex"] == "P" else 31
        row.nik = f"{nik[:6]}{day}02{nik[10:]}"
    elif kind == "nik_serial_0000":
        row.nik = nik[:12] + "0000"
    elif kind == "bad_birth_date":
        row.birth_text = f"31-02-{person['birth_date'].year}"
    else:
        raise ValueError(kind)


def plan_rows(rows: int, *, desa_count: int = DEFAULT_DESA_COUNT, seed: int = DEFAULT_SEED,
              bad_share: float = 0.05, codes: list[str] | None = None) -> tuple[Iterator[_Row], dict]:
    """The rows of the file (a lazy stream) and a dict that the stream fills with the count of each kind
    and, at the end, the counts the import should report."""
    rng = random.Random(seed)
    codes = codes or desa_codes(desa_count, seed)
    kinds = list(KINDS)
    weights = list(KINDS.values())
    tally = {"clean": 0, **dict.fromkeys(KINDS, 0)}
    stats: dict = {"kinds": tally, "desa": len(codes)}

    def stream() -> Iterator[_Row]:
        people = _people(codes, rows, seed)
        pool: list[_Row] = []  # earlier valid rows not yet copied: a copy of each at most once
        for _ in range(rows):
            kind = rng.choices(kinds, weights)[0] if rng.random() < bad_share else "clean"
            if kind in ("same_person_twice", "same_nik_other_name") and pool:
                original = pool.pop(rng.randrange(len(pool)))
                copy = _Row(original.person)
                copy.nik = original.person["nik"]
                if kind == "same_person_twice":
                    if rng.random() < 0.5:
                        _restyle(copy, rng)
                else:  # another name: the original row becomes invalid too
                    first = original.person["full_name"].split()[0]
                    others = [n for n in ("Bambang", "Sri", "Wahyu", "Dewi", "Agus", "Ratna") if n != first]
                    copy.name = f"{rng.choice(others)} {rng.choice(['Susanto', 'Lestari', 'Hidayat'])}"
                tally[kind] += 1
                yield copy
                continue
            if kind in ("same_person_twice", "same_nik_other_name"):
                kind = "clean"  # nothing to copy yet
            person = next(people)
            if rng.random() < 0.01:
                person = {**person, "full_name": " ".join([rng.choice(SPECIAL_FIRST_NAMES[person["sex"]]),
                                                           *person["full_name"].split()[1:]])}
            row = _Row(person)
            if kind != "clean":
                _spoil(row, kind, rng)
            row.valid = kind in VALID_KINDS
            tally[kind] += 1
            if row.valid:
                if len(pool) < POOL_SIZE:
                    pool.append(row)
                else:
                    pool[rng.randrange(POOL_SIZE)] = row
            yield row
        valid = sum(tally[k] for k in VALID_KINDS)
        conflicted = tally["same_nik_other_name"]  # each spoiled one earlier valid row
        stats["expected"] = {
            "rows_total": rows,
            "new": valid - conflicted,
            "duplicate": tally["same_person_twice"],
            "invalid": sum(tally[k] for k in INVALID_KINDS) + tally["same_nik_other_name"] + conflicted,
        }

    return stream(), stats


def _cells(row: _Row, desa_column: bool) -> list:
    p = row.person
    cells = [row.nik, row.name, p["birth_place"], None, row.sex]
    if desa_column:
        cells.append(p["desa"])
    cells += [p["address"], row.rt, row.rw, p["occupation"], row.income]
    return cells


def _birth_csv(row: _Row) -> str:
    if row.birth_text:
        return row.birth_text
    style = "text" if row.date_style == "clean" else row.date_style
    return DATE_STYLES[style](row.person["birth_date"])


def write_csv(path: Path, rows: Iterator[_Row], *, delimiter: str = ",", encoding: str = "utf-8",
              desa_column: bool = True) -> None:
    header = HEADER if desa_column else [h for h in HEADER if h != "kode_desa"]
    with open(path, "w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)  # lines end in CRLF, as Excel writes them
        writer.writerow(header)
        for row in rows:
            cells = _cells(row, desa_column)
            cells[3] = _birth_csv(row)
            writer.writerow(["" if c is None else c for c in cells])


def write_xlsx(path: Path, rows: Iterator[_Row], *, desa_column: bool = True) -> None:
    import xlsxwriter

    header = HEADER if desa_column else [h for h in HEADER if h != "kode_desa"]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Peserta")
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "dd-mm-yyyy"})
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 28)
    sheet.write_row(0, 0, header, bold)
    number_columns = {header.index("kode_pekerjaan"), header.index("penghasilan")}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(_cells(row, desa_column)):
            if c == 3:
                if row.birth_text or row.date_style != "clean":
                    sheet.write_string(r, c, _birth_csv(row))
                else:
                    sheet.write_datetime(r, c, row.person["birth_date"], date_format)
            elif c in number_columns and isinstance(value, int):
                sheet.write_number(r, c, value)
            elif value not in (None, ""):
                sheet.write_string(r, c, str(value))  # NIK, RT, RW as text, as the template asks
    book.close()


def generate(out: str | Path, *, rows: int, fmt: str = "csv", desa_count: int = DEFAULT_DESA_COUNT,
             seed: int = DEFAULT_SEED, bad_share: float = 0.05, delimiter: str = ",", encoding: str = "utf-8",
             desa_column: bool = True, desa: list[str] | None = None) -> dict:
    """Write the file and its `.expect.json`; returns what the JSON holds."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    codes = desa or desa_codes(desa_count, seed)
    if not desa_column and len(codes) > 1:
        raise ValueError("a file without kode_desa can hold only one desa")
    stream, stats = plan_rows(rows, desa_count=len(codes), seed=seed, bad_share=bad_share, codes=codes)
    partial = out.with_name(f".{out.name}.partial")  # renamed when complete: a stopped run leaves no half file
    try:
        if fmt == "xlsx":
            write_xlsx(partial, stream, desa_column=desa_column)
        else:
            write_csv(partial, stream, delimiter=delimiter, encoding=encoding, desa_column=desa_column)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    info = {"params": params(rows=rows, fmt=fmt, desa_count=len(codes), seed=seed, bad_share=bad_share,
                             delimiter=delimiter, encoding=encoding, desa_column=desa_column, desa=desa),
            "first_desa": codes[:3], "size_bytes": out.stat().st_size, **stats}
    expect_path(out).write_text(json.dumps(info, indent=1, ensure_ascii=False))
    return info


def params(*, rows, fmt, desa_count, seed, bad_share, delimiter, encoding, desa_column, desa=None) -> dict:
    """What determines a file's content (a cached file is reused only when these match)."""
    return {"rows": rows, "format": fmt, "desa_count": desa_count, "seed": seed, "bad_share": bad_share,
            "delimiter": delimiter if fmt == "csv" else "", "encoding": encoding if fmt == "csv" else "",
            "desa_column": desa_column, "desa": desa or [], "version": 1}


def expect_path(path: Path) -> Path:
    return path.with_name(path.name + ".expect.json")


def cached(out: str | Path, **kw) -> dict:
    """`generate`, unless `out` exists with a matching `.expect.json` (the same arguments)."""
    out = Path(out)
    sidecar = expect_path(out)
    wanted = params(rows=kw["rows"], fmt=kw.get("fmt", "csv"), desa_count=kw.get("desa_count", DEFAULT_DESA_COUNT),
                    seed=kw.get("seed", DEFAULT_SEED), bad_share=kw.get("bad_share", 0.05),
                    delimiter=kw.get("delimiter", ","), encoding=kw.get("encoding", "utf-8"),
                    desa_column=kw.get("desa_column", True), desa=kw.get("desa"))
    if out.exists() and sidecar.exists():
        info = json.loads(sidecar.read_text())
        if info.get("params") == wanted and info.get("size_bytes") == out.stat().st_size:
            info["cached"] = True
            return info
    return generate(out, **kw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--rows", type=int, required=True, help="data rows in the file (duplicates included)")
    parser.add_argument("--format", choices=["csv", "xlsx"], help="default: from --out's suffix, else csv")
    parser.add_argument("--out", required=True, help="file to write (its .expect.json goes next to it)")
    parser.add_argument("--desa-count", type=int, default=DEFAULT_DESA_COUNT,
                        help=f"desa the people live in, spread over the country (default {DEFAULT_DESA_COUNT})")
    parser.add_argument("--desa", help="comma-separated desa codes instead of --desa-count, e.g. 33.11.11.2004")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--bad-share", type=float, default=0.05,
                        help="share of messy rows, 0..1 (default 0.05; 0 gives a clean file)")
    parser.add_argument("--delimiter", choices=[",", ";"], default=",", metavar="{',',';'}",
                        help="CSV only (default ',')")
    parser.add_argument("--encoding", choices=["utf-8", "utf-8-sig", "cp1252"], default="utf-8", help="CSV only")
    parser.add_argument("--no-desa-column", action="store_true",
                        help="leave out kode_desa (one desa only; import with --desa CODE)")
    args = parser.parse_args(argv)
    if not 0 <= args.bad_share <= 1:
        parser.error("--bad-share must be between 0 and 1")
    fmt = args.format or ("xlsx" if args.out.lower().endswith(".xlsx") else "csv")
    desa = [c.strip() for c in args.desa.split(",") if c.strip()] if args.desa else None
    if args.no_desa_column and not desa and args.desa_count != 1:
        parser.error("--no-desa-column needs --desa-count 1 or one --desa")
    info = generate(args.out, rows=args.rows, fmt=fmt, desa_count=args.desa_count, seed=args.seed,
                    bad_share=args.bad_share, delimiter=args.delimiter, encoding=args.encoding,
                    desa_column=not args.no_desa_column, desa=desa)
    expected = info["expected"]
    print(f"{args.out}: {args.rows:,} rows from {info['desa']:,} desa, {info['size_bytes'] / 1e6:,.1f} MB. "
          f"The import should report {expected['new']:,} new, {expected['duplicate']:,} duplicate, "
          f"{expected['invalid']:,} invalid (details in {expect_path(Path(args.out)).name}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
