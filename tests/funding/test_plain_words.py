"""Issue 11: the scheme pages name village roles and a filter's region in words, not as stored codes
(`peran: rt_head`, `filter 33.11.11.2004 rt_head`), and the list of who a scheme pays for sets each masked NIK
beside the person's age and RT."""

import pytest
from django.test import Client

from jamsosdesa.core import clock
from jamsosdesa.funding.models import Enrolment
from jamsosdesa.participants.labels import age
from tests.conftest import DESA_A

from .conftest import month_text, people

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_scheme_page_names_its_village_roles(make_scheme, official):
    scheme = make_scheme(village_roles=["rt_head", "vulnerable_worker"])
    page = logged_in(official).get(f"/skema/{scheme.pk}/").content.decode()
    assert "peran: Ketua RT, Pekerja rentan/informal" in page
    assert "rt_head" not in page.split("<article>", 1)[0] and "vulnerable_worker" not in page.split("<article>", 1)[0]


def test_a_filter_batch_names_its_region_and_role_and_the_list_shows_age_and_rt(
        make_scheme, operator_a, django_capture_on_commit_callbacks):
    scheme = make_scheme()
    worker = people(1, DESA_A, village_role="rt_head")[0]
    worker.rt, worker.rw = "004", "002"
    worker.save()
    page = logged_in(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"region": DESA_A, "village_role": "rt_head",
                                                               "start_month": month_text(0)})
    report = page.get(answer["Location"]).content.decode()
    assert Enrolment.objects.count() == 1
    assert f"pilihan: Krajan ({DESA_A}), Ketua RT" in report
    assert "rt_head" not in report and f"filter {DESA_A}" not in report

    listing = page.get(f"/skema/{scheme.pk}/peserta/").content.decode()
    assert "••••" in listing  # an operator reads masked NIKs
    assert f"{age(worker.birth_date, clock.today())} tahun · RT 004/RW 002" in listing


def test_scheme_lists_name_the_desa_instead_of_its_code(make_scheme, operator_a, django_capture_on_commit_callbacks):
    scheme = make_scheme(max_age=30)
    young, old = people(2, DESA_A)
    young.birth_date = clock.today().replace(year=clock.today().year - 25, day=1)
    old.birth_date = clock.today().replace(year=clock.today().year - 50, day=1)
    young.save()
    old.save()
    page = logged_in(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"region": DESA_A, "start_month": month_text(0)})
    report = page.get(answer["Location"]).content.decode()
    assert Enrolment.objects.count() == 1
    # The refused (too old) person's row names Krajan; the code stays only as a tooltip.
    assert f'title="{DESA_A}">Krajan</td>' in report
    listing = page.get(f"/skema/{scheme.pk}/peserta/").content.decode()
    assert f'title="{DESA_A}">Krajan</td>' in listing
