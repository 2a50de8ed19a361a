"""Statement import part of the billing benchmark (issue 12: "a 100,000-line statement imported and allocated under
30 s"):

    .venv/bin/python bench/billing.py --part run --part statements          # 100,000 lines (the world's self-payers)
    .venv/bin/python bench/billing.py --quick --part run --part statements  # 2,000 lines: a smoke run

After the month is billed (`--part run` first), an MT940 statement is written with one credit line per self-paying
participant whose due of the month is their only unpaid one (up to BENCH_STATEMENT_LINES, default 100,000; 2,000
with --quick), paying that due, plus planted lines: 10 unknown NIKs (queued), one '1.000,00' amount (refused), one
debit (skipped). It is imported and recorded through `imports.statement_import.statement_import` (the page's and the
CLI's path), timed.

Checked: every planted outcome counted as planted, one payment per recorded or queued line, each person's due of the
month paid, and `ledger_check()` empty afterwards.
"""

import io
import os
import time

LEDGER = "own"  # runs ledger_check itself after the import
TARGET_SECONDS = 30.0
TARGET_LINES = 100_000


def _statement(lines: list[tuple[str, int]], day) -> bytes:
    d = f"{day:%y%m%d}"
    out = [":20:BENCH", ":25:0012345678", ":28C:1/1", f":60F:C{d}IDR0,"]
    for i, (nik, amount) in enumerate(lines):
        out += [f":61:{d}C{amount},NTRFBENCH-{i}", f":86:IURAN {nik}"]
    for i in range(10):
        out += [f":61:{d}C16800,NTRFBENCH-U{i}", f":86:IURAN 99{i:02d}110101800099"]
    out += [f":61:{d}C1.000,00NTRFBENCH-BAD", ":86:FORMAT SALAH", f":61:{d}D6500,NMSCNONREF", ":86:BIAYA ADM",
            f":62F:C{d}IDR0,", "-"]
    return ("\n".join(out) + "\n").encode()


def measure(ctx) -> dict:
    from billing_payments import earlier_unpaid
    from django.db import transaction
    from django.db.models import Exists, OuterRef

    from jamsosdesa.billing.check import ledger_check
    from jamsosdesa.billing.live import live
    from jamsosdesa.billing.models import Allocation, Due, Payment
    from jamsosdesa.core import clock
    from jamsosdesa.imports.statement_import import StatementOptions, statement_import

    wanted = int(os.environ.get("BENCH_STATEMENT_LINES") or (2_000 if ctx.args.quick else TARGET_LINES))
    # dues not paid yet: the payments part, when it ran first, paid the first ones, and a second payment of a paid
    # month pays months ahead (the one-payment path), which is not what this part measures
    paid = live(Allocation.objects.filter(due_id=OuterRef("pk")), "allocation")
    dues = list(Due.objects.filter(month=ctx.month, membership__isnull=False).filter(~Exists(paid))
                .filter(~Exists(earlier_unpaid(ctx.month)))
                .values_list("participant__nik", "amount", "id").order_by("id")[:wanted])
    if not dues:
        ctx.checks.expect("self-paid dues of the month to pay (run --part run first)", bool(dues), True)
        return {}
    lines = [(nik, amount) for nik, amount, _id in dues]
    data = _statement(lines, clock.today())
    before = Payment.objects.count()
    start = time.perf_counter()
    with transaction.atomic():
        outcome = statement_import(actor=ctx.admin, source=io.BytesIO(data),
                                   options=StatementOptions(format="mt940", dry_run=False, note="bench"))
    seconds = time.perf_counter() - start
    checks = ctx.checks
    checks.expect("lines recorded for a person", outcome.counts["person"], len(lines))
    checks.expect("unknown NIKs queued", outcome.counts["queued"], 10)
    checks.expect("the 1.000,00 line refused", outcome.counts["invalid"], 1)
    checks.expect("the debit skipped", outcome.counts["debit"], 1)
    checks.expect("payments written", Payment.objects.count() - before, len(lines) + 10)
    paid = live(Allocation.objects.filter(due_id__in=[pk for _n, _a, pk in dues]), "allocation").count()
    checks.expect("each person's due of the month paid", paid, len(lines))
    started = time.perf_counter()
    failures = ledger_check()
    check_s = time.perf_counter() - started
    checks.expect("ledger check after the import", [f.invariant for f in failures], [])
    scaled = seconds * TARGET_LINES / max(len(lines), 1)
    ctx.say(f"statement of {len(lines):,} lines recorded in {seconds:.2f} s ({len(lines) / seconds:,.0f} lines/s); "
            f"scaled to {TARGET_LINES:,}: {scaled:.0f} s (target < {TARGET_SECONDS:.0f} s: "
            f"{'PASS' if scaled < TARGET_SECONDS else 'MISS'}); ledger check {check_s:.1f} s")
    return {"lines": len(lines), "seconds": round(seconds, 2), "lines_per_s": int(len(lines) / seconds),
            "scaled_to_100k_s": round(scaled), "verdict": "PASS" if scaled < TARGET_SECONDS else "MISS",
            "ledger_check_s": round(check_s, 1)}
