"""Inputs an API fuzzer (schemathesis) and hand-made requests found: each is a 4xx with the JSON error
shape, never a 500, on both databases."""


import pytest

from jamsosdesa.participants.models import Participant
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

BODY = {"nik": "3311110505900003", "full_name": "Sugeng Riyadi", "birth_date": "1990-05-05", "sex": "L",
        "desa": "33.11.11.2004"}


@pytest.fixture
def api(admin_user):
    return api_client(admin_user)


def error(response):
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return response.json()["error"]


@pytest.mark.parametrize("override,field", [
    ({"rt": "¹"}, "rt"), ({"rw": "１"}, "rw"), ({"nik": "３３１１１１０５０５９００００３"}, "nik"),
    ({"nik": "331111¹¹08900001"}, "nik"), ({"kk": "¹" * 16}, "kk"), ({"kpj": "¹" * 11}, "kpj"),
    ({"full_name": "\ud800"}, "full_name"), ({"address": "a\udc00"}, "address"),
    ({"full_name": "Sugeng\x00"}, "full_name"), ({"desa": "33.11.11.2004\x00"}, "desa"),
    ({"phone": "\x00"}, "phone"), ({"heirs": [{"name": "\ud800", "relation": "child"}]}, "heirs[0].name"),
    ({"heirs": [{"name": "A" * 121, "relation": "child"}]}, "heirs[0].name"),
    ({"birth_date": "0001-01-01"}, "birth_date"),
])
def test_bad_characters_and_lengths_are_422_naming_the_field(api, override, field):
    err = error(api("post", "/participants", {**BODY, **override}))
    assert field in err["fields"], err
    assert Participant.objects.count() == 0


@pytest.mark.parametrize("override", [{"declared_income": True}, {"occupation": True},
                                      {"declared_income": "1000000"}])
def test_numbers_of_the_wrong_type_are_422(api, override):
    err = error(api("post", "/participants", {**BODY, **override}))
    assert err["code"] == "validation_error" and list(override)[0] in err["fields"]


@pytest.mark.parametrize("income", [2**63, 10**12 + 1, -1])
def test_an_income_out_of_range_is_the_field_cleaners_422(api, income):
    err = error(api("post", "/participants", {**BODY, "declared_income": income}))
    assert err["code"] == "invalid" and "declared_income" in err["fields"]
    assert err["field_errors"][0]["code"] == ("income_invalid" if income < 0 else "income_too_large")
    assert Participant.objects.count() == 0


def test_nul_bytes_in_query_strings_and_paths_are_422_naming_the_parameter(api):
    """Refused before any query (core.middleware.RefuseBadCharactersMiddleware): on PostgreSQL a NUL reaching a
    query was a 500 (`/regions/33%00`, issue 11)."""
    for path, field in (("/participants?q=%00", "q"), ("/participants?segment=%00&village_role=%00", "segment"),
                        ("/regions?q=%00", "q"), ("/regions?parent=%00", "parent"), ("/participants/%00", "path"),
                        ("/regions/%00", "path"), ("/regions/33%00", "path")):
        err = error(api("get", path))
        assert err["code"] == "bad_chars" and list(err["fields"]) == [field], path


def test_nik_check_with_superscript_digits_is_invalid_not_a_crash(api):
    response = api("get", "/nik/check?nik=331111%C2%B9%C2%B908900001")
    assert response.status_code == 200 and response.json()["valid"] is False


def test_a_long_idempotency_key_is_refused(api):
    err = error(api("post", "/participants", BODY, **{"Idempotency-Key": "k" * 65}))
    assert err["code"] == "invalid"


def test_patch_with_null_for_optional_text_clears_it(api):
    api("post", "/participants", {**BODY, "phone": "0811", "address": "Dusun Krajan"})
    response = api("patch", "/participants/3311110505900003", {"phone": None, "address": None})
    assert response.status_code == 200 and response.json()["phone"] == "" and response.json()["address"] == ""


def test_deactivate_note_with_a_nul_byte_is_422(api):
    api("post", "/participants", BODY)
    err = error(api("post", "/participants/3311110505900003/deactivate", {"reason": "moved", "note": "a\x00"}))
    assert "note" in err["fields"]
    assert Participant.objects.get().is_active


def test_unknown_routes_and_methods_answer_in_the_json_error_shape(api):
    assert error(api("get", "/nope"))["code"] == "not_found"
    assert error(api("delete", "/participants/3311110505900003"))["code"] == "method_not_allowed"


def test_a_leap_day_nik_is_valid_even_when_the_entered_year_hint_is_1900(api):
    data = api("get", "/nik/check?nik=3311112902000009&birth_date=1900-03-01").json()
    assert data["valid"] and data["birth_date"] == "2000-02-29"
