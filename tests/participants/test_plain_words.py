"""Issue 11, village operators' findings: people never read a stored code (rt_head, vulnerable_worker, P, a field
name), a blank income is '—' and not Rp0, occupation names keep their acronyms, a duplicate NIK links to the person
who has it, and masked NIKs in a list can be told apart by the age and RT beside them."""

from datetime import date

import pytest
from django.test import Client

from jamsosdesa.core import clock
from jamsosdesa.participants import services
from jamsosdesa.participants.labels import age, occupation_name
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_B

pytestmark = pytest.mark.django_db

FORM = {"nik": "3311110505900003", "full_name": "Lain", "birth_date": "1990-05-05", "sex": "L",
        "desa": "33.11.11.2004", "segment": "BPU", "village_role": "rt_head", "declared_income": "",
        "occupation": "", "rt": "2", "rw": "1", "client_token": "tok-2", "heirs-TOTAL_FORMS": "0",
        "heirs-INITIAL_FORMS": "0", "heirs-MIN_NUM_FORMS": "0", "heirs-MAX_NUM_FORMS": "10"}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name,expected", [
    ("PEGAWAI NEGERI SIPIL (PNS)", "Pegawai Negeri Sipil (PNS)"),
    ("TENTARA NASIONAL INDONESIA (TNI)", "Tentara Nasional Indonesia (TNI)"),
    ("KEPOLISIAN RI (POLRI)", "Kepolisian RI (POLRI)"), ("KARYAWAN BUMN", "Karyawan BUMN"),
    ("ANGGOTA DPR-RI", "Anggota DPR-RI"), ("ANGGOTA DPRD KABUPATEN/KOTA", "Anggota DPRD Kabupaten/Kota"),
    ("BELUM/TIDAK BEKERJA", "Belum/Tidak Bekerja"), ("", ""),
])
def test_occupation_names_keep_their_acronyms(name, expected):
    assert occupation_name(name) == expected


def test_the_detail_page_and_its_history_show_words_not_codes(operator_a, register):
    p = register(operator_a, occupation=9, declared_income=1_000_000)
    services.participant_update(actor=operator_a, participant=p, data={
        "village_role": "vulnerable_worker", "occupation": 5, "declared_income": 0})
    page = logged_in(operator_a).get(f"/peserta/{p.pk}/").content.decode()
    for code in ("vulnerable_worker", "rt_head", "village_role", "declared_income", "occupation:"):
        assert code not in page, code
    assert '<dd id="income">—</dd>' in page and "Rp0" not in page  # no income declared
    assert "Pegawai Negeri Sipil (PNS)" in page and "(Pns)" not in page
    assert "peran di desa: Ketua RT → Pekerja rentan/informal" in page
    assert "pekerjaan: Petani/Pekebun → Pegawai Negeri Sipil (PNS)" in page
    assert "penghasilan per bulan (Rp): Rp1.000.000 → —" in page
    assert "Laki-laki" in page


def test_the_form_offers_occupations_with_their_acronyms(operator_a):
    page = logged_in(operator_a).get("/peserta/baru/").content.decode()
    for name in ("Pegawai Negeri Sipil (PNS)", "Tentara Nasional Indonesia (TNI)", "Karyawan BUMN",
                 "Anggota DPR-RI"):
        assert name in page, name
    assert "(Pns)" not in page and "Bumn" not in page and "Dpr-Ri" not in page


def test_the_live_nik_check_names_the_sex(operator_a):
    page = logged_in(operator_a).get("/peserta/cek-nik/", {"nik": "3311114505900003"}).content.decode()
    assert "Perempuan" in page and ", P<" not in page


def test_a_duplicate_nik_on_the_form_links_to_the_person_who_has_it(operator_a, register):
    existing = register(operator_a)
    page = logged_in(operator_a).post("/peserta/baru/", FORM).content.decode()
    assert "sudah terdaftar atas nama Sugeng Riyadi" in page
    assert f'href="/peserta/{existing.pk}/" id="existing-person"' in page


def test_no_link_for_a_nik_held_outside_the_users_area(operator_a, operator_b, register):
    existing = register(operator_a)
    page = logged_in(operator_b).post("/peserta/baru/", {**FORM, "desa": DESA_B}).content.decode()
    assert "tidak dapat didaftarkan di sini" in page
    assert 'id="existing-person"' not in page and f"/peserta/{existing.pk}/" not in page


def test_masked_niks_in_the_list_stand_beside_age_and_rt(operator_a, register):
    born = date(1990, 5, 5)
    register(operator_a, rt="2", rw="1")
    register(operator_a, nik="3311110505900004", full_name="Sugeng Riyadi Dua", rt="7", rw="3")
    page = logged_in(operator_a).get("/peserta/").content.decode()
    assert "••••" in page  # an operator reads masked NIKs
    years = age(born, clock.today())
    assert f"{years} tahun · RT 002/RW 001" in page and f"{years} tahun · RT 007/RW 003" in page
    assert Participant.objects.count() == 2


@pytest.mark.parametrize("written,code", [("Pegawai Negeri Sipil", 5), ("PEGAWAI NEGERI SIPIL (PNS)", 5),
                                          ("Tentara Nasional Indonesia", 6), ("Kepolisian RI", 7)])
def test_occupations_written_without_their_acronym_are_read_as_the_right_code(written, code):
    from jamsosdesa.participants.fields import Facts, clean_participant
    from jamsosdesa.participants.models import Occupation

    facts = Facts(today=clock.today(), occupations=dict(Occupation.objects.values_list("code", "name")),
                  desa_status=lambda code: "ok")
    assert clean_participant({"occupation": written}, facts, partial=True).values["occupation"] == code


def test_the_live_nik_check_names_the_kecamatan_not_only_its_code(operator_a):
    page = logged_in(operator_a).get("/peserta/cek-nik/", {"nik": "3311114505900003"}).content.decode()
    assert "wilayah Gatak, Kabupaten Sukoharjo, Jawa Tengah (33.11.11)" in page


def test_the_sex_warning_names_both_sexes_in_the_readers_language(operator_a):
    """A female NIK registered as male: the warning says Laki-laki/Perempuan (Male/Female), not L and P."""
    form = {**FORM, "nik": "3311114505900003", "sex": "L"}
    page = logged_in(operator_a).post("/peserta/baru/", form).content.decode()
    assert "Jenis kelamin Laki-laki tidak sesuai dengan NIK (Perempuan)." in page
    english = logged_in(operator_a)
    english.post("/bahasa/", {"language": "en", "next": "/peserta/"})
    page = english.post("/peserta/baru/", form).content.decode()
    assert "Sex Male does not match the NIK (Female)." in page
