from datetime import date

import pytest

from jamsosdesa.core.presenters import mask_nik
from jamsosdesa.participants.nik import check_kk, check_kpj, check_nik

TODAY = date(2026, 11, 21)


def current(prefix):
    return "current"


def codes(result):
    return [i.code for i in result.errors], [i.code for i in result.warnings]


def test_it_decodes_region_birth_date_and_sex_of_a_man():
    r = check_nik("3311110505900003", region_status=current, today=TODAY)
    assert r.valid
    assert (r.region_code, r.birth_date, r.sex, r.serial) == ("33.11.11", date(1990, 5, 5), "L", "0003")


def test_it_reads_day_plus_40_as_a_woman():
    r = check_nik("3311114506900001", region_status=current, today=TODAY)
    assert r.valid and r.sex == "P" and r.birth_date == date(1990, 6, 5)


def test_two_digit_years_resolve_to_the_most_recent_past_century():
    assert check_nik("3311110101050001", region_status=current, today=TODAY).birth_date == date(2005, 1, 1)
    assert check_nik("3311110101300001", region_status=current, today=TODAY).birth_date == date(1930, 1, 1)


@pytest.mark.parametrize("nik,code", [
    ("", "nik_required"),
    ("33111105059000", "nik_length"),
    ("331111050590000312", "nik_length"),
    ("33111105O5900003", "nik_not_digits"),
    ("3311113102900001", "nik_bad_date"),     # 31 February
    ("3311110013900001", "nik_bad_date"),     # month 13
    ("3311117201900001", "nik_bad_date"),     # day 72 = 32 for a woman
    ("3311110505900000", "nik_bad_serial"),
])
def test_it_rejects_what_cannot_be_a_nik(nik, code):
    r = check_nik(nik, region_status=current, today=TODAY)
    assert not r.valid
    assert code in codes(r)[0]
    assert all(i.message for i in r.errors)


def test_a_date_later_this_year_reads_as_last_century():
    # 30-12-26 has not happened yet in 2026, so the person was born in 1926
    r = check_nik("3311113012260001", region_status=current, today=date(2026, 11, 21))
    assert r.valid and r.birth_date == date(1926, 12, 30)


def test_unknown_and_historical_regions_are_warnings_not_errors():
    unknown = check_nik("9999990505900003", region_status=lambda p: "unknown", today=TODAY)
    historical = check_nik("9101010505900003", region_status=lambda p: "historical", today=TODAY)
    assert unknown.valid and codes(unknown)[1] == ["nik_region_unknown"]
    assert historical.valid and codes(historical)[1] == ["nik_region_historical"]


def test_birth_date_and_sex_disagreeing_with_entered_data_are_warnings():
    r = check_nik("3311110505900003", birth_date=date(1990, 5, 6), sex="P", region_status=current, today=TODAY)
    assert r.valid
    assert codes(r)[1] == ["nik_birth_date_mismatch", "nik_sex_mismatch"]
    assert {i.field for i in r.warnings} == {"birth_date", "sex"}


def test_spaces_and_dots_are_removed_with_a_warning():
    r = check_nik("3311.1105 0590 0003", region_status=current, today=TODAY)
    assert r.valid and r.nik == "3311110505900003"
    assert codes(r)[1] == ["nik_reformatted"]


def test_json_result_has_the_documented_keys():
    data = check_nik("3311110505900003", region_status=current, today=TODAY).as_dict()
    assert {"valid", "errors", "warnings", "region_code", "birth_date", "sex"} <= set(data)
    assert data["birth_date"] == "1990-05-05"


@pytest.mark.django_db
def test_region_status_comes_from_the_loaded_region_list():
    assert check_nik("3311110505900003").region_status == "current"
    # 91.01.01 is a retired Papua kecamatan code (Merauke before 2022)
    assert check_nik("9101010505900003").region_status == "historical"
    assert check_nik("3399990505900003").region_status == "unknown"


def test_kk_and_kpj_checks():
    assert check_kk("3311110101200001", region_status=current).valid
    assert not check_kk("33111101012", region_status=current).valid
    assert check_kpj("12345678901") == []
    assert [i.code for i in check_kpj("1234567890")] == ["kpj_invalid"]


def test_mask_hides_the_birth_date_digits():
    assert mask_nik("3311110505900003") == "3311••••••••0003"
