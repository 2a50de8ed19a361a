"""The coverage dashboard (issue 13 items 4 and 8): the page, the API, the CLI and the .xlsx workbook give the same
figures for the same region and day, the desa add up to every level above, a region outside the user's area is
404, and a date that cannot be read, is still to come or is before any snapshot gets a clear message."""

import io
import json
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils.formats import date_format

from jamsosdesa.core import clock
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from jamsosdesa.coverage.denominators import DenominatorRequest, denominator_set
from jamsosdesa.coverage.snapshot import snapshot_refresh
from jamsosdesa.coverage.targets import TargetRequest, target_set
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, DESA_B, DESA_C, api_client, make_user
from tests.coverage.region_fixtures import logged_in
from tests.coverage.rules_fixtures import due
from tests.funding.conftest import month, people

pytestmark = pytest.mark.django_db

DESA_D = "33.11.01.2001"  # Grogol, Kec. Weru, Kab. Sukoharjo: a second kecamatan in the kabupaten
PAYERS = ("self", "apbd", "apbdes")
LEVELS = ("ID", "33", "33.11", "33.11.11", DESA_A)
ADDS = ("protected", "registered", "lapse_next_month")


def build_world(admin) -> dict:
    """Forty people over four desa (two kecamatan of Sukoharjo, one of Gianyar) with random paying histories,
    registered half a year ago; a target and a denominator for Sukoharjo and its kecamatan Gatak; snapshots of the
    last month's end and of today. Returns the two days."""
    rnd = random.Random(4)
    everyone = people(12, DESA_A) + people(10, DESA_B) + people(8, DESA_C) + people(10, DESA_D)
    for person in everyone:
        payer = rnd.choice(PAYERS)
        paid_through = rnd.choice((0, 0, -1, -2, -3, None))
        for k in range(-5, 1):
            due(person, month(k), payer_type=payer, paid=paid_through is not None and k <= paid_through)
    Participant.objects.filter(pk__in=[p.pk for p in everyone]).update(
        created_at=clock.now() - timedelta(days=200))
    year = clock.today().year
    target_set(actor=admin, request=TargetRequest(region="33.11", year=year, count=100))
    target_set(actor=admin, request=TargetRequest(region="33.11.11", year=year, count=40))
    denominator_set(actor=admin, request=DenominatorRequest(region="33.11", year=year, count=400,
                                                            source="bps_sakernas", source_note="Sakernas"))
    denominator_set(actor=admin, request=DenominatorRequest(region="33.11.11", year=year, count=1,
                                                            source="village_count"))  # below the protected count
    past = month(0) - timedelta(days=1)
    snapshot_refresh(past)
    snapshot_refresh(clock.today())
    return {"today": clock.today(), "past": past}


@pytest.fixture
def world(admin_user):
    return build_world(admin_user)


def api_figures(user, region, on=""):
    return api_client(user)("get", f"/coverage/figures?region={region}&on={on}")


def cli_figures(region, on, user):
    out = io.StringIO()
    call_command("coverage", "--region", region, "--on", on, "--json", "--user", user.username, stdout=out)
    return json.loads(out.getvalue())


def xlsx_sheets(content: bytes) -> dict:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("region", LEVELS)
@pytest.mark.parametrize("when", ["today", "past"])
def test_the_page_the_api_the_cli_and_the_workbook_give_the_same_figures(world, admin_user, region, when):
    day = world[when].isoformat()
    answer = api_figures(admin_user, region, day)
    assert answer.status_code == 200, answer.content
    api = answer.json()
    cli = cli_figures(region, day, admin_user)
    assert api == cli  # every key and every child, the same
    client = logged_in(admin_user)
    page = client.get(f"/cakupan/wilayah/{region}/?tanggal={day}")
    assert page.status_code == 200
    assert page.context["f"] == cli
    html = page.content.decode()
    assert f'<strong class="big">{api["protected"]}</strong>' in html
    assert api["on"] == day
    sheets = xlsx_sheets(download(client, f"/cakupan/wilayah/{region}/ekspor.xlsx?tanggal={day}"))
    summary = {row[0]: row[1] for row in sheets["Ringkasan"][1:]}
    assert summary["Terlindungi (status aktif pada hari itu)"] == api["protected"]
    assert summary["Terdaftar"] == api["registered"]
    assert summary["Hari potret"] == api["on"]
    assert summary["Cakupan (%)"] == (api["coverage"] if api["coverage"] is not None else "")
    assert summary["Target"] == (api["target"] if api["target"] is not None else "")
    children = {row[0]: row for row in sheets["Wilayah di bawahnya"][1:]}
    assert {code: row[2] for code, row in children.items()} == {c["region"]: c["protected"] for c in api["children"]}
    trend = [(row[1], row[2]) for row in sheets["Tren"][1:]]
    assert trend == [(t["on"], t["protected"]) for t in api["trend"]]
    segments = [row for row in sheets["Rincian"][1:] if row[0] == "Segmen"]
    assert sum(row[3] for row in segments) == api["protected"]


@pytest.mark.parametrize("when", ["today", "past"])
def test_the_desa_add_up_to_the_kecamatan_the_kabupaten_the_province_and_the_nation(world, admin_user, when):
    day = world[when].isoformat()
    seen = 0
    for region in ("ID", "33", "33.11", "33.11.11", "33.11.01", "51", "51.04", "51.04.01"):
        f = api_figures(admin_user, region, day).json()
        assert f["children"], region
        for key in ADDS:
            assert sum(c[key] for c in f["children"]) == f[key], (region, key)
        assert round(sum(c["counted"] for c in f["children"]), 3) == f["counted"], region
        for status, n in f["statuses"].items():
            assert sum(c["statuses"][status] for c in f["children"]) == n, (region, status)
        seen += 1
    nation = api_figures(admin_user, "ID", day).json()
    desa = [api_figures(admin_user, d, day).json() for d in (DESA_A, DESA_B, DESA_C, DESA_D)]
    assert sum(d["protected"] for d in desa) == nation["protected"]
    assert sum(d["registered"] for d in desa) == nation["registered"] == 40


def test_the_page_shows_the_target_the_pace_the_coverage_named_and_the_warning(world, admin_user):
    client = logged_in(admin_user)
    kab = client.get("/cakupan/wilayah/33.11/")
    f = kab.context["f"]
    html = kab.content.decode()
    assert f["target"] == 100 and f["denominator"] == 400 and f["coverage"] is not None
    assert "BPS Sakernas" in html  # the denominator named beside the coverage
    assert f'{f["pace_per_month"]} orang terlindungi tambahan per bulan' in html
    assert "aturan: status aktif pada hari itu" in html and f["counting_rule"] in html
    assert html.count('<svg class="chart" role="img"') >= 3 and "<desc id=" in html
    kec = client.get("/cakupan/wilayah/33.11.11/")
    assert kec.context["f"]["coverage"] is None and kec.context["f"]["warning"]  # 1 person < protected
    assert kec.context["f"]["warning"] in kec.content.decode()
    assert "chart-coverage" not in kec.content.decode()  # never a coverage above 100 %
    assert "/tagihan/daftar-kerja/?jenis=non_active&amp;wilayah=33.11" in html  # lapse next month -> worklist


def test_the_kabupaten_ranks_its_kecamatan_and_links_down_and_up(world, admin_user):
    client = logged_in(admin_user)
    day = world["past"].isoformat()
    page = client.get(f"/cakupan/wilayah/33.11/?tanggal={day}&urut=terlindungi")
    children = page.context["children"]
    assert [c["protected"] for c in children] == sorted((c["protected"] for c in children), reverse=True)
    html = page.content.decode()
    assert f'href="/cakupan/wilayah/33.11.11/?tanggal={day}"' in html  # drill-down keeps the day
    by_code = client.get("/cakupan/wilayah/33.11/?urut=kode").context["children"]
    assert [c["region"] for c in by_code] == ["33.11.01", "33.11.11"]
    desa = client.get(f"/cakupan/wilayah/{DESA_A}/?tanggal={day}").content.decode()
    crumbs = desa[desa.index('id="crumbs"'):desa.index("</nav>", desa.index('id="crumbs"'))]
    for code in ("ID", "33", "33.11", "33.11.11"):
        assert f'href="/cakupan/wilayah/{code}/?tanggal={day}"' in crumbs, code


def test_a_region_outside_the_users_area_is_404_everywhere(world, operator_a, official_gianyar):
    client = logged_in(operator_a)
    for path in ("/cakupan/wilayah/51.04/", "/cakupan/wilayah/51.04/cetak/", "/cakupan/wilayah/51.04/ekspor.xlsx",
                 f"/cakupan/wilayah/{DESA_B}/", "/cakupan/wilayah/99.99/", "/cakupan/wilayah/x/"):
        assert client.get(path).status_code == 404, path
    assert api_figures(operator_a, "51.04").status_code == 404
    assert api_figures(operator_a, DESA_B).status_code == 404
    assert logged_in(official_gianyar).get("/cakupan/wilayah/33.11/").status_code == 404


def test_a_village_operator_sees_its_kabupaten_with_only_its_own_desa_below(world, operator_a):
    client = logged_in(operator_a)
    assert client.get("/cakupan/").url == f"/cakupan/wilayah/{DESA_A}/"
    kec = client.get("/cakupan/wilayah/33.11.11/")
    assert kec.status_code == 200
    assert [c["region"] for c in kec.context["children"]] == [DESA_A]
    assert f'href="/cakupan/wilayah/{DESA_B}/"' not in kec.content.decode()
    api = api_figures(operator_a, "33.11.11").json()
    assert [c["region"] for c in api["children"]] == [DESA_A]
    assert api == cli_figures("33.11.11", clock.today().isoformat(), operator_a)


def test_the_home_page_sends_each_user_to_their_region(world, admin_user, official):
    assert logged_in(admin_user).get("/cakupan/").url == "/cakupan/wilayah/ID/"
    assert logged_in(official).get("/cakupan/").url == "/cakupan/wilayah/33.11/"
    two = make_user("dua_desa", Role.VILLAGE_OPERATOR, [DESA_A, DESA_B])
    page = logged_in(two).get("/cakupan/")
    assert page.status_code == 200
    assert f'/cakupan/wilayah/{DESA_A}/' in page.content.decode() and f'/cakupan/wilayah/{DESA_B}/' in \
        page.content.decode()
    assert logged_in(make_user("tanpa", Role.VILLAGE_OPERATOR, [])).get("/cakupan/").status_code == 200


@pytest.mark.parametrize("typed, words", [
    ("kemarin", "tidak dikenal"), ("2026-02-30", "tidak dikenal"), ("9999-99-99", "tidak dikenal"),
    ("future", "belum tiba"),
])
def test_a_bad_or_future_date_is_said_on_the_page_which_shows_today(world, admin_user, typed, words):
    if typed == "future":
        typed = (clock.today() + timedelta(days=1)).isoformat()
    page = logged_in(admin_user).get(f"/cakupan/wilayah/33.11/?tanggal={typed}")
    assert page.status_code == 200
    html = page.content.decode()
    assert words in html and 'id="date-problem"' in html
    assert page.context["f"]["on"] == clock.today().isoformat()
    assert api_figures(admin_user, "33.11", typed).status_code == 422
    assert api_figures(admin_user, "33.11", typed).json()["error"]["fields"]["on"]


def test_a_day_before_any_snapshot_is_said_not_crashed(world, admin_user):
    before = (world["past"] - timedelta(days=1)).isoformat()
    page = logged_in(admin_user).get(f"/cakupan/wilayah/33.11/?tanggal={before}")
    assert page.status_code == 200
    assert "Belum ada potret cakupan" in page.content.decode() and "f" not in page.context
    assert api_figures(admin_user, "33.11", before).status_code == 422
    export = logged_in(admin_user).get(f"/cakupan/wilayah/33.11/ekspor.xlsx?tanggal={before}")
    assert export.status_code == 302  # back to the page, which says why


def test_a_code_that_is_no_region_is_422_in_the_api(world, admin_user):
    answer = api_figures(admin_user, "99.99")
    assert answer.status_code == 422 and answer.json()["error"]["fields"]["region"]


def test_the_export_is_audited(world, admin_user):
    client = logged_in(admin_user)
    download(client, "/cakupan/wilayah/33.11/ekspor.xlsx")
    event = AuditEvent.objects.get(event_type=AuditEventType.COVERAGE_EXPORTED, object_type="coverage_figures")
    assert (event.object_id, event.region_code, event.actor_name) == ("33.11", "33.11", admin_user.username)
    assert event.new["rows"] == 2 and event.new["on"] == clock.today().isoformat()


def test_the_a4_report_has_the_key_figures_the_chart_the_children_and_the_source(world, admin_user):
    page = logged_in(admin_user).get(f"/cakupan/wilayah/33.11/cetak/?tanggal={world['past'].isoformat()}")
    assert page.status_code == 200
    html = page.content.decode()
    f = page.context["f"]
    assert "coverage_print.css" in html and 'id="report-figures"' in html and 'id="report-children"' in html
    assert "chart-trend" in html and "BPS Sakernas" in html
    assert f"<strong>{f['protected']}</strong>" in html
    assert f"Angka potret {date_format(world['past'], 'j F Y')}" in html  # the snapshot day



def test_the_dashboard_lists_the_regions_events_with_their_conversion(world, admin_user, operator_a):
    from jamsosdesa.coverage.event_selectors import event_conversion
    from tests.coverage.events_fixtures import make_event, register_with

    event = make_event(operator_a)
    register_with(operator_a, event.code, 0)
    register_with(operator_a, event.code, 1)
    client = logged_in(admin_user)
    kab = client.get("/cakupan/wilayah/33.11/")
    assert [e.code for e in kab.context["events"]] == [event.code] and kab.context["events_total"] == 1
    row = kab.context["events"][0]
    assert (row.registered, row.protected) == (2, event_conversion(event).protected)
    assert event.code in kab.content.decode()
    assert client.get("/cakupan/wilayah/51.04/").context["events"] == []  # held in Sukoharjo, not Gianyar
    sheets = xlsx_sheets(download(client, "/cakupan/wilayah/33.11/ekspor.xlsx"))
    assert [row[0] for row in sheets["Sosialisasi"][1:]] == [event.code]
    assert sheets["Sosialisasi"][1][5] == 2


def test_groups_without_protected_people_are_named_not_drawn(world, admin_user):
    people(1, DESA_A)  # nobody pays this month for them: the payer group 'none', nobody protected in it
    snapshot_refresh(clock.today())
    page = logged_in(admin_user).get("/cakupan/wilayah/33.11/")
    html = page.content.decode()
    roles = {e["label"]: e["protected"] for e in page.context["f"]["breakdowns"]["segment"]}
    assert all(n > 0 for n in roles.values())  # the world's people are all BPU, some protected
    assert 'data-chart="chart-segment"' in html
    payers = page.context["f"]["breakdowns"]["payer_kind"]
    idle = [e["label"] for e in payers if not e["protected"]]
    assert idle and f"Tanpa peserta terlindungi: {idle[0]}" in html
    for entry in payers:
        drawn = f"<title>{entry['label']}: " in html
        assert drawn == (entry["protected"] > 0), entry


def test_the_page_the_report_and_the_export_answer_in_english_too(world, admin_user):
    client = logged_in(admin_user)
    session = client.session
    session["language"] = "en"  # what the language switch stores
    session.save()
    page = client.get("/cakupan/wilayah/33.11/")
    assert page.status_code == 200 and '<html lang="en"' in page.content.decode()
    assert client.get("/cakupan/wilayah/33.11/cetak/").status_code == 200
    sheets = xlsx_sheets(download(client, "/cakupan/wilayah/33.11/ekspor.xlsx"))
    assert len(sheets) == 5


def test_the_page_leads_to_the_other_coverage_pages_of_its_region(world, admin_user):
    """The menu has one "Cakupan" entry: the region's targets, working population, events, refreshes and public page
    (and a desa's prospects) are reached from its dashboard, each link answering."""
    import re

    from tests.conftest import DESA_A

    client = logged_in(admin_user)
    for code, prospects in (("33.11", False), (DESA_A, True)):
        html = client.get(f"/cakupan/wilayah/{code}/").content.decode()
        more = html[html.index('id="coverage-more"'):]
        more = more[:more.index("</p>")]
        links = re.findall(r'href="([^"]+)"', more)
        assert f"/cakupan/target/{code}/" in links and f"/cakupan/penduduk-bekerja/{code}/" in links
        assert ("/cakupan/prospek/?desa=" + code in links) == prospects
        for link in links:
            assert client.get(link.replace("&amp;", "&")).status_code == 200, link
