"""`changeable_participant_ids` (set-based, for bulk paths) gives for everyone the answer `can_change_participant`
gives one by one, for every demo role, in a fixed number of queries."""

from datetime import date

import pytest

from jamsosdesa.core import clock
from jamsosdesa.core.access import user_region_codes
from jamsosdesa.core.months import add_months
from jamsosdesa.funding.models import Enrolment, Scheme
from jamsosdesa.participants.access import READ_ONLY_ROLES, can_change_participant, changeable_participant_ids
from jamsosdesa.participants.demo import KRAJAN, OTHER_GATAK_DESA, USERS
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_C, make_user

pytestmark = pytest.mark.django_db

KLATEN = "33.10.01.2001"
GIANYAR_OTHER_KEC = "51.04.02.2001"


@pytest.fixture
def demo_users():
    return {username: make_user(username, role, regions) for username, role, regions, _ in USERS}


def _scheme(owner: str | None) -> Scheme:
    return Scheme.objects.create(name=f"Skema {owner}", payer_type="apbd", owner_region_id=owner,
                                 legal_basis_number="1/2026", legal_basis_date=date(2026, 1, 1),
                                 start_month=clock.this_month(), end_month=add_months(clock.this_month(), 11),
                                 budget_ceiling=10**9)


def _people(users) -> list[Participant]:
    """Someone in every situation the rule tells apart: registered by each demo user, in each demo area, paid
    for by schemes of the district, of one of its kecamatan, of another district, and by a national one."""
    rows = []
    serial = 0
    for desa in (KRAJAN, OTHER_GATAK_DESA, DESA_C, GIANYAR_OTHER_KEC, KLATEN):
        for registrar in [None, *users.values()]:
            serial += 1
            nik = f"{desa[:2]}{desa[3:5]}{desa[6:8]}050590{serial:04d}"
            rows.append(Participant(nik=nik, full_name=f"Warga {serial}", birth_date=date(1990, 5, 5), sex="L",
                                    desa_id=desa, registered_by=registrar).fill_derived())
    people = Participant.objects.bulk_create(rows)
    schemes = [_scheme("51.04"), _scheme("51.04.01"), _scheme("33.11"), _scheme(None)]
    for i, person in enumerate(people):
        if i % 3:
            scheme = schemes[i % len(schemes)]
            Enrolment.objects.create(scheme=scheme, participant=person, desa_code=person.desa_id,
                                     kab_code=person.kab_code, start_month=clock.this_month(),
                                     end_month=add_months(clock.this_month(), 11), cost=1)
    return list(Participant.objects.all())


def test_the_set_answer_is_the_one_by_one_answer_for_every_demo_role(demo_users, django_assert_max_num_queries):
    people = _people(demo_users)
    ids = [p.pk for p in people]
    for username, user in demo_users.items():
        expected = {p.pk for p in people if can_change_participant(user, p)}
        with django_assert_max_num_queries(2):
            found = changeable_participant_ids(user, ids)
        assert found == expected, username
        assert changeable_participant_ids(user, ids[:7]) == expected & set(ids[:7]), username
    # the rule tells them apart: nobody may change everyone except the national admin, everybody may change someone
    # but the read-only roles (a wadah manager reads its desa's people and changes none)
    answers = {u: changeable_participant_ids(user, ids) for u, user in demo_users.items()}
    assert answers["admin"] == set(ids)
    read_only = {u for u, user in demo_users.items() if user.role in READ_ONLY_ROLES}
    assert read_only and all(answers[u] == set() for u in read_only)
    assert all(answers[u] and answers[u] != set(ids) for u in answers if u != "admin" and u not in read_only)


def test_a_large_set_is_asked_in_a_few_queries(demo_users, django_assert_max_num_queries):
    _people(demo_users)
    official = demo_users["pemkab.gianyar"]
    ids = list(Participant.objects.values_list("pk", flat=True)) + list(range(10**6, 10**6 + 12_000))
    user_region_codes(official)  # read once per request, as every scope check does
    with django_assert_max_num_queries(3):  # 5,000 ids a query
        found = changeable_participant_ids(official, ids)
    assert found and found <= set(ids[:-12_000])
    assert changeable_participant_ids(official, []) == set()
