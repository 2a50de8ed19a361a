"""Turn one row of cells into clean participant fields, or into messages naming what is wrong.

Written for speed (a million rows): lookups are prepared once per import, and the full NIK check
(with its messages) only runs when the quick test finds something wrong.
"""

from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.participants.models import Segment, VillageRole
from jamsosdesa.participants.nik import check_nik

from .columns import FIELD_LABELS

EXCEL_EPOCH = date(1899, 12, 30)
SEX = {"1": "L", "L": "L", "LAKI-LAKI": "L", "LAKI LAKI": "L", "LAKILAKI": "L", "PRIA": "L", "M": "L", "MALE": "L",
       "2": "P", "P": "P", "PEREMPUAN": "P", "WANITA": "P", "W": "P", "F": "P", "FEMALE": "P"}
DIED = {"2", "MATI", "MENINGGAL", "MENINGGAL DUNIA", "WAFAT"}
# OpenSID occupation codes that are village positions.
ROLE_FROM_OCCUPATION = {85: VillageRole.VILLAGE_OFFICIAL.value, 86: VillageRole.VILLAGE_HEAD.value}
OCCUPATION_ALIASES = {"PEGAWAINEGERISIPIL": 6, "TENTARANASIONALINDONESIA": 7, "KEPOLISIANRI": 8,
                      "IMAMMESJID": 0, "PASTUR": 0, "ANGGOTAKABINET/KEMENTERIAN": 0}


def _squash(text: str) -> str:
    return "".join(text.upper().split())


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def normalize_nik(value) -> str:
    """The NIK as the importer compares it: spaces, dots, dashes and Excel's text apostrophe removed."""
    return cell_text(value).replace(" ", "").replace(".", "").replace("-", "").lstrip("'")


def parse_date(value) -> date | None:
    """Real Excel dates, Excel serial numbers, and text as dd-mm-yyyy, dd/mm/yyyy, yyyy-mm-dd, dd.mm.yyyy.
    Raises ValueError for a date that does not exist (31-02-1990)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        if 1 <= value < 100_000:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError
    text = str(value).strip().lstrip("'")
    if " " in text:  # "1990-05-05 00:00:00"
        text = text.split(" ", 1)[0]
    for sep in ("-", "/", "."):
        if sep in text:
            parts = text.split(sep)
            break
    else:
        if len(text) == 8 and text.isdigit():  # ddmmyyyy
            parts = [text[:2], text[2:4], text[4:]]
        else:
            raise ValueError
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        raise ValueError
    a, b, c = (int(p) for p in parts)
    if len(parts[0].strip()) == 4:
        return date(a, b, c)
    if len(parts[2].strip()) == 2:
        c += 2000 if c <= clock.today().year % 100 else 1900
    return date(c, b, a)


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
    """Prepared once per import: positions of the fields and lookups of codes."""

    def __init__(self, positions: dict[str, int], *, default_desa: str, occupations: dict[int, str],
                 known_desa: set[str], today: date | None = None):
        self.positions = positions
        self.default_desa = default_desa
        self.occupation_codes = set(occupations)
        self.occupation_by_name = {_squash(name): code for code, name in occupations.items()}
        self.occupation_by_name.update({k: v for k, v in OCCUPATION_ALIASES.items() if v})
        self.known_desa = known_desa
        self.today = today or clock.today()
        self.segments = {s.upper() for s in Segment.values}
        self.roles = set(VillageRole.values)
        self.role_by_label = {_squash(str(label)): value for value, label in VillageRole.choices}
        self.items = list(positions.items())
        # The quick path handles rows as our template and most villages' files carry them; anything it
        # is not sure of goes to the full parser, so both always give the same result.
        self.width = max(positions.values()) + 1
        self.core_at = tuple(positions.get(f) for f in ("nik", "full_name", "birth_date", "sex", "desa"))
        self.quick_text = tuple((fld, positions[fld], limit) for fld, limit in
                                (("birth_place", 60), ("address", 200), ("phone", 20)) if fld in positions)
        self.quick_rt = tuple((fld, positions[fld]) for fld in ("rt", "rw") if fld in positions)
        self.occupation_at = positions.get("occupation")
        self.occupation_text = {str(code): code for code in self.occupation_codes} | {"": None}
        self.role_from_occupation = "village_role" not in positions
        self.income_at = positions.get("declared_income")
        self.died_at = positions.get("died")
        self.blank_only = tuple(positions[f] for f in ("segment", "village_role", "kk", "kpj") if f in positions)
        self.blank_defaults = {f: v for f, v in (("kk", ""), ("kpj", None)) if f in positions}
        self.quick_ok = "dusun" not in positions
        self.valid_dates: dict[str, date] = {}

    def parse(self, cells: list) -> tuple[dict, list[tuple[str, str]]]:
        if self.quick_ok:
            out = self._quick(cells)
            if out is not None:
                return out, []
        return self._full(cells)

    def _quick(self, cells: list) -> dict | None:
        """Clean fields of a row with nothing wrong and nothing unusual, or None to use the full parser."""
        if len(cells) < self.width:
            return None
        nik_at, name_at, birth_at, sex_at, desa_at = self.core_at
        nik, name, birth_cell = cells[nik_at], cells[name_at], cells[birth_at]
        if type(nik) is not str or type(name) is not str or not quick_nik_ok(nik):
            return None
        name = " ".join(name.split())
        if not name or len(name) > 120:
            return None
        birth = self.valid_dates.get(birth_cell)
        if birth is None:
            if type(birth_cell) is str:
                if len(birth_cell) != 10 or birth_cell[2] != "-" or birth_cell[5] != "-":
                    return None
                try:
                    birth = parse_date(birth_cell)
                except (ValueError, OverflowError):
                    return None
            elif type(birth_cell) is datetime:
                birth = birth_cell.date()
            else:
                return None
            if birth > self.today or birth.year < 1900:
                return None
            self.valid_dates[birth_cell] = birth
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
        if desa_at is None:
            desa = self.default_desa
        else:
            desa = cells[desa_at]
            if type(desa) is not str:
                return None
            desa = desa.strip() or self.default_desa
        if desa not in self.known_desa:
            return None
        out = {"nik": nik, "full_name": name, "birth_date": birth, "sex": sex, "desa": desa}
        for fld, at, limit in self.quick_text:
            text = cells[at]
            if type(text) is not str:
                return None
            out[fld] = (text.strip().replace(" ", "") if fld == "phone" else " ".join(text.split()))[:limit]
        for fld, at in self.quick_rt:
            text = cells[at]
            if type(text) is not str:
                return None
            text = text.strip().lstrip("0")
            if not text or text == "-":
                out[fld] = ""
            elif len(text) <= 3 and text.isdigit():
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
            elif income.isdigit():
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

    def _full(self, cells: list) -> tuple[dict, list[tuple[str, str]]]:
        raw = {}
        width = len(cells)
        for fld, index in self.items:
            raw[fld] = cells[index] if index < width else None
        errors: list[tuple[str, str]] = []
        out: dict = {}

        # NIK ----------------------------------------------------------------------------------
        value = raw.get("nik")
        if isinstance(value, float) and value >= 1e15 and value.is_integer() and int(value) % 10 == 0:
            errors.append(("nik", _("NIK tersimpan sebagai angka sehingga digit terakhir bisa hilang (Excel hanya "
                                    "menyimpan 15 digit). Format kolom NIK sebagai teks lalu ketik ulang.")))
        nik = normalize_nik(value)
        if nik in ("", "0"):
            errors.append(("nik", _("Belum punya NIK; tidak dapat didaftarkan sebelum memiliki NIK.")))
        elif not quick_nik_ok(nik):
            result = check_nik(nik, region_status=lambda prefix: "current", today=self.today)
            errors.extend(("nik", issue.message) for issue in result.errors)
        out["nik"] = nik

        # Name, place ----------------------------------------------------------------------------
        name = " ".join(cell_text(raw.get("full_name")).split())
        if not name:
            errors.append(("full_name", _("Nama wajib diisi.")))
        elif len(name) > 120:
            errors.append(("full_name", _("Nama paling banyak 120 karakter.")))
        out["full_name"] = name
        if "birth_place" in raw:
            out["birth_place"] = " ".join(cell_text(raw["birth_place"]).split())[:60]

        # Birth date and sex ------------------------------------------------------------------------
        try:
            birth = parse_date(raw.get("birth_date"))
        except (ValueError, OverflowError):
            birth = None
            errors.append(("birth_date", _("Tanggal lahir '%(v)s' tidak ada atau tidak dikenali (pakai DD-MM-YYYY).")
                           % {"v": cell_text(raw.get("birth_date"))}))
        else:
            if birth is None:
                errors.append(("birth_date", _("Tanggal lahir wajib diisi.")))
            elif birth > self.today or birth.year < 1900:
                errors.append(("birth_date", _("Tanggal lahir %(v)s tidak mungkin.") % {"v": birth.isoformat()}))
        out["birth_date"] = birth
        sex_text = cell_text(raw.get("sex")).upper()
        sex = SEX.get(sex_text)
        if sex is None:
            if sex_text:
                errors.append(("sex", _("Jenis kelamin '%(v)s' tidak dikenal (L/P atau 1/2).") % {"v": sex_text}))
            elif len(nik) == 16 and nik[6:8].isdigit():
                sex = "P" if int(nik[6:8]) > 40 else "L"  # taken from the NIK
            else:
                errors.append(("sex", _("Jenis kelamin wajib diisi.")))
        out["sex"] = sex

        # Where ------------------------------------------------------------------------------------
        desa = cell_text(raw.get("desa")) or self.default_desa
        if not desa:
            errors.append(("desa", _("Kode desa wajib diisi (kolom kode_desa atau pilih desa tujuan).")))
        elif desa not in self.known_desa:
            errors.append(("desa", _("Kode desa %(c)s tidak dikenal atau di luar wilayah kerja Anda.") % {"c": desa}))
        out["desa"] = desa
        if "address" in raw or "dusun" in raw:
            address = " ".join(cell_text(raw.get("address")).split())
            dusun = cell_text(raw.get("dusun")).lstrip("'")
            if dusun and dusun not in ("-", "0") and dusun.upper() not in address.upper():
                address = f"{address}, Dusun {dusun}" if address else f"Dusun {dusun}"
            out["address"] = address[:200]
        for key in ("rt", "rw"):
            if key in raw:
                text = cell_text(raw[key]).lstrip("'").lstrip("0")  # '004: Excel's text marker, as OpenSID writes
                if text in ("", "-"):
                    out[key] = ""
                elif text.isdigit() and len(text) <= 3:
                    out[key] = text.zfill(3)
                else:
                    errors.append((key, _("%(f)s harus angka (paling banyak 3 digit).") % {"f": key.upper()}))
        if "phone" in raw:
            out["phone"] = cell_text(raw["phone"]).replace(" ", "")[:20]

        # Work -------------------------------------------------------------------------------------
        if "occupation" in raw:
            occ = cell_text(raw["occupation"])
            if not occ:
                out["occupation"] = None
            elif occ.isdigit() and int(occ) in self.occupation_codes:
                out["occupation"] = int(occ)
            elif _squash(occ) in self.occupation_by_name:
                out["occupation"] = self.occupation_by_name[_squash(occ)]
            else:
                errors.append(("occupation", _("Pekerjaan '%(v)s' tidak dikenal (kode 1–89 atau nama).") % {"v": occ}))
        if "segment" in raw:
            seg = cell_text(raw["segment"]).upper()
            if seg and seg not in self.segments:
                errors.append(("segment", _("Segmen '%(v)s' tidak dikenal (PU, BPU, JAKON, PMI).") % {"v": seg}))
            elif seg:
                out["segment"] = seg
        if "village_role" in raw:
            role = cell_text(raw["village_role"])
            if role:
                key = role if role in self.roles else self.role_by_label.get(_squash(role))
                if key is None:
                    errors.append(("village_role", _("Peran '%(v)s' tidak dikenal.") % {"v": role}))
                else:
                    out["village_role"] = key
        elif out.get("occupation") in ROLE_FROM_OCCUPATION:
            out["village_role"] = ROLE_FROM_OCCUPATION[out["occupation"]]
        if "declared_income" in raw:
            income = cell_text(raw["declared_income"]).upper().replace("RP", "").replace(".", "").replace(",", "")
            income = income.replace(" ", "")
            if not income:
                out["declared_income"] = 0
            elif income.isdigit():
                out["declared_income"] = int(income)
            else:
                errors.append(("declared_income", _("Penghasilan harus bilangan bulat rupiah tanpa tanda minus.")))
        if "kk" in raw:
            kk = cell_text(raw["kk"]).replace(" ", "").replace(".", "")
            if kk in ("", "0"):
                out["kk"] = ""
            elif len(kk) == 16 and kk.isdigit():
                out["kk"] = kk
            else:
                errors.append(("kk", _("Nomor KK harus 16 digit angka.")))
        if "kpj" in raw:
            kpj = cell_text(raw["kpj"]).replace(" ", "")
            if not kpj:
                out["kpj"] = None
            elif len(kpj) == 11 and kpj.isdigit():
                out["kpj"] = kpj
            else:
                errors.append(("kpj", _("Nomor KPJ harus 11 digit angka.")))
        if "died" in raw:
            out["died"] = cell_text(raw["died"]).upper() in DIED
        return out, errors


def describe(errors: list[tuple[str, str]]) -> str:
    """One line for the report: 'NIK: …; tanggal lahir: …'."""
    return "; ".join(f"{FIELD_LABELS.get(f, f)}: {m}" for f, m in errors)
