"""The participant field cleaner on its own: no database, the facts given."""

from datetime import date, datetime

import pytest

from jamsosdesa.participants.fields import (
    MAX_INCOME,
    Code,
    DesaStatus,
    Facts,
    ParticipantCleaner,
    clean_heirs,
    clean_income,
    clean_participant,
)

TODAY = date(2026, 12, 1)
DESA = "33.11.11.2004"
STATUS = {DESA: DesaStatus.OK, "33.11.11.2001": DesaStatus.OUTSIDE, "33.11.11": DesaStatus.NOT_CURRENT}
FACTS = Facts(today=TODAY, occupations={1: "Belum/Tidak Bekerja", 6: "Pegawai Negeri Sipil", 9: "Petani/Pekebun"},
              desa_status=lambda code: STATUS.get(code, DesaStatus.UNKNOWN))
GOOD = {"nik": "3311110505900003", "full_name": "Sugeng Riyadi", "birth_date": date(1990, 5, 5), "sex": "L",
        "desa": DESA}


def codes(raw: dict, **kw) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for issue in clean_participant(raw, FACTS, **kw).errors:
        out.setdefault(issue.field, []).append(issue.code)
    return out


def test_a_good_person_comes_back_clean_whatever_the_types():
    for birth in (date(1990, 5, 5), datetime(1990, 5, 5, 0, 0), "05-05-1990", "1990-05-05", "5/5/1990", 32998.0):
        cleaned = clean_participant({**GOOD, "birth_date": birth, "declared_income": "Rp 1.500.000", "rt": 3.0,
                                     "occupation": "petani/pekebun", "kpj": " 1234 5678 901"}, FACTS)
        assert cleaned.errors == [] and cleaned.warnings == [], birth
        assert cleaned.values["birth_date"] == date(1990, 5, 5)
        assert (cleaned.values["declared_income"], cleaned.values["rt"], cleaned.values["occupation"],
                cleaned.values["kpj"]) == (1_500_000, "003", 9, "12345678901")


@pytest.mark.parametrize("field,value,code", [
    ("declared_income", 5 * 10**12, Code.INCOME_TOO_LARGE),
    ("declared_income", "5000000000000", Code.INCOME_TOO_LARGE),
    ("declared_income", "12345678901234567890", Code.INCOME_TOO_LARGE),
    ("declared_income", 1e20, Code.INCOME_TOO_LARGE),
    ("declared_income", "9" * 5000, Code.INCOME_TOO_LARGE),
    ("declared_income", -1, Code.INCOME_INVALID),
    ("declared_income", "-5", Code.INCOME_INVALID),
    ("declared_income", 1.5, Code.INCOME_INVALID),
    ("declared_income", float("nan"), Code.INCOME_INVALID),
    ("declared_income", True, Code.INCOME_INVALID),
    ("declared_income", "١٢٣", Code.INCOME_INVALID),
    ("birth_place", "K" * 61, Code.TOO_LONG),
    ("full_name", "X" * 121, Code.TOO_LONG),
    ("full_name", "  ", Code.REQUIRED),
    ("address", "A" * 201, Code.TOO_LONG),
    ("phone", "0812 3456 7890 1234 5678 9", Code.TOO_LONG),
    ("full_name", "Sugeng\x00", Code.BAD_CHARS),
    ("nik", "3311113102900001", Code.NIK_BAD_DATE),
    ("nik", "3311110505900000", Code.NIK_BAD_SERIAL),
    ("nik", "331111050590000", Code.NIK_LENGTH),
    ("nik", "33111105059000AB", Code.NIK_NOT_DIGITS),
    ("nik", "0", Code.NIK_REQUIRED),
    ("nik", 3311110505900010.0, Code.NIK_STORED_AS_NUMBER),
    ("kk", "123", Code.KK_LENGTH),
    ("kk", "¹" * 16, Code.KK_NOT_DIGITS),
    ("kpj", "1234", Code.KPJ_INVALID),
    ("birth_date", "31-02-1990", Code.BIRTH_DATE_INVALID),
    ("birth_date", "2027-01-01", Code.BIRTH_DATE_FUTURE),
    ("birth_date", "1850-01-01", Code.BIRTH_DATE_BEFORE_1900),
    ("birth_date", "99999999", Code.BIRTH_DATE_INVALID),
    ("sex", "X", Code.SEX_UNKNOWN),
    ("desa", "99.99.99.9999", Code.DESA_UNKNOWN),
    ("desa", "33.11.11.2001", Code.DESA_OUTSIDE_SCOPE),
    ("desa", "33.11.11", Code.DESA_NOT_CURRENT),
    ("rt", "1234", Code.RT_RW_INVALID),
    ("rw", "¹", Code.RT_RW_INVALID),
    ("occupation", "999", Code.OCCUPATION_UNKNOWN),
    ("segment", "XYZ", Code.SEGMENT_UNKNOWN),
    ("village_role", "??", Code.VILLAGE_ROLE_UNKNOWN),
])
def test_each_wrong_value_has_its_code(field, value, code):
    assert codes({**GOOD, field: value}) == {field: [code]}


def test_nothing_is_cut_short_silently():
    cleaned = clean_participant({**GOOD, "birth_place": "K" * 80}, FACTS)
    assert "birth_place" not in cleaned.values and cleaned.errors[0].message == "Paling banyak 60 karakter."


def test_the_largest_income_is_a_trillion_a_month():
    assert clean_income(MAX_INCOME) == (MAX_INCOME, None)
    assert clean_income(MAX_INCOME + 1) == (0, Code.INCOME_TOO_LARGE)
    assert clean_income("") == (0, None) and clean_income(None) == (0, None)


def test_a_new_person_needs_the_required_fields_a_change_does_not():
    assert codes({}) == {"nik": [Code.NIK_REQUIRED], "full_name": [Code.REQUIRED], "birth_date": [Code.REQUIRED],
                         "sex": [Code.REQUIRED], "desa": [Code.REQUIRED]}
    assert codes({"phone": "0812"}, partial=True) == {}
    assert clean_participant({"phone": "0812"}, FACTS, partial=True).values == {"phone": "0812"}


def test_sex_not_given_is_read_from_the_nik():
    raw = {k: v for k, v in GOOD.items() if k != "sex"}
    assert clean_participant({**raw, "nik": "3311114505900002"}, FACTS).values["sex"] == "P"
    assert clean_participant({**raw, "sex": ""}, FACTS).values["sex"] == "L"


def test_a_nik_that_disagrees_with_the_birth_date_or_sex_is_a_warning_not_an_error():
    born = clean_participant({**GOOD, "birth_date": date(1985, 5, 5)}, FACTS)
    assert born.errors == [] and [w.code for w in born.warnings] == [Code.NIK_BIRTH_DATE_MISMATCH]
    assert born.warnings[0].message == "Tanggal lahir 05-05-1985 tidak sesuai dengan NIK (05-05-1990)."
    female = clean_participant({**GOOD, "nik": "3311114505900002"}, FACTS)
    assert [(w.field, w.code) for w in female.warnings] == [("sex", Code.NIK_SEX_MISMATCH)]


def test_the_nik_kecamatan_is_checked_only_when_the_facts_can_tell():
    assert clean_participant(GOOD, FACTS).warnings == []
    facts = Facts(today=TODAY, occupations={}, desa_status=FACTS.desa_status, nik_region_status=lambda p: "unknown")
    assert [w.code for w in ParticipantCleaner(facts).clean(GOOD).warnings] == [Code.NIK_REGION_UNKNOWN]


def test_heirs_are_checked_with_codes():
    heirs, errors = clean_heirs([{"name": "", "relation": "uncle", "nik": "123"}, {"name": "Sri", "relation": "child"}],
                                today=TODAY)
    assert [(e.field, e.code) for e in errors] == [("heirs[0].name", Code.REQUIRED),
                                                   ("heirs[0].relation", Code.HEIR_RELATION_UNKNOWN),
                                                   ("heirs[0].nik", Code.NIK_LENGTH)]
    assert heirs[1] == {"name": "Sri", "relation": "child", "nik": "", "phone": ""}
