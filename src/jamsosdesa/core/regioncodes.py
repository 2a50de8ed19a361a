"""Arithmetic on Kemendagri region codes, with no database: which level a code is at, and the codes above it.

A code is dotted, one part per level: 51 (provinsi), 51.04 (kabupaten/kota), 51.04.01 (kecamatan),
51.04.01.2001 (desa/kelurahan). Its length tells its level.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")


# Length of a dotted code at each level: 11 / 11.01 / 11.01.01 / 11.01.01.2001
CODE_LENGTH = {Level.PROVINSI: 2, Level.KABUPATEN: 5, Level.KECAMATAN: 8, Level.DESA: 13}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTH.items()}
MAX_CODE_LENGTH = CODE_LENGTH[Level.DESA]


def level_of_code(code: str) -> Level | None:
    """The level a code is at by its length, None for a length no level has (no check of the digits)."""
    return LEVEL_BY_LENGTH.get(len(code))


def is_desa_code(code: str) -> bool:
    return level_of_code(code) == Level.DESA


def code_at(code: str, level: Level) -> str:
    """The code of the region at `level` containing `code`: code_at('51.04.01.2001', KABUPATEN) == '51.04'."""
    return code[:CODE_LENGTH[level]]


def ancestor_codes(code: str, *, including_self: bool = False) -> list[str]:
    """The codes above a region, province first: '33.11.11.2004' -> ['33', '33.11', '33.11.11']."""
    codes = [code[:length] for length in sorted(CODE_LENGTH.values()) if length < len(code)]
    if including_self:
        codes.append(code)
    return codes


def code_within(code: str, region_code: str) -> bool:
    """Whether `code` is `region_code` itself or lies under it."""
    return code == region_code or code.startswith(region_code + ".")


def rows_in_region(codes, *, kab="kab_code", desa="desa_code") -> Q:
    """A filter for rows that carry their own `kab_code` and `desa_code` columns (dues, enrolments, snapshots): the
    rows of a kabupaten, kecamatan, desa or province (or of several: a list of codes), through an index that starts
    with the kabupaten ('' or an unknown code: none, so a typo never widens a list)."""
    if not isinstance(codes, str):
        q = Q(pk__in=[])
        for code in codes:
            q |= rows_in_region(code, kab=kab, desa=desa)
        return q
    code = codes
    level = level_of_code(code or "")
    if level == Level.KABUPATEN:
        return Q(**{kab: code})
    if level == Level.DESA:
        return Q(**{kab: code[:5], desa: code})
    if level == Level.KECAMATAN:
        return Q(**{kab: code[:5], f"{desa}__startswith": code + "."})
    if level == Level.PROVINSI:
        return Q(**{f"{kab}__startswith": code + "."})
    return Q(pk__in=[])
