"""One cleaner for a participant's fields: the registration form and the API (through `participant_register`
and `participant_update`) and the file import all call it, so a value gets the same verdict, the same code
and the same words wherever it was entered.

Pure: no database and no clock. The few facts it needs come in `Facts` (today, the occupation list, how a
desa code stands for the user at hand, and optionally how the NIK's kecamatan stands). Prepare a
`ParticipantCleaner` once (an import: once per file) and call `clean(raw)` for each person.

Values arrive as a form posts them (text), as JSON gives them (int, date) or as a spreadsheet holds them
(text, float, datetime, Excel date serials): every field takes all of these.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.utils.translation import gettext as _

from jamsosdesa.core.money import rupiah
from jamsosdesa.core.text import has_bad_chars, is_ascii_digits

from .models import HeirRelation, Sector, SectorSource, Segment, VillageRole
from .nik import check_kk, check_kpj, check_nik, normalize_number
from .outreach import CODE_MAX_LENGTH, normalize_outreach_code

# The fields a caller may set, in the order their messages are given.
FIELDS = ("nik", "kk", "full_name", "birth_place", "birth_date", "sex", "desa", "address", "rt", "rw",
          "phone", "occupation", "sector", "segment", "village_role", "declared_income", "kpj", "outreach_code")
REQUIRED = ("nik", "full_name", "birth_date", "sex", "desa")
MAX_LENGTH = {"full_name": 120, "birth_place": 60, "address": 200, "phone": 20}
MAX_INCOME = 10**12  # Rp1 trillion a month: anything above is a typing error (and would not fit the column)
HEIR_MAX_LENGTH = {"name": 120, "phone": 20}
EXCEL_EPOCH = date(1899, 12, 30)

SEX = {"1": "L", "L": "L", "LAKI-LAKI": "L", "LAKI LAKI": "L", "LAKILAKI": "L", "PRIA": "L", "M": "L", "MALE": "L",
       "2": "P", "P": "P", "PEREMPUAN": "P", "WANITA": "P", "W": "P", "F": "P", "FEMALE": "P"}
# Occupation names as villages write them that differ from the Dukcapil list (0: no code fits).
OCCUPATION_ALIASES = {"PEGAWAINEGERISIPIL": 5, "TENTARANASIONALINDONESIA": 6, "KEPOLISIANRI": 7,
                      "IMAMMESJID": 0, "PASTUR": 0, "ANGGOTAKABINET/KEMENTERIAN": 0}


class Code(StrEnum):
    """Stable codes of what is wrong with a field (API clients and tests rely on them; messages may change)."""

    REQUIRED = "required"
    BAD_CHARS = "bad_chars"
    TOO_LONG = "too_long"
    NIK_REQUIRED = "nik_required"
    NIK_STORED_AS_NUMBER = "nik_stored_as_number"
    NIK_NOT_DIGITS = "nik_not_digits"
    NIK_LENGTH = "nik_length"
    NIK_BAD_DATE = "nik_bad_date"
    NIK_BAD_SERIAL = "nik_bad_serial"
    NIK_BAD_REGION = "nik_bad_region"
    BIRTH_DATE_INVALID = "birth_date_invalid"
    BIRTH_DATE_FUTURE = "birth_date_future"
    BIRTH_DATE_BEFORE_1900 = "birth_date_before_1900"
    SEX_UNKNOWN = "sex_unknown"
    DESA_UNKNOWN = "desa_unknown"
    DESA_NOT_CURRENT = "desa_not_current"
    DESA_OUTSIDE_SCOPE = "desa_outside_scope"
    RT_RW_INVALID = "rt_rw_invalid"
    OCCUPATION_UNKNOWN = "occupation_unknown"
    SEGMENT_UNKNOWN = "segment_unknown"
    SECTOR_UNKNOWN = "sector_unknown"
    VILLAGE_ROLE_UNKNOWN = "village_role_unknown"
    INCOME_INVALID = "income_invalid"
    INCOME_TOO_LARGE = "income_too_large"
    KK_NOT_DIGITS = "kk_not_digits"
    KK_LENGTH = "kk_length"
    KPJ_INVALID = "kpj_invalid"
    HEIR_RELATION_UNKNOWN = "heir_relation_unknown"
    OUTREACH_CODE_UNKNOWN = "outreach_code_unknown"  # no outreach (sosialisasi) event has this code
    # A NIK or KPJ held by a record this user does not see: refused without saying so (see `refused_issue`).
    NIK_REFUSED = "nik_refused"
    KPJ_REFUSED = "kpj_refused"
    # Warnings: the value may be right, an operator confirms it.
    NIK_BIRTH_DATE_MISMATCH = "nik_birth_date_mismatch"
    NIK_SEX_MISMATCH = "nik_sex_mismatch"
    NIK_REGION_UNKNOWN = "nik_region_unknown"
    NIK_REGION_HISTORICAL = "nik_region_historical"


NIK_WARNINGS = frozenset({Code.NIK_BIRTH_DATE_MISMATCH, Code.NIK_SEX_MISMATCH, Code.NIK_REGION_UNKNOWN,
                          Code.NIK_REGION_HISTORICAL})


class DesaStatus(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"  # no such code
    NOT_CURRENT = "not_current"  # a historical code, or not a desa/kelurahan
    OUTSIDE = "outside"  # a current desa outside the user's area


@dataclass(frozen=True, slots=True)
class FieldIssue:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"field": self.field, "code": str(self.code), "message": self.message}


@dataclass(frozen=True)
class Facts:
    """What the cleaner cannot know by itself."""

    today: date
    occupations: Mapping[int, str]  # code -> name
    desa_status: Callable[[str], str]  # desa code -> a DesaStatus
    # First six NIK digits -> 'current' / 'historical' / 'unknown'; None: the NIK's kecamatan is not checked.
    nik_region_status: Callable[[str], str] | None = None
    # A normalised outreach event code -> whether an event has it (participants.outreach); None: no code is known.
    outreach_code_known: Callable[[str], bool] | None = None


@dataclass
class Cleaned:
    values: dict = field(default_factory=dict)
    errors: list[FieldIssue] = field(default_factory=list)
    warnings: list[FieldIssue] = field(default_factory=list)


def squash(text: str) -> str:
    return "".join(text.upper().split())


def as_text(value) -> str:
    """A value as the text a person would read in it: 3.0 -> '3', a datetime -> its ISO date."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def normalize_nik(value) -> str:
    """A NIK as it is compared and stored: spaces, dots, dashes and Excel's text apostrophe removed."""
    return normalize_number(as_text(value).lstrip("'"))


def nik_list(values: Iterable) -> list[str]:
    """A list of NIKs as a person, a request or a file gave it (an enrolment list, a DTKS/DTSEN list): each
    normalised as `normalize_nik` does, blanks left out, each once, in the order given."""
    return list(dict.fromkeys(nik for nik in map(normalize_nik, values) if nik))


def parse_date(value, *, today: date) -> date | None:
    """Real dates, Excel serial numbers, and text as dd-mm-yyyy, dd/mm/yyyy, yyyy-mm-dd, dd.mm.yyyy, ddmmyyyy or
    dd-mm-yy (a two-digit year up to this year's is this century's). None when empty; raises ValueError (or
    OverflowError) for a date that does not exist or cannot be read."""
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
    if len(parts) != 3 or not all(is_ascii_digits(p.strip()) for p in parts):
        raise ValueError
    a, b, c = (int(p) for p in parts)
    if len(parts[0].strip()) == 4:
        return date(a, b, c)
    if len(parts[2].strip()) == 2:
        c += 2000 if c <= today.year % 100 else 1900
    return date(c, b, a)


def _every_region_current(prefix: str) -> str:
    return "current"


def _issue(fld: str, code: str, message: str) -> FieldIssue:
    return FieldIssue(fld, Code(code), message)


def nik_warnings(nik: str, *, birth_date: date | None, sex: str | None, facts: Facts) -> list[FieldIssue]:
    """What an operator must confirm about a valid NIK: birth date or sex disagreeing with it, an unknown or
    old kecamatan (when `facts` can tell)."""
    result = check_nik(nik, birth_date=birth_date, sex=sex, today=facts.today,
                       region_status=facts.nik_region_status or _every_region_current)
    return [_issue(w.field, w.code, w.message) for w in result.warnings if w.code in NIK_WARNINGS]


class ParticipantCleaner:
    """Prepared once for a set of facts; `clean` then checks one person's values."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.occupation_codes = frozenset(facts.occupations)
        self.occupation_by_name = {squash(name): code for code, name in facts.occupations.items()}
        self.occupation_by_name.update({k: v for k, v in OCCUPATION_ALIASES.items() if v in self.occupation_codes})
        self.segments = frozenset(Segment.values)
        self.sectors = frozenset(Sector.values)
        self.roles = frozenset(VillageRole.values)
        self.role_by_label = {squash(str(label)): value for value, label in VillageRole.choices}
        self.region_status = facts.nik_region_status or _every_region_current

    def clean(self, raw: Mapping, *, partial: bool = False) -> Cleaned:
        """Check the fields in `raw`. A field missing from `raw` is not checked and not returned, except that a
        new person (`partial=False`) needs every required field. Sex, when not given, is read from the NIK."""
        out: dict = {}
        errors: list[FieldIssue] = []

        def error(fld: str, code: Code, message: str) -> None:
            errors.append(FieldIssue(fld, code, message))

        values = {}
        for name in FIELDS:
            if name not in raw:
                if not partial and name in REQUIRED and name != "sex":
                    if name == "nik":
                        error(name, Code.NIK_REQUIRED, _no_nik_message())
                    else:
                        error(name, Code.REQUIRED, _("Wajib diisi."))
                continue
            value = raw[name]
            if isinstance(value, str) and has_bad_chars(value):
                error(name, Code.BAD_CHARS, _("Berisi karakter yang tidak sah."))
                continue
            values[name] = value

        for name in ("full_name", "birth_place", "address", "phone"):
            if name in values:
                text = as_text(values[name])
                text = "".join(text.split()) if name == "phone" else " ".join(text.split())
                if not text and name in REQUIRED:
                    error(name, Code.REQUIRED, _("Wajib diisi."))
                elif len(text) > MAX_LENGTH[name]:
                    error(name, Code.TOO_LONG, _("Paling banyak %(n)d karakter.") % {"n": MAX_LENGTH[name]})
                else:
                    out[name] = text

        birth = None
        if "birth_date" in values:
            value = values["birth_date"]
            try:
                birth = parse_date(value, today=self.facts.today)
            except (ValueError, OverflowError):
                error("birth_date", Code.BIRTH_DATE_INVALID,
                      _("Tanggal lahir '%(v)s' tidak ada atau tidak dikenali (pakai DD-MM-YYYY).")
                      % {"v": as_text(value)})
            else:
                if birth is None:
                    error("birth_date", Code.REQUIRED, _("Wajib diisi."))
                elif birth > self.facts.today:
                    error("birth_date", Code.BIRTH_DATE_FUTURE, _("Tanggal lahir tidak boleh di masa depan."))
                    birth = None
                elif birth.year < 1900:
                    error("birth_date", Code.BIRTH_DATE_BEFORE_1900, _("Tanggal lahir sebelum 1900 tidak mungkin."))
                    birth = None
                else:
                    out["birth_date"] = birth

        sex = None
        sex_given = "sex" in values and as_text(values["sex"]) != ""
        if sex_given:
            text = as_text(values["sex"]).upper()
            sex = SEX.get(text) or SEX.get(" ".join(text.split()))
            if sex is None:
                error("sex", Code.SEX_UNKNOWN, _("Jenis kelamin '%(v)s' tidak dikenal (L/P atau 1/2).") % {"v": text})

        warnings: list[FieldIssue] = []
        nik_sex = None
        if "nik" in values:
            value = values["nik"]
            if isinstance(value, float) and value >= 1e15 and value.is_integer() and int(value) % 10 == 0:
                error("nik", Code.NIK_STORED_AS_NUMBER,
                      _("NIK tersimpan sebagai angka sehingga digit terakhir bisa hilang (Excel hanya menyimpan "
                        "15 digit). Format kolom NIK sebagai teks lalu ketik ulang."))
            nik = normalize_nik(value)
            if nik in ("", "0"):
                error("nik", Code.NIK_REQUIRED, _no_nik_message())
            else:
                result = check_nik(nik, birth_date=birth, sex=sex, today=self.facts.today,
                                   region_status=self.region_status)
                for issue in result.errors:
                    error("nik", Code(issue.code), issue.message)
                if result.valid:
                    out["nik"] = result.nik
                    warnings = [_issue(w.field, w.code, w.message) for w in result.warnings if w.code in NIK_WARNINGS]
                if result.sex and is_ascii_digits(nik) and len(nik) == 16:
                    nik_sex = result.sex
        if sex is not None:
            out["sex"] = sex
        elif not sex_given and ("sex" in values or not partial):
            if nik_sex:
                out["sex"] = nik_sex  # taken from the NIK
            else:
                error("sex", Code.REQUIRED, _("Wajib diisi."))

        if "desa" in values:
            code = as_text(values["desa"])
            if not code:
                error("desa", Code.REQUIRED, _("Wajib diisi."))
            else:
                status = self.facts.desa_status(code)
                if status == DesaStatus.OK:
                    out["desa"] = code
                elif status == DesaStatus.OUTSIDE:
                    error("desa", Code.DESA_OUTSIDE_SCOPE, _("Desa %(c)s di luar wilayah kerja Anda.") % {"c": code})
                elif status == DesaStatus.NOT_CURRENT:
                    error("desa", Code.DESA_NOT_CURRENT,
                          _("%(c)s bukan kode desa/kelurahan yang berlaku.") % {"c": code})
                else:
                    error("desa", Code.DESA_UNKNOWN, _("Kode desa %(c)s tidak dikenal.") % {"c": code})

        for name in ("rt", "rw"):
            if name in values:
                text = as_text(values[name]).lstrip("'").lstrip("0")  # '004: Excel's text marker, as OpenSID writes
                if text in ("", "-"):
                    out[name] = ""
                elif is_ascii_digits(text) and len(text) <= 3:
                    out[name] = text.zfill(3)
                else:
                    error(name, Code.RT_RW_INVALID,
                          _("%(f)s harus angka (paling banyak 3 digit).") % {"f": name.upper()})

        if "occupation" in values:
            text = as_text(values["occupation"])
            if not text:
                out["occupation"] = None
            elif is_ascii_digits(text) and len(text) <= 4 and int(text) in self.occupation_codes:
                out["occupation"] = int(text)
            elif squash(text) in self.occupation_by_name:
                out["occupation"] = self.occupation_by_name[squash(text)]
            else:
                error("occupation", Code.OCCUPATION_UNKNOWN,
                      _("Pekerjaan '%(v)s' tidak dikenal (kode 1–89 atau nama).") % {"v": text})

        if "sector" in values:
            # Chosen by hand: kept when the occupation changes later. Blank: taken from the occupation again
            # (Participant.fill_derived, participants.sectors).
            text = as_text(values["sector"])
            value = "_".join(text.lower().replace("/", " ").split())
            if not text:
                out["sector_source"] = SectorSource.OCCUPATION.value
            elif value in self.sectors:
                out["sector"], out["sector_source"] = value, SectorSource.MANUAL.value
            else:
                error("sector", Code.SECTOR_UNKNOWN, _("Sektor pekerjaan '%(v)s' tidak dikenal (pilih: %(list)s; "
                                                       "kosongkan agar mengikuti pekerjaan).")
                      % {"v": text, "list": ", ".join(Sector.values)})

        if "segment" in values:
            text = as_text(values["segment"]).upper()
            if text in self.segments:
                out["segment"] = text
            elif text:
                error("segment", Code.SEGMENT_UNKNOWN,
                      _("Segmen '%(v)s' tidak dikenal (PU, BPU, JAKON, PMI).") % {"v": text})

        if "village_role" in values:
            text = as_text(values["village_role"])
            role = text if text in self.roles else self.role_by_label.get(squash(text))
            if role:
                out["village_role"] = role
            elif text:
                error("village_role", Code.VILLAGE_ROLE_UNKNOWN, _("Peran '%(v)s' tidak dikenal.") % {"v": text})

        if "declared_income" in values:
            income, code = clean_income(values["declared_income"])
            if code == Code.INCOME_TOO_LARGE:
                error("declared_income", code,
                      _("Penghasilan paling banyak %(max)s per bulan.") % {"max": rupiah(MAX_INCOME)})
            elif code:
                error("declared_income", code, _("Penghasilan harus bilangan bulat rupiah tanpa tanda minus."))
            else:
                out["declared_income"] = income

        if "kk" in values:
            kk = normalize_number(as_text(values["kk"]).lstrip("'"))
            if kk in ("", "0"):
                out["kk"] = ""
            else:
                result = check_kk(kk, region_status=_every_region_current)
                for issue in result.errors:
                    error("kk", Code(issue.code), issue.message)
                if result.valid:
                    out["kk"] = result.nik

        if "kpj" in values:
            text = as_text(values["kpj"])
            if not text:
                out["kpj"] = None
            else:
                issues = check_kpj(text)
                for issue in issues:
                    error("kpj", Code(issue.code), issue.message)
                if not issues:
                    out["kpj"] = normalize_number(text)

        if "outreach_code" in values:
            text = as_text(values["outreach_code"])
            code = normalize_outreach_code(text)
            known = self.facts.outreach_code_known
            if not text:
                out["outreach_code"] = ""
            elif len(code) <= CODE_MAX_LENGTH and code and known is not None and known(code):
                out["outreach_code"] = code
            else:
                error("outreach_code", Code.OUTREACH_CODE_UNKNOWN,
                      _("Kode sosialisasi '%(v)s' tidak dikenal. Periksa kode di undangan atau halaman kegiatan, "
                        "atau kosongkan.") % {"v": text[:40]})

        order = {name: i for i, name in enumerate(FIELDS)}
        errors.sort(key=lambda issue: order.get(issue.field, len(order)))
        return Cleaned(out, errors, warnings)


def refused_issue(fld: str, value: str) -> FieldIssue:
    """A NIK or KPJ (`fld`) already held by a record outside the user's area. The registration form, the API and
    the import say it only once the person is otherwise complete and confirmed (until then the answer is the same
    as for a number nobody holds), and in these words, naming no person, desa or region: the branch office, which
    sees the record, resolves it."""
    if fld == "nik":
        message = _("NIK %(nik)s tidak dapat didaftarkan di sini; hubungi kantor cabang BPJS Ketenagakerjaan.")
        return FieldIssue(fld, Code.NIK_REFUSED, message % {"nik": value})
    message = _("Nomor KPJ %(kpj)s tidak dapat didaftarkan di sini; hubungi kantor cabang BPJS Ketenagakerjaan.")
    return FieldIssue(fld, Code.KPJ_REFUSED, message % {"kpj": value})


def _no_nik_message() -> str:
    return _("Belum punya NIK; tidak dapat didaftarkan sebelum memiliki NIK.")


def clean_income(value) -> tuple[int, Code | None]:
    """Whole rupiah a month from 1500000, 1500000.0 or 'Rp 1.500.000'; empty is 0."""
    if value is None:
        return 0, None
    if isinstance(value, bool):
        return 0, Code.INCOME_INVALID
    if isinstance(value, float):
        if not value.is_integer():  # also NaN and infinity
            return 0, Code.INCOME_INVALID
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            return 0, Code.INCOME_INVALID
        return (value, None) if value <= MAX_INCOME else (0, Code.INCOME_TOO_LARGE)
    text = "".join(as_text(value).upper().replace("RP", "").replace(".", "").replace(",", "").split())
    if not text:
        return 0, None
    if not is_ascii_digits(text):
        return 0, Code.INCOME_INVALID
    if len(text.lstrip("0")) > len(str(MAX_INCOME)) or int(text) > MAX_INCOME:
        return 0, Code.INCOME_TOO_LARGE
    return int(text), None


def clean_participant(raw: Mapping, facts: Facts, *, partial: bool = False) -> Cleaned:
    """`ParticipantCleaner(facts).clean(raw)`, for a single person."""
    return ParticipantCleaner(facts).clean(raw, partial=partial)


def clean_heirs(heirs: Iterable[Mapping], *, today: date) -> tuple[list[dict], list[FieldIssue]]:
    """Heirs as (name, relation, nik, phone) dicts, and what is wrong with them (fields `heirs[i].name` ...)."""
    out, errors = [], []
    for i, heir in enumerate(heirs):
        prefix = f"heirs[{i}]"
        name = " ".join(as_text(heir.get("name")).split())
        relation = as_text(heir.get("relation"))
        nik = normalize_number(heir.get("nik"))
        phone = as_text(heir.get("phone"))
        if any(has_bad_chars(v) for v in (name, relation, nik, phone)):
            errors.append(FieldIssue(prefix, Code.BAD_CHARS, _("Berisi karakter yang tidak sah.")))
            continue
        if not name:
            errors.append(FieldIssue(f"{prefix}.name", Code.REQUIRED, _("Nama ahli waris wajib diisi.")))
        elif len(name) > HEIR_MAX_LENGTH["name"]:
            errors.append(FieldIssue(f"{prefix}.name", Code.TOO_LONG,
                                     _("Paling banyak %(n)d karakter.") % {"n": HEIR_MAX_LENGTH["name"]}))
        if len(phone) > HEIR_MAX_LENGTH["phone"]:
            errors.append(FieldIssue(f"{prefix}.phone", Code.TOO_LONG,
                                     _("Paling banyak %(n)d karakter.") % {"n": HEIR_MAX_LENGTH["phone"]}))
        if relation not in HeirRelation.values:
            errors.append(FieldIssue(f"{prefix}.relation", Code.HEIR_RELATION_UNKNOWN,
                                     _("Hubungan ahli waris tidak dikenal.")))
        if nik:
            for issue in check_nik(nik, today=today, region_status=_every_region_current).errors:
                errors.append(FieldIssue(f"{prefix}.nik", Code(issue.code), issue.message))
        out.append({"name": name, "relation": relation, "nik": nik, "phone": phone})
    return out, errors


def messages_by_field(issues: Iterable[FieldIssue]) -> dict[str, list[str]]:
    """{field: [messages]}, the shape services put in `ServiceError.fields`."""
    fields: dict[str, list[str]] = {}
    for issue in issues:
        fields.setdefault(issue.field, []).append(issue.message)
    return fields
