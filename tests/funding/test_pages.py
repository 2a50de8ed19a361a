"""Scheme pages: the budget view, enrolling from the page, the report and the printable sheet."""

import pytest
from django.test import Client

from jamsosdesa.funding.models import Enrolment
from tests.conftest import DESA_A, DESA_B

from .conftest import people

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_operator_fills_its_desa_quota_from_the_page_and_prints_the_sheet(make_scheme, operator_a, operator_b):
    scheme = make_scheme(quota_per_desa=2)
    mine = people(3, DESA_A)
    page = logged_in(operator_a)
    assert "Satu Desa 100 Pekerja Rentan" in page.get("/skema/").content.decode()
    answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"region": DESA_A, "start_month": "2026-11"})
    assert answer.status_code == 302 and "/skema/daftar/" in answer["Location"]
    report = page.get(answer["Location"]).content.decode()
    assert "2 orang didaftarkan" in report and "kuota desa sudah penuh" in report
    assert Enrolment.objects.count() == 2
    detail = page.get(f"/skema/{scheme.pk}/").content.decode()
    assert "Krajan" in detail and "Sanggung" not in detail  # the operator's own desa only
    sheet = page.get(f"/skema/{scheme.pk}/lembar-anggaran/?desa={DESA_A}").content.decode()
    assert "Rp201.600" in sheet and mine[0].full_name in sheet  # 2 people × Rp100,800
    assert logged_in(operator_b).get(f"/skema/{scheme.pk}/lembar-anggaran/?desa={DESA_A}").status_code == 404
    assert logged_in(operator_b).get(answer["Location"]).status_code == 404


def test_the_page_says_why_a_single_enrolment_was_refused(make_scheme, official, official_gianyar):
    scheme = make_scheme()
    worker = people(1, DESA_B, segment="PU")[0]
    page = logged_in(official)
    answer = page.post(f"/skema/{scheme.pk}/daftarkan/", {"nik": worker.nik}, follow=True)
    assert "segmen peserta tidak sesuai paket skema" in answer.content.decode()
    assert not Enrolment.objects.exists()
    assert logged_in(official_gianyar).get(f"/skema/{scheme.pk}/").status_code == 404
