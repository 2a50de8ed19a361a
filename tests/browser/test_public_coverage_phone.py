"""The public coverage pages on a 360-px phone (issue 13, item 7), without logging in: the nation, a province
with its kabupaten/kota (long names, a source note, a warning), no sideways scroll, and the way there from the
login page."""

import os

import pytest
from django.core.cache import cache

from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from jamsosdesa.coverage.denominators import DenominatorRequest, denominator_set
from jamsosdesa.coverage.snapshot import snapshot_refresh
from jamsosdesa.coverage.targets import TargetRequest, target_set
from tests.conftest import DESA_A, DESA_B, make_user
from tests.coverage.rules_fixtures import due
from tests.funding.conftest import month, people

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("JAMSOSDESA_SCREENSHOTS")  # a folder: keep the screenshots to look at


def test_the_public_pages_fit_a_phone_without_login(page):
    cache.clear()
    admin = make_user("admin_publik", Role.NATIONAL_ADMIN)
    krajan, sanggung = people(40, DESA_A), people(3, DESA_B)
    for person in krajan[:30] + sanggung[:2]:
        due(person, month(0), paid=True)
    year = clock.today().year
    denominator_set(actor=admin, request=DenominatorRequest(
        region="33.11", year=year, count=470_000, source="bps_sakernas",
        source_note="Sakernas Agustus, tabel penduduk bekerja menurut kabupaten/kota"))
    denominator_set(actor=admin, request=DenominatorRequest(region="33", year=year, count=0, source="other"))
    target_set(actor=admin, request=TargetRequest(region="33.11", year=year, count=12_800))
    target_set(actor=admin, request=TargetRequest(region="ID", year=year, count=70_000_000))
    snapshot_refresh(clock.today())

    page.goto(page.base_url + "/masuk/")
    page.click("text=Cakupan kepesertaan per wilayah")
    page.wait_for_url("**/cakupan/publik/")
    assert "Jawa Tengah" in page.content()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "public_nation.png"))
        page.locator("tr", has_text="Jawa Tengah").last.scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(SHOTS, "public_nation_rows.png"))
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the nation page scrolls"

    page.click("text=Jawa Tengah")
    page.wait_for_url("**/cakupan/publik/33/")
    content = page.content()
    assert "Kabupaten Sukoharjo" in content and "Sakernas Agustus" in content
    assert "tercatat 0" in content  # the province's zero denominator: a warning, no coverage
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "public_province.png"))
        page.locator("tr", has_text="Kabupaten Sukoharjo").scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(SHOTS, "public_province_rows.png"))
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the province page scrolls"
