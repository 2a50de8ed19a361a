"""A region's coverage dashboard and its claims dashboard link to each other (coverage and claims never import each
other: core.links carries the link), and only for a user who may open the other page."""

import re

import pytest
from django.test import Client

from jamsosdesa.core.roles import Role
from tests.conftest import DESA_A, make_user

pytestmark = pytest.mark.django_db


def _page(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _href(html, link_id):
    found = re.search(rf'<a href="([^"]+)" id="{link_id}"', html)
    return found and found.group(1).replace("&amp;", "&")


def test_the_coverage_dashboard_of_a_desa_links_to_its_claims_and_back(operator_a):
    coverage = _page(operator_a, f"/cakupan/wilayah/{DESA_A}/")
    claims_url = _href(coverage, "link-claimsdashboard")
    assert claims_url and claims_url.endswith(f"wilayah={DESA_A}")
    claims = _page(operator_a, claims_url)
    assert DESA_A in claims and "Krajan" in claims
    back = _href(claims, "link-coveragedashboard")
    assert back == f"/cakupan/wilayah/{DESA_A}/"
    assert _href(coverage, "link-coveragedashboard") is None  # a page does not link to itself


def test_the_nation_links_for_who_sees_it_all(admin_user):
    claims_url = _href(_page(admin_user, "/cakupan/wilayah/ID/"), "link-claimsdashboard")
    assert claims_url and claims_url.endswith("wilayah=ID")
    assert _href(_page(admin_user, claims_url), "link-coveragedashboard") == "/cakupan/wilayah/ID/"


def test_no_link_to_claims_for_a_role_that_does_not_see_claims():
    manager = make_user("pengelola.links", Role.WADAH_MANAGER, [DESA_A])
    client = Client()
    client.force_login(manager)
    response = client.get(f"/cakupan/wilayah/{DESA_A}/")  # a wadah manager follows its village's coverage
    assert response.status_code == 200 and "Krajan" in response.content.decode()
    assert _href(response.content.decode(), "link-claimsdashboard") is None
    assert client.get("/klaim/dasbor/").status_code == 404
