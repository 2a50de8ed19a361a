"""NIK, KK and KPJ validation with one clear result.

Hard errors mean the value cannot be a NIK (length, non-digits, impossible date, serial 0000).
Warnings are for an operator to resolve: an unknown or historical region, or a birth date or sex
that disagrees with what was entered. The decoded facts come back with the result.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.text import is_ascii_digits

SEPARATORS = str.maketrans("", "", " .-\t")


@dataclass(frozen=True)
class Issue:
    code: str
    field: str
    message: str


@dataclass
class NikResult:
    nik: str
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    region_code: str | None = None
    region_status: str | None = None  # current / historical / unknown
    birth_date: date | None = None
    sex: str | None = None  # L / P
    serial: str | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        data = asdict(self)
        data["valid"] = self.valid
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        return data


def _region_status_from_db(prefix: str) -> str:
    from jamsosdesa.regions.selectors import kecamatan_status

    return kecamatan_status(prefix)


def _dotted(prefix6: str) -> str:
    return f"{prefix6[0:2]}.{prefix6[2:4]}.{prefix6[4:6]}"


def _decode_birth_date(day: int, month: int, yy: int, hint: date | None, today: date) -> date | None:
    years = [2000 + yy, 1900 + yy]
    if hint and hint.year % 100 == yy:
        years.insert(0, hint.year)  # the entered date decides the century when it can
    for year in years:
        if year > today.year:
            continue
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February exists in 2000 but not in 1900
        if candidate <= today:
            return candidate
    return None


def normalize_number(value: object) -> str:
    """Strip the separators people type into ID numbers (spaces, dots, dashes)."""
    return str(value or "").strip().translate(SEPARATORS)


def is_nik_shaped(value: str) -> bool:
    """Sixteen ASCII digits: what a NIK looks like (`check_nik` judges whether it can be one)."""
    return len(value) == 16 and is_ascii_digits(value)


def check_nik(
    value: object,
    *,
    birth_date: date | None = None,
    sex: str | None = None,
    region_status: Callable[[str], str] | None = None,
    today: date | None = None,
    field_name: str = "nik",
) -> NikResult:
    raw = str(value or "").strip()
    nik = normalize_number(raw)
    result = NikResult(nik=nik)
    today = today or clock.today()

    def error(code: str, message: str) -> NikResult:
        result.errors.append(Issue(code, field_name, message))
        return result

    if not nik:
        return error("nik_required", _("NIK wajib diisi."))
    if not is_ascii_digits(nik):
        return error("nik_not_digits", _("NIK hanya boleh berisi angka."))
    if len(nik) != 16:
        return error("nik_length", _("NIK harus 16 digit, yang diisi %(n)d digit.") % {"n": len(nik)})
    if nik != raw:
        result.warnings.append(Issue("nik_reformatted", field_name,
                                     _("Spasi atau titik pada NIK telah dihapus.")))

    prefix, day, month, yy, serial = nik[:6], int(nik[6:8]), int(nik[8:10]), int(nik[10:12]), nik[12:]
    result.serial = serial
    decoded_sex = "P" if day > 40 else "L"
    real_day = day - 40 if day > 40 else day
    decoded = _decode_birth_date(real_day, month, yy, birth_date, today) if 1 <= real_day <= 31 else None
    if decoded is None:
        error("nik_bad_date", _("Digit 7–12 NIK (%(d)s) bukan tanggal lahir yang mungkin.") % {"d": nik[6:12]})
    if serial == "0000":
        error("nik_bad_serial", _("Nomor urut NIK (4 digit terakhir) tidak boleh 0000."))
    if prefix[2:4] == "00" or prefix[4:6] == "00" or prefix[:2] == "00":
        error("nik_bad_region", _("Kode wilayah NIK (%(p)s) tidak mungkin.") % {"p": prefix})

    result.sex = decoded_sex
    result.birth_date = decoded
    result.region_code = _dotted(prefix)
    if not result.valid:
        return result

    status = (region_status or _region_status_from_db)(prefix)
    result.region_status = status
    if status == "unknown":
        result.warnings.append(Issue("nik_region_unknown", field_name,
                                     _("Kode kecamatan NIK %(c)s tidak dikenal.") % {"c": result.region_code}))
    elif status == "historical":
        result.warnings.append(Issue("nik_region_historical", field_name,
                                     _("Kode kecamatan NIK %(c)s adalah kode lama (sudah dimekarkan).")
                                     % {"c": result.region_code}))
    if birth_date and decoded and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        decoded.day, decoded.month, decoded.year % 100
    ):
        result.warnings.append(Issue("nik_birth_date_mismatch", "birth_date",
                                     _("Tanggal lahir %(e)s tidak sesuai dengan NIK (%(n)s).")
                                     % {"e": birth_date.strftime("%d-%m-%Y"), "n": decoded.strftime("%d-%m-%Y")}))
    if sex and sex.upper() in ("L", "P") and sex.upper() != decoded_sex:
        result.warnings.append(Issue("nik_sex_mismatch", "sex",
                                     _("Jenis kelamin %(e)s tidak sesuai dengan NIK (%(n)s).")
                                     % {"e": _sex_word(sex.upper()), "n": _sex_word(decoded_sex)}))
    return result


def _sex_word(code: str) -> str:
    """L/P in the reader's words (Laki-laki, Female): a code alone means nothing to an English reader."""
    from .models import Sex

    return str(Sex(code).label)


def check_kk(value: object, *, region_status: Callable[[str], str] | None = None,
             field_name: str = "kk") -> NikResult:
    """KK (family card) number: 16 digits, the first six the issuing kecamatan."""
    kk = normalize_number(value)
    result = NikResult(nik=kk)
    if not is_ascii_digits(kk):
        result.errors.append(Issue("kk_not_digits", field_name, _("Nomor KK hanya boleh berisi angka.")))
        return result
    if len(kk) != 16:
        result.errors.append(Issue("kk_length", field_name,
                                   _("Nomor KK harus 16 digit, yang diisi %(n)d digit.") % {"n": len(kk)}))
        return result
    result.region_code = _dotted(kk[:6])
    status = (region_status or _region_status_from_db)(kk[:6])
    result.region_status = status
    if status == "unknown":
        result.warnings.append(Issue("kk_region_unknown", field_name,
                                     _("Kode kecamatan KK %(c)s tidak dikenal.") % {"c": result.region_code}))
    return result


def check_kpj(value: object, *, field_name: str = "kpj") -> list[Issue]:
    """KPJ (BPJS participant card number): 11 digits."""
    kpj = normalize_number(value)
    if not is_ascii_digits(kpj) or len(kpj) != 11:
        return [Issue("kpj_invalid", field_name, _("Nomor KPJ harus 11 digit angka."))]
    return []
