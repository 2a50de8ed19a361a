"""Contribution quote benchmark: how many quotes a second the pure calculator gives in one process.

    .venv/bin/python bench/contributions.py            # 200,000 quotes of each kind
    .venv/bin/python bench/contributions.py --quick    # 20,000: a smoke run

No database: the rules are the shipped defaults (`default_rate_book`). Prints quotes/s per kind of quote
(the same request again and again) and for a varied mix (random segment, income or wage, month over two
years, payer, sector and risk class, so the calculator's per-book plans are built as it goes), with the
target (>= 100,000 quotes/s) and PASS/MISS (a MISS does not fail the run).

Checked, and the run exits 1 when any differs: one quote in every CHECK_EVERY of each timed loop is kept
and compared, line by line (programme, employer and worker shares, discount, basis, regulation), with
the calculator quoting the same request on a fresh rate book that has no plans cached (the plans are
what makes the timed quotes fast, so they are what could go wrong); and each fixed kind's total is
compared with the amount worked out by hand from the regulation's rates.
"""

import argparse
import atexit
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from common import Checks, django_env, exit_on_sigterm, run_note, say  # noqa: E402

exit_on_sigterm()
django_env()
if "JAMSOSDESA_VAR_DIR" not in os.environ:  # settings make a static/ folder there: a temporary one, removed
    os.environ["JAMSOSDESA_VAR_DIR"] = tempfile.mkdtemp(prefix="jamsosdesa-bench-contributions-")
    atexit.register(shutil.rmtree, os.environ["JAMSOSDESA_VAR_DIR"], True)

import django  # noqa: E402

django.setup()  # the calculator's messages are translated strings; no database is used

from jamsosdesa.contributions import defaults  # noqa: E402
from jamsosdesa.contributions.book import default_rate_book  # noqa: E402
from jamsosdesa.contributions.calculator import QuoteRequest, quote  # noqa: E402
from jamsosdesa.core.months import add_months  # noqa: E402

TARGET = 100_000
CHECK_EVERY = 100  # one timed quote in this many is kept and checked
# (request, its total in rupiah worked out by hand from the shipped rates)
KINDS = {
    # JKK 1 % of 1,000,000 + JKM flat 6,800; paid from the APBD, so the 2026 BPU discount does not apply
    "BPU JKK+JKM, district-paid": (
        QuoteRequest("BPU", ("JKK", "JKM"), date(2026, 11, 1), income=1_000_000, payer="apbd"), 16_800),
    # JKK 25,000 and JKM 6,800, each 50 % off (PP 50/2025, April-December 2026), + JHT 2 % = 50,000
    "BPU JKK+JKM+JHT, self-paid in a discount month": (
        QuoteRequest("BPU", ("JKK", "JKM", "JHT"), date(2026, 11, 1), income=2_500_000), 12_500 + 3_400 + 50_000),
    # JKK 0.89 % (class 3), JKM 0.30 %, JHT 3.7 % + 2 % of 12,000,000; JP 2 % + 1 % of the 2026 ceiling 11,086,300
    "PU all programmes, wage above the JP ceiling": (
        QuoteRequest("PU", ("JKK", "JKM", "JHT", "JP"), date(2026, 4, 1), income=12_000_000, risk_class=3),
        106_800 + 36_000 + 444_000 + 240_000 + 221_726 + 110_863),
    # marginal bands of Rp2B: JKK 0.21/0.17/0.13/0.11 %, JKM 0.03/0.02/0.02/0.01 %
    "Jakon Rp2B contract": (
        QuoteRequest("JAKON", ("JKK", "JKM"), date(2026, 4, 1), contract_value=2_000_000_000),
        (210_000 + 680_000 + 650_000 + 1_100_000) + (30_000 + 80_000 + 100_000 + 100_000)),
    # the 24-month package (37,500 + 332,500) and 6 extra months of 13,500
    "PMI 30 months": (
        QuoteRequest("PMI", ("JKK", "JKM"), date(2026, 4, 1), contract_months=30), 37_500 + 332_500 + 6 * 13_500),
}


def varied(count: int) -> list[QuoteRequest]:
    rng = random.Random(4)
    months = [add_months(date(2025, 1, 1), n) for n in range(24)]
    payers = ["self", "apbdes", "apbd", "apbn", "csr"]
    sectors = ["umum", "transportasi", "tekstil_pakaian", "alas_kaki"]
    requests = []
    for _ in range(count):
        month, payer, sector = rng.choice(months), rng.choice(payers), rng.choice(sectors)
        kind = rng.random()
        if kind < 0.6:
            programmes = ("JKK", "JKM", "JHT") if rng.random() < 0.3 else ("JKK", "JKM")
            requests.append(QuoteRequest("BPU", programmes, month, income=rng.choice(defaults.NOMINALS),
                                         payer=payer, sector=sector))
        elif kind < 0.85:
            requests.append(QuoteRequest("PU", ("JKK", "JKM", "JHT", "JP"), month,
                                         income=rng.randrange(2_000_000, 20_000_000), risk_class=rng.randint(1, 5),
                                         payer="employer", sector=sector))
        elif kind < 0.95:
            requests.append(QuoteRequest("JAKON", ("JKK", "JKM"), month,
                                         contract_value=rng.randrange(10_000_000, 10_000_000_000)))
        else:
            requests.append(QuoteRequest("PMI", ("JKK", "JKM"), month, contract_months=rng.randint(1, 60)))
    return requests


def timed(book, requests: list[QuoteRequest]) -> tuple[float, list[tuple[int, object]]]:
    """Quote every request; the seconds it took and the quotes kept for the checks (the last of every
    CHECK_EVERY, with its index): the loop runs in blocks so that keeping them costs nothing per quote."""
    kept = []
    start = time.perf_counter()
    for at in range(0, len(requests), CHECK_EVERY):
        block = requests[at:at + CHECK_EVERY]
        for r in block[:-1]:
            quote(book, r)
        kept.append((at + len(block) - 1, quote(book, block[-1])))
    return time.perf_counter() - start, kept


def lines(q) -> list[tuple]:
    return [(x.programme, x.employer, x.worker, x.discount, x.discount_name, x.basis_amount, x.basis_kind,
             x.regulation) for x in q.lines]


def check_kept(name: str, requests: list[QuoteRequest], kept: list, checks: Checks) -> None:
    """Each kept quote against the calculator on a fresh rate book with no plan cached."""
    reference = default_rate_book()
    wrong = []
    for index, got in kept:
        reference.plans.clear()
        want = quote(reference, requests[index])
        if lines(got) != lines(want):
            wrong.append(f"#{index} {requests[index]}: {lines(got)} != {lines(want)}")
    checks.expect(f"{name}: kept quotes that differ from an uncached quote (of {len(kept):,})", wrong[:3], [])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 quotes of each kind instead of 200,000")
    count = 20_000 if parser.parse_args().quick else 200_000
    checks = Checks()
    book = default_rate_book()
    say(f"{count:,} quotes of each kind, one process, Python {sys.version.split()[0]}")
    rows = []
    load = [os.getloadavg()[0]]
    for name, (req, total) in [*KINDS.items(), ("varied mix (fresh rate book)", (None, None))]:
        if req is None:
            book = default_rate_book()
        requests = [req] * count if req else varied(count)
        seconds, kept = timed(book, requests)
        load.append(os.getloadavg()[0])
        rate = len(requests) / seconds
        rows.append(f"| {name} | {rate:,.0f} | ≥ {TARGET:,} | {'PASS' if rate >= TARGET else 'MISS'} |")
        say(f"\n{name}: {rate:,.0f} quotes/s")
        check_kept(name, requests, kept, checks)
        if total is not None:
            checks.expect(f"{name}: total of the timed quotes, by hand Rp{total:,}",
                          sorted({q.total for _, q in kept}), [total])
    say("\n| quote | quotes/s | target | |\n| --- | ---: | --- | --- |")
    for row in rows:
        say(row)
    say(f"\n{run_note(load)}")
    return checks.verdict()


if __name__ == "__main__":
    sys.exit(main())
