"""Prospects: a desa's working-age residents in the registry who are not protected, by dusun/RT and occupation;
counted for the dashboard (`prospect_count`), listed for outreach with the billing worklists' reminder."""

import pytest
from django.utils import translation

from jamsosdesa.core import clock
from jamsosdesa.core.errors import NotFound, ServiceError
from jamsosdesa.coverage.prospects import (
    ProspectRequest,
    by_occupation,
    by_place,
    dusun_of,
    prospect_count,
    prospect_counts,
    prospect_list,
    working_age,
)
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, DESA_B
from tests.coverage.rules_fixtures import due
from tests.funding.conftest import born_aged, month, people

pytestmark = pytest.mark.django_db


def resident(years: int, desa: str = DESA_A, *, days_after: int = 0, **fields) -> Participant:
    person, = people(1, desa, born=born_aged(years, days_after=days_after),
                     **{k: v for k, v in fields.items() if k in ("segment", "is_active")})
    extra = {k: v for k, v in fields.items() if k not in ("segment", "is_active")}
    if extra:
        Participant.objects.filter(pk=person.pk).update(**extra)
        person.refresh_from_db()
    return person


@pytest.fixture
def village():
    """Desa A: who is a prospect and who is not (each named by why)."""
    people_of = {
        "never_paid": resident(30, address="Jl. Mawar 3, Dusun Krajan", rt="2", rw="1", occupation_id=9,
                               phone="081234567890"),
        "lapsed": resident(40, address="Dusun Krajan", rt="10", rw="1", occupation_id=9),
        "oldest_in": resident(64, address="Dsn. Ngaran", rt="1", rw="2", occupation_id=88),
        "youngest_in": resident(15, address=""),
        "protected": resident(35, address="Dusun Krajan", rt="2", rw="1"),
        "too_young": resident(15, days_after=40),
        "too_old": resident(65),
        "deactivated": resident(30, is_active=False),
        "pu": resident(30, segment="PU"),
        "other_desa": resident(30, DESA_B),
    }
    for offset in (-3, -2, -1, 0):
        due(people_of["protected"], month(offset), payer_type="self")
    for offset in (-9, -8):
        due(people_of["lapsed"], month(offset), payer_type="apbdes")
    due(people_of["lapsed"], month(-7), payer_type="apbdes", paid=False)
    return people_of


PROSPECTS = {"never_paid", "lapsed", "oldest_in", "youngest_in"}


def names(village, keys) -> set[str]:
    return {village[k].full_name for k in keys}


def test_the_count_is_the_working_age_residents_who_are_not_protected(village):
    counts = prospect_counts(DESA_A)
    assert (counts.working_age, counts.protected, counts.prospects) == (5, 1, 4)
    assert prospect_count(DESA_A, clock.today()) == 4
    assert prospect_count(DESA_B) == 1


def test_the_list_holds_exactly_the_prospects_with_their_status(village, admin_user):
    found = prospect_list(user=admin_user, request=ProspectRequest(desa=DESA_A))
    assert {r.name for r in found.rows} == names(village, PROSPECTS)
    by_name = {r.name: r for r in found.rows}
    assert by_name[village["lapsed"].full_name].status == "non_active"
    assert by_name[village["never_paid"].full_name].status == "not_started"
    assert by_name[village["oldest_in"].full_name].age == 64
    assert by_name[village["youngest_in"].full_name].age == 15


def test_rows_come_by_dusun_then_rw_and_rt_and_count_by_occupation(village, admin_user):
    rows = prospect_list(user=admin_user, request=ProspectRequest(desa=DESA_A)).rows
    places = [place for place, _rows in by_place(rows)]
    assert places == ["Dusun Krajan · RW 1 · RT 2", "Dusun Krajan · RW 1 · RT 10", "Dusun Ngaran · RW 2 · RT 1",
                      "tanpa dusun/RT"]
    occupations = dict(by_occupation(rows))
    assert sum(occupations.values()) == 4 and max(occupations.values()) == 2


def test_a_prospect_gets_the_worklists_reminder_in_indonesian_and_a_whatsapp_link(village, admin_user):
    with translation.override("en"):
        rows = prospect_list(user=admin_user, request=ProspectRequest(desa=DESA_A)).rows
    row = next(r for r in rows if r.name == village["never_paid"].full_name)
    assert row.reminder.startswith(f"Yth. {row.name}, Anda belum terlindungi BPJS Ketenagakerjaan")
    assert row.whatsapp.startswith("https://wa.me/6281234567890?text=Yth.")
    assert next(r for r in rows if r.name == village["lapsed"].full_name).whatsapp == ""


def test_nik_is_masked_for_a_village_operator_and_whole_for_a_national_admin(village, operator_a, admin_user):
    nik = village["never_paid"].nik
    mine = prospect_list(user=operator_a, request=ProspectRequest(desa=DESA_A)).rows
    assert nik not in {r.nik for r in mine} and f"{nik[:4]}••••••••{nik[12:]}" in {r.nik for r in mine}
    assert nik in {r.nik for r in prospect_list(user=admin_user, request=ProspectRequest(desa=DESA_A)).rows}


def test_a_desa_outside_the_users_area_does_not_exist_for_them(village, operator_b):
    with pytest.raises(NotFound):
        prospect_list(user=operator_b, request=ProspectRequest(desa=DESA_A))


@pytest.mark.parametrize("typed", ["33.11.11", "33.11.11.9999", "abc", "", "33.11.11.2004'--"])
def test_a_code_that_is_no_desa_is_refused_with_a_message(admin_user, typed):
    with pytest.raises(ServiceError) as refused:
        prospect_list(user=admin_user, request=ProspectRequest(desa=typed))
    assert "bukan kode desa/kelurahan" in refused.value.message


def test_the_working_age_bounds_are_a_setting_with_their_source(village, settings):
    assert (working_age().min_years, working_age().max_years) == (15, 64)
    assert working_age().source.startswith("BPS")
    settings.COVERAGE_WORKING_AGE_MIN = 18
    settings.COVERAGE_WORKING_AGE_MAX = 65
    assert prospect_count(DESA_A) == 4  # youngest_in (15) leaves, too_old (65) comes in
    settings.COVERAGE_WORKING_AGE_MAX = 50
    assert prospect_count(DESA_A) == 2


def test_a_past_day_counts_whoever_was_not_protected_then_at_their_age_then(village, admin_user):
    day = month(-8).replace(day=20)
    counts = prospect_counts(DESA_A, day)
    assert (counts.protected, counts.prospects) == (1, 4)  # lapsed was protected; 'protected' had not started
    rows = prospect_list(user=admin_user, request=ProspectRequest(desa=DESA_A, on=day)).rows
    assert {r.name for r in rows} == names(village, {"never_paid", "oldest_in", "protected", "too_old"})


@pytest.mark.parametrize("address,dusun", [("Jl. Mawar 3, Dusun Krajan", "Krajan"),
                                           ("DUSUN KRAJAN KIDUL", "Krajan Kidul"), ("Dsn. Ngaran, RT 1", "Ngaran"),
                                           ("Jl. Mawar 3", ""), ("", "")])
def test_the_dusun_is_read_from_the_address_as_the_opensid_import_writes_it(address, dusun):
    assert dusun_of(address) == dusun
