"""A batch report lists only the refusals of the viewer's area (issue 11, leaks and abuse 2)."""

import pytest
from django.test import Client

from jamsosdesa.core.roles import Role
from jamsosdesa.funding import selectors
from jamsosdesa.funding.services import EnrolmentSelection, enrolment_batch_run
from tests.conftest import DESA_A, DESA_C, make_user

from .conftest import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch_over_two_provinces(make_scheme):
    """A national admin enrols villagers of Krajan (Sukoharjo) and of Batubulan (Gianyar) into Sukoharjo's scheme:
    the Gianyar ones are refused as living outside the scheme's region."""
    scheme = make_scheme(quota_per_desa=None)
    national = make_user("pusat", Role.NATIONAL_ADMIN)
    krajan, batubulan = people(1, DESA_A), people(2, DESA_C)
    batch = enrolment_batch_run(actor=national, scheme=scheme, selection=EnrolmentSelection(
        niks=[p.nik for p in krajan + batubulan] + ["1234"]))
    assert (batch.enrolled, batch.refused) == (1, 3)
    return national, batch, batubulan


def test_a_scheme_manager_reads_no_names_of_other_regions_in_a_batch_report(batch_over_two_provinces, official):
    national, batch, batubulan = batch_over_two_provinces
    client = Client()
    client.force_login(official)  # Kab. Sukoharjo manages the scheme, but not Gianyar's people
    text = client.get(f"/skema/daftar/{batch.pk}/").content.decode()
    for person in batubulan:
        assert person.full_name not in text and DESA_C not in text and person.nik[-4:] not in text
    assert "tinggal di luar wilayah skema" not in text  # not even the reason's count
    assert "3 yang ditolak tinggal di luar wilayah Anda dan tidak ditampilkan." in text
    client.force_login(national)  # who sees everything reads them all
    text = client.get(f"/skema/daftar/{batch.pk}/").content.decode()
    assert all(person.full_name in text for person in batubulan) and "di luar wilayah Anda" not in text


def test_the_api_and_cli_refusal_list_is_filtered_to_the_viewer(batch_over_two_provinces, official):
    national, batch, batubulan = batch_over_two_provinces
    mine = selectors.enrolment_batch_as_json(batch, user=official)  # what the API and `scheme enrol --json` give
    assert mine["refusals"] == [] and mine["refusals_left_out"] == 3 and mine["refused"] == 3
    everything = selectors.enrolment_batch_as_json(batch, user=national)
    assert {r["desa_code"] for r in everything["refusals"]} == {DESA_C, ""} and everything["refusals_left_out"] == 0
    assert list(selectors.enrolment_batch_refusals(batch, user=official)) == []


def test_a_masked_nik_in_a_batch_report_stands_beside_the_persons_age_and_rt(make_scheme, official):
    """The refusals a district official reads show NIKs masked (3311••••••••0001 for most of a village): the age
    and RT beside each tell two people of the same name apart, as in the other lists (issue 11)."""
    from jamsosdesa.core import clock
    from jamsosdesa.participants.labels import age

    scheme = make_scheme(quota_per_desa=None)
    young = people(1, DESA_A, born=clock.today().replace(day=1, year=clock.today().year - 30))[0]
    old = people(1, DESA_A)[0]
    for person, rt, rw in ((young, "002", "001"), (old, "007", "003")):
        type(person).objects.filter(pk=person.pk).update(rt=rt, rw=rw)
    selection = EnrolmentSelection(niks=[young.nik, old.nik])
    enrolment_batch_run(actor=official, scheme=scheme, selection=selection)
    again = enrolment_batch_run(actor=official, scheme=scheme, selection=selection)  # both are enrolled already
    assert again.refused == 2
    client = Client()
    client.force_login(official)
    text = client.get(f"/skema/daftar/{again.pk}/").content.decode()
    assert young.nik not in text and "••••" in text
    today = clock.today()
    assert f"{age(young.birth_date, today)} tahun · RT 002/RW 001" in text
    assert f"{age(old.birth_date, today)} tahun · RT 007/RW 003" in text
