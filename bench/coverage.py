"""Coverage benchmark (issue 13, "Speed"): snapshots and dashboard figures at national scale on PostgreSQL.

    .venv/bin/python bench/coverage.py                  # 10,000,000 participants over all 83,762 desa
    .venv/bin/python bench/coverage.py --rows 1000000   # the same world at a tenth of the size
    .venv/bin/python bench/coverage.py --quick          # 50,000 participants in 3 kabupaten: the CI smoke run
    .venv/bin/python bench/coverage.py --keep-db        # leave the database (jamsosdesa_bench_coverage) in place

The world (bench/coverage_world.py, built set-based): all regions; `--rows` participants over every desa (or, with
`--quick`, the desa of `--kabupaten` kabupaten), with this month's dues, an earlier paid month for most, their
payments and allocations and `billing_standing`; then today's snapshot, and the 12 month-ends before it written
straight into `coverage_snapshot` from today's rows (a trend to read), as the issue allows.

Measured, each with its target and PASS/MISS (a MISS does not fail the run):

- a full snapshot refresh of today, every kabupaten: the refresh job as `jamsosdesa coverage refresh` runs it
  (`coverage.refresh.refresh_run`; `coverage.snapshot.snapshot_refresh` in code without the job): < 120 s; measured
  twice: into an empty table, then again with the 12 month-ends in place (the figure held against the target);
- an incremental refresh after one kabupaten's statement import (this month's dues of the kabupaten's people in
  arrears paid set-based, their standing widened, one `payment.recorded` event per payment as the statement bulk
  path writes them), then the incremental pass (`refresh_run(changed=True)`: the kabupaten found from the audit
  trail beyond the watermark, set to the trail's end before the statement; in code without it,
  `snapshot_refresh(kab_codes=[kab])`): < 5 s;
- the figures of the nation, a province, a kabupaten and a desa (`coverage_figures`, and the dashboard page through
  Django's test client when it exists), p50/p95 of `--reps` calls after 3 warm-up calls: p95 < 300 ms;
- the naive way, once: the national statuses from raw rows (`billing.status.status_table` over everyone), and its
  ratio to the national figures' median.

Checked (exit 1 on any difference): the snapshot's national and kabupaten statuses equal the planted ones; the
statuses from raw rows equal the snapshot's for the nation and for a province, a kabupaten, a kecamatan and a desa;
every snapshot row's `kab_code` is its desa's; the desa rows summed by code prefix equal every kecamatan's,
kabupaten's and province's children figures and the nation's; each level's children add up to it; a sample of people
has the planted status through `billing.status.status_of`; the incremental refresh moved exactly the people paid.

The database is dropped at the end (also on failure, Ctrl-C or SIGTERM) unless --keep-db.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from common import Checks, measured, p50_p95_ms, run_note, say  # noqa: E402

FULL_ROWS, QUICK_ROWS, QUICK_KABUPATEN = 10_000_000, 50_000, 3
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_coverage"
QUICK_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_coverage_ci"
REFRESH_TARGET_S, INCREMENTAL_TARGET_S, PAGE_TARGET_MS = 120.0, 5.0, 300.0
HISTORY_MONTHS = 12
STATUS_KEYS = ("active", "arrears", "non_active", "not_started", "ended")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> float:
    return round(os.getloadavg()[0], 2)


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


# --- refreshing: the job when the code has one, else the snapshot writer -----------------------------------------


def refresh_job():
    """`coverage.refresh.refresh_run` (the refresh job, as `jamsosdesa coverage refresh` runs it) and the
    watermark model of its incremental pass, or None when the code measured has no refresh job yet."""
    try:
        from jamsosdesa.coverage.models import RefreshWatermark
        from jamsosdesa.coverage.refresh import refresh_run
    except ImportError:
        return None
    return refresh_run, RefreshWatermark


def full_refresh(admin, today, checks: Checks) -> tuple[int, str]:
    """Today's snapshot of every kabupaten: (rows written, what was called)."""
    from jamsosdesa.coverage.snapshot import snapshot_refresh

    job = refresh_job()
    if job is None:
        return snapshot_refresh(today), "coverage.snapshot.snapshot_refresh(today)"
    done = job[0](actor=admin, day=today)
    checks.expect(f"the refresh job of {today} ended done", (done.status, done.message), ("done", ""))
    return done.rows_written, "coverage.refresh.refresh_run(actor, day=today): the job, as the CLI runs it"


# --- snapshots: the trend's month-ends, sums ---------------------------------------------------------------------


def write_history(today, months: int) -> int:
    """The `months` month-ends before today written from today's rows: the same people, fewer of them protected the
    further back (active moved to not_started, 1/24 per month back); every other column copied as it is. The table's
    indexes are dropped meanwhile and built again at the end (`billing.bulk_load`); then each day's kabupaten rollup
    (`coverage.snapshot.snapshot_rollup`) as the refresh writes it."""
    from billing import bulk_load
    from django.db import connection, transaction

    from jamsosdesa.core.months import add_months
    from jamsosdesa.coverage.models import Snapshot

    columns = [f.column for f in Snapshot._meta.concrete_fields if not f.primary_key]
    written = 0
    with transaction.atomic(), connection.cursor() as cursor, bulk_load(cursor, Snapshot._meta.db_table):
        for k in range(1, months + 1):
            end = add_months(today.replace(day=1), -k + 1).toordinal() - 1
            moved = f"(s.active * {k} / 24)"
            exprs = {c: f"s.{c}" for c in columns}
            exprs.update({"day": "%s::date", "active": f"s.active - {moved}",
                          "not_started": f"s.not_started + {moved}"})
            cursor.execute(f"INSERT INTO coverage_snapshot ({', '.join(columns)}) "
                           f"SELECT {', '.join(exprs[c] for c in columns)} FROM coverage_snapshot s "
                           f"WHERE s.day = %s::date", [type(today).fromordinal(end), today])
            written += cursor.rowcount
    try:  # the kabupaten rollup the nation, provinces and kabupaten are read from, where the code has one
        from jamsosdesa.coverage.snapshot import snapshot_rollup
    except ImportError:
        snapshot_rollup = None
    if snapshot_rollup is not None:
        for k in range(1, months + 1):
            snapshot_rollup(type(today).fromordinal(add_months(today.replace(day=1), -k + 1).toordinal() - 1))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return written


def statuses_of(figures: dict) -> dict:
    """{status: n} of a figures dict (the contract's `statuses`; `protected` is the active count)."""
    return {k: int(figures["statuses"][k]) for k in STATUS_KEYS}


def raw_statuses(code: str, today) -> dict:
    """The statuses of a region's people (code '' : everyone) from raw rows: `billing.status.status_table`."""
    from django.db import connection

    from jamsosdesa.billing.status import planned_without_jit, status_table

    sql, params = status_table(code, today)
    out = dict.fromkeys(STATUS_KEYS, 0)
    with planned_without_jit(), connection.cursor() as cursor:
        cursor.execute(f"SELECT st.status, COUNT(*) FROM ({sql}) st GROUP BY st.status", params)
        for status, n in cursor.fetchall():
            out[status] = n
    return out


def prefix_sums(today) -> dict[str, dict]:
    """Every region's statuses summed from the desa rows of today by code prefix, in SQL: {code: {status: n}}
    ('' : the nation)."""
    from django.db import connection

    sums = ", ".join(f"SUM({k})" for k in STATUS_KEYS)
    out = {}
    with connection.cursor() as cursor:
        for key in ("''", "left(desa_code, 2)", "left(desa_code, 5)", "left(desa_code, 8)", "desa_code"):
            cursor.execute(f"SELECT {key}, {sums} FROM coverage_snapshot WHERE day = %s GROUP BY 1", [today])
            for code, *values in cursor.fetchall():
                out[code] = dict(zip(STATUS_KEYS, map(int, values), strict=True))
    return out


# --- the run -------------------------------------------------------------------------------------------------------


def run(args, checks: Checks) -> dict:
    import django

    django.setup()
    import coverage_world as world
    from django.core.management import call_command
    from django.db import connection

    from jamsosdesa.accounts.models import User
    from jamsosdesa.billing.status import status_of
    from jamsosdesa.core import clock
    from jamsosdesa.core.roles import Role
    from jamsosdesa.coverage.snapshot import coverage_figures
    from jamsosdesa.participants.models import Participant
    from jamsosdesa.regions.loader import regions_load

    res = {"loads": [load()], "rows": args.rows}
    today = clock.today()
    month = today.replace(day=1)
    say(f"PostgreSQL {connection.cursor().connection.info.server_version}, Python {sys.version.split()[0]}; "
        f"today {today}")
    steps = {}
    _, steps["migrate"] = timed(lambda: call_command("migrate", verbosity=0))
    _, steps["regions"] = timed(regions_load)
    desa = world.desa_codes(args.kabupaten if args.quick else None)
    res["desa"], res["kabupaten"] = len(desa), len({c[:5] for c in desa})
    say(f"World: {args.rows:,} participants over {len(desa):,} desa in {res['kabupaten']} kabupaten ...")
    built, steps["world"] = timed(lambda: world.build(args.rows, desa, month, today))
    steps.update(built.pop("steps"))
    res["world"] = built
    admin = User.objects.create_user("bench.coverage", role=Role.NATIONAL_ADMIN, is_superuser=True)
    rss = res["peak_rss_mb_after"] = {"world": round(peak_rss_mb())}
    res["loads"].append(load())

    say("\nChecks of the world:")
    sample = list(Participant.objects.filter(pk__in=range(1, args.rows + 1, max(1, args.rows // 300))))
    wrong = [(p.pk, status_of(p, today).status, world.expected_for(p.pk, today, ended=(
        not p.is_active or p.segment == "PU"))) for p in sample]
    wrong = [w for w in wrong if w[1] != w[2]]
    checks.expect(f"status_of of {len(sample)} people = their planted status", wrong[:5], [])

    say("\nFull refresh of today ...")
    res["loads"].append(load())
    (written, how), first_s = timed(lambda: full_refresh(admin, today, checks))
    say(f"  into an empty table: {written:,} rows in {first_s:.1f} s")
    history, steps["history_snapshots"] = timed(lambda: write_history(today, HISTORY_MONTHS))
    say(f"  {HISTORY_MONTHS} month-ends written from today's rows: {history:,} rows, "
        f"{steps['history_snapshots']:.1f} s")
    before = load()
    (written, how), full_s = timed(lambda: full_refresh(admin, today, checks))
    res["refresh"] = {"rows": written, "first_s": round(first_s, 1), "seconds": round(full_s, 1),
                      "history_rows": history, "load": [before, load()], "how": how}
    res["loads"] += res["refresh"]["load"]
    rss["refresh"] = round(peak_rss_mb())
    say(f"  again, with the month-ends in place: {written:,} rows in {full_s:.1f} s")

    # the regions read: the kabupaten with the most people, its province, a kecamatan and a desa of it
    with connection.cursor() as cursor:
        cursor.execute("SELECT kab_code FROM participants_participant GROUP BY kab_code ORDER BY COUNT(*) DESC, 1 "
                       "LIMIT 1")
        kab = cursor.fetchone()[0]
        cursor.execute("SELECT desa_code FROM participants_participant WHERE kab_code = %s ORDER BY desa_code "
                       "LIMIT 1", [kab])
        desa_one = cursor.fetchone()[0]
    regions = {"nation": "ID", "province": kab[:2], "kabupaten": kab, "kecamatan": desa_one[:8], "desa": desa_one}

    say("\nChecks of the snapshot:")
    figures = {level: coverage_figures(user=admin, region=code) for level, code in regions.items()}
    planted = world.expected_statuses(today)
    checks.expect("national statuses = planted", statuses_of(figures["nation"]), planted)
    checks.expect(f"Kab. {kab} statuses = planted", statuses_of(figures["kabupaten"]),
                  world.expected_statuses(today, kab))
    checks.expect("registered (nation) = participants", figures["nation"]["registered"], args.rows)
    trend = figures["nation"].get("trend")
    if trend is not None:  # the 11 month-ends before this month planted, then today
        checks.expect("the nation's trend: 12 points, today's last, today's protected",
                      (len(trend), trend[-1]["on"], trend[-1]["protected"]),
                      (12, today.isoformat(), figures["nation"]["protected"]))
    sums = prefix_sums(today)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM coverage_snapshot WHERE kab_code <> left(desa_code, 5)")
        checks.expect("snapshot rows whose kab_code is not their desa's", cursor.fetchone()[0], 0)
    checks.expect("desa rows summed = the nation's figures", sums[""], statuses_of(figures["nation"]))
    # every level's children: from the figures, against the prefix sums, and adding up to their parent
    parents = [("ID", "")]
    provinces = coverage_figures(user=admin, region="ID")["children"]
    parents += [(c["region"], c["region"]) for c in provinces]
    parents += [(kab, kab), (desa_one[:8], desa_one[:8])]
    wrong_children, wrong_totals = [], []
    for shown, code in parents:
        f = coverage_figures(user=admin, region=shown)
        total = dict.fromkeys(STATUS_KEYS, 0)
        for child in f["children"]:
            got = statuses_of(child)
            if got != sums.get(child["region"]):
                wrong_children.append((child["region"], got, sums.get(child["region"])))
            for k in STATUS_KEYS:
                total[k] += got[k]
        if total != statuses_of(f) or total != sums[code]:
            wrong_totals.append((shown, total, statuses_of(f), sums[code]))
    checks.expect(f"children of the nation, {len(provinces)} provinces, Kab. {kab} and Kec. {desa_one[:8]} = "
                  f"their desa rows summed by prefix", wrong_children[:3], [])
    checks.expect("each one's children add up to it", wrong_totals[:3], [])
    rss["checks"] = round(peak_rss_mb())

    say("\nThe naive way: the national statuses from raw rows (status_table over everyone) ...")
    before = load()
    raw, naive_s = timed(lambda: raw_statuses("", today))
    res["naive"] = {"seconds": round(naive_s, 2), "load": [before, load()]}
    res["loads"] += res["naive"]["load"]
    rss["naive"] = round(peak_rss_mb())
    say(f"  {naive_s:.1f} s")
    checks.expect("national statuses from raw rows = the snapshot's", raw, statuses_of(figures["nation"]))
    for level in ("province", "kabupaten", "kecamatan", "desa"):
        checks.expect(f"{level} {regions[level]}: statuses from raw rows = the snapshot's",
                      raw_statuses(regions[level], today), statuses_of(figures[level]))

    say("\nFigures of one region (coverage_figures), p50 / p95 ...")
    res["reads"] = {}
    before = load()
    for level in ("nation", "province", "kabupaten", "desa"):
        code = regions[level]
        res["reads"][level] = {"region": code, **p50_p95_ms(
            lambda code=code: coverage_figures(user=admin, region=code), args.reps)}
        say(f"  {level} {code}: {res['reads'][level]}")
    res["reads_load"] = [before, load()]
    res["loads"] += res["reads_load"]
    rss["figures"] = round(peak_rss_mb())
    res["pages"] = pages(admin, regions, args.reps, checks)
    rss["pages"] = round(peak_rss_mb())

    say(f"\nIncremental refresh after a statement import in Kab. {kab} ...")
    res["incremental"] = incremental(kab, today, month, checks, admin, figures["kabupaten"])
    res["loads"] += res["incremental"]["load"]
    res["steps"] = {k: round(v, 1) for k, v in steps.items()}
    res["peak_memory_mb"] = round(peak_rss_mb())
    return res


def pages(admin, regions: dict, reps: int, checks: Checks) -> dict | None:
    """The dashboard page of each region through Django's test client (server time), when the page exists."""
    from django.test import Client
    from django.urls import NoReverseMatch, Resolver404, resolve

    path = "/cakupan/wilayah/{}/"
    try:
        resolve(path.format("ID"))
    except (Resolver404, NoReverseMatch):
        say("  (no dashboard page /cakupan/wilayah/<code>/ in this code: only coverage_figures measured)")
        return None
    client = Client()
    client.force_login(admin)
    out = {}
    for level in ("nation", "province", "kabupaten", "desa"):
        url = path.format(regions[level])
        response = client.get(url)
        if not checks.expect(f"page {url} answers", response.status_code, 200):
            continue
        out[level] = {"region": regions[level], **p50_p95_ms(lambda url=url: client.get(url), reps)}
        say(f"  page {level}: {out[level]}")
    return out


def incremental(kab: str, today, month, checks: Checks, admin, before_figures: dict) -> dict:
    """A statement import in one kabupaten, simulated set-based: this month's unpaid dues of its people whose last
    paid month is three or six months back (arrears, non-active) paid, one payment and allocation each, and their
    standing widened to this month, in one transaction; then the kabupaten's refresh timed."""
    import coverage_world as world
    from django.db import connection, transaction
    from django.db.models import Max

    from jamsosdesa.billing.standing import payer_bit_sql
    from jamsosdesa.core import clock
    from jamsosdesa.core.audit import AuditBatch
    from jamsosdesa.core.models import AuditEvent, AuditEventType
    from jamsosdesa.coverage.snapshot import coverage_figures, snapshot_refresh

    klass = world.paid_class_sql("d.participant_id")
    job = refresh_job()
    if job is not None:  # a pass has read the audit trail up to here (as after the last tick of the worker)
        top = AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0
        job[1].objects.update_or_create(pk=1, defaults={"last_event_id": top, "gaps": [], "updated_at": clock.now()})
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"""
            CREATE TEMP TABLE bench_paid ON COMMIT DROP AS
            SELECT d.id, d.participant_id, d.amount, d.kab_code, d.desa_code, d.scheme_id, d.membership_id,
                   d.payer_type
            FROM billing_due d JOIN participants_participant p ON p.id = d.participant_id
            WHERE d.kab_code = %s AND d.month = %s AND {klass} BETWEEN 14 AND 17
              AND p.is_active AND p.segment <> 'PU'""", [kab, month])
        cursor.execute("SELECT COUNT(DISTINCT participant_id) FROM bench_paid")
        people = cursor.fetchone()[0]
        cursor.execute("""
            WITH pay AS (
              INSERT INTO billing_payment (channel, source, external_reference, reinstatement_no, request_hash, amount,
                                           paid_on, received_at, target_kind, participant_id, holder_type, holder_id,
                                           kab_code, desa_code, note)
              SELECT 'bank', 'csv', 'COV-INC-' || b.id, 0, 'bench-coverage', b.amount, %s, now(), 'person',
                     b.participant_id, CASE WHEN b.membership_id IS NULL THEN 'S' ELSE 'P' END,
                     COALESCE(b.scheme_id, b.participant_id), b.kab_code, b.desa_code, 'bench coverage statement'
              FROM bench_paid b
              RETURNING id, external_reference, amount, holder_type, holder_id, kab_code)
            INSERT INTO billing_allocation (due_id, seq, amount, payment_id, holder_type, holder_id, kab_code, origin,
                                            created_at)
            SELECT substr(pay.external_reference, 9)::bigint, 0, pay.amount, pay.id, pay.holder_type, pay.holder_id,
                   pay.kab_code, 'payment', now() FROM pay""", [today])
        # this month newly paid: the last paid month, one more paid month, its payer (one due a person)
        cursor.execute(f"UPDATE billing_standing s SET last_paid = %s, paid_months = s.paid_months + 1, "
                       f"last_paid_payers = {payer_bit_sql('b.payer_type')} FROM bench_paid b "
                       f"WHERE s.participant_id = b.participant_id", [month])
        # one `payment.recorded` event per payment, with its desa, as the statement bulk path writes them
        cursor.execute("SELECT y.id, y.desa_code, y.amount, y.participant_id FROM billing_payment y "
                       "WHERE y.external_reference LIKE 'COV-INC-%%'")
        events = [(pk, desa, None, {"amount": amount, "target": person, "months": [f"{month:%Y-%m}"]})
                  for pk, desa, amount, person in cursor.fetchall()]
        AuditBatch(actor=admin, event=AuditEventType.PAYMENT_RECORDED, note="bench coverage statement").write(events)
    job = refresh_job()
    before = load()
    if job is None:
        _, seconds = timed(lambda: snapshot_refresh(today, kab_codes=[kab]))
        how = "coverage.snapshot.snapshot_refresh(today, kab_codes=[kab])"
    else:
        done, seconds = timed(lambda: job[0](actor=admin, changed=True))
        how = ("coverage.refresh.refresh_run(actor, changed=True): the incremental pass, finding the kabupaten "
               "from the audit trail")
        checks.expect("the incremental pass refreshed that kabupaten only", (done.status, done.kab_done),
                      ("done", [kab]))
    figures = coverage_figures(user=admin, region=kab)
    checks.expect(f"after the statement: Kab. {kab}'s protected grew by the {people:,} people paid",
                  figures["protected"] - before_figures["protected"], people)
    return {"kabupaten": kab, "people_paid": people, "seconds": round(seconds, 2), "load": [before, load()],
            "how": how}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(res: dict) -> None:
    w, r = res["world"], res["refresh"]
    say(f"\n{res['rows']:,} participants over {res['desa']:,} desa in {res['kabupaten']} kabupaten; "
        f"{w['dues']:,} dues, {w['allocations']:,} allocations, {w['standing']:,} standing rows; "
        f"snapshot of today {r['rows']:,} rows (+ {r['history_rows']:,} of {HISTORY_MONTHS} month-ends).")
    say("Build, seconds: " + ", ".join(f"{k} {v}" for k, v in res["steps"].items()))
    say("\n| measurement | figure | target | |\n| --- | ---: | --- | --- |")
    say(f"| full snapshot refresh of today, every kabupaten (into an empty table: {r['first_s']} s) | "
        f"{r['seconds']} s | < {REFRESH_TARGET_S:.0f} s | {verdict(r['seconds'] < REFRESH_TARGET_S)} |")
    i = res["incremental"]
    say(f"| incremental refresh of Kab. {i['kabupaten']} after a statement ({i['people_paid']:,} people paid) | "
        f"{i['seconds']} s | < {INCREMENTAL_TARGET_S:.0f} s | {verdict(i['seconds'] < INCREMENTAL_TARGET_S)} |")
    for level, f in res["reads"].items():
        say(f"| `coverage_figures` {level} ({f['region']}), p50 / p95 of {f['n']} | {f['p50_ms']} / {f['p95_ms']} ms "
            f"| p95 < {PAGE_TARGET_MS:.0f} ms | {verdict(f['p95_ms'] < PAGE_TARGET_MS)} |")
    for level, f in (res["pages"] or {}).items():
        say(f"| dashboard page {level} ({f['region']}), p50 / p95 of {f['n']} | {f['p50_ms']} / {f['p95_ms']} ms "
            f"| p95 < {PAGE_TARGET_MS:.0f} ms | {verdict(f['p95_ms'] < PAGE_TARGET_MS)} |")
    nation = res["reads"]["nation"]["p50_ms"]
    naive = res["naive"]["seconds"]
    say(f"| the naive way: national statuses from raw rows (`status_table`), once | {naive} s | | |")
    say(f"| ratio naive / national figures (p50) | {naive * 1000 / nation:,.0f}× | | |")
    say(f"| peak memory | {res['peak_memory_mb']:,} MB | | |")
    say("\nPeak memory after each part, MB: " + ", ".join(f"{k} {v}" for k, v in res["peak_rss_mb_after"].items()))
    say(f"\nFull refresh: {r['how']}. Incremental: {i['how']}.")
    say(f"{run_note([x for x in res['loads'] if x is not None])} Load averages around each measurement: refresh "
        f"{r['load']}, reads {res['reads_load']}, incremental {i['load']}, naive {res['naive']['load']}.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=FULL_ROWS, help=f"participants (default {FULL_ROWS:,})")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_ROWS:,} participants in {QUICK_KABUPATEN} kabupaten, 10 calls per read")
    parser.add_argument("--kabupaten", type=int, default=QUICK_KABUPATEN, help="kabupaten of a --quick world")
    parser.add_argument("--reps", type=int, default=50, help="calls measured per read (after 3 warm-up calls)")
    parser.add_argument("--pg-url", default=None,
                        help=f"benchmark database, created and dropped here (default {DEFAULT_PG_URL}; "
                             f"--quick: {QUICK_PG_URL})")
    parser.add_argument("--keep-db", action="store_true", help="leave the database in place at the end")
    args = parser.parse_args()
    if args.quick:
        args.rows = QUICK_ROWS if args.rows == FULL_ROWS else args.rows
        args.reps = min(args.reps, 10)
    args.pg_url = args.pg_url or (QUICK_PG_URL if args.quick else DEFAULT_PG_URL)
    return measured(args.pg_url, keep=args.keep_db, run=lambda checks: run(args, checks), report=report)


if __name__ == "__main__":
    sys.exit(main())
