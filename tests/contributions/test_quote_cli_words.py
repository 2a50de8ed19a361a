"""`jamsosdesa --lang en contribution quote` counts in English words: "1 month", not "1 months"; and a run of one
month shows that month alone ("12/2026"), not "12/2026–12/2026"."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.contributions.test_quote_pages import _across_the_end_of_the_self_payer_discount

pytestmark = pytest.mark.django_db


def _quote(language: str, *args: str) -> str:
    out = StringIO()
    with translation.override(language):
        call_command("contribution", "quote", "--segment", "bpu", "--income", "1000000", *args, stdout=out)
    return out.getvalue()


def test_a_one_month_budget_says_one_month_in_english():
    text = _quote("en", "--people", "5", "--months", "1")
    assert "5 people × 1 month =" in text, text
    assert "1 months" not in text


def test_a_run_of_one_month_shows_that_month_alone():
    _start, last, after, _cut = _across_the_end_of_the_self_payer_discount()
    text = _quote("id", "--month", f"{last:%Y-%m}", "--people", "1", "--months", "2")
    assert f"{last:%m/%Y}: Rp8.400 × 1 bulan × 1 orang = Rp8.400" in text, text
    assert f"{last:%m/%Y}–{last:%m/%Y}" not in text and f"{after:%m/%Y}–{after:%m/%Y}" not in text
    english = _quote("en", "--month", f"{last:%Y-%m}", "--people", "1", "--months", "2")
    assert f"{last:%m/%Y}: Rp8.400 × 1 month × 1 person = Rp8.400" in english, english
