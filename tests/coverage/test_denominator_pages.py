"""Denominator pages: a desa's own count on its page, a file imported with its report, 404 outside one's area."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsosdesa.coverage.models import Denominator

from .region_fixtures import DESA_A, DESA_B, logged_in, this_year

pytestmark = pytest.mark.django_db


def test_an_operator_sets_its_desa_count_on_the_page(operator_a):
    page = logged_in(operator_a)
    assert page.get("/cakupan/penduduk-bekerja/").status_code == 200
    answer = page.post(f"/cakupan/penduduk-bekerja/{DESA_A}/", {"year": this_year(), "count": "2.500",
                                                                "source": "village_count",
                                                                "source_note": "Pendataan RT"}, follow=True)
    text = answer.content.decode()
    assert "2.500" in text and "pendataan desa sendiri (Pendataan RT)" in text
    bad = page.post(f"/cakupan/penduduk-bekerja/{DESA_A}/", {"year": this_year(), "count": "-1",
                                                             "source": "village_count"})
    assert "tidak boleh negatif" in bad.content.decode()
    assert Denominator.objects.get().count == 2500


def test_outside_ones_area_the_page_does_not_exist(operator_a):
    page = logged_in(operator_a)
    assert page.get(f"/cakupan/penduduk-bekerja/{DESA_B}/").status_code == 404
    assert page.post(f"/cakupan/penduduk-bekerja/{DESA_B}/", {"year": this_year(), "count": "5",
                                                              "source": "other"}).status_code == 404
    assert page.post("/cakupan/penduduk-bekerja/33.11/", {"year": this_year(), "count": "5",
                                                          "source": "other"}).status_code == 404
    assert not Denominator.objects.exists()


def test_an_import_on_the_page_reports_each_refused_row(official):
    page = logged_in(official)
    data = f"kode;tahun;jumlah;sumber\n33.11;{this_year()};480000;BPS\n33.77;{this_year()};5;BPS\n".encode()
    answer = page.post("/cakupan/penduduk-bekerja/impor/", {"file": SimpleUploadedFile("bps.csv", data)})
    text = answer.content.decode()
    assert "Tidak ada yang dimuat" in text and "33.77" in text and not Denominator.objects.exists()
    answer = page.post("/cakupan/penduduk-bekerja/impor/", {"file": SimpleUploadedFile("bps.csv", data),
                                                            "partial": "on"})
    assert "1 baru" in answer.content.decode() and Denominator.objects.count() == 1
