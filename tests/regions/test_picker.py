"""The region picker searches the user's own area first, says when a region lies outside it, offers outside
regions only where choosing them leads somewhere, and never leaves a bare list in the address bar."""

import re

import pytest
from django.test import Client

from jamsosdesa.core.regioncodes import Level
from jamsosdesa.core.roles import Role
from jamsosdesa.regions.selectors import region_search
from tests.conftest import DESA_A, DESA_B, api_client, make_user

pytestmark = pytest.mark.django_db

OUTSIDE = "di luar wilayah Anda"


def picker(user, **query):
    client = Client()
    client.force_login(user)
    return client.get("/wilayah/cari/", query, HTTP_HX_REQUEST="true")


def items(html: str) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", html, re.S)


def test_the_operator_of_krajan_finds_their_own_krajan_first(operator_a):
    everywhere = [h["code"] for h in region_search("krajan", level=Level.DESA, limit=15)]
    assert everywhere[0] != DESA_A  # by name and code alone another Krajan comes first
    hits = region_search("krajan", level=Level.DESA, limit=15, area=[DESA_A])
    assert hits[0]["code"] == DESA_A and hits[0]["in_area"]
    assert not any(h["in_area"] for h in hits[1:]) and hits[1]["name"] == "Krajan"  # then the exact others
    page = picker(operator_a, desa_q="krajan", target="id_desa").content.decode()
    first, *rest = items(page)
    assert f'data-code="{DESA_A}"' in first and OUTSIDE not in first
    assert rest and all(OUTSIDE in item for item in rest)


def test_a_desa_outside_the_area_is_marked_and_cannot_be_chosen_for_registration(operator_a):
    page = picker(operator_a, desa_q="krajan", target="id_desa").content.decode()
    assert page.count("data-pick-target") == 1 and f'data-code="{DESA_A}"' in page
    assert page.count("disabled") == len(items(page)) - 1
    assert "Anda hanya bisa mendaftarkan peserta di desa wilayah Anda" in page


def test_the_list_filter_offers_regions_around_ones_desa_and_marks_the_rest(operator_a):
    gatak = picker(operator_a, region_q="gatak", target="id_region", level="any", submit="1").content.decode()
    kecamatan = next(item for item in items(gatak) if 'data-code="33.11.11"' in item)
    assert "data-pick-target" in kecamatan and OUTSIDE not in kecamatan  # the kecamatan holding Krajan
    sanggung = picker(operator_a, region_q="sanggung", target="id_region", level="any", submit="1").content.decode()
    neighbour = next(item for item in items(sanggung) if DESA_B in item)
    assert OUTSIDE in neighbour and "disabled" in neighbour and "data-pick-target" not in neighbour
    assert "daftar peserta Anda tidak punya peserta di sana" in sanggung


def test_an_agent_may_filter_outside_its_area_on_the_people_it_registered_but_is_told(db):
    agent = make_user("agen", Role.PERISAI_AGENT, [DESA_A])
    page = picker(agent, region_q="sanggung", target="id_region", level="any", submit="1").content.decode()
    neighbour = next(item for item in items(page) if DESA_B in item)
    assert OUTSIDE in neighbour and f'data-code="{DESA_B}"' in neighbour and "disabled" not in neighbour


def test_a_national_admin_sees_nothing_marked(admin_user):
    page = picker(admin_user, desa_q="krajan", target="id_desa").content.decode()
    assert OUTSIDE not in page and page.count("data-pick-target") == len(items(page)) > 1


def test_the_api_search_ranks_and_marks_by_the_callers_area(operator_a):
    hits = api_client(operator_a)("get", "/regions?q=krajan&level=4&limit=10").json()
    assert hits[0]["code"] == DESA_A and hits[0]["in_area"] and not any(h["in_area"] for h in hits[1:])


def test_the_search_never_enters_the_address_bar_and_a_direct_visit_is_a_full_page(operator_a):
    fragment = picker(operator_a, desa_q="krajan", target="id_desa")
    assert fragment["HX-Push-Url"] == "false" and "HX-Request" in fragment["Vary"]
    assert "<html" not in fragment.content.decode()
    client = Client()
    client.force_login(operator_a)
    page = client.get("/wilayah/cari/", {"desa_q": "krajan", "target": "id_desa"})  # a reload of that address
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html and "<h1>Cari wilayah</h1>" in html
    assert 'name="q" value="krajan"' in html and f"{DESA_A}" in html and "data-pick-target" not in html
    listing = client.get("/peserta/").content.decode()
    region_input = re.search(r'<input[^>]*name="region_q"[^>]*>', listing, re.S).group(0)
    assert 'hx-push-url="false"' in region_input  # the list form pushes its own address, not the picker's
