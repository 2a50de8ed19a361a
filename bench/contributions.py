"""Contribution quote benchmark: how many quotes a second the pure calculator gives in one process.

    .venv/bin/python bench/contributions.py            # 200,000 quotes of each kind
    .venv/bin/python bench/contributions.py --quick    # 20,000

No database: the rules are the shipped defaults (`default_rate_book`). Prints quotes/s per kind of quote
(the same request again and again) and for a varied mix (random segment, income or wage, month over two
years, payer, sector and risk class, so the calculator's per-book plans are built as it goes), with the
target (>= 100,000 quotes/s) and PASS/MISS.
"""

import argparse
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsosdesa.settings")
os.environ.setdefault("JAMSOSDESA_VAR_DIR", "/tmp/jamsosdesa-bench-var")

import django  # noqa: E402

django.setup()

from jamsosdesa.contributions import defaults  # noqa: E402
from jamsosdesa.contributions.book import default_rate_book  # noqa: E402
from jamsosdesa.contributions.calculator import QuoteRequest, quote  # noqa: E402
from jamsosdesa.core.months import add_months  # noqa: E402

TARGET = 100_000
KINDS = {
    "BPU JKK+JKM, district-paid": QuoteRequest("BPU", ("JKK", "JKM"), date(2026, 11, 1), income=1_000_000,
                                                payer="apbd"),
    "BPU JKK+JKM+JHT, self-paid in a discount month": QuoteRequest("BPU", ("JKK", "JKM", "JHT"), date(2026, 11, 1),
                                                                    income=2_500_000),
    "PU all programmes, wage above the JP ceiling": QuoteRequest("PU", ("JKK", "JKM", "JHT", "JP"), date(2026, 4, 1),
                                                                 income=12_000_000, risk_class=3),
    "Jakon Rp2B contract": QuoteRequest("JAKON", ("JKK", "JKM"), date(2026, 4, 1), contract_value=2_000_000_000),
    "PMI 30 months": QuoteRequest("PMI", ("JKK", "JKM"), date(2026, 4, 1), contract_months=30),
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 quotes of each kind instead of 200,000")
    count = 20_000 if parser.parse_args().quick else 200_000
    book = default_rate_book()
    print(f"{count:,} quotes of each kind, one process, Python {sys.version.split()[0]}")
    print("| quote | quotes/s | target | |\n| --- | ---: | --- | --- |")
    worst = None
    for name, req in [*KINDS.items(), ("varied mix (fresh rate book)", None)]:
        if req is None:
            book = default_rate_book()
        requests = [req] * count if req else varied(count)
        start = time.perf_counter()
        for r in requests:
            quote(book, r)
        rate = len(requests) / (time.perf_counter() - start)
        worst = rate if worst is None else min(worst, rate)
        print(f"| {name} | {rate:,.0f} | ≥ {TARGET:,} | {'PASS' if rate >= TARGET else 'MISS'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
