"""Creating and changing funding schemes: the checks a district official or a village relies on."""

from datetime import date, datetime

import pytest
import time_machine

from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.funding.models import Scheme, SchemeQuota
from jamsosdesa.funding.selectors import scheme_cost_per_person, scheme_planned_quota
from jamsosdesa.funding.services import scheme_update
from tests.conftest import DESA_A, DESA_B, JAKARTA

from .conftest import scheme_data

pytestmark = pytest.mark.django_db


def test_a_district_scheme_is_created_with_its_quotas_and_audited(make_scheme):
    scheme = make_scheme(quotas={DESA_A: 150})
    assert scheme.programmes == ["JKK", "JKM"] and scheme.months == 6
    assert scheme_cost_per_person(scheme, scheme.start_month, scheme.end_month) == 6 * 16_800  # APBD: no PP 50 discount
    assert scheme_planned_quota(scheme) == 150 + 149 * 100  # Krajan's own, the other 149 desa at 100 (not kelurahan)
    event = AuditEvent.objects.get(object_type="scheme", object_id=str(scheme.pk))
    assert event.new["quotas"] == {DESA_A: 150} and event.new["budget_ceiling"] == 2_000_000_000


def test_a_scheme_made_on_a_leap_day_takes_a_legal_basis_up_to_28_february_next_year(make_scheme):
    """'At most a year ahead' of 29 February is 28 February (it was a server error on every leap day)."""
    with time_machine.travel(datetime(2028, 2, 29, 10, 0, tzinfo=JAKARTA), tick=False):
        scheme = make_scheme(legal_basis_date=date(2029, 2, 28))
        assert (scheme.start_month, scheme.end_month) == (date(2028, 2, 1), date(2028, 7, 1))
        with pytest.raises(ServiceError) as err:
            make_scheme(legal_basis_date=date(2029, 3, 1))
    assert "Tanggal dasar hukum tidak masuk akal" in err.value.fields["legal_basis_date"][0]


def test_quotas_that_exceed_the_budget_are_refused_and_nothing_is_written(make_scheme):
    with pytest.raises(ServiceError) as err:
        make_scheme(budget_ceiling=1_000_000_000)  # 150 desa (not the 17 kelurahan) × 100 × 100,800
    assert "budget_ceiling" in err.value.fields and "melebihi pagu" in err.value.fields["budget_ceiling"][0]
    assert "Rp1.512.000.000" in err.value.fields["budget_ceiling"][0]
    assert not Scheme.objects.exists() and not SchemeQuota.objects.exists()
    assert not AuditEvent.objects.filter(object_type="scheme").exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"income_nominal": 1_234_567}, "income_nominal"),
    ({"payer_type": "apbdes", "owner_code": DESA_A}, "apbdes_source"),
    ({"payer_type": "apbdes", "apbdes_source": "dana_desa"}, "owner_code"),  # an APBDes scheme belongs to a desa
    ({"owner_code": "51.04"}, "owner_code"),  # Gianyar is outside the official's region
    ({"end_month": date(2026, 10, 1)}, "end_month"),
    ({"start_month": date(2010, 1, 1), "end_month": date(2010, 6, 1)}, "start_month"),  # no rates yet
    ({"legal_basis_number": " "}, "legal_basis_number"),
    ({"segment": "PMI"}, "segment"),
    ({"village_roles": ("chief",)}, "village_roles"),
    ({"quotas": {"51.04.01.2001": 10}}, "quotas"),
])
def test_bad_scheme_data_names_the_field(make_scheme, overrides, field):
    with pytest.raises(ServiceError) as err:
        make_scheme(**overrides)
    assert field in err.value.fields, err.value.fields
    assert not Scheme.objects.exists()


def test_a_village_operator_creates_an_apbdes_scheme_for_its_own_desa_only(operator_a):
    from jamsosdesa.funding.services import scheme_create

    data = scheme_data(name="RT/RW Krajan", payer_type="apbdes", apbdes_source="add", owner_code=DESA_A,
                       quota_per_desa=None, budget_ceiling=5_000_000, village_roles=("rt_head", "rw_head"))
    scheme = scheme_create(actor=operator_a, data=data)
    assert scheme.owner_code == DESA_A and scheme_planned_quota(scheme) is None
    with pytest.raises(ServiceError) as err:
        scheme_create(actor=operator_a, data=scheme_data(payer_type="apbdes", apbdes_source="add", owner_code=DESA_B))
    assert "owner_code" in err.value.fields


def test_lowering_the_budget_below_what_is_committed_is_refused(make_scheme, official):
    from jamsosdesa.funding.services import EnrolmentSelection, enrolment_batch_run
    from jamsosdesa.participants.models import Participant

    from .conftest import people

    scheme = make_scheme()
    people(3)
    enrolment_batch_run(actor=official, scheme=scheme,
                        selection=EnrolmentSelection(participants=Participant.objects.all()))
    with pytest.raises(ServiceError) as err:
        scheme_update(actor=official, scheme=scheme, changes={"budget_ceiling": 200_000, "quota_per_desa": None})
    assert "budget_ceiling" in err.value.fields
    scheme.refresh_from_db()
    assert scheme.budget_ceiling == 2_000_000_000
    changed = scheme_update(actor=official, scheme=scheme, changes={"quota_per_desa": 50}, quotas={DESA_B: 0})
    assert changed.quota_per_desa == 50
    event = AuditEvent.objects.filter(event_type="scheme.updated").get()
    assert event.old["quota_per_desa"] == 100 and event.new["quotas"] == {DESA_B: 0}


def test_a_welfare_list_reads_its_niks_as_an_enrolment_list_does(make_scheme, official):
    """Regression: a welfare list took any 16 characters ('3311-ABCD-…' never matched anyone), and a blank line
    of the API's list refused the scheme while the list replaced from a file skipped it."""
    from jamsosdesa.funding.models import WelfareEntry
    from jamsosdesa.funding.services import welfare_list_replace

    with pytest.raises(ServiceError) as err:
        make_scheme(requires_welfare_list=True, welfare_niks=("3311110505900003", "33111105O59OOOO4"))
    assert "33111105O59OOOO4" in err.value.fields["welfare_niks"][0]
    scheme = make_scheme(requires_welfare_list=True, welfare_niks=("3311 1105 0590 0003", "", "3311110505900003"))
    assert list(WelfareEntry.objects.filter(scheme=scheme).values_list("nik", flat=True)) == ["3311110505900003"]
    with pytest.raises(ServiceError) as err:
        welfare_list_replace(actor=official, scheme=scheme, niks=["ABCDEFGHIJKLMNOP"])
    assert "ABCDEFGHIJKLMNOP" in err.value.message
    with pytest.raises(ServiceError):
        make_scheme(requires_welfare_list=True, welfare_niks=(" ", ""))  # blanks only: no list at all
