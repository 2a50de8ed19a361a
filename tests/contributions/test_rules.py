"""The rules are rows in the database, shipped as defaults and changed from a month on."""

from datetime import date

import pytest

from jamsosdesa.contributions.book import default_rate_book, rate_book
from jamsosdesa.contributions.calculator import QuoteRequest, quote
from jamsosdesa.contributions.models import Rate

pytestmark = pytest.mark.django_db
REQUESTS = [
    QuoteRequest("BPU", ("JKK", "JKM", "JHT"), date(2026, 11, 1), income=2_500_000),
    QuoteRequest("PU", ("JKK", "JKM", "JHT", "JP"), date(2026, 4, 1), income=12_000_000, risk_class=4),
    QuoteRequest("JAKON", ("JKK", "JKM"), date(2025, 6, 1), contract_value=7_500_000_000),
    QuoteRequest("PMI", ("JKK", "JKM"), date(2025, 6, 1), contract_months=30),
]


def test_the_shipped_rows_give_the_same_quotes_as_the_defaults():
    stored, shipped = rate_book(), default_rate_book()
    for req in REQUESTS:
        assert quote(stored, req).as_dict() == quote(shipped, req).as_dict()
    assert all(row.regulation for row in Rate.objects.all())  # every row names its regulation


def test_a_new_rate_applies_from_its_month_and_leaves_earlier_months_alone():
    Rate.objects.create(segment="BPU", programme="JKM", share="worker", flat_amount=8_000,
                        valid_from=date(2027, 1, 1), regulation="PP contoh 1/2027")
    book = rate_book()
    before = quote(book, QuoteRequest("BPU", ("JKK", "JKM"), date(2026, 12, 1), income=1_000_000, payer="apbd"))
    after = quote(book, QuoteRequest("BPU", ("JKK", "JKM"), date(2027, 1, 1), income=1_000_000, payer="apbd"))
    assert (before.total, after.total) == (16_800, 18_000)
    assert "PP contoh 1/2027" in after.lines[1].regulation


def test_the_command_line_quote_gives_the_budget_of_a_village_programme():
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("contribution", "quote", "--segment", "bpu", "--income", "1000000", "--programs", "jkk,jkm",
                 "--month", "2026-11", "--payer", "apbd", "--people", "100", "--months", "6", stdout=out)
    assert "Rp16.800" in out.getvalue() and "100 orang × 6 bulan = Rp10.080.000" in out.getvalue()
    out = StringIO()
    call_command("contribution", "quote", "--segment", "bpu", "--income", "1000000", "--month", "2026-11", "--json",
                 stdout=out)
    body = json.loads(out.getvalue())
    assert body["total"] == 8_400 and body["discount"] == 8_400 and body["budget_total"] == 8_400


def test_the_command_line_explains_a_wrong_nominal():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak ada dalam daftar nominal BPU"):
        call_command("contribution", "quote", "--segment", "bpu", "--income", "1234567")
