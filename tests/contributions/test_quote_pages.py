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


def _across_the_end_of_the_self_payer_discount():
    """The months around the end of the discount a self-paying BPU worker gets, as the rule data has it:
    (first month of the period, the discount's last month, the first month without it, the discount)."""
    from jamsosdesa.contributions.models import Discount
    from jamsosdesa.core.months import add_months

    cut = next(d for d in Discount.objects.filter(segment="BPU", valid_until__isnull=False) if not d.sectors)
    return add_months(cut.valid_until, -2), cut.valid_until, add_months(cut.valid_until, 1), cut


def test_the_quote_page_shows_when_and_why_the_monthly_amount_changes(operator_a):
    from django.utils.formats import date_format

    start, last, after, cut = _across_the_end_of_the_self_payer_discount()
    client = Client()
    client.force_login(operator_a)
    query = {"segment": "BPU", "programmes": ["JKK", "JKM"], "income": "1000000", "month": f"{start:%Y-%m}",
             "payer": "self", "sector": "umum", "people": "100", "months": "6"}
    page = client.get("/iuran/simulasi/", query, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="quote-runs"' in page and 'id="quote-budget">Rp7.560.000<' in page  # 100 × (3 × 8,400 + 3 × 16,800)
    assert (f"Mulai {date_format(after, 'F Y')}: Rp16.800 sebulan per orang, karena potongan 50% JKK dan JKM "
            f"({cut.regulation}) berakhir setelah bulan iuran {date_format(last, 'F Y')}.") in page
    assert f"{start:%m/%Y}–{last:%m/%Y}" in page and "Rp2.520.000" in page and "Rp5.040.000" in page
    assert "tanpa potongan" in page
    query["payer"] = "apbd"  # the discount never applies: no table, nothing to explain
    page = client.get("/iuran/simulasi/", query, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="quote-runs"' not in page and 'id="quote-budget">Rp10.080.000<' in page


def test_the_english_quote_page_explains_the_change_and_the_discount_in_english(operator_a):
    from django.utils import translation
    from django.utils.formats import date_format

    start, last, after, cut = _across_the_end_of_the_self_payer_discount()
    client = Client()
    client.force_login(operator_a)
    client.post("/bahasa/", {"language": "en", "next": "/iuran/simulasi/"})
    query = {"segment": "BPU", "programmes": ["JKK", "JKM"], "income": "1000000", "month": f"{start:%Y-%m}",
             "payer": "self", "sector": "umum", "people": "100", "months": "6"}
    page = client.get("/iuran/simulasi/", query).content.decode()
    with translation.override("en"):
        after_name, last_name = date_format(after, "F Y"), date_format(last, "F Y")
    assert (f"From {after_name}: Rp16.800 per person per month, because the 50% discount on JKK and JKM "
            f"({cut.regulation}) ends after contribution month {last_name}.") in page
    assert f"50% discount on JKK ({cut.regulation}) until {last_name}: −Rp5.000" in page
    assert "no discount" in page and "Total for 100 people" in page
    for indonesian in ("potongan", "sebulan per orang", "berakhir", "tanpa potongan", "Diskon 50%"):
        assert indonesian not in page, indonesian


def test_the_api_and_the_command_line_give_the_same_runs(operator_a):
    import json
    from io import StringIO

    from django.core.management import call_command

    start, last, after, cut = _across_the_end_of_the_self_payer_discount()
    body = api_client(operator_a)("get", f"/contributions/quote?segment=bpu&income=1000000&month={start:%Y-%m}"
                                         "&people=100&months=6").json()
    assert body["amount_changes"] and body["budget_total"] == sum(r["total"] for r in body["runs"]) == 7_560_000
    assert [(r["from_month"], r["to_month"], r["amount"], r["months"]) for r in body["runs"]] == [
        (f"{start:%Y-%m}", f"{last:%Y-%m}", 8_400, 3), (f"{after:%Y-%m}", body["monthly"][-1]["month"], 16_800, 3)]
    change = body["runs"][1]["changes"][0]
    assert change["kind"] == "discount_ended" and change["month"] == f"{last:%Y-%m}"
    assert change["regulation"] == cut.regulation and change["discount"]["name"] == cut.name
    out = StringIO()
    call_command("contribution", "quote", "--segment", "bpu", "--income", "1000000", "--month", f"{start:%Y-%m}",
                 "--people", "100", "--months", "6", "--json", stdout=out)
    assert json.loads(out.getvalue())["runs"] == body["runs"]
    out = StringIO()
    call_command("contribution", "quote", "--segment", "bpu", "--income", "1000000", "--month", f"{start:%Y-%m}",
                 "--people", "100", "--months", "6", stdout=out)
    text = out.getvalue()
    assert f"{start:%m/%Y}–{last:%m/%Y}: Rp8.400 × 3 bulan × 100 orang = Rp2.520.000" in text
    assert body["runs"][1]["reason"] in text and "= Rp7.560.000" in text
