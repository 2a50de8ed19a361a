"""Contribution quote benchmark: how many quotes a second the pure calculator gives in one process.

    .venv/bin/python bench/contributions.py            # 200,000 quotes of each kind
    .venv/bin/python bench/contributions.py --quick    # 20,000

No database: the rules are the shipped defaults (`default_rate_book`). Prints quotes/s per kind of quote
and for a realistic mix, with the target (>= 100,000 quotes/s) and PASS/MISS.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsosdesa.settings")
os.environ.setdefault("JAMSOSDESA_VAR_DIR", "/tmp/jamsosdesa-bench-var")

import django  # noqa: E402

django.setup()

from jamsosdesa.contributions.book import default_rate_book  # noqa: E402
from jamsosdesa.contributions.calculator import QuoteRequest, quote  # noqa: E402

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 quotes of each kind instead of 200,000")
    count = 20_000 if parser.parse_args().quick else 200_000
    book = default_rate_book()
    print(f"{count:,} quotes of each kind, one process, Python {sys.version.split()[0]}")
    print("| quote | quotes/s | target | |\n| --- | ---: | --- | --- |")
    worst = None
    for name, req in [*KINDS.items(), ("mix of all five", None)]:
        requests = [req] * count if req else [r for r in KINDS.values() for _ in range(count // len(KINDS))]
        start = time.perf_counter()
        for r in requests:
            quote(book, r)
        rate = len(requests) / (time.perf_counter() - start)
        worst = rate if worst is None else min(worst, rate)
        print(f"| {name} | {rate:,.0f} | ≥ {TARGET:,} | {'PASS' if rate >= TARGET else 'MISS'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
