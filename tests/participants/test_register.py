from datetime import date

import pytest

from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.participants.models import Heir, Participant
from tests.conftest import DESA_B, DESA_C, person

pytestmark = pytest.mark.django_db


def error_of(call) -> ServiceError:
    with pytest.raises(ServiceError) as info:
        call()
    return info.value


def test_an_operator_registers_a_participant_with_heirs(operator_a, register):
    p = register(operator_a, heirs=[{"name": "Sri Wahyuni", "relation": "spouse", "nik": "3311114808920002"}])
    p.refresh_from_db()
    assert p.nik == "3311110505900003" and p.desa_id == "33.11.11.2004"
    assert (p.kec_code, p.kab_code, p.search_name) == ("33.11.11", "33.11", "SUGENG RIYADI")
    assert (p.rt, p.rw) == ("002", "001")
    assert p.registered_by == operator_a and p.is_active
    assert [h.name for h in p.heirs.all()] == ["Sri Wahyuni"]


def test_registration_is_audited_in_the_same_transaction(operator_a, register):
    p = register(operator_a)
    event = AuditEvent.objects.get(object_type="participant", object_id=str(p.pk))
    assert event.event_type == "participant.registered" and event.actor == operator_a
    assert event.region_code == "33.11.11.2004"
    assert event.new["nik"] == p.nik and event.new["full_name"] == "Sugeng Riyadi" and event.old is None


def test_a_second_registration_of_the_same_nik_names_the_village(operator_a, register):
    register(operator_a)
    err = error_of(lambda: register(operator_a, full_name="Orang Lain"))
    assert err.code == "nik_taken"
    assert "Sugeng Riyadi" in err.message and "Krajan" in err.message
    assert Participant.objects.count() == 1


def test_outside_the_users_scope_it_refuses_without_saying_the_nik_exists(operator_a, operator_b, register):
    register(operator_a)
    err = error_of(lambda: register(operator_b, desa=DESA_B))
    assert err.code == "nik_refused"  # not nik_taken: see tests/participants/test_nik_probe.py
    assert "Sugeng" not in err.message and "Krajan" not in err.message and "wilayah lain" not in err.message


@pytest.mark.parametrize("overrides,field", [
    ({"nik": "3311113102900001"}, "nik"),
    ({"nik": "33111105059"}, "nik"),
    ({"desa": "33.11.11.2999"}, "desa"),
    ({"desa": "33.11.11"}, "desa"),
    ({"kpj": "1234"}, "kpj"),
    ({"full_name": ""}, "full_name"),
    ({"sex": "X"}, "sex"),
    ({"declared_income": -5}, "declared_income"),
    ({"occupation": 999}, "occupation"),
    ({"birth_date": date(2090, 1, 1)}, "birth_date"),
    ({"village_role": "kepala_suku"}, "village_role"),
    ({"rt": "ab"}, "rt"),
    ({"kk": "12345"}, "kk"),
])
def test_bad_input_names_the_field_and_writes_nothing(operator_a, register, overrides, field):
    err = error_of(lambda: register(operator_a, **overrides))
    assert err.code == "invalid" and field in err.fields and err.fields[field][0]
    assert Participant.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_an_heir_with_an_invalid_nik_rejects_the_whole_registration(operator_a, register):
    err = error_of(lambda: register(operator_a, heirs=[{"name": "Anak", "relation": "child", "nik": "123"}]))
    assert "heirs[0].nik" in err.fields
    assert Participant.objects.count() == 0 and Heir.objects.count() == 0


def test_registering_outside_the_operators_desa_is_refused(operator_a, register):
    err = error_of(lambda: register(operator_a, desa=DESA_C, nik="5104010505900003"))
    assert err.fields["desa"] and Participant.objects.count() == 0


def test_kpj_is_unique(operator_a, register):
    register(operator_a, kpj="12345678901")
    err = error_of(lambda: register(operator_a, nik="3311110606900001", full_name="Joko", kpj="12345678901"))
    assert err.code == "kpj_taken"


def test_nik_disagreeing_with_birth_date_needs_confirmation(operator_a, register):
    err = error_of(lambda: register(operator_a, birth_date=date(1990, 5, 6)))
    assert err.code == "confirmation_required"
    assert [w["code"] for w in err.warnings] == ["nik_birth_date_mismatch"]
    assert Participant.objects.count() == 0
    from jamsosdesa.participants import services

    p = services.participant_register(actor=operator_a, data=person(birth_date=date(1990, 5, 6)),
                                      confirm_warnings=True)
    assert p.confirmed_warnings == ["nik_birth_date_mismatch"]


def test_same_name_and_birth_date_in_the_same_desa_is_a_warning(operator_a, register):
    register(operator_a)
    err = error_of(lambda: register(operator_a, nik="3311110505900004"))
    assert err.code == "confirmation_required"
    assert err.warnings[0]["code"] == "possible_duplicate" and "3311110505900003" in err.warnings[0]["message"]


def test_a_form_posted_twice_creates_one_participant(operator_a):
    from jamsosdesa.participants import services

    first = services.participant_register(actor=operator_a, data=person(), client_token="abc")
    second = services.participant_register(actor=operator_a, data=person(), client_token="abc")
    assert first.pk == second.pk and Participant.objects.count() == 1


def test_nik_typed_with_spaces_is_stored_clean(operator_a, register):
    p = register(operator_a, nik="3311 1105 0590 0003")
    assert p.nik == "3311110505900003"
