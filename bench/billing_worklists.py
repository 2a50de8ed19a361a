"""Worklists part of the billing benchmark (issue 12: "a kabupaten's arrears list and lapse forecast under 1 s each"):

    .venv/bin/python bench/billing.py --part run --part worklists     # the largest kabupaten of the 1,000,000 world
    .venv/bin/python bench/billing.py --quick --part worklists        # a smoke run

On the billing bench's world with its months of history (`--history`, default 12; APBDes schemes end this month,
next month or the month after, so the forecast has people), for the world's largest kabupaten (by participants) and
through the functions the page and the export call (`billing.worklists.worklist_rows`, then `present`, as a national
admin, JIT off as they run): the page (count + the first 50 rows presented, with masked NIK, reminder and WhatsApp
link) and the whole list (every row fetched, as the .xlsx export reads it) of the lapse forecast at 30, 60 and 90
days, arrears this month and non-active next month. Each is run once to warm the caches, then timed. Target
(issue 12): < 1 s each; PASS/MISS per line (a MISS does not fail the run).

Checked (exit 1): the forecast counts equal the planted people (covered by an APBDes scheme whose end month lies in
the window, not the one in a hundred with a package of their own); the arrears counts equal the people of the
kabupaten whose last fully paid month is the list's in `billing.status.status_rows` (not ended), and, before the
15th (while no part can have paid the month these lists turn on), the people the history planted there. Reads
only: the ledger is unchanged by this part (LEDGER = "read-only").
"""

import os
import time

LEDGER = "read-only"
TARGET_SECONDS = 1.0
PAGE = 50
LISTS = (("forecast", 30, "forecast 30 days"), ("forecast", 60, "forecast 60 days"),
         ("forecast", 90, "forecast 90 days"), ("arrears", 30, "arrears this month"),
         ("non_active", 30, "non-active next month"))


def timed(kind: str, kab: str, days: int, today, admin) -> tuple[float, float, int]:
    """(page seconds, whole-list seconds, rows) of one list, as the page and the export get it."""
    from django.core.paginator import Paginator

    from jamsosdesa.billing.worklists import planned_without_jit, present, worklist_rows

    start = time.perf_counter()
    with planned_without_jit():
        page = Paginator(worklist_rows(kind, kab, days, today, user=admin), PAGE).get_page(1)
        shown = present(page.object_list, user=admin, kind=kind)
        count = page.paginator.count
    page_s = time.perf_counter() - start
    if len(shown) != min(PAGE, count):
        raise AssertionError(f"{kind}: {len(shown)} rows shown of {count}")
    start = time.perf_counter()
    with planned_without_jit():
        rows = len(list(worklist_rows(kind, kab, days, today, user=admin)))
    whole_s = time.perf_counter() - start
    if rows != count:
        raise AssertionError(f"{kind}: the whole list has {rows} rows, the page counted {count}")
    return page_s, whole_s, count


def expected(ctx, kab: str, today) -> dict:
    from django.db import connection

    from jamsosdesa.billing.status import ENDED, status_rows
    from jamsosdesa.billing.worklists import cutoff_month, forecast_months
    from jamsosdesa.core.months import add_months

    out, planted = {}, {}
    with connection.cursor() as cursor:
        for _kind, days, name in LISTS[:3]:
            lo, hi = forecast_months(days, today)
            # the planting rules: covered (id % 10 < 7) in a desa with an APBDes scheme ending in the window, not one
            # in a hundred (id % 100 = 0) whose package of their own covers the month after
            cursor.execute("""
                SELECT COUNT(*) FROM participants_participant p
                JOIN funding_scheme s ON s.owner_code = p.desa_code AND s.payer_type = 'apbdes'
                WHERE p.kab_code = %s AND p.id %% 10 < 7 AND p.id %% 100 <> 0
                  AND s.end_month >= %s AND s.end_month <= %s""", [kab, lo, hi])
            out[name] = cursor.fetchone()[0]
        cursor.execute("""
            SELECT p.id,
                   (SELECT MIN(e.scheme_id) FROM funding_enrolment e WHERE e.participant_id = p.id
                    AND e.start_month <= %s AND e.end_month >= %s),
                   EXISTS (SELECT 1 FROM billing_membership m WHERE m.participant_id = p.id)
            FROM participants_participant p WHERE p.kab_code = %s""", [ctx.month, ctx.month, kab])
        people = cursor.fetchall()
    c = cutoff_month(today)
    targets = {"arrears this month": add_months(c, -1), "non-active next month": add_months(c, -2)}
    start = time.perf_counter()
    rows = status_rows(kab, today)
    status_s = time.perf_counter() - start
    for name, target in targets.items():
        out[name] = sum(1 for r in rows if r["last_paid"] == target and r["status"] != ENDED)
        planted[name] = sum(1 for pk, scheme, package in people if ctx.planted_paid(pk, scheme, package)[1] == target)
    return {"lists": out, "planted": planted, "planted_valid": c < ctx.month, "status_rows_s": round(status_s, 2)}


def measure(ctx) -> dict:
    from django.db import connection

    from jamsosdesa.core import clock

    today = clock.today()
    with connection.cursor() as cursor:
        cursor.execute("SELECT kab_code, COUNT(*) FROM participants_participant GROUP BY kab_code "
                       "ORDER BY 2 DESC, 1 LIMIT 1")
        kab, people = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM billing_due WHERE kab_code = %s", [kab])
        dues = cursor.fetchone()[0]
    wanted = expected(ctx, kab, today)
    loads = [os.getloadavg()[0]]
    results = []
    for kind, days, name in LISTS:
        timed(kind, kab, days, today, ctx.admin)  # warm once, as a page in use would be
        page_s, whole_s, count = timed(kind, kab, days, today, ctx.admin)
        loads.append(os.getloadavg()[0])
        results.append((name, page_s, whole_s, count))
        ctx.checks.expect(f"{name}: rows listed = {'planted' if kind == 'forecast' else 'status_rows'}", count,
                          wanted["lists"][name])
        if kind != "forecast" and wanted["planted_valid"]:
            ctx.checks.expect(f"{name}: rows listed = planted by the history", count, wanted["planted"][name])
    ctx.say(f"\n| Kab. {kab}: {people:,} participants, {dues:,} dues | page (count + {PAGE} rows) | whole list | rows "
            f"| target | |\n| --- | ---: | ---: | ---: | --- | --- |")
    figures = {"kabupaten": kab, "participants": people, "dues": dues, "status_rows_s": wanted["status_rows_s"],
               "lists": {}, "load": [round(x, 1) for x in loads]}
    for name, page_s, whole_s, count in results:
        verdict = "PASS" if page_s < TARGET_SECONDS and whole_s < TARGET_SECONDS else (
            "PASS (page) / MISS (whole list)" if page_s < TARGET_SECONDS else "MISS")
        ctx.say(f"| {name} | {page_s:.3f} s | {whole_s:.3f} s | {count:,} | < {TARGET_SECONDS:.0f} s | {verdict} |")
        figures["lists"][name] = {"page_s": round(page_s, 3), "whole_s": round(whole_s, 3), "rows": count,
                                  "verdict": verdict}
    return figures
