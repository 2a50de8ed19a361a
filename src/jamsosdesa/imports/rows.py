"""Turn one row of cells into clean participant fields, or into what is wrong with it.

The fields are checked by the participant field cleaner (`participants.fields`), the one the registration
form and the API use, so a value gets the same verdict, code and words wherever it is entered. What belongs
to files is done here: columns by position, the import's desa for rows without one, OpenSID's dusun merged
into the address, village positions read from OpenSID occupation codes, and OpenSID's status_dasar.

Written for speed (a million rows): `_quick` takes a row as our template and most villages' files carry it
without calling the cleaner. It is only a pre-filter: it never refuses a row, and it hands every row it is not
sure the cleaner would take as it is, without a warning, to `_full`, so both always give the same result.
"""

from datetime import date, datetime

from jamsosdesa.core import clock
from jamsosdesa.core.text import has_bad_chars, strip_bad_chars
from jamsosdesa.participants import fields
from jamsosdesa.participants.fields import MAX_INCOME, MAX_LENGTH, SEX, DesaStatus, Facts, FieldIssue, as_text
from jamsosdesa.participants.models import SectorSource, VillageRole

from .columns import FIELD_LABELS

DIED = {"2", "MATI", "MENINGGAL", "MENINGGAL DUNIA", "WAFAT"}
# OpenSID occupation codes that are village positions.
ROLE_FROM_OCCUPATION = {85: VillageRole.VILLAGE_OFFICIAL.value, 86: VillageRole.VILLAGE_HEAD.value}
MAX_INCOME_DIGITS = len(str(MAX_INCOME))


def _quick_birth_digits() -> frozenset[str]:
    """Digits 7-10 of a NIK (day, +40 for women, and month) that are a real date in every century."""
    long_months = (1, 3, 5, 7, 8, 10, 12)
    days = {month: 31 if month in long_months else 30 if month != 2 else 28 for month in range(1, 13)}
    return frozenset(f"{day + extra:02d}{month:02d}" for month, last in days.items() for day in range(1, last + 1)
                     for extra in (0, 40))


QUICK_BIRTH_DIGITS = _quick_birth_digits()


def quick_nik_ok(nik: str) -> bool:
    """True only for a NIK `check_nik` surely accepts (16 ASCII digits, a real date in any century, serial
    and region not zero); anything else goes to `check_nik` for its messages. 29 February depends on the
    century and always goes there."""
    return (len(nik) == 16 and nik.isascii() and nik.isdigit() and nik[6:10] in QUICK_BIRTH_DIGITS
            and not nik.endswith("0000") and nik[0:2] != "00" and nik[2:4] != "00" and nik[4:6] != "00")


class RowParser:
    """Prepared once per import: positions of the fields, the field cleaner and the quick path's lookups.

    `known_desa` are the desa codes rows may name (current, in the user's area); `desa_status` tells, for a code
    outside them, whether it is unknown, not current or outside the user's area (default: unknown)."""

    def __init__(self, positions: dict[str, int], *, default_desa: str, occupations: dict[int, str],
                 known_desa: set[str], today: date | None = None, desa_status=None, outreach_code_known=None):
        self.positions = positions
        self.default_desa = default_desa
        self.known_desa = known_desa
        self.today = today or clock.today()

        def status(code: str) -> str:
            if code in known_desa:
                return DesaStatus.OK
            return desa_status(code) if desa_status else DesaStatus.UNKNOWN

        # `outreach_code_known`: participants.outreach's checker (None: no outreach code is known, each is refused).
        self.cleaner = fields.ParticipantCleaner(Facts(today=self.today, occupations=occupations, desa_status=status,
                                                       outreach_code_known=outreach_code_known))
        self.items = list(positions.items())
        # The quick path handles rows as our template and most villages' files carry them; anything it
        # is not sure of goes to the full parser, so both always give the same result.
        self.width = max(positions.values()) + 1
        self.core_at = tuple(positions.get(f) for f in ("nik", "full_name", "birth_date", "sex", "desa"))
        self.quick_text = tuple((fld, positions[fld], MAX_LENGTH[fld]) for fld in ("birth_place", "address", "phone")
                                if fld in positions)
        self.quick_rt = tuple((fld, positions[fld]) for fld in ("rt", "rw") if fld in positions)
        self.occupation_at = positions.get("occupation")
        self.occupation_text = {str(code): code for code in occupations} | {"": None}
        self.role_from_occupation = "village_role" not in positions
        self.income_at = positions.get("declared_income")
        self.died_at = positions.get("died")
        self.blank_only = tuple(positions[f] for f in ("segment", "village_role", "kk", "kpj", "sector",
                                                       "outreach_code") if f in positions)
        self.blank_defaults = {f: v for f, v in (("kk", ""), ("kpj", None), ("outreach_code", "")) if f in positions}
        if "sector" in positions:  # a blank sector: taken from the occupation, as the cleaner says
            self.blank_defaults["sector_source"] = SectorSource.OCCUPATION.value
        self.quick_ok = "dusun" not in positions
        # Birth date cell -> (date, NIK digits 7-12 for a man, for a woman), for the dates seen so far.
        self.valid_dates: dict[object, tuple[date, str, str]] = {}

    def parse(self, cells: list) -> tuple[dict, list[FieldIssue], list[FieldIssue]]:
        """(clean fields, errors, warnings) of one row."""
        if self.quick_ok:
            out = self._quick(cells)
            if out is not None:
                return out, [], []
        return self._full(cells)

    def _quick(self, cells: list) -> dict | None:
        """Clean fields of a row with nothing wrong, nothing to warn about and nothing unusual, or None to use the
        full parser."""
        if len(cells) < self.width:
            return None
        nik_at, name_at, birth_at, sex_at, desa_at = self.core_at
        nik, name, birth_cell = cells[nik_at], cells[name_at], cells[birth_at]
        if type(nik) is not str or type(name) is not str or not quick_nik_ok(nik):
            return None
        name = " ".join(name.split())
        if not name or len(name) > 120 or has_bad_chars(name):  # characters the cleaner refuses
            return None
        seen = self.valid_dates.get(birth_cell)
        if seen is None:
            if type(birth_cell) is str:
                if len(birth_cell) != 10 or birth_cell[2] != "-" or birth_cell[5] != "-":
                    return None
                try:
                    birth = fields.parse_date(birth_cell, today=self.today)
                except (ValueError, OverflowError):
                    return None
            elif type(birth_cell) is datetime:
                birth = birth_cell.date()
            else:
                return None
            if birth > self.today or birth.year < 1900:
                return None
            month_year = f"{birth.month:02d}{birth.year % 100:02d}"
            seen = (birth, f"{birth.day:02d}{month_year}", f"{birth.day + 40:02d}{month_year}")
            self.valid_dates[birth_cell] = seen
        if sex_at is None:
            sex = "P" if nik[6:8] > "40" else "L"
        else:
            sex_cell = cells[sex_at]
            if type(sex_cell) is not str:
                return None
            sex = SEX.get(sex_cell) or SEX.get(sex_cell.strip().upper())
            if sex is None:
                if sex_cell.strip():
                    return None
                sex = "P" if nik[6:8] > "40" else "L"
        # The NIK must say this birth date and sex; otherwise the cleaner has a warning to give.
        if nik[6:12] != seen[1 if sex == "L" else 2]:
            return None
        if desa_at is None:
            desa = self.default_desa
        else:
            desa = cells[desa_at]
            if type(desa) is not str:
                return None
            desa = desa.strip() or self.default_desa
        if desa not in self.known_desa:
            return None
        out = {"nik": nik, "full_name": name, "birth_date": seen[0], "sex": sex, "desa": desa}
        for fld, at, limit in self.quick_text:
            text = cells[at]
            if type(text) is not str:
                return None
            text = "".join(text.split()) if fld == "phone" else " ".join(text.split())
            if len(text) > limit or has_bad_chars(text):
                return None
            out[fld] = text
        for fld, at in self.quick_rt:
            text = cells[at]
            if type(text) is not str:
                return None
            text = text.strip().lstrip("0")
            if not text or text == "-":
                out[fld] = ""
            elif len(text) <= 3 and text.isascii() and text.isdigit():
                out[fld] = text.zfill(3)
            else:
                return None
        at = self.occupation_at
        if at is not None:
            occ = cells[at]
            if type(occ) is not str:
                return None
            occ = self.occupation_text.get(occ)
            if occ is None:
                occ = self.occupation_text.get(cells[at].strip())
                if occ is None and cells[at].strip():
                    return None
            out["occupation"] = occ
            if self.role_from_occupation and occ in ROLE_FROM_OCCUPATION:
                out["village_role"] = ROLE_FROM_OCCUPATION[occ]
        at = self.income_at
        if at is not None:
            income = cells[at]
            if type(income) is not str:
                return None
            income = income.strip()
            if not income:
                out["declared_income"] = 0
            elif (len(income) <= MAX_INCOME_DIGITS and income.isascii() and income.isdigit()
                  and int(income) <= MAX_INCOME):
                out["declared_income"] = int(income)
            else:
                return None
        for at in self.blank_only:
            if not (type(cells[at]) is str and not cells[at].strip()):
                return None  # carries a value: the full parser knows the spellings
        if self.blank_defaults:
            out.update(self.blank_defaults)
        at = self.died_at
        if at is not None:
            died = cells[at]
            if type(died) is not str:
                return None
            out["died"] = died.strip().upper() in DIED
        return out

    def _full(self, cells: list) -> tuple[dict, list[FieldIssue], list[FieldIssue]]:
        raw = {}
        width = len(cells)
        for fld, index in self.items:
            raw[fld] = cells[index] if index < width else None
        raw["desa"] = as_text(raw.get("desa")) or self.default_desa
        if "address" in raw or "dusun" in raw:
            address = " ".join(as_text(raw.get("address")).split())
            dusun = as_text(raw.pop("dusun", None)).lstrip("'")
            if dusun and dusun not in ("-", "0") and dusun.upper() not in address.upper():
                address = f"{address}, Dusun {dusun}" if address else f"Dusun {dusun}"
            raw["address"] = address
        died = raw.pop("died", None)

        cleaned = self.cleaner.clean(raw)
        out = cleaned.values
        if self.role_from_occupation and out.get("occupation") in ROLE_FROM_OCCUPATION:
            out["village_role"] = ROLE_FROM_OCCUPATION[out["occupation"]]
        if "died" in self.positions:
            out["died"] = as_text(died).upper() in DIED
        if cleaned.errors:  # for the report: who the row is about, as far as it can be read
            out.setdefault("nik", strip_bad_chars(fields.normalize_nik(raw.get("nik"))))
            out.setdefault("full_name", strip_bad_chars(" ".join(as_text(raw.get("full_name")).split())))
        return out, cleaned.errors, cleaned.warnings


def describe(issues: list[FieldIssue]) -> str:
    """One line for the report: 'NIK: …; tanggal lahir: ….' — a message's closing full stop is dropped before the
    '; ' that follows it, so the line never reads '(DD-MM-YYYY).; pekerjaan'."""
    parts = [f"{FIELD_LABELS.get(i.field, i.field)}: {i.message}" for i in issues]
    return "; ".join([p.rstrip().rstrip(".") for p in parts[:-1]] + parts[-1:])
