"""'Simulasi iuran' on the page and in the API, for anyone logged in."""

import pytest
from django.test import Client

from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def test_the_quote_api_gives_the_village_budget(operator_a):
    api = api_client(operator_a)
    got = api("get", "/contributions/quote?segment=bpu&programs=jkk,jkm&income=1000000&month=2026-11&payer=apbd"
                     "&people=100&months=6")
    assert got.status_code == 200, got.content
    body = got.json()
    assert body["total"] == 16_800 and body["budget_total"] == 10_080_000 and len(body["monthly"]) == 6
    assert [line["programme"] for line in body["lines"]] == ["JKK", "JKM"] and body["lines"][1]["total"] == 6_800
    alone = api("get", "/contributions/quote?segment=bpu&income=1000000&month=2026-11").json()
    assert alone["total"] == 8_400 and "PP 50/2025" in alone["lines"][0]["discount_name"]


@pytest.mark.parametrize(("query", "code", "field"), [
    ("segment=bpu&income=1234567", "income_not_allowed", "income"),
    ("segment=bpu&income=1000000&month=2010-01", "no_rate", "month"),
    ("segment=pmi&contract_months=0", "bad_contract_months", "contract_months"),
    ("segment=bpu&programs=jkk", "programme_required", "programmes"),
    ("segment=bpu&income=-5", "validation_error", "income"),
    ("segment=bpu&income=1000000&payer=bank", "validation_error", "payer"),
    ("segment=bpu&income=1000000&month=2026-13", "validation_error", "month"),
])
def test_bad_quote_requests_say_which_field(operator_a, query, code, field):
    got = api_client(operator_a)("get", f"/contributions/quote?{query}")
    assert got.status_code == 422
    error = got.json()["error"]
    assert error["code"] == code and field in error["fields"], error


def test_the_quote_needs_a_login(client):
    assert client.get("/api/v1/contributions/quote?segment=bpu&income=1000000").status_code == 401
    assert client.get("/iuran/simulasi/").status_code == 302


def test_the_quote_page_shows_amounts_and_the_budget(operator_a):
    client = Client()
    client.force_login(operator_a)
    page = client.get("/iuran/simulasi/")
    assert page.status_code == 200 and "Simulasi iuran" in page.content.decode()
    query = {"segment": "BPU", "programmes": ["JKK", "JKM", "JHT"], "income": "1000000", "month": "2026-04",
             "payer": "apbdes", "sector": "umum", "people": "100", "months": "6"}
    partial = client.get("/iuran/simulasi/", query, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Rp36.800" in partial and "Rp22.080.000" in partial  # 100 × 36,800 × 6


def test_the_quote_page_names_the_field_that_is_wrong(operator_a):
    client = Client()
    client.force_login(operator_a)
    query = {"segment": "BPU", "programmes": ["JKK", "JKM"], "income": "1250000", "month": "2026-04",
             "payer": "self", "sector": "umum"}
    page = client.get("/iuran/simulasi/", query).content.decode()
    assert "tidak ada dalam daftar nominal BPU" in page and "Rp1.000.000" in page
    assert 'id="quote-total"' not in page
