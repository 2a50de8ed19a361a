"""Target pages under /cakupan/target/: one region's list and form, the history, 404 outside one's area."""

import pytest

from jamsosdesa.coverage.models import Target

from .region_fixtures import DESA_A, DESA_B, logged_in, this_year

pytestmark = pytest.mark.django_db


def test_an_operator_sets_its_desa_target_on_the_page_and_reads_its_history(operator_a):
    page = logged_in(operator_a)
    assert DESA_A in page.get("/cakupan/target/").content.decode()
    form = page.get(f"/cakupan/target/{DESA_A}/").content.decode()
    assert "Krajan" in form and "Simpan target" in form
    answer = page.post(f"/cakupan/target/{DESA_A}/", {"year": this_year(), "count": "1.000", "segment": "",
                                                      "village_role": "", "note": "Musdes"}, follow=True)
    text = answer.content.decode()
    assert "1.000" in text and "Musdes" in text
    page.post(f"/cakupan/target/{DESA_A}/", {"year": this_year(), "count": "1200"})
    target = Target.objects.get()
    assert target.count == 1200
    history = page.get(f"/cakupan/target/riwayat/{target.pk}/").content.decode()
    assert "1.000" in history and "1.200" in history and "op_a" in history


def test_the_page_says_what_is_wrong_and_saves_nothing(operator_a):
    page = logged_in(operator_a)
    answer = page.post(f"/cakupan/target/{DESA_A}/", {"year": this_year(), "count": "-3"})
    assert answer.status_code == 200 and "tidak boleh negatif" in answer.content.decode()
    answer = page.post(f"/cakupan/target/{DESA_A}/", {"year": this_year() - 1, "count": "3"})
    assert "sudah lewat" in answer.content.decode()
    assert not Target.objects.exists()


def test_outside_ones_area_a_region_and_its_targets_do_not_exist(operator_a, operator_b, official):
    Target.objects.create(region_code=DESA_B, year=this_year(), due_date=f"{this_year()}-12-31", count=5)
    theirs = Target.objects.get()
    page = logged_in(operator_a)
    assert page.get(f"/cakupan/target/{DESA_B}/").status_code == 404
    assert page.post(f"/cakupan/target/{DESA_B}/", {"year": this_year(), "count": "9"}).status_code == 404
    assert page.get(f"/cakupan/target/riwayat/{theirs.pk}/").status_code == 404
    assert page.get("/cakupan/target/99.99/").status_code == 404  # no such region
    kabupaten = page.get("/cakupan/target/33.11/")  # above it: seen, without the form
    assert kabupaten.status_code == 200 and "Simpan target" not in kabupaten.content.decode()
    assert page.post("/cakupan/target/33.11/", {"year": this_year(), "count": "9"}).status_code == 404
    assert "Simpan target" in logged_in(official).get(f"/cakupan/target/{DESA_B}/").content.decode()
    assert Target.objects.get().count == 5


def test_the_national_admin_sets_the_nations_target_at_id(admin_user, operator_a):
    page = logged_in(admin_user)
    answer = page.post("/cakupan/target/ID/", {"year": this_year(), "count": "70.000.000"}, follow=True)
    assert "70.000.000" in answer.content.decode() and Target.objects.get().region_code == ""
    seen = logged_in(operator_a).get("/cakupan/target/ID/").content.decode()  # everyone sees the nation's target
    assert "70.000.000" in seen and "Simpan target" not in seen
