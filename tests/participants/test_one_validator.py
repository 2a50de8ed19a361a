"""One validator per entity: the registration page, the API and a file import give the same verdict, code and
words for the same bad value, because all three call the participant field cleaner."""

import pytest
from django.test import Client

from jamsosdesa.imports.engine import ImportOptions, participants_import
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, api_client
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

GOOD = {"nik": "3311110505900003", "full_name": "Sugeng Riyadi", "birth_place": "Sukoharjo", "birth_date": "1990-05-05",
        "sex": "L", "desa": DESA_A, "declared_income": "1000000", "kk": "", "kpj": ""}
PAGE_EXTRA = {"segment": "BPU", "village_role": "rt_head", "heirs-TOTAL_FORMS": "0", "heirs-INITIAL_FORMS": "0",
              "heirs-MIN_NUM_FORMS": "0", "heirs-MAX_NUM_FORMS": "10"}
CSV_COLUMNS = {"nik": "nik", "full_name": "nama", "birth_place": "tempat_lahir", "birth_date": "tanggal_lahir",
               "sex": "jenis_kelamin", "desa": "kode_desa", "declared_income": "penghasilan", "kk": "no_kk",
               "kpj": "kpj"}

# field, bad value, code the cleaner gives. Each of these was judged differently by the page, the API and the
# import before there was one cleaner (the import took 5×10¹² and 20 digits, cut the birth place short, and
# coded its own KK and KPJ checks).
BAD = [
    ("declared_income", 5 * 10**12, "income_too_large"),
    ("declared_income", 12345678901234567890, "income_too_large"),
    ("birth_place", "Kabupaten " + "K" * 70, "too_long"),
    ("nik", "3311113102900001", "nik_bad_date"),
    ("nik", "33111105059", "nik_length"),
    ("kk", "123", "kk_length"),
    ("kk", "33111101012000AB", "kk_not_digits"),
    ("kpj", "1234", "kpj_invalid"),
]
# NIK, birth date and sex given, warning code: the NIK says 05-06-1990 and male, or 05-05-1990 and female.
WARNED = [
    ("3311110506900001", "1985-06-05", "L", "nik_birth_date_mismatch"),
    ("3311114505900002", "1990-05-05", "L", "nik_sex_mismatch"),
]


def through_the_page(user, values: dict):
    client = Client()
    client.force_login(user)
    response = client.post("/peserta/baru/", {**GOOD, **PAGE_EXTRA, **{k: str(v) for k, v in values.items()}})
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    errors = [{"field": f, "code": e.code, "message": e.message} for f, es in form.errors.as_data().items() for e in es]
    return errors, response.context["warnings"]


def through_the_api(user, values: dict):
    body = {**GOOD, "declared_income": 1_000_000, "kpj": None, **values}
    response = api_client(user)("post", "/participants", body)
    assert response.status_code in (409, 422), response.content
    error = response.json()["error"]
    return error.get("field_errors", []), error.get("warnings", [])


def through_an_import(user, values: dict):
    row = {**GOOD, **values}
    header = ",".join(CSV_COLUMNS.values())
    line = ",".join(str(row[f]) for f in CSV_COLUMNS)
    outcome = participants_import(actor=user, source=csv_bytes(f"{header}\n{line}\n"),
                                  options=ImportOptions(desa=DESA_A, dry_run=False))
    assert outcome.counts["new"] == 0 and not Participant.objects.exists()
    errors = [i for p in outcome.problems if p.group == "invalid" for i in p.issues]
    warnings = [i for p in outcome.problems if p.group == "warning" for i in p.issues]
    return errors, warnings


@pytest.mark.parametrize("field,value,code", BAD)
def test_a_bad_value_gets_the_same_code_and_words_from_the_page_the_api_and_an_import(operator_a, field, value, code):
    page, _ = through_the_page(operator_a, {field: value})
    api, _ = through_the_api(operator_a, {field: value})
    imported, _ = through_an_import(operator_a, {field: value})
    expected = [e for e in api if e["field"] == field]
    assert [e["code"] for e in expected] == [code]
    assert [e for e in page if e["field"] == field] == expected
    assert [e for e in imported if e["field"] == field] == expected
    assert Participant.objects.count() == 0


@pytest.mark.parametrize("nik,born,sex,code", WARNED)
def test_a_nik_that_disagrees_is_the_same_warning_everywhere_and_nothing_is_saved_unconfirmed(
        operator_a, nik, born, sex, code):
    values = {"nik": nik, "birth_date": born, "sex": sex}
    _, page = through_the_page(operator_a, values)
    _, api = through_the_api(operator_a, values)
    _, imported = through_an_import(operator_a, values)
    assert [w["code"] for w in api] == [code]
    assert page == api
    assert imported == api
    assert Participant.objects.count() == 0


def test_the_words_of_the_warnings_are_the_forms(operator_a):
    _, api = through_the_api(operator_a, {"nik": "3311110506900001", "birth_date": "1985-06-05"})
    assert api[0]["message"] == "Tanggal lahir 05-06-1985 tidak sesuai dengan NIK (05-06-1990)."
    _, imported = through_an_import(operator_a, {"nik": "3311114505900002", "sex": "L"})
    assert imported[0]["message"] == "Jenis kelamin Laki-laki tidak sesuai dengan NIK (Perempuan)."


@pytest.mark.parametrize("field,value", [("name", "Ahli Waris " + "A" * 120), ("phone", "0812" * 6)])
def test_an_heir_gets_the_same_code_and_words_on_the_page_as_in_the_api(operator_a, field, value):
    """Regression: the page's heir form judged lengths itself, with Django's words and no code."""
    heir = {"name": "Siti", "relation": "child", "nik": "", "phone": "", field: value}
    api, _ = through_the_api(operator_a, {"heirs": [heir]})
    client = Client()
    client.force_login(operator_a)
    response = client.post("/peserta/baru/", {**GOOD, **PAGE_EXTRA, "heirs-TOTAL_FORMS": "1",
                                               **{f"heirs-0-{k}": v for k, v in heir.items()}})
    assert response.status_code == 200 and not Participant.objects.exists()
    page = [{"field": f"heirs[0].{f}", "code": e.code, "message": e.message}
            for f, es in response.context["heirs"].forms[0].errors.as_data().items() for e in es]
    assert [e["code"] for e in api] == ["too_long"]
    assert page == api
