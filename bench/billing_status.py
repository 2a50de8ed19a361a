"""Status part of the billing benchmark (issue 12: "status of one participant under 10 ms"):

    .venv/bin/python bench/billing.py --part run --part status        # 200 random people of the 1,000,000 world
    .venv/bin/python bench/billing.py --quick --part status           # a smoke run

On the billing bench's world with its months of history (`--history`, default 12), the status of BENCH_STATUS_PEOPLE
(default 200) random covered people, each as the API and `jamsosdesa status NIK` get it: the participant by NIK in
the national admin's scope (`billing.access.billing_participant`), then `billing.status.status_of` on today. Timed
apart (status_of alone) and together; p50, p95 and the slowest, after 20 warm-up lookups. Target (issue 12): < 10 ms.

Checked (exit 1): each person's status is the one the history planted for them (`billing.planted_paid`: the month up
to which their scheme and their own package were paid, read through `status_by_last_paid`), counted as wrong
otherwise. Reads only: the ledger is unchanged by this part (LEDGER = "read-only").
"""

import os
import random
import statistics
import time

LEDGER = "read-only"
TARGET_MS = 10.0
PEOPLE = 200


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * q + 0.5) - 1, 0)]


def measure(ctx) -> dict:
    from django.db import connection

    from jamsosdesa.billing.access import billing_participant
    from jamsosdesa.billing.status import Deadline, status_by_last_paid, status_of
    from jamsosdesa.core import clock

    wanted = int(os.environ.get("BENCH_STATUS_PEOPLE") or PEOPLE)
    today = clock.today()
    cutoff = Deadline.from_settings().cutoff(today)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM participants_participant")
        top = cursor.fetchone()[0] or 0
        rng = random.Random(12)
        ids = rng.sample(range(1, top + 1), min(wanted + 20, top))
        # who pays for each: the scheme in force last month, and whether they have a package of their own
        cursor.execute("""
            SELECT p.id, p.nik,
                   (SELECT MIN(e.scheme_id) FROM funding_enrolment e WHERE e.participant_id = p.id
                    AND e.start_month <= %s AND e.end_month >= %s),
                   EXISTS (SELECT 1 FROM billing_membership m WHERE m.participant_id = p.id)
            FROM participants_participant p WHERE p.id = ANY(%s)""", [ctx.month, ctx.month, ids])
        people = {pk: (nik, scheme, package) for pk, nik, scheme, package in cursor.fetchall()}
    order = [pk for pk in ids if pk in people]
    warm, sample = order[:20], order[20:]
    for pk in warm:  # the policy cache, the connection, the plans
        status_of(billing_participant(ctx.admin, nik=people[pk][0]), today)
    alone, together, wrong = [], [], []
    for pk in sample:
        nik, scheme, package = people[pk]
        begin = time.perf_counter()
        person = billing_participant(ctx.admin, nik=nik)
        found = time.perf_counter()
        status = status_of(person, today)
        done = time.perf_counter()
        alone.append((done - found) * 1000)
        together.append((done - begin) * 1000)
        first, last = ctx.planted_paid(pk, scheme, package)
        planted = status_by_last_paid(last, first, today, cutoff, ended=False)[0]
        if status.status != planted:
            wrong.append((pk, status.status, planted))
    load = os.getloadavg()[0]
    ctx.checks.expect(f"{len(sample)} random people have the status the history planted", wrong[:5], [])
    figures = {"people": len(sample), "status_of_p50_ms": round(statistics.median(alone), 2),
               "status_of_p95_ms": round(_percentile(alone, 0.95), 2), "status_of_max_ms": round(max(alone), 2),
               "by_nik_and_status_p50_ms": round(statistics.median(together), 2),
               "by_nik_and_status_p95_ms": round(_percentile(together, 0.95), 2),
               "by_nik_and_status_max_ms": round(max(together), 2), "load": [round(load, 1)]}
    figures["verdict"] = "PASS" if figures["by_nik_and_status_p95_ms"] < TARGET_MS else (
        "PASS (status_of) / MISS (with the NIK lookup)" if figures["status_of_p95_ms"] < TARGET_MS else "MISS")
    statuses = {}
    for pk in sample:
        nik, scheme, package = people[pk]
        first, last = ctx.planted_paid(pk, scheme, package)
        word = status_by_last_paid(last, first, today, cutoff, ended=False)[0]
        statuses[word] = statuses.get(word, 0) + 1
    figures["statuses"] = dict(sorted(statuses.items()))
    ctx.say(f"status of one participant, {len(sample)} people: status_of p50 {figures['status_of_p50_ms']} ms, "
            f"p95 {figures['status_of_p95_ms']} ms; found by NIK + status p50 {figures['by_nik_and_status_p50_ms']}"
            f" ms, p95 {figures['by_nik_and_status_p95_ms']} ms (target < {TARGET_MS:.0f} ms: {figures['verdict']});"
            f" statuses {figures['statuses']}; load {load:.1f}")
    return figures
