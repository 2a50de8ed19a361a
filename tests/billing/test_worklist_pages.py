"""The worklist page, its .xlsx export and the start-package action: scoped to the user's area, phone-friendly
(one card per person), the export audited and formula-safe."""

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from jamsosdesa.core.models import AuditEvent, AuditEventType

from .conftest import DESA_A, DESA_B, enrol, month, people

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ending(make_scheme):
    """Two workers of desa A and one of desa B whose scheme ends this month; one of A with a formula for a name."""
    scheme = make_scheme()
    a1, a2 = people(2, DESA_A)
    b1 = people(1, DESA_B)[0]
    a1.phone = "081234567890"
    a1.save(update_fields=["phone"])
    a2.full_name = '=HYPERLINK("http://x","klik")'
    a2.save(update_fields=["full_name"])
    enrol(scheme, [a1, a2, b1], start=month(0), end=month(0))
    far = people(1, DESA_A)[0]
    enrol(scheme, [far], start=month(0), end=month(4))  # ends beyond 90 days
    return a1, a2, b1, far


def test_an_operator_sees_its_desas_people_ending_soon_with_a_whatsapp_link(ending, operator_a):
    a1, a2, b1, far = ending
    page = logged_in(operator_a).get("/tagihan/daftar-kerja/?jenis=forecast&hari=30").content.decode()
    assert a1.full_name in page and b1.full_name not in page and far.full_name not in page
    assert "https://wa.me/6281234567890?text=Yth." in page
    assert a1.nik not in page and a1.nik[:4] + "••••••••" + a1.nik[12:] in page  # masked in a list
    assert "Mulai iuran mandiri dari" in page  # the operator may start the package


def test_a_region_outside_the_area_shows_only_the_users_own(ending, operator_b):
    a1, a2, b1, far = ending
    page = logged_in(operator_b).get(f"/tagihan/daftar-kerja/?wilayah={DESA_A}").content.decode()
    assert a1.full_name not in page and b1.full_name in page


@pytest.mark.parametrize("query", ["?jenis=bogus&hari=x", "?hari=45", "?wilayah=99.99.x", "?wilayah=33.11&page=999",
                                   "?kelompok=agen&agen=abc&desa=zzz", "?jenis=arrears", "?jenis=non_active",
                                   "?jenis=arrears&kelompok=agen&desa=33.11.11.2004&agen=1"])
def test_odd_filters_never_crash(ending, operator_a, query):
    assert logged_in(operator_a).get("/tagihan/daftar-kerja/" + query).status_code == 200


def test_grouped_per_agent(ending, operator_a, agent):
    a1, *_rest = ending
    a1.registered_by = agent
    a1.save(update_fields=["registered_by"])
    page = logged_in(operator_a).get("/tagihan/daftar-kerja/?kelompok=agen").content.decode()
    assert "agen_a" in page and "tanpa agen" in page


def test_a_national_admin_chooses_a_region_first(ending, admin_user):
    page = logged_in(admin_user).get("/tagihan/daftar-kerja/").content.decode()
    assert "Pilih wilayah dulu" in page
    page = logged_in(admin_user).get("/tagihan/daftar-kerja/?wilayah=33.11").content.decode()
    assert ending[2].full_name in page


def test_the_export_is_audited_and_a_formula_stays_text(ending, branch):
    a1, a2, b1, far = ending
    answer = logged_in(branch).get("/tagihan/daftar-kerja.xlsx?jenis=forecast&hari=90")
    assert answer.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(answer.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][:2] == ["NIK", "Nama"]
    by_name = {r[1]: r for r in rows[1:]}
    assert set(by_name) == {a1.full_name, a2.full_name, b1.full_name}
    assert by_name[a1.full_name][0] == a1.nik  # a branch officer sees whole NIKs
    assert by_name[a2.full_name][1].startswith("=HYPERLINK")  # written as text, not as a formula
    assert by_name[a1.full_name][11].startswith("https://wa.me/6281234567890?text=")
    event = AuditEvent.objects.get(event_type=AuditEventType.WORKLIST_EXPORTED)
    assert event.actor_id == branch.pk and event.new["rows"] == 3 and event.new["kind"] == "forecast"
    assert event.new["nik_masked"] is False


def test_the_start_action_needs_a_post_and_answers_404_outside(ending, operator_b):
    from jamsosdesa.funding.models import Enrolment

    enrolment = Enrolment.objects.get(participant=ending[0])
    client = logged_in(operator_b)
    assert client.get(f"/tagihan/daftar-kerja/mulai/{enrolment.pk}/").status_code == 405
    assert client.post(f"/tagihan/daftar-kerja/mulai/{enrolment.pk}/").status_code == 404
    assert client.post("/tagihan/daftar-kerja/mulai/999999/").status_code == 404


def test_the_start_action_starts_the_own_package_from_the_month_after(ending, operator_a):
    from jamsosdesa.billing.models import Membership
    from jamsosdesa.funding.models import Enrolment

    a1 = ending[0]
    enrolment = Enrolment.objects.get(participant=a1)
    client = logged_in(operator_a)
    answer = client.post(f"/tagihan/daftar-kerja/mulai/{enrolment.pk}/", {"next": "/tagihan/daftar-kerja/"})
    assert answer.status_code == 302 and answer["Location"] == "/tagihan/daftar-kerja/"
    package = Membership.objects.get(participant=a1)
    assert (package.first_month, package.channel, package.income) == (month(1), "forecast", 1_000_000)
    assert sorted(package.programmes) == ["JKK", "JKM"] and package.started_by_id == operator_a.pk
    page = client.get("/tagihan/daftar-kerja/").content.decode()
    assert "Iuran mandiri " + a1.full_name + " dimulai dari" in page  # the flash message
    assert "wa.me/6281234567890" not in page  # a package follows now: off the forecast
    # a second start is refused with the service's words, naming the person, and nothing more is written
    again = client.post(f"/tagihan/daftar-kerja/mulai/{enrolment.pk}/", follow=True).content.decode()
    assert a1.full_name in again and "sudah punya iuran mandiri" in again
    assert Membership.objects.filter(participant=a1).count() == 1
