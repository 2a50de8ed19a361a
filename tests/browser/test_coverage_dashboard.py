"""The coverage dashboard on a 360-px phone: no sideways scrolling, the charts drawn, and the drill-down from a
kabupaten to a desa and back up by the breadcrumb. Screenshots go to /tmp (JAMSOSDESA_SCREENSHOTS=1)."""

import os

import pytest

from jamsosdesa.core.roles import Role
from tests.browser.conftest import log_in, nav_to
from tests.conftest import DESA_A, make_user

pytestmark = pytest.mark.browser

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def shot(page, name: str) -> None:
    """The whole page, and slices of it one screen high (readable at full size)."""
    if os.environ.get("JAMSOSDESA_SCREENSHOTS"):
        page.screenshot(path=f"/tmp/{name}.png", full_page=True)
        size = page.viewport_size
        height = page.evaluate("() => document.documentElement.scrollHeight")
        for n, y in enumerate(range(0, height, size["height"])):
            page.screenshot(path=f"/tmp/{name}_{n}.png", full_page=True, clip={
                "x": 0, "y": y, "width": size["width"], "height": min(size["height"], height - y)})


def test_the_dashboard_fits_a_phone_and_drills_down_and_back(page):
    from tests.coverage.test_dashboard import build_world

    admin = make_user("admin_hp", Role.NATIONAL_ADMIN)
    build_world(admin)
    page.set_viewport_size({"width": 360, "height": 760})
    log_in(page, "admin_hp")
    nav_to(page, "Cakupan")
    page.wait_for_url("**/cakupan/wilayah/ID/")
    assert page.locator("svg.chart").first.is_visible()
    assert page.evaluate(FITS), "the nation's dashboard scrolls sideways"
    shot(page, "dash_nation_360")
    page.goto(page.base_url + "/cakupan/wilayah/33.11/")
    page.wait_for_load_state()
    assert page.evaluate(FITS), "the kabupaten's dashboard scrolls sideways"
    for chart in ("chart-progress", "chart-coverage", "chart-trend", "chart-segment"):
        box = page.locator(f"svg[data-chart={chart}]").bounding_box()
        assert box and box["width"] > 200 and box["x"] + box["width"] <= 360, chart
    shot(page, "dash_kab_360")
    page.click("#children-table >> text=Gatak")
    page.wait_for_url("**/cakupan/wilayah/33.11.11/")
    page.click("#children-table >> text=Krajan")
    page.wait_for_url(f"**/cakupan/wilayah/{DESA_A}/")
    assert page.locator("h1").inner_text().startswith("Cakupan Krajan")
    assert page.evaluate(FITS), "the desa's dashboard scrolls sideways"
    shot(page, "dash_desa_360")
    page.click("#crumbs >> text=Sukoharjo")
    page.wait_for_url("**/cakupan/wilayah/33.11/")
    assert page.locator("#children-table").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    for path, name in (("ID", "dash_nation_desk"), ("33.11", "dash_kab_desk"), (DESA_A, "dash_desa_desk")):
        page.goto(page.base_url + f"/cakupan/wilayah/{path}/")
        page.wait_for_load_state()
        assert page.evaluate(FITS), path
        shot(page, name)
    from datetime import timedelta

    from jamsosdesa.core import clock
    from jamsosdesa.coverage.snapshot import month_end, snapshot_refresh
    from jamsosdesa.participants.models import Participant
    from tests.funding.conftest import month

    Participant.objects.update(created_at=clock.now() - timedelta(days=400))  # registered over a year ago
    for k in range(1, 13):  # a year of month ends: the longest trend the report draws
        snapshot_refresh(month_end(month(-k)))
    page.goto(page.base_url + "/cakupan/wilayah/33.11/cetak/")
    page.wait_for_load_state()
    assert page.locator("svg[data-chart=chart-trend] > g > title").count() == 12  # 11 month ends and today
    shot(page, "dash_kab_print")
    pdf = page.pdf(format="A4", print_background=True)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages == 1, f"the A4 report prints on {pages} pages"
