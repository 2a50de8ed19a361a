"""Registering with a KPJ number does not tell someone outside its holder's area that the number is in use (issue 11,
leaks and abuse 4, as for the NIK): the answer is the one for a free number until the registration is otherwise
complete and confirmed, then a neutral refusal naming nobody; an officer whose region holds the record is told the
number is taken."""

from datetime import date

import pytest
from django.test import Client

from jamsosdesa.core.roles import Role
from jamsosdesa.participants import services
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_B, api_client, make_user, person

pytestmark = pytest.mark.django_db

TAKEN, FREE = "12345678901", "12345678902"
OTHER_NIK = "3311110505900077"
BODY = {"nik": OTHER_NIK, "full_name": "Orang Lain", "birth_date": "1990-05-06", "sex": "L", "desa": DESA_B,
        "rt": "1", "rw": "1", "occupation": 9, "declared_income": 1000000}  # the birth date disagrees with the NIK


@pytest.fixture
def holder(operator_a):
    return services.participant_register(actor=operator_a, data=person(kpj=TAKEN), heirs=[])  # in Krajan


def _shape(answer) -> tuple:
    error = answer.json()["error"]
    return answer.status_code, error["code"], error["message"], sorted(error.get("fields", {})), [
        w["code"] for w in error.get("warnings", [])]


def test_over_the_api_a_taken_kpj_answers_like_a_free_one_until_confirmed(holder, operator_b):
    api = api_client(operator_b)
    taken, free = api("post", "/participants", {**BODY, "kpj": TAKEN}), api("post", "/participants",
                                                                             {**BODY, "kpj": FREE})
    assert _shape(taken) == _shape(free)
    assert _shape(taken)[:2] == (409, "confirmation_required")

    refused = api("post", "/participants", {**BODY, "kpj": TAKEN, "confirm_warnings": True})
    error = refused.json()["error"]
    assert refused.status_code == 409 and error["code"] == "kpj_refused" and list(error["fields"]) == ["kpj"]
    assert "hubungi kantor cabang" in error["message"]
    for secret in ("Sugeng", "Krajan", "dipakai", "terdaftar"):
        assert secret not in refused.content.decode()
    assert not Participant.objects.filter(nik=OTHER_NIK).exists()


def test_on_the_form_a_taken_kpj_is_refused_in_neutral_words_after_confirmation(holder, operator_b):
    client = Client()
    client.force_login(operator_b)
    form = {**BODY, "birth_date": "1990-05-06", "segment": "BPU", "village_role": "rt_head", "kpj": TAKEN,
            "client_token": "tok-kpj", "heirs-TOTAL_FORMS": "0", "heirs-INITIAL_FORMS": "0",
            "heirs-MIN_NUM_FORMS": "0", "heirs-MAX_NUM_FORMS": "10"}
    first = client.post("/peserta/baru/", form).content.decode()
    assert "Perlu diperiksa" in first and "KPJ" not in first.split("Perlu diperiksa", 1)[1].split("</ul>", 1)[0]
    assert "sudah dipakai" not in first and "tidak dapat didaftarkan" not in first
    confirmed = client.post("/peserta/baru/", {**form, "confirm_warnings": "on"}).content.decode()
    assert f"Nomor KPJ {TAKEN} tidak dapat didaftarkan di sini" in confirmed
    assert "Sugeng" not in confirmed and "sudah dipakai" not in confirmed
    assert not Participant.objects.filter(nik=OTHER_NIK).exists()


def test_changing_to_a_kpj_held_outside_the_area_is_refused_neutrally(holder, operator_b):
    mine = services.participant_register(actor=operator_b, data=person(nik=OTHER_NIK, desa=DESA_B,
                                                                       birth_date=date(1990, 5, 5)), heirs=[])
    with pytest.raises(services.ServiceError) as info:
        services.participant_update(actor=operator_b, participant=mine, data={"kpj": TAKEN})
    assert info.value.code == "kpj_refused" and "Sugeng" not in info.value.message


def test_who_sees_the_holder_is_told_the_kpj_is_taken(holder, operator_a):
    branch = make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])
    for actor in (operator_a, branch):
        with pytest.raises(services.ServiceError) as info:
            services.participant_register(actor=actor, data=person(nik=OTHER_NIK, kpj=TAKEN, full_name="Lain",
                                                                   birth_date=date(1990, 5, 5)), heirs=[])
        assert info.value.code == "kpj_taken"
