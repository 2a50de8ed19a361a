"""Registering a NIK does not tell someone outside its area whether it is registered elsewhere (issue 11, leaks
and abuse 4); a branch officer whose region holds the record still sees the duplicate to resolve it."""

from datetime import date

import pytest

from jamsosdesa.core.roles import Role
from jamsosdesa.participants import services
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_B, api_client, make_user, person

pytestmark = pytest.mark.django_db

TAKEN, FREE = "3311110505900003", "3311110505900077"  # both say born 05-05-1990 in Kec. Gatak


def _shape(answer) -> tuple:
    error = answer.json()["error"]
    return answer.status_code, error["code"], sorted(error), sorted(error.get("fields", {})), [
        w["code"] for w in error.get("warnings", [])]


def test_a_nik_registered_elsewhere_answers_like_a_free_one_until_confirmed(operator_a, operator_b):
    services.participant_register(actor=operator_a, data=person(nik=TAKEN), heirs=[])  # in Krajan (DESA_A)
    api = api_client(operator_b)  # Sanggung's operator cannot see Krajan
    body = {"full_name": "Orang Lain", "birth_date": "1990-05-06", "sex": "L", "desa": DESA_B, "rt": "1",
            "rw": "1", "occupation": 9, "declared_income": 1000000}  # the birth date disagrees with the NIK
    taken, free = api("post", "/participants", {**body, "nik": TAKEN}), api("post", "/participants", {**body,
                                                                                                     "nik": FREE})
    assert _shape(taken) == _shape(free) == (409, "confirmation_required", ["code", "fields", "message", "warnings"],
                                             [], ["nik_birth_date_mismatch"])
    assert taken.json()["error"]["message"] == free.json()["error"]["message"]

    with pytest.raises(services.ServiceError) as info:  # confirmed: refused, without saying why or where
        services.participant_register(actor=operator_b, data=person(nik=TAKEN, full_name="Orang Lain", desa=DESA_B,
                                                                    birth_date=date(1990, 5, 6)),
                                      confirm_warnings=True)
    error = info.value
    assert error.code == "nik_refused" and list(error.fields) == ["nik"]
    assert "hubungi kantor cabang" in error.message
    for secret in ("wilayah lain", "Sugeng", "Krajan", "terdaftar"):
        assert secret not in error.message
    assert Participant.objects.filter(nik=TAKEN).count() == 1  # no duplicate


def test_the_confirmed_refusal_over_the_api_is_a_409_with_the_neutral_code(operator_a, operator_b):
    services.participant_register(actor=operator_a, data=person(nik=TAKEN), heirs=[])
    answer = api_client(operator_b)("post", "/participants", {
        "nik": TAKEN, "full_name": "Orang Lain", "birth_date": "1990-05-05", "sex": "L", "desa": DESA_B,
        "rt": "1", "rw": "1", "occupation": 9, "declared_income": 1000000})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "nik_refused"
    assert "wilayah lain" not in answer.content.decode()


def test_a_branch_officer_whose_region_holds_the_record_sees_the_duplicate(operator_a):
    services.participant_register(actor=operator_a, data=person(nik=TAKEN), heirs=[])
    branch = make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])
    with pytest.raises(services.ServiceError) as info:
        services.participant_register(actor=branch, data=person(nik=TAKEN, full_name="Orang Lain", desa=DESA_B),
                                      heirs=[])
    assert info.value.code == "nik_taken" and "Sugeng Riyadi" in info.value.message
    assert "Krajan" in info.value.message
