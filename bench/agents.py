"""PERISAI agents benchmark (issue 14, "Speed"): the monthly incentive run, an agent's statement and due list, on
PostgreSQL.

    .venv/bin/python bench/agents.py                 # 5,000 agents, 500,000 of their participants, 12 months
    .venv/bin/python bench/agents.py --quick         # 200 agents, 20,000 participants: the CI smoke run
    .venv/bin/python bench/agents.py --keep-db       # leave the database (jamsosdesa_bench_agents) in place

The world, built set-based (`INSERT … SELECT` over `generate_series`, the big tables' indexes dropped and built again
and foreign-key triggers off, as bench/coverage_world.py does): `--agents` agent users (role perisai_agent, their desa
as their region), each with its own BPU registration and an Agent row, ten to a wadah (one desa each, over
`--kabupaten` kabupaten); `--participants` workers, an equal share per agent, each with a package the agent collects
(three programmes for even ids, Rp36,800; two for odd ones, Rp16,800) started 1 to 70 months before the run's month
(one agent in ten has 30 of its people starting in that month: new acquisitions over the minimum); the 12 months of
dues up to the run's month, each paid through the agent (payment channel agent, allocation) on the 10th of its month,
or, for one person in five, on the 3rd of the next (money for an earlier month received in the run's month); a late
payment that would fall in this month is left unpaid (arrears for the due list). One person in 97 has the previous
month's allocation reversed on the 4th of the run's month (corrections). The standing cache (first and last fully
paid month) is written from the ledger in one statement.

Measured, with its target and PASS/MISS (a MISS does not fail the run):
- the previous month's run, then the run's month (last month) through `incentive_run_month` (the job, as
  `jamsosdesa incentives run` runs it): < 30 s; the run again (replacing the month's lines);
- the naive way, in the same run: per agent, its memberships, allocations, reversals and earlier lines read through
  the ORM and the lines computed in Python, on `--sample` agents, scaled to every agent: the ratio to the run;
- an agent's statement page (/agen/<pk>/insentif/<month>/) and the agent's due list (billing's worklist, arrears
  this month, /tagihan/daftar-kerja/?jenis=arrears) through Django's test client as the agent: p95 < 200 ms.

Checked (exit 1): the run ends done; its rerun gives the same lines; for each sampled agent the naive lines equal the
run's (kind, participant, allocation, amount); the acquisitions are those of the agents with 30 new people; the run
has share lines of both kinds and corrections; the pages answer 200 with the agent's lines.

The database is dropped at the end (also on failure, Ctrl-C or SIGTERM) unless --keep-db.
"""

import argparse
import os
import resource
import sys
import time
from collections import defaultdict
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from common import Checks, measured, p50_p95_ms, run_note, say  # noqa: E402

FULL_AGENTS, FULL_PARTICIPANTS, QUICK_AGENTS, QUICK_PARTICIPANTS = 5_000, 500_000, 200, 20_000
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_agents"
QUICK_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_agents_ci"
RUN_TARGET_S, PAGE_TARGET_MS = 30.0, 200.0
MONTHS = 12
USER_BASE = 100  # agent i's user id is USER_BASE + i
NEW_IN_MONTH = 30  # people of one agent in ten starting in the run's month


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def load() -> float:
    return round(os.getloadavg()[0], 2)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# --- the world -------------------------------------------------------------------------------------------------


def build(args, month) -> dict:
    from billing import bulk_load
    from coverage_world import FIRST, LAST, desa_codes, insert_select
    from django.db import connection, transaction

    from jamsosdesa.accounts.models import User
    from jamsosdesa.agents.models import Agent, Wadah
    from jamsosdesa.billing.models import Allocation, Due, Membership, Payment, Reversal
    from jamsosdesa.core.months import add_months
    from jamsosdesa.participants.models import Participant

    steps = {}

    def step(name, began):
        steps[name] = round(time.perf_counter() - began, 1)
        say(f"  {name}: {steps[name]} s")

    agents, rows = args.agents, args.participants
    wadah_count = max(1, agents // 10)
    desa = desa_codes(args.kabupaten)
    tz = ZoneInfo("Asia/Jakarta")
    this_month = add_months(month, 1)
    p = {"m": month, "a": agents, "n": rows, "w": wadah_count, "nd": len(desa), "ub": USER_BASE,
         "first": add_months(month, -(MONTHS - 1)), "now_month": datetime.combine(this_month, dtime.min, tz),
         "new": NEW_IN_MONTH, "tz": "Asia/Jakarta"}
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_desa (n int PRIMARY KEY, code varchar(13) NOT NULL)")
        with cursor.copy("COPY bench_desa (n, code) FROM STDIN") as copy:
            for n, code in enumerate(desa):
                copy.write_row((n, code))
        # wadah w sits in desa (w - 1) mod nd; agent i in wadah 1 + (i - 1) / 10; worker id in agent 1 + (id - 1) mod a
        cursor.execute("""CREATE TABLE bench_agent AS SELECT g.i AS a, 1 + (g.i - 1) / 10 AS w, d.code
                          FROM generate_series(1, %(a)s) g(i)
                          JOIN bench_desa d ON d.n = mod((g.i - 1) / 10, %(nd)s)""", p)
        cursor.execute("CREATE UNIQUE INDEX ON bench_agent (a)")
        cursor.execute("ANALYZE bench_desa")
        cursor.execute("ANALYZE bench_agent")
    first = "(ARRAY[" + ", ".join(f"'{x}'" for x in FIRST) + "])"
    last = "(ARRAY[" + ", ".join(f"'{x}'" for x in LAST) + "])"
    name = f"{first}[1 + mod(g.i, 20)] || ' ' || {last}[1 + mod(g.i / 20, 15)]"
    with transaction.atomic(), connection.cursor() as cursor, bulk_load(cursor, Participant._meta.db_table):
        insert_select(cursor, Participant, {
            "id": "g.i", "nik": "lpad((3100000000000000 + g.i)::text, 16, '0')", "full_name": name,
            "search_name": f"upper({name})", "birth_date": "make_date(1966 + mod(g.i, 40), 1 + mod(g.i, 12), 1)",
            "sex": "CASE WHEN mod(g.i, 2) = 1 THEN 'L' ELSE 'P' END", "desa_code": "b.code",
            "kec_code": "left(b.code, 8)", "kab_code": "left(b.code, 5)", "segment": "'BPU'",
            "village_role": "'vulnerable_worker'", "channel": "'import'",
            "created_at": "%(first)s::timestamptz - interval '6 years'",
            "updated_at": "%(first)s::timestamptz - interval '6 years'", "is_active": "true",
            "deactivated_at": "NULL", "deactivation_reason": "''", "kpj": "NULL", "client_token": "NULL",
            "registered_by_id": "NULL", "occupation_id": "NULL",
        }, "FROM generate_series(1, %(n)s + %(a)s) g(i) "
           "JOIN bench_agent b ON b.a = CASE WHEN g.i > %(n)s THEN g.i - %(n)s ELSE 1 + mod(g.i - 1, %(a)s) END", p)
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Participant._meta.db_table,
                                                                                rows + agents])
    step(f"participants: {rows:,} workers and {agents:,} agents' own", began)

    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        insert_select(cursor, User, {
            "id": "%(ub)s + b.a", "username": "'agen' || b.a", "password": "'!'", "role": "'perisai_agent'",
            "first_name": "'Agen'", "last_name": "b.a::text", "date_joined": "now()", "last_login": "NULL",
            "is_active": "true"}, "FROM bench_agent b", p)
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [User._meta.db_table,
                                                                                USER_BASE + agents + 1])
        through = User.regions.through._meta
        user_col = through.get_field("user").column
        region_col = through.get_field("region").column
        cursor.execute(f"INSERT INTO {through.db_table} ({user_col}, {region_col}) "
                       f"SELECT %(ub)s + b.a, b.code FROM bench_agent b", p)
        insert_select(cursor, Wadah, {
            "id": "w.w", "name": "'BUMDes ' || w.w", "kind": "'bumdes'", "legal_status": "'Perdes'",
            "kab_code": "left(w.code, 5)", "desa_code": "w.code", "pks_number": "'PKS/' || w.w",
            "pks_date": "%(first)s::date", "pks_start": "%(first)s::date",
            "pks_end": "(%(first)s::date + interval '11 months')::date", "created_by_id": "NULL",
            "created_at": "now()", "updated_at": "now()"},
            "FROM (SELECT DISTINCT w, code FROM bench_agent) w", p)
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Wadah._meta.db_table, wadah_count])
        insert_select(cursor, Agent, {
            "id": "b.a", "user_id": "%(ub)s + b.a", "wadah_id": "b.w", "participant_id": "%(n)s + b.a",
            "kab_code": "left(b.code, 5)", "bank_name": "'BRI'", "bank_account": "'00' || b.a",
            "bank_holder": "'Agen ' || b.a", "training_certificate": "'SERT'", "assignment_letter": "'ST'",
            "status": "'active'", "active_since": "%(first)s::date", "deactivated_on": "NULL",
            "created_by_id": "NULL", "created_at": "now()", "updated_at": "now()", "training_date": "NULL",
            "assignment_date": "NULL"}, "FROM bench_agent b", p)
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Agent._meta.db_table, agents])
    step(f"agents: {agents:,} users, regions and Agent rows in {wadah_count:,} wadah", began)

    began = time.perf_counter()
    # a worker's agent a = 1 + (id - 1) mod A and place k = (id - 1) / A; months before the run's month it started
    offset = ("CASE WHEN mod(1 + mod(p.id - 1, %(a)s), 10) = 0 AND (p.id - 1) / %(a)s < %(new)s THEN 0 "
              "ELSE 1 + mod(p.id * 7, 70) END")
    with transaction.atomic(), connection.cursor() as cursor, bulk_load(cursor, Membership._meta.db_table):
        members = insert_select(cursor, Membership, {
            "participant_id": "p.id", "kab_code": "p.kab_code", "desa_code": "p.desa_code", "segment": "'BPU'",
            "programmes": "CASE WHEN mod(p.id, 2) = 0 THEN '[\"JKK\", \"JKM\", \"JHT\"]'::jsonb "
                          "ELSE '[\"JKK\", \"JKM\"]'::jsonb END",
            "programme_mask": "CASE WHEN mod(p.id, 2) = 0 THEN 7 ELSE 3 END", "income": "1000000",
            "first_month": f"(%(m)s::date - ({offset}) * interval '1 month')::date", "last_month": "NULL",
            "agent_id": "%(ub)s + 1 + mod(p.id - 1, %(a)s)", "channel": "'agent'", "replaces_id": "NULL",
            "started_by_id": "NULL", "created_at": "now()", "ended_at": "NULL", "ended_by_id": "NULL"},
            "FROM participants_participant p WHERE p.id <= %(n)s", p)
    step(f"packages: {members:,}", began)

    began = time.perf_counter()
    due = {"participant_id": "ms.participant_id", "kab_code": "ms.kab_code", "desa_code": "ms.desa_code",
           "month": "x.month", "enrolment_id": "NULL", "membership_id": "ms.id", "scheme_id": "NULL",
           "payer_type": "'self'", "segment": "'BPU'", "sector": "'umum'", "programme_mask": "ms.programme_mask",
           "income": "1000000", "jkk": "10000", "jkm": "6800",
           "jht": "CASE WHEN ms.programme_mask = 7 THEN 20000 ELSE 0 END", "jp": "0", "discount": "0",
           "amount": "CASE WHEN ms.programme_mask = 7 THEN 36800 ELSE 16800 END", "run_id": "NULL",
           "created_at": "x.month::timestamptz"}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        with bulk_load(cursor, Due._meta.db_table):
            dues = insert_select(cursor, Due, due, """
                FROM billing_membership ms
                CROSS JOIN (SELECT (%(m)s::date - j * interval '1 month')::date AS month
                            FROM generate_series(0, 11) j) x
                WHERE x.month >= ms.first_month""", p)
    step(f"dues: {dues:,}", began)

    began = time.perf_counter()
    paid_at = ("CASE WHEN mod(d.participant_id, 5) = 0 "
               "THEN (d.month + interval '1 month' + interval '2 days' + interval '10 hours') AT TIME ZONE %(tz)s "
               "ELSE (d.month + interval '9 days' + interval '10 hours') AT TIME ZONE %(tz)s END")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        from coverage_world import _defaults

        pay_cols, pay_exprs, pay_defaults = _defaults(Payment, {
            "channel": "'agent'", "source": "'entry'", "external_reference": "'AGN-' || d.id",
            "reinstatement_no": "0", "idempotency_key": "NULL", "request_hash": "'bench-agents'",
            "amount": "d.amount", "paid_on": f"({paid_at})::date", "received_at": paid_at,
            "target_kind": "'person'", "participant_id": "d.participant_id", "invoice_id": "NULL",
            "holder_type": "'P'", "holder_id": "d.participant_id", "kab_code": "d.kab_code",
            "desa_code": "d.desa_code", "statement_id": "NULL", "statement_row": "NULL", "agent_id": "ms.agent_id",
            "recorded_by_id": "ms.agent_id", "note": "'bench agents'"})
        assert not pay_defaults, pay_defaults
        with bulk_load(cursor, Payment._meta.db_table, Allocation._meta.db_table):
            cursor.execute(f"""
                WITH pay AS (
                  INSERT INTO billing_payment ({", ".join(pay_cols)})
                  SELECT {", ".join(pay_exprs)} FROM billing_due d JOIN billing_membership ms ON ms.id = d.membership_id
                  WHERE ({paid_at}) < %(now_month)s
                  RETURNING id, external_reference, amount, holder_id, kab_code, received_at, agent_id)
                INSERT INTO billing_allocation (due_id, seq, amount, payment_id, holder_type, holder_id, kab_code,
                                                origin, run_id, created_by_id, created_at)
                SELECT substr(pay.external_reference, 5)::bigint, 0, pay.amount, pay.id, 'P', pay.holder_id,
                       pay.kab_code, 'payment', NULL, pay.agent_id, pay.received_at FROM pay""", p)
            allocations = cursor.rowcount
        insert_select(cursor, Reversal, {
            "target_type": "'allocation'", "target_id": "a.id", "amount": "a.amount", "reason": "'mistake'",
            "note": "'bench agents'", "parent_id": "NULL", "kab_code": "a.kab_code", "created_by_id": "NULL",
            "created_at": "(%(m)s::date + interval '3 days' + interval '10 hours') AT TIME ZONE %(tz)s"},
            """FROM billing_allocation a JOIN billing_due d ON d.id = a.due_id
               WHERE d.month = (%(m)s::date - interval '1 month')::date AND mod(d.participant_id, 97) = 0
                 AND mod(d.participant_id, 5) <> 0""", p)
        reversals = cursor.rowcount
    step(f"payments and allocations: {allocations:,}; {reversals:,} reversed in the run's month", began)

    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # The standing cache in one pass over the ledger (`billing standing` reads it once per kabupaten): each person
        # has one due a month here, so a fully paid month is a due with a live allocation.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("""
            INSERT INTO billing_standing (participant_id, first_paid, last_paid)
            SELECT d.participant_id, MIN(d.month), MAX(d.month) FROM billing_due d
            JOIN billing_allocation a ON a.due_id = d.id
            WHERE NOT EXISTS (SELECT 1 FROM billing_reversal rv
                              WHERE rv.target_type = 'allocation' AND rv.target_id = a.id)
            GROUP BY d.participant_id""")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_desa")
        cursor.execute("DROP TABLE bench_agent")
        cursor.execute("VACUUM (ANALYZE)")
    step("billing standing, VACUUM ANALYZE", began)
    return {"steps": steps, "packages": members, "dues": dues, "allocations": allocations, "reversals": reversals,
            "wadah": wadah_count, "desa": len(desa)}


# --- the naive way: per agent, rows through the ORM, lines in Python ----------------------------------------------


def naive_lines(user_id: int, month) -> list[tuple]:
    """The lines of one agent for `month` as the run defines them (see agents.incentives), computed the naive way:
    its packages, the money received, reversals and earlier lines read per agent, each line worked out in Python.
    (kind, participant, allocation, amount) per line, sorted."""
    from jamsosdesa.agents.incentives import round_share, rule_for
    from jamsosdesa.agents.models import IncentiveLine
    from jamsosdesa.billing.models import Allocation, Due, Membership, Reversal
    from jamsosdesa.core.months import add_months, months_between
    from jamsosdesa.funding.models import Enrolment

    rule = rule_for(month)
    tz = ZoneInfo("Asia/Jakarta")
    start, end = datetime.combine(month, dtime.min, tz), datetime.combine(add_months(month, 1), dtime.min, tz)
    packages = list(Membership.objects.filter(agent_id=user_id).values(
        "id", "participant_id", "first_month", "last_month", "programme_mask", "segment"))
    covering = [m for m in packages if m["last_month"] is None or m["last_month"] >= m["first_month"]]
    starts = defaultdict(list)
    for m in covering:
        before = add_months(m["first_month"], -1)
        continued = any(o["participant_id"] == m["participant_id"] and o["first_month"] < m["first_month"]
                        and (o["last_month"] is None or o["last_month"] >= before) for o in covering)
        if not continued and m["first_month"] <= month:
            starts[m["participant_id"]].append(m)
    lines = []
    fresh = [m for ms in starts.values() for m in ms if m["first_month"] == month and m["segment"] == "BPU"]
    people = [m["participant_id"] for m in fresh]
    old = set(Membership.objects.filter(participant_id__in=people, segment="BPU", first_month__lt=month)
              .values_list("participant_id", flat=True))
    old |= set(Enrolment.objects.filter(participant_id__in=people, scheme__segment="BPU", start_month__lt=month)
               .values_list("participant_id", flat=True))
    old |= set(Due.objects.filter(participant_id__in=people, segment="BPU", month__lt=month)
               .values_list("participant_id", flat=True))
    new = [m for m in fresh if m["participant_id"] not in old]
    if len({m["participant_id"] for m in new}) >= rule.min_new:
        for m in new:
            bits = bin(m["programme_mask"] & 15).count("1")
            fee = rule.fee_three if bits >= 3 else rule.fee_two if bits == 2 else 0
            if fee:
                lines.append(("acquisition", m["participant_id"], None, fee))
    received = Allocation.objects.filter(created_at__gte=start, created_at__lt=end,
                                         due__membership__agent_id=user_id).values(
        "id", "amount", "due__participant_id", "due__month")
    reversed_ids = set(Reversal.objects.filter(target_type="allocation", created_at__lt=end,
                                               target_id__in=[a["id"] for a in received])
                       .values_list("target_id", flat=True))
    for a in received:
        if a["id"] in reversed_ids:
            continue
        points = [m["first_month"] for m in starts.get(a["due__participant_id"], [])
                  if m["first_month"] <= a["due__month"]]
        if not points:
            continue
        index = months_between(max(points), a["due__month"])
        if 1 <= index <= 24:
            lines.append(("share_1_24", a["due__participant_id"], a["id"], round_share(a["amount"],
                                                                                         rule.share_1_24_bp)))
        elif 25 <= index <= 60:
            lines.append(("share_25_60", a["due__participant_id"], a["id"], round_share(a["amount"],
                                                                                          rule.share_25_60_bp)))
    earned = IncentiveLine.objects.filter(agent_id=user_id, month__lt=month, kind__in=("share_1_24", "share_25_60"))
    undone = set(Reversal.objects.filter(target_type="allocation", created_at__gte=start, created_at__lt=end,
                                         target_id__in=earned.values("allocation_id"))
                 .values_list("target_id", flat=True))
    for line in earned.filter(allocation_id__in=undone).values("participant_id", "allocation_id", "amount"):
        lines.append(("correction", line["participant_id"], line["allocation_id"], -line["amount"]))
    return sorted(lines, key=repr)


def run_lines(user_id: int, month) -> list[tuple]:
    from jamsosdesa.agents.models import IncentiveLine

    return sorted(IncentiveLine.objects.filter(month=month, agent_id=user_id).values_list(
        "kind", "participant_id", "allocation_id", "amount"), key=repr)


# --- the run ---------------------------------------------------------------------------------------------------


def run(args, checks: Checks) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from jamsosdesa.accounts.models import User
    from jamsosdesa.agents.incentives import incentive_run_month
    from jamsosdesa.agents.models import Agent, IncentiveLine
    from jamsosdesa.core import clock
    from jamsosdesa.core.months import add_months
    from jamsosdesa.core.roles import Role

    res = {"loads": [load()]}
    call_command("migrate", verbosity=0)
    say("Loading regions…")
    from jamsosdesa.regions.loader import regions_load

    regions_load()
    admin = User.objects.create(username="bench-admin", role=Role.NATIONAL_ADMIN, is_superuser=True)
    month = add_months(clock.this_month(), -1)
    say(f"Building the world: {args.agents:,} agents, {args.participants:,} participants, {MONTHS} months up to "
        f"{month:%m/%Y}…")
    res["world"] = build(args, month)
    res["peak_after_world"] = peak_rss_mb()

    def one_run(when):
        before = load()
        began = time.perf_counter()
        done = incentive_run_month(actor=admin, month=when)
        seconds = round(time.perf_counter() - began, 2)
        checks.expect(f"the run of {when:%m/%Y} ended done", (done.status, done.message), ("done", ""))
        res["loads"].append(load())
        return done, {"seconds": seconds, "load": [before, load()], "lines": done.lines,
                      "total_agents": done.total_agents, "total_wadah": done.total_wadah}

    say("Incentive runs…")
    _done, res["previous"] = one_run(add_months(month, -1))
    done, res["run"] = one_run(month)
    kinds = done.summary["by_kind"]
    figures = sorted(IncentiveLine.objects.filter(month=month).values_list(
        "agent_id", "participant_id", "kind", "allocation_id", "base", "amount"), key=repr)
    _again, res["rerun"] = one_run(month)
    checks.expect("the rerun gives the same lines", sorted(IncentiveLine.objects.filter(month=month).values_list(
        "agent_id", "participant_id", "kind", "allocation_id", "base", "amount"), key=repr) == figures, True)
    for kind in ("share_1_24", "share_25_60", "correction", "wadah"):
        checks.expect(f"the run has {kind} lines", kinds.get(kind, {}).get("lines", 0) > 0, True)
    per = args.participants // args.agents
    new_agents = len([a for a in range(1, args.agents + 1) if a % 10 == 0 and per >= NEW_IN_MONTH])
    checks.expect("acquisition lines: 30 for each agent in ten", kinds.get("acquisition", {}).get("lines", 0),
                  new_agents * NEW_IN_MONTH)
    res["by_kind"] = kinds

    say("The naive way, per agent…")
    step = max(1, args.agents // args.sample)
    sample = [USER_BASE + a for a in range(1, args.agents + 1, step)][:args.sample]
    before = load()
    began = time.perf_counter()
    naive = {uid: naive_lines(uid, month) for uid in sample}
    naive_s = time.perf_counter() - began
    mismatched = [uid for uid in sample if naive[uid] != run_lines(uid, month)]
    checks.expect(f"the naive lines of {len(sample)} agents equal the run's", mismatched, [])
    res["naive"] = {"agents": len(sample), "seconds": round(naive_s, 2),
                    "scaled_s": round(naive_s * args.agents / len(sample), 1), "load": [before, load()]}
    res["loads"].append(load())

    say("Pages…")
    with connection.cursor() as cursor:
        cursor.execute("""SELECT agent_id FROM agents_incentiveline WHERE month = %s AND agent_id IS NOT NULL
                          GROUP BY agent_id ORDER BY COUNT(*) DESC LIMIT 1""", [month])
        busiest = cursor.fetchone()[0]
    agent = Agent.objects.select_related("user").get(user_id=busiest)
    client = Client()
    client.force_login(agent.user)
    statement_url = f"/agen/{agent.pk}/insentif/{month:%Y-%m}/"
    due_url = "/tagihan/daftar-kerja/?jenis=arrears"
    page = client.get(statement_url)
    checks.expect("the statement page answers 200", page.status_code, 200)
    lines = IncentiveLine.objects.filter(month=month, agent_id=busiest).count()
    checks.expect("the statement page lists the agent's lines", page.content.decode().count("<tr><td>"), lines)
    checks.expect("the due list answers 200", client.get(due_url).status_code, 200)
    before = load()
    res["statement"] = {**p50_p95_ms(lambda: client.get(statement_url), args.reps), "lines": lines}
    res["due_list"] = p50_p95_ms(lambda: client.get(due_url), args.reps)
    res["pages_load"] = [before, load()]
    res["loads"].append(load())
    res["peak_memory_mb"] = peak_rss_mb()
    return res


def report(args, res: dict) -> None:
    w = res["world"]
    say(f"\n{args.agents:,} agents in {w['wadah']:,} wadah over {w['desa']:,} desa, {args.participants:,} participants "
        f"({w['packages']:,} packages), {w['dues']:,} dues, {w['allocations']:,} allocations, {w['reversals']:,} "
        f"reversed in the run's month.")
    say("Build, seconds: " + ", ".join(f"{k} {v}" for k, v in w["steps"].items()))
    r, n = res["run"], res["naive"]
    say("\n| measurement | figure | target | |\n| --- | ---: | --- | --- |")
    say(f"| incentive run of the month ({r['lines']:,} lines; agents Rp{r['total_agents']:,}, wadah "
        f"Rp{r['total_wadah']:,}) | {r['seconds']} s | < {RUN_TARGET_S:.0f} s | "
        f"{verdict(r['seconds'] < RUN_TARGET_S)} |")
    say(f"| the same month again (replacing its lines) | {res['rerun']['seconds']} s | < {RUN_TARGET_S:.0f} s | "
        f"{verdict(res['rerun']['seconds'] < RUN_TARGET_S)} |")
    say(f"| the month before ({res['previous']['lines']:,} lines) | {res['previous']['seconds']} s | | |")
    say(f"| naive per-agent loop: {n['agents']} agents in {n['seconds']} s, scaled to {args.agents:,} | "
        f"{n['scaled_s']:,} s | | |")
    say(f"| ratio naive / run | {n['scaled_s'] / r['seconds']:,.0f}× | | |")
    s, d = res["statement"], res["due_list"]
    say(f"| an agent's statement page ({s['lines']} lines), p50 / p95 of {s['n']} | {s['p50_ms']} / {s['p95_ms']} ms "
        f"| p95 < {PAGE_TARGET_MS:.0f} ms | {verdict(s['p95_ms'] < PAGE_TARGET_MS)} |")
    say(f"| the agent's due list (arrears this month), p50 / p95 of {d['n']} | {d['p50_ms']} / {d['p95_ms']} ms "
        f"| p95 < {PAGE_TARGET_MS:.0f} ms | {verdict(d['p95_ms'] < PAGE_TARGET_MS)} |")
    say(f"| peak memory | {res['peak_memory_mb']:,} MB | | |")
    say("\nLines by kind: " + ", ".join(f"{k} {v['lines']:,} (Rp{v['amount']:,})" for k, v in res["by_kind"].items()))
    say(f"{run_note([x for x in res['loads'] if x is not None])} Load averages around each measurement: run "
        f"{r['load']}, rerun {res['rerun']['load']}, naive {n['load']}, pages {res['pages_load']}.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=FULL_AGENTS, help=f"agents (default {FULL_AGENTS:,})")
    parser.add_argument("--participants", type=int, default=FULL_PARTICIPANTS,
                        help=f"their participants (default {FULL_PARTICIPANTS:,})")
    parser.add_argument("--kabupaten", type=int, default=40, help="kabupaten the wadah are spread over")
    parser.add_argument("--sample", type=int, default=100, help="agents the naive loop measures (scaled)")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_AGENTS} agents, {QUICK_PARTICIPANTS:,} participants, 10 calls per page")
    parser.add_argument("--reps", type=int, default=50, help="calls measured per page (after 3 warm-up calls)")
    parser.add_argument("--pg-url", default=None, help=f"benchmark database, created and dropped here (default "
                                                       f"{DEFAULT_PG_URL}; --quick: {QUICK_PG_URL})")
    parser.add_argument("--keep-db", action="store_true", help="leave the database in place at the end")
    args = parser.parse_args()
    if args.quick:
        args.agents = QUICK_AGENTS if args.agents == FULL_AGENTS else args.agents
        args.participants = QUICK_PARTICIPANTS if args.participants == FULL_PARTICIPANTS else args.participants
        args.kabupaten = min(args.kabupaten, 3)
        args.sample = min(args.sample, 20)
        args.reps = min(args.reps, 10)
    args.pg_url = args.pg_url or (QUICK_PG_URL if args.quick else DEFAULT_PG_URL)
    return measured(args.pg_url, keep=args.keep_db, run=lambda checks: run(args, checks),
                    report=lambda r: report(args, r))


if __name__ == "__main__":
    sys.exit(main())
