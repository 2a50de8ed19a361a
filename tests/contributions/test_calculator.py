"""The contribution calculator gives the answers DOMAIN.md and the issue name, with no database."""

from datetime import date

import pytest

from jamsosdesa.contributions.book import default_rate_book
from jamsosdesa.contributions.calculator import QuoteError, QuoteRequest, budget, percent_of, quote

BOOK = default_rate_book()


def q(segment, programmes, month=date(2025, 11, 1), **kw):
    return quote(BOOK, QuoteRequest(segment=segment, programmes=tuple(programmes), month=month, **kw))


def test_bpu_packages_on_the_minimum_nominal():
    assert q("BPU", ["JKK", "JKM"], income=1_000_000).total == 16_800
    three = q("BPU", ["JKK", "JKM", "JHT"], income=1_000_000)
    assert three.total == 36_800 and [line.total for line in three.lines] == [10_000, 6_800, 20_000]


def test_pp_50_2025_halves_bpu_for_self_payers_but_not_for_a_district_budget():
    november = date(2026, 11, 1)
    alone = q("BPU", ["JKK", "JKM"], month=november, income=1_000_000, payer="self")
    assert alone.total == 8_400 and alone.discount == 8_400 and "PP 50/2025" in alone.lines[0].discount_name
    assert q("BPU", ["JKK", "JKM"], month=november, income=1_000_000, payer="apbd").total == 16_800
    assert q("BPU", ["JKK", "JKM", "JHT"], month=november, income=1_000_000).total == 8_400 + 20_000  # not JHT


def test_the_pp_50_2025_windows_differ_for_transport_workers():
    february = date(2026, 2, 1)
    assert q("BPU", ["JKK", "JKM"], month=february, income=1_000_000).total == 16_800
    assert q("BPU", ["JKK", "JKM"], month=february, income=1_000_000, sector="transportasi").total == 8_400
    assert q("BPU", ["JKK", "JKM"], month=date(2027, 3, 1), income=1_000_000, sector="transportasi").total == 8_400
    assert q("BPU", ["JKK", "JKM"], month=date(2027, 4, 1), income=1_000_000, sector="transportasi").total == 16_800


def test_village_budgets_count_as_state_budgets_only_when_the_setting_says_so():
    november = date(2026, 11, 1)
    assert q("BPU", ["JKK", "JKM"], month=november, income=1_000_000, payer="apbdes").total == 16_800
    lenient = default_rate_book(apbdes_is_state_budget=False)
    req = QuoteRequest("BPU", ("JKK", "JKM"), november, income=1_000_000, payer="apbdes")
    assert quote(lenient, req).total == 8_400


def test_pu_pension_is_computed_on_the_ceiling_that_starts_in_march():
    april = q("PU", ["JKK", "JKM", "JHT", "JP"], month=date(2026, 4, 1), income=12_000_000, risk_class=1)
    jp = next(line for line in april.lines if line.programme == "JP")
    assert (jp.employer, jp.worker) == (221_726, 110_863)
    february = q("PU", ["JKK", "JKM", "JP"], month=date(2026, 2, 1), income=12_000_000)
    jp = next(line for line in february.lines if line.programme == "JP")
    assert (jp.employer, jp.worker) == (210_948, 105_474)  # still the March 2025 ceiling of 10,547,400
    jkk = next(line for line in april.lines if line.programme == "JKK")
    assert (jkk.employer, jkk.worker) == (28_800, 0)  # 0.24 % for risk class 1


def test_pp_7_2025_halves_jkk_for_labour_intensive_industries():
    march = date(2025, 3, 1)
    textile = q("PU", ["JKK", "JKM"], month=march, income=5_000_000, risk_class=3, sector="tekstil_pakaian")
    other = q("PU", ["JKK", "JKM"], month=march, income=5_000_000, risk_class=3)
    assert other.lines[0].employer == 44_500 and textile.lines[0].employer == 22_250
    assert textile.lines[1].employer == other.lines[1].employer == 15_000  # JKM untouched


def test_construction_by_contract_value_uses_marginal_bands():
    jakon = q("JAKON", ["JKK", "JKM"], contract_value=2_000_000_000)
    assert [(line.programme, line.total) for line in jakon.lines] == [("JKK", 2_640_000), ("JKM", 310_000)]


def test_migrant_worker_packages_and_extra_months():
    assert q("PMI", ["JKK", "JKM"], contract_months=24).total == 370_000
    assert q("PMI", ["JKK", "JKM"], contract_months=30).total == 451_000
    assert q("PMI", ["JKK", "JKM"], contract_months=12).total == 226_500


def test_a_budget_multiplies_people_and_months_month_by_month():
    req = QuoteRequest("BPU", ("JKK", "JKM"), date(2025, 11, 1), income=1_000_000, payer="apbd")
    assert budget(BOOK, req, people=100, months=6).total == 10_080_000
    # self-paid from January 2026: Jan–Mar full, Apr–Jun halved by PP 50/2025
    alone = QuoteRequest("BPU", ("JKK", "JKM"), date(2026, 1, 1), income=1_000_000)
    assert budget(BOOK, alone, people=1, months=6).total == 3 * 16_800 + 3 * 8_400
    assert 10_000 * 16_800 * 12 == 2_016_000_000  # the district budget line of DOMAIN.md, as computed below
    yearly = QuoteRequest("BPU", ("JKK", "JKM"), date(2025, 1, 1), income=1_000_000, payer="apbd")
    assert budget(BOOK, yearly, people=10_000, months=12).total == 2_016_000_000


def test_rounding_is_half_up_to_the_rupiah():
    assert percent_of(1_050, 5_000) == 5  # 5.25
    assert percent_of(1_100, 5_000) == 6  # 5.5
    assert q("BPU", ["JKK", "JKM"], income=1_500_000).lines[0].total == 15_000


@pytest.mark.parametrize(("kw", "field", "text"), [
    (dict(segment="BPU", income=1_234_567), "income", "tidak ada dalam daftar nominal"),
    (dict(segment="PU", income=-1), "income", "kurang dari nol"),
    (dict(segment="BPU", income=1_000_000, month=date(2010, 1, 1)), "month", "Belum ada tarif"),
    (dict(segment="PMI", contract_months=0), "contract_months", "paling sedikit 1 bulan"),
    (dict(segment="BPU", income=1_000_000, programmes=("JKK",)), "programmes", "JKM wajib"),
    (dict(segment="BPU", income=1_000_000, programmes=("JKK", "JKM", "JP")), "programmes", "tidak tersedia"),
    (dict(segment="XYZ"), "segment", "tidak dikenal"),
    (dict(segment="JAKON", contract_value=0), "contract_value", "lebih dari nol"),
    (dict(segment="PU", income=5_000_000, risk_class=7), "risk_class", "1 sampai 5"),
])
def test_bad_input_gets_a_message_naming_the_field(kw, field, text):
    kw.setdefault("programmes", ("JKK", "JKM"))
    kw.setdefault("month", date(2025, 11, 1))
    with pytest.raises(QuoteError) as caught:
        quote(BOOK, QuoteRequest(**kw))
    assert field in caught.value.fields and text in caught.value.message


def test_a_book_that_has_answered_many_quotes_answers_like_a_fresh_one():
    # the book keeps what it worked out per request shape; amounts must still follow each request
    warm = default_rate_book()
    months = [date(2025, 1, 1), date(2026, 2, 1), date(2026, 4, 1), date(2026, 11, 1)]
    requests = [QuoteRequest("BPU", ("JKK", "JKM", "JHT"), m, income=i, payer=p)
                for m in months for i in (1_000_000, 3_500_000, 20_700_000) for p in ("self", "apbd")]
    requests += [QuoteRequest("PU", ("JKK", "JKM", "JHT", "JP"), m, income=w, risk_class=r)
                 for m in months for w in (3_000_000, 11_000_000, 15_000_000) for r in (1, 5)]
    requests += [QuoteRequest("JAKON", ("JKK", "JKM"), m, contract_value=v)
                 for m in months for v in (50_000_000, 2 * 10**9)]
    for req in requests * 2:
        assert quote(warm, req).as_dict() == quote(default_rate_book(), req).as_dict()
    capped = quote(warm, QuoteRequest("PU", ("JKK", "JKM", "JP"), date(2026, 4, 1), income=15_000_000))
    below = quote(warm, QuoteRequest("PU", ("JKK", "JKM", "JP"), date(2026, 4, 1), income=5_000_000))
    assert capped.lines[2].basis.startswith("plafon") and below.lines[2].basis == "Rp5.000.000"
    assert below.lines[2].total == 150_000


def _self_payer_discount():
    """The discount the rule data gives a self-paying BPU worker outside any named sector (PP 50/2025 today)."""
    found = [d for d in BOOK.discounts if d.segment == "BPU" and not d.sectors and d.valid_until]
    assert len(found) == 1, found
    return found[0]


def test_a_period_across_the_end_of_a_discount_is_two_runs_saying_when_and_why():
    from jamsosdesa.contributions.calculator import month_name
    from jamsosdesa.core.months import add_months

    cut = _self_payer_discount()
    start = add_months(cut.valid_until, -2)  # three discounted months, then three without
    result = budget(BOOK, QuoteRequest("BPU", ("JKK", "JKM"), start, income=1_000_000), people=100, months=6)
    first, second = result.runs
    assert (first.start, first.end, first.months, first.amount) == (start, cut.valid_until, 3, 8_400)
    assert (second.start, second.end, second.months, second.amount) == (add_months(cut.valid_until, 1),
                                                                        add_months(start, 5), 3, 16_800)
    assert [d.regulation for d in first.discounts] == [cut.regulation] and second.discounts == ()
    assert result.total == first.total + second.total == 100 * (3 * 8_400 + 3 * 16_800)
    assert result.amount_changes and not first.changes
    (change,) = second.changes
    assert (change.kind, change.month, change.regulation) == ("discount_ended", cut.valid_until, cut.regulation)
    assert second.reason == (f"Mulai {month_name(second.start)}: Rp16.800 sebulan per orang, karena potongan 50% "
                             f"JKK dan JKM ({cut.regulation}) berakhir setelah bulan iuran "
                             f"{month_name(cut.valid_until)}.")
    runs = result.as_dict()["runs"]
    assert [(r["from_month"], r["to_month"], r["months"], r["amount"], r["total"]) for r in runs] == [
        (f"{start:%Y-%m}", f"{cut.valid_until:%Y-%m}", 3, 8_400, 2_520_000),
        (f"{second.start:%Y-%m}", f"{second.end:%Y-%m}", 3, 16_800, 5_040_000)]
    assert runs[1]["changes"][0]["discount"]["valid_until"] == f"{cut.valid_until:%Y-%m}"


def test_a_discount_starting_inside_the_period_and_a_payer_it_excludes():
    from jamsosdesa.core.months import add_months

    cut = _self_payer_discount()
    start = add_months(cut.valid_from, -1)
    result = budget(BOOK, QuoteRequest("BPU", ("JKK", "JKM"), start, income=1_000_000), people=1, months=2)
    assert [(r.start, r.amount) for r in result.runs] == [(start, 16_800), (cut.valid_from, 8_400)]
    assert [(c.kind, c.month) for c in result.runs[1].changes] == [("discount_started", cut.valid_from)]
    district = budget(BOOK, QuoteRequest("BPU", ("JKK", "JKM"), start, income=1_000_000, payer="apbd"),
                      people=1, months=24)  # the state budget never gets it: one run, nothing to explain
    assert [(r.months, r.amount, r.changes) for r in district.runs] == [(24, 16_800, ())]
    assert not district.amount_changes and district.total == 24 * 16_800
