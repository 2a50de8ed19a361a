"""The quote page says how each amount is computed in the user's language, and names the regulation as the rule
data has it (the shipped rows hold the regulation's name only, not an Indonesian description)."""

import importlib

import pytest
from django.apps import apps
from django.test import Client

from jamsosdesa.contributions.models import ContractBand, Rate

pytestmark = pytest.mark.django_db


def quote_page(user, language, **query):
    client = Client()
    client.force_login(user)
    client.post("/bahasa/", {"language": language, "next": "/iuran/simulasi/"})
    return client.get("/iuran/simulasi/", query, HTTP_HX_REQUEST="true").content.decode()


def test_the_english_page_describes_each_rate_in_english_and_names_the_regulation(operator_a):
    query = {"segment": "PU", "programmes": ["JKK", "JKM", "JHT", "JP"], "income": "5000000", "risk_class": "2",
             "payer": "employer", "sector": "umum"}
    page = quote_page(operator_a, "en", **query)
    for words in ("0.54% of Rp5.000.000", "employer 3.7% + worker 2% of Rp5.000.000",
                  "employer 2% + worker 1% of Rp5.000.000", "PP 46/2015 jo. PP 60/2015 (JHT)", "PP 45/2015 (JP)"):
        assert words in page, words
    for indonesian in ("pemberi kerja", "pekerja 2%", "dari upah", "dari Rp", "kelompok risiko", "plafon"):
        assert indonesian not in page, indonesian
    bpu = quote_page(operator_a, "en", segment="BPU", programmes=["JKK", "JKM", "JHT"], income="1000000",
                     payer="apbd", sector="umum")
    assert "1% of Rp1.000.000" in bpu and "Rp6.800 a month" in bpu and "2% of Rp1.000.000" in bpu
    assert "nominal penghasilan" not in bpu and "per bulan" not in bpu


def test_the_indonesian_page_says_the_same_in_indonesian(operator_a):
    page = quote_page(operator_a, "id", segment="PU", programmes=["JKK", "JKM", "JHT"], income="5000000",
                      risk_class="2", payer="employer", sector="umum")
    assert "0,54% dari Rp5.000.000" in page and "pemberi kerja 3,7% + pekerja 2% dari Rp5.000.000" in page


def test_rows_shipped_with_a_description_keep_the_regulation_name_only():
    migration = importlib.import_module("jamsosdesa.contributions.migrations.0003_regulation_names")
    jkk = Rate.objects.filter(segment="BPU", programme="JKK").first()
    jkk.regulation = "PP 44/2015 jo. PP 82/2019 (JKK, JKM): 1% dari nominal penghasilan"
    jkk.save()
    band = ContractBand.objects.first()
    band.regulation = "Permenaker 44/2015 (jasa konstruksi berdasarkan nilai kontrak)"
    band.save()
    mine = Rate.objects.filter(segment="BPU", programme="JHT").first()
    mine.regulation = "Perpres contoh 9/2027: ditulis admin"
    mine.save()
    migration.rename(apps, None)
    jkk.refresh_from_db()
    band.refresh_from_db()
    mine.refresh_from_db()
    assert (jkk.regulation, band.regulation) == ("PP 44/2015 jo. PP 82/2019 (JKK, JKM)", "Permenaker 44/2015")
    assert mine.regulation == "Perpres contoh 9/2027: ditulis admin"  # an administrator's text is theirs
