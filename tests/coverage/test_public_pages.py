"""The public coverage pages (issue 13, item 7) on generated data: no login, no count from 1 to 4 anywhere, no
personal data, 404 for anything that is not a province, cacheable, rate limited."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from jamsosdesa.core import clock
from jamsosdesa.core.regioncodes import Level
from jamsosdesa.coverage.denominators import DenominatorRequest, denominator_set
from jamsosdesa.coverage.models import DenominatorSource
from jamsosdesa.coverage.public import HIDDEN, SHOWN, SMALL
from jamsosdesa.coverage.snapshot import snapshot_refresh
from jamsosdesa.coverage.targets import TargetRequest, target_set
from jamsosdesa.regions.models import Region
from tests.conftest import DESA_A, DESA_B, DESA_C
from tests.coverage.rules_fixtures import due
from tests.funding.conftest import month, people

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'<span class="count">([^<]*)</span>')


def first_desa(kab: str) -> str:
    return Region.objects.filter(level=Level.DESA, code__startswith=kab + ".", is_historical=False).order_by(
        "code").values_list("code", flat=True)[0]


def paid(persons, n):
    """The first `n` of them paid this month (and so are protected today)."""
    for person in persons[:n]:
        due(person, month(0), paid=True)


@pytest.fixture
def world(admin_user):
    """Sukoharjo (33.11): 15 registered, 11 protected; Klaten (33.10): 3 registered, 1 protected; Gianyar (51.04):
    8 and 6; Gresik (35.25): 2 registered, none protected. A denominator and a target for Jawa Tengah."""
    cache.clear()
    a, b = people(12, DESA_A), people(3, DESA_B)
    paid(a, 9)
    paid(b, 2)
    klaten = people(3, first_desa("33.10"))
    paid(klaten, 1)
    gianyar = people(8, DESA_C)
    paid(gianyar, 6)
    gresik = people(2, first_desa("35.25"))
    year = clock.today().year
    denominator_set(actor=admin_user, request=DenominatorRequest(region="33", year=year, count=240,
                                                                 source=DenominatorSource.BPS_SAKERNAS))
    target_set(actor=admin_user, request=TargetRequest(region="33", year=year, count=48))
    target_set(actor=admin_user, request=TargetRequest(region="51.04", year=year, count=12))
    snapshot_refresh(clock.today())
    return a + b + klaten + gianyar + gresik


def get(path: str):
    return Client().get(path)


def counts_shown(html: str) -> list[str]:
    return COUNT.findall(html)


def test_the_nation_page_needs_no_login_and_shows_every_province(world):
    response = get("/cakupan/publik/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jawa Tengah" in html and "Bali" in html and "Aceh" in html  # a province with nobody: a row of 0
    assert f"{clock.today():%d/%m/%Y}" in html  # the snapshot's day


def test_the_page_may_be_kept_by_caches_but_no_cookie_is_shared(world):
    client = Client()
    first = client.get("/cakupan/publik/")
    assert first["Cache-Control"].startswith("private, max-age=")  # it sets this visitor's CSRF cookie
    assert "csrftoken" in first.cookies
    again = client.get("/cakupan/publik/33/")
    assert again["Cache-Control"].startswith("public, max-age=")
    assert "csrftoken" not in again.cookies and "Cookie" in again["Vary"]


def test_no_count_from_1_to_4_is_shown_anywhere(world):
    for path in ("/cakupan/publik/", "/cakupan/publik/33/", "/cakupan/publik/51/", "/cakupan/publik/35/"):
        html = get(path).content.decode()
        for text in counts_shown(html):
            if text.replace(".", "").isdigit():
                assert int(text.replace(".", "")) == 0 or int(text.replace(".", "")) >= 5, (path, text)
        assert "&lt; 5" in html or path == "/cakupan/publik/51/", path


def test_a_small_kabupaten_and_its_complement(world):
    rows = {r["code"]: r for r in get("/cakupan/publik/33/").context["rows"]}
    assert rows["33.10"]["protected"]["state"] == SMALL
    assert rows["33.11"]["protected"]["state"] == HIDDEN  # else 12 - 11 gives Klaten's 1
    assert rows["33.10"]["coverage"] is None and rows["33.11"]["progress"] is None  # percentages hidden with it
    region = get("/cakupan/publik/33/").context["region"]
    assert region["protected"] == {"value": 12, "state": SHOWN}
    assert region["coverage"] == 5.0 and region["progress"] == 25.0  # 12 of 240, 12 of 48


def test_a_province_hidden_on_the_nation_page_is_hidden_on_its_own(world):
    nation = {r["code"]: r for r in get("/cakupan/publik/").context["rows"]}
    assert nation["35"]["registered"]["state"] == SMALL  # Gresik's 2
    assert nation["51"]["registered"]["state"] == HIDDEN  # the smallest other province (8)
    bali = get("/cakupan/publik/51/").context
    assert bali["region"]["registered"]["state"] == HIDDEN
    assert {r["code"]: r for r in bali["rows"]}["51.04"]["registered"]["state"] == HIDDEN  # else 51 = its sum
    assert bali["region"]["protected"] == {"value": 6, "state": SHOWN}


def test_no_personal_data_on_the_pages(world):
    html = "".join(get(p).content.decode() for p in ("/cakupan/publik/", "/cakupan/publik/33/",
                                                      "/cakupan/publik/51/"))
    for person in world:
        assert person.nik not in html and person.full_name not in html
    assert DESA_A not in html and "Krajan" not in html  # nothing below a kabupaten


@pytest.mark.parametrize("code", ["99", "33.11", DESA_A, "ID", "3", "abc", "33.11.11"])
def test_anything_but_a_province_is_404(world, code):
    assert get(f"/cakupan/publik/{code}/").status_code == 404


def test_without_a_snapshot_the_page_says_so(db):
    cache.clear()
    response = get("/cakupan/publik/")
    assert response.status_code == 200
    assert "Belum ada potret cakupan" in response.content.decode()


def test_the_figures_are_cached_for_a_few_minutes(world, django_assert_max_num_queries):
    get("/cakupan/publik/")
    with django_assert_max_num_queries(3):  # the snapshot's day, the session and nothing else
        assert get("/cakupan/publik/33/").status_code == 200


def test_an_older_snapshot_day_is_named(world, admin_user):
    cache.clear()
    from jamsosdesa.coverage.models import Snapshot

    yesterday = clock.today() - timedelta(days=1)
    Snapshot.objects.update(day=yesterday)
    assert f"{yesterday:%d/%m/%Y}" in get("/cakupan/publik/").content.decode()


def test_too_many_requests_from_one_address_get_429(world, settings):
    settings.COVERAGE_PUBLIC_RATE = 2
    assert get("/cakupan/publik/").status_code == 200
    assert get("/cakupan/publik/33/").status_code == 200
    response = get("/cakupan/publik/")
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in response.content.decode()
