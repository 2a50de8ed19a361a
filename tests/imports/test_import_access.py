"""Who an import may change among the people its file holds: the access rule's set-based answer, per chunk."""

from datetime import date

import pytest

from jamsosdesa.core import clock
from jamsosdesa.core.months import add_months
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.models import Enrolment, Scheme
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_C, make_user
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = "nik,nama,tanggal_lahir,jenis_kelamin,kode_desa,alamat\n"


def _person(nik: str, name: str, registrar) -> Participant:
    return Participant.objects.create(nik=nik, full_name=name, birth_date=date(1990, 5, 5), sex="L", desa_id=DESA_C,
                                      address="Banjar Lama", registered_by=registrar)


@pytest.fixture
def gianyar(admin_user):
    """Kab. Gianyar's official, three people in Batubulan (registered by the admin, one of them paid for by
    the district's scheme, and one the official registered), and the district's file with a new address."""
    official = make_user("pemkab_gianyar", Role.DISTRICT_OFFICIAL, ["51.04"])
    other = _person("5104010505900001", "I Made Lain", admin_user)
    enrolled = _person("5104010505900002", "I Wayan Skema", admin_user)
    own = _person("5104010505900003", "Ni Ketut Sendiri", official)
    scheme = Scheme.objects.create(name="Gianyar Sejahtera", payer_type="apbd", owner_region_id="51.04",
                                   legal_basis_number="Perbup 1/2026", legal_basis_date=date(2026, 1, 1),
                                   start_month=clock.this_month(), end_month=add_months(clock.this_month(), 11),
                                   budget_ceiling=10**9)
    Enrolment.objects.create(scheme=scheme, participant=enrolled, desa_code=DESA_C, kab_code="51.04",
                             start_month=clock.this_month(), end_month=add_months(clock.this_month(), 11), cost=1)
    lines = "".join(f"{p.nik},{p.full_name},05-05-1990,L,{DESA_C},Banjar Baru\n" for p in (other, enrolled, own))
    return official, other, enrolled, own, HEADER + lines


def test_a_district_official_previews_a_file_with_someone_another_user_registered(run, gianyar):
    """Crashed: the engine asked the access rule about an object without a primary key."""
    official, other, _enrolled, _own, text = gianyar
    outcome = run(official, csv_bytes(text), desa="", dry_run=True)
    assert outcome.file_error == ""
    assert outcome.counts["elsewhere"] == 1 and outcome.counts["updated"] == 2
    assert outcome.samples["elsewhere"][0]["nik"] == other.nik
    assert outcome.samples["elsewhere"][0]["message"] == f"Sudah terdaftar di desa {DESA_C}."


def test_the_official_loads_changes_to_the_people_the_district_may_change_only(run, gianyar):
    official, other, enrolled, own, text = gianyar
    outcome = run(official, csv_bytes(text), desa="")
    assert outcome.applied and outcome.counts["updated"] == 2
    addresses = dict(Participant.objects.values_list("nik", "address"))
    assert addresses == {other.nik: "Banjar Lama", enrolled.nik: "Banjar Baru", own.nik: "Banjar Baru"}
