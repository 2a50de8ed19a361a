"""Participant registry benchmark: server time of the registry's reads at scale and of one registration.

Two parts, each in its own subprocess because DATABASE_URL is read once at Django setup:

* ``postgres``: a PostgreSQL database (default ``jamsosdesa_bench`` on 127.0.0.1:5432) with all regions
  and ``--rows`` participants from ``jamsosdesa.participants.fake`` (2,000 desa in 40 kabupaten,
  registrations interleaved across desa as they would arrive), bulk-loaded with COPY. Then, as a
  national admin and as a branch officer scoped to one kabupaten, the median and p95 server time of
  (a) lookup by NIK, (b) name search (two common first names, a common and a rare full name), (c) the
  first page of the list filtered to one kabupaten; once through the selectors and once through the
  API with Django's test client (routing, token auth, serialisation). Target: median under 100 ms.
* ``sqlite``: a fresh SQLite file database with all regions; the median and p95 of registering one
  participant (with one heir) through ``POST /api/v1/participants`` with a Bearer token, each with a
  new valid NIK. Target: median under 50 ms.

The parent process runs both parts and prints a summary table (Markdown, as in bench/README.md).
Figures are not pass/fail (a MISS of a target does not fail the run), but the results are checked: every
planted participant is stored, the rare name is found once per kabupaten (once for the officer), the
kabupaten list counts its planted rows, the officer's pages hold only his kabupaten, a NIK lookup returns
that NIK, every registration is stored with its heir. A failed check, or a part that fails, exits 1.

The PostgreSQL database is dropped at the end, also when the run fails or is stopped (Ctrl-C, SIGTERM),
unless --keep-db (or --reuse) asks to keep it; the SQLite database is a temporary file.

    .venv/bin/python bench/registry.py              # 1,000,000 rows (about 2 minutes on 2 cores)
    .venv/bin/python bench/registry.py --keep-db    # ... and keep the loaded database for --reuse
    .venv/bin/python bench/registry.py --reuse      # use the kept PostgreSQL database if it matches (and keep it)
    .venv/bin/python bench/registry.py --quick      # 20,000 rows and fewer repetitions: a quick check
    .venv/bin/python bench/registry.py --part sqlite --registrations 500
"""

import argparse
import itertools
import json
import operator
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import Checks, django_env, exit_on_sigterm, pg_drop, run_note, run_part, sample_ms, shield_cleanup

READ_TARGET_MS = 100.0
WRITE_TARGET_MS = 50.0
FULL_ROWS, QUICK_ROWS = 1_000_000, 20_000
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench"
SEED = 2026
# First names of about 1.5 % of the fake participants each; the second sorts late in the alphabet.
COMMON_NAMES = ("Siti", "Yusuf")
COMMON_FULL_NAME = "Siti Rahmawati"  # about 0.05 %
# One row per benchmark kabupaten gets this name: a rare full name (40 rows nationally, 1 per kabupaten).
RARE_NAME = "Theresia Kristofel Manurung"
CREATED_FROM = datetime(2025, 1, 1, tzinfo=UTC)


def say(message: str = "") -> None:
    print(message, flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    django_env()
    import django

    django.setup()


# --- Measuring ------------------------------------------------------------------------------------------


def summary(samples: list[float], *, target: float, **labels) -> dict:
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20, method="inclusive")[-1]
    return {**labels, "n": len(samples), "median_ms": round(median, 2), "p95_ms": round(p95, 2),
            "target_ms": target, "status": "PASS" if median < target else "MISS"}


def count_queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def explain(fn: Callable[[], object]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of every SELECT that `fn` runs."""
    from django.db import connection

    captured: list[tuple[str, object]] = []

    def record(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        fn()
    plans = []
    with connection.cursor() as cursor:
        for sql, params in captured:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            shown = cursor.mogrify(sql, params)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plans.append(shown + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
    return plans


def api_client(token: str):
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def expect(response, status: int):
    if response.status_code != status:
        path = response.request["PATH_INFO"]
        raise RuntimeError(f"{path}: HTTP {response.status_code} {response.content[:300]!r}")
    return response


# --- PostgreSQL: database, regions, participants ------------------------------------------------------


def pg_plan(rows: int, kabupaten: int, desa: int) -> dict:
    return {"rows": rows, "kabupaten": kabupaten, "desa": desa, "seed": SEED, "rare_name": RARE_NAME}


def pg_server(url: str):
    """An autocommit connection to the server's `postgres` database, and the benchmark database's name."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    return psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True), conninfo_to_dict(url)["dbname"]


def pg_prepare_database(url: str, plan: dict, reuse: bool) -> bool:
    """Create the benchmark database, or keep it when `reuse` and it holds exactly this plan's rows.

    The plan is stored as the database comment, so a reused database is known to match."""
    import psycopg
    from psycopg import sql

    server, name = pg_server(url)
    with server:
        comment = server.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                                 "WHERE datname = %s", [name]).fetchone()
        if reuse and comment and comment[0] == json.dumps(plan, sort_keys=True):
            with psycopg.connect(url) as bench:
                count = -1
                if bench.execute("SELECT to_regclass('participants_participant')").fetchone()[0]:
                    count = bench.execute("SELECT count(*) FROM participants_participant").fetchone()[0]
            if count == plan["rows"]:
                say(f"Reusing database {name}: {count:,} participants.")
                return True
        if comment is not None:
            say(f"Dropping database {name}.")
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return False


def pg_mark_database(plan: dict) -> None:
    from django.db import connection
    from psycopg import sql

    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(connection.settings_dict["NAME"]), sql.Literal(json.dumps(plan, sort_keys=True))))


def pick_desa(kabupaten: int, desa: int) -> dict[str, list[str]]:
    """`kabupaten` kabupaten spread over the country (each with enough desa), and `desa` desa in all,
    spread over each kabupaten's kecamatan. Deterministic."""
    from jamsosdesa.core.regioncodes import Level
    from jamsosdesa.regions.models import Region

    per_kab = -(-desa // kabupaten)
    by_kab: dict[str, list[str]] = {}
    for code in (Region.objects.filter(level=Level.DESA, is_historical=False)
                 .order_by("code").values_list("code", flat=True)):
        by_kab.setdefault(code[:5], []).append(code)
    eligible = [kab for kab, codes in sorted(by_kab.items()) if len(codes) >= per_kab]
    chosen = [eligible[i * len(eligible) // kabupaten] for i in range(kabupaten)]
    plan, left = {}, desa
    for i, kab in enumerate(chosen):
        n = min(per_kab, left - (kabupaten - i - 1))
        codes = by_kab[kab]
        plan[kab] = [codes[j * len(codes) // n] for j in range(n)]
        left -= n
    return plan


def interleaved_participants(desa_by_kab: dict[str, list[str]], rows: int) -> Iterator[dict]:
    """Fake participants from every desa in turn, as registrations from many villages arrive.

    The first row of each kabupaten's first desa carries RARE_NAME."""
    from jamsosdesa.participants.fake import NikFactory, fake_participants

    codes = [code for codes in desa_by_kab.values() for code in codes]
    base, extra = divmod(rows, len(codes))
    niks = NikFactory()  # shared: desa in one kecamatan share NIK prefixes
    streams = deque(fake_participants([code], base + (i < extra), seed=SEED + i, nik_factory=niks)
                    for i, code in enumerate(codes))
    needles = {codes[0] for codes in desa_by_kab.values()}
    while streams:
        stream = streams.popleft()
        data = next(stream, None)
        if data is None:
            continue
        if data["desa"] in needles:
            needles.discard(data["desa"])
            data["full_name"] = RARE_NAME
        yield data
        streams.append(stream)


def copy_values(data: dict, created_at: datetime) -> dict:
    """Column values for one participant, derived columns exactly as Participant.fill_derived()."""
    from jamsosdesa.participants.sectors import sector_for_occupation

    code = data["desa"]
    return {
        "nik": data["nik"], "kk": "", "full_name": data["full_name"],
        "search_name": " ".join(data["full_name"].split()).upper(),
        "birth_place": data["birth_place"], "birth_date": data["birth_date"], "sex": data["sex"],
        "desa_code": code, "kec_code": code[:8], "kab_code": code[:5],
        "address": data["address"], "rt": data["rt"], "rw": data["rw"], "phone": data["phone"],
        "occupation_id": data["occupation"], "segment": data["segment"], "village_role": data["village_role"],
        "declared_income": data["declared_income"], "kpj": None,
        "channel": "import", "registered_by_id": None,
        "created_at": created_at, "updated_at": created_at, "is_active": True,
        "deactivation_reason": "", "deactivation_note": "", "deactivated_at": None,
        "confirmed_warnings": "[]", "client_token": None,
        "sector": sector_for_occupation(data["occupation"]), "sector_source": "occupation",
        "outreach_code": "",
    }


def pg_load_participants(desa_by_kab: dict[str, list[str]], rows: int) -> dict:
    """COPY the participants in one transaction: drop the secondary indexes, COPY, rebuild them.

    Constraint indexes (primary key, unique NIK/KPJ/token) and foreign keys stay and are checked."""
    from django.db import connection, transaction

    from jamsosdesa.participants.models import Participant

    table = Participant._meta.db_table
    columns = [f.column for f in Participant._meta.concrete_fields if not f.primary_key]
    row_of = operator.itemgetter(*columns)  # a KeyError here means the model has a column not filled below
    timings = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # Django's foreign keys are deferred: check each row during COPY instead of queueing 1M checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                          WHERE i.tablename = %s AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                              WHERE c.conindid = quote_ident(i.indexname)::regclass)
                          ORDER BY i.indexname""", [table])
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')

        start = time.perf_counter()
        step = timedelta(seconds=max(1, 60 * 60 * 24 * 600 // max(rows, 1)))  # spread over ~600 days
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for i, data in enumerate(interleaved_participants(desa_by_kab, rows)):
                copy.write_row(row_of(copy_values(data, CREATED_FROM + i * step)))
                if i and i % 200_000 == 0:
                    say(f"  {i:,} rows copied ({i / (time.perf_counter() - start):,.0f} rows/s)")
        timings["copy_s"] = time.perf_counter() - start

        start = time.perf_counter()
        for _, definition in indexes:
            cursor.execute(definition)
        timings["indexes_s"] = time.perf_counter() - start
        timings["indexes"] = len(indexes)

    # What autovacuum does soon after a bulk load; every table, as the regions were just loaded too.
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    timings["analyze_s"] = time.perf_counter() - start
    return timings


def check_derived_columns(sample: int = 500) -> None:
    """The copied derived columns equal what Participant.fill_derived() computes."""
    from jamsosdesa.participants.models import Participant

    last = Participant.objects.order_by("-pk").values_list("pk", flat=True).first()
    step = max(1, last // sample)
    for p in Participant.objects.filter(pk__in=range(1, last + 1, step)):
        stored = (p.search_name, p.kec_code, p.kab_code)
        if stored != (p.fill_derived().search_name, p.kec_code, p.kab_code):
            raise RuntimeError(f"derived columns differ for participant {p.pk}: {stored}")


def bench_users(kab: str) -> dict:
    from jamsosdesa.accounts.models import ApiToken, User
    from jamsosdesa.core.roles import Role

    users = {}
    for username, role, regions in (("bench.admin", Role.NATIONAL_ADMIN, []),
                                    ("bench.cabang", Role.BRANCH_OFFICER, [kab])):
        user, _ = User.objects.get_or_create(username=username, defaults={"role": role})
        user.regions.set(regions)
        ApiToken.objects.filter(user=user).delete()
        _, raw = ApiToken.issue(user=user, name="bench")
        users[username] = (user, raw)
    return users


def pg_build(args, plan: dict) -> dict:
    """Regions and participants into the empty benchmark database; returns the load figures."""
    from jamsosdesa.regions.loader import regions_load

    start = time.perf_counter()
    n_regions = regions_load()
    regions_s = round(time.perf_counter() - start, 1)
    say(f"Loaded {n_regions:,} regions in {regions_s} s.")
    desa_by_kab = pick_desa(args.kabupaten, args.desa)
    say(f"Loading {args.rows:,} participants into {sum(map(len, desa_by_kab.values())):,} desa "
        f"in {len(desa_by_kab)} kabupaten with COPY ...")
    start = time.perf_counter()
    timings = pg_load_participants(desa_by_kab, args.rows)
    total = time.perf_counter() - start
    say(f"Loaded in {total:.1f} s ({args.rows / total:,.0f} rows/s): COPY {timings['copy_s']:.1f} s, "
        f"{timings['indexes']} indexes rebuilt {timings['indexes_s']:.1f} s, "
        f"VACUUM ANALYZE {timings['analyze_s']:.1f} s.")
    check_derived_columns()
    pg_mark_database(plan)
    return {"regions_load_s": regions_s, "load": {k: round(v, 1) for k, v in timings.items()}
            | {"total_s": round(total, 1), "rows_per_s": round(args.rows / total)}}


def sample_niks(reps: int, kab: str | None = None) -> list[str]:
    """NIKs spread over the whole table, or over one kabupaten's rows."""
    from jamsosdesa.participants.models import Participant

    rows = Participant.objects.filter(kab_code=kab) if kab else Participant.objects.all()
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    return list(Participant.objects.filter(pk__in=ids[:: max(1, len(ids) // (reps + 10))])
                .values_list("nik", flat=True))


def read_case(kind: str, value: str | None, user, token: str, niks: list[str]):
    """(selector call, API call, matches) for one read case as one user."""
    from jamsosdesa.participants.selectors import ParticipantFilter, participant_get, participant_page

    client = api_client(token)
    if kind == "nik":
        cycle = itertools.cycle(niks)

        def selector():
            return participant_get(user=user, nik=next(cycle))

        def api():
            return expect(client.get(f"/api/v1/participants/{next(cycle)}"), 200)

        return selector, api, "1"
    filters = ParticipantFilter(**{kind: value})

    def selector():
        return participant_page(user=user, filters=filters)

    def api():
        return expect(client.get("/api/v1/participants", {kind: value}), 200)

    page = selector()
    return selector, api, f"{page.total:,}{'+' if page.total_capped else ''}"


def pg_measure_reads(args, kab: str, result: dict) -> None:
    users = bench_users(kab)
    niks = {"bench.admin": sample_niks(args.reps), "bench.cabang": sample_niks(args.reps, kab)}
    cases = [
        ("NIK lookup", "nik", None),
        *((f"name search, common first name ({name!r})", "q", name) for name in COMMON_NAMES),
        (f"name search, common full name ({COMMON_FULL_NAME!r})", "q", COMMON_FULL_NAME),
        (f"name search, rare full name ({RARE_NAME!r})", "q", RARE_NAME),
        ("list filtered to one kabupaten, first page", "region", kab),
    ]
    for username, (user, token) in users.items():
        for label, kind, value in cases:
            selector, api, matches = read_case(kind, value, user, token, niks[username])
            missed = False
            for via, fn in (("selector", selector), ("API", api)):
                figure = summary(sample_ms(fn, args.reps), target=READ_TARGET_MS, case=label, user=username,
                                 via=via, matches=matches, queries=count_queries(fn))
                result["figures"].append(figure)
                missed = missed or figure["status"] == "MISS"
                say(f"  {username:13} {via:8} {label:60} median {figure['median_ms']:7.2f} ms  "
                    f"p95 {figure['p95_ms']:7.2f} ms  [{figure['status']}]")
            if missed or args.explain:
                key = f"{username}: {label}"
                result["explain"][key] = explain(selector)
                say(f"\nEXPLAIN ANALYZE, {key}:")
                for plan_text in result["explain"][key]:
                    say(plan_text + "\n")


def pg_url(args) -> str:
    return args.pg_url or (DEFAULT_PG_URL + "_quick" if args.quick else DEFAULT_PG_URL)


def planned_rows(desa_by_kab: dict[str, list[str]], rows: int) -> dict[str, int]:
    """Participants per kabupaten as interleaved_participants plants them."""
    codes = [(kab, code) for kab, codes in desa_by_kab.items() for code in codes]
    base, extra = divmod(rows, len(codes))
    out: dict[str, int] = {}
    for i, (kab, _code) in enumerate(codes):
        out[kab] = out.get(kab, 0) + base + (i < extra)
    return out


def pg_check(args, kab: str, checks: Checks) -> None:
    """Planted vs found: the rows, the rare name, the kabupaten list, the officer's scope, NIK lookups."""
    from jamsosdesa.accounts.models import User
    from jamsosdesa.participants.models import Participant
    from jamsosdesa.participants.selectors import COUNT_CAP, ParticipantFilter, participant_get, participant_page

    desa_by_kab = pick_desa(args.kabupaten, args.desa)
    in_kab = planned_rows(desa_by_kab, args.rows)[kab]
    admin, officer = User.objects.get(username="bench.admin"), User.objects.get(username="bench.cabang")
    checks.expect("participants stored", Participant.objects.count(), args.rows)

    def total(user, **filters):
        page = participant_page(user=user, filters=ParticipantFilter(**filters))
        return page.total, page.total_capped

    checks.expect(f"rare name {RARE_NAME!r} found nationally (planted once per kabupaten)",
                  total(admin, q=RARE_NAME), (len(desa_by_kab), False))
    checks.expect(f"rare name {RARE_NAME!r} found by the officer of {kab}", total(officer, q=RARE_NAME), (1, False))
    for user in (admin, officer):
        checks.expect(f"list of kabupaten {kab} for {user.username} (planted {in_kab:,}; counted up to {COUNT_CAP:,})",
                      total(user, region=kab), (min(in_kab, COUNT_CAP), in_kab > COUNT_CAP))
    outside = [p.nik for q in (*COMMON_NAMES, COMMON_FULL_NAME, RARE_NAME)
               for p in participant_page(user=officer, filters=ParticipantFilter(q=q)).items if p.kab_code != kab]
    checks.expect("officer's name searches return rows outside his kabupaten", outside, [])
    for user, niks in ((admin, sample_niks(args.reps)), (officer, sample_niks(args.reps, kab))):
        wrong = [nik for nik in niks if getattr(participant_get(user=user, nik=nik), "nik", None) != nik]
        checks.expect(f"NIK lookups by {user.username} that did not return that NIK (of {len(niks)})", wrong, [])


def run_postgres(args) -> dict:
    """The PostgreSQL part; its database is dropped at the end whatever happens, unless --keep-db or --reuse
    (a database kept after a failure has no plan marker, so --reuse builds it again)."""
    url = pg_url(args)
    try:
        return _run_postgres(args, url)
    except BaseException:
        shield_cleanup()
        raise
    finally:
        if not args.keep_db:
            pg_drop(url)


def _run_postgres(args, url: str) -> dict:
    plan = pg_plan(args.rows, args.kabupaten, args.desa)
    result: dict = {"part": "postgres", "rows": args.rows, "figures": [], "explain": {}}
    reused = pg_prepare_database(url, plan, args.reuse)
    django_setup(url)

    from django.core.management import call_command
    from django.db import connection

    from jamsosdesa.participants.models import Participant
    from jamsosdesa.regions.models import Region

    call_command("migrate", verbosity=0)
    if not reused:
        result |= pg_build(args, plan)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), pg_size_pretty(pg_total_relation_size('participants_participant'))")
        version, result["table_size"] = cursor.fetchone()
        result["server"] = " ".join(version.split()[:2])

    kabs = sorted(pick_desa(args.kabupaten, args.desa))
    kab = kabs[len(kabs) // 2]
    kab_rows = Participant.objects.filter(kab_code=kab).count()
    result["kabupaten"] = f"{kab} {Region.objects.get(code=kab).name} ({kab_rows:,} rows)"
    say(f"Branch officer's kabupaten: {result['kabupaten']}; table with indexes {result['table_size']}.")

    def reconnect():
        connection.close()
        connection.ensure_connection()

    # Not in the figures: the test client keeps one connection, while CONN_MAX_AGE=0 (the default
    # setting) opens a new one for every request.
    result["connect_ms"] = round(statistics.median(sample_ms(reconnect, 20)), 1)
    say(f"Opening a database connection: {result['connect_ms']} ms (median).")

    load = os.getloadavg()[0]
    pg_measure_reads(args, kab, result)
    result["loadavg"] = [round(load, 1), round(os.getloadavg()[0], 1)]
    result["peak_rss_mb"] = round(peak_rss_mb())
    say("\nChecks:")
    checks = Checks()
    pg_check(args, kab, checks)
    result["failures"] = checks.failures
    connection.close()
    return result


# --- SQLite: registration through the API ---------------------------------------------------------------


def registration_payloads(desa: str, count: int) -> Iterator[dict]:
    from jamsosdesa.participants.fake import fake_participants

    for i, data in enumerate(fake_participants([desa], count, seed=SEED + 7)):
        yield {
            **{k: v for k, v in data.items() if k != "birth_date"},
            "birth_date": data["birth_date"].isoformat(),
            "heirs": [{"name": f"Ahli Waris {i}", "relation": "spouse" if i % 2 else "child"}],
            # Warnings are still computed; a chance name + birth date twin must not stop the run.
            "confirm_warnings": True,
        }


def run_sqlite(args) -> dict:
    result: dict = {"part": "sqlite", "figures": []}
    with tempfile.TemporaryDirectory(prefix="jamsosdesa-bench-") as tmp:
        django_setup(f"sqlite:///{tmp}/bench.sqlite3")

        import sqlite3

        from django.core.management import call_command

        from jamsosdesa.accounts.models import ApiToken, User
        from jamsosdesa.core.models import AuditEvent
        from jamsosdesa.core.roles import Role
        from jamsosdesa.participants.demo import KRAJAN
        from jamsosdesa.participants.models import Heir, Participant
        from jamsosdesa.regions.loader import regions_load

        result["server"] = f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL)"
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        n_regions = regions_load()
        result["regions_load_s"] = round(time.perf_counter() - start, 1)
        say(f"Fresh SQLite database {tmp}/bench.sqlite3: migrated and {n_regions:,} regions loaded "
            f"in {result['regions_load_s']} s.")

        user = User.objects.create(username="bench.operator", role=Role.VILLAGE_OPERATOR)
        user.regions.set([KRAJAN])
        _, token = ApiToken.issue(user=user, name="bench")
        client = api_client(token)
        payloads = registration_payloads(KRAJAN, args.registrations + 4)

        def register():
            response = client.post("/api/v1/participants", next(payloads), content_type="application/json")
            return expect(response, 201)

        load = os.getloadavg()[0]
        samples = sample_ms(register, args.registrations)
        result["loadavg"] = [round(load, 1), round(os.getloadavg()[0], 1)]
        figure = summary(samples, target=WRITE_TARGET_MS, case="register one participant (+1 heir)",
                         user="bench.operator", via="API", matches="", queries=count_queries(register))
        result["figures"].append(figure)
        say(f"  bench.operator API POST /api/v1/participants x{len(samples)}: "
            f"median {figure['median_ms']:.2f} ms, p95 {figure['p95_ms']:.2f} ms, "
            f"{figure['queries']} queries  [{figure['status']}]")
        # 3 warm-up registrations, the measured ones and the one count_queries made
        sent = args.registrations + 4
        say("\nChecks:")
        checks = Checks()
        checks.expect("participants registered (HTTP 201 each) and stored", Participant.objects.count(), sent)
        checks.expect("heirs stored (one per registration)",
                      Heir.objects.filter(participant__desa_id=KRAJAN).count(), sent)
        checks.expect("audit events of the registrations",
                      AuditEvent.objects.filter(object_type="participant").count(), sent)
        result["failures"] = checks.failures
        from django.db import connection

        connection.close()
    result["peak_rss_mb"] = round(peak_rss_mb())
    return result


# --- Parent: run the parts, print the summary ----------------------------------------------------------


def print_summary(results: list[dict]) -> None:
    say("\n## Summary\n")
    say(run_note([x for r in results for x in r.get("loadavg", [])]) + " "
        + ", ".join(r["server"] for r in results if "server" in r) + "; load average taken around the "
        "measured calls.\n")
    for r in results:
        if r["part"] == "postgres":
            say(f"- PostgreSQL: {r['rows']:,} participants, table with indexes {r['table_size']}; "
                f"officer's kabupaten {r['kabupaten']}; a new connection costs {r['connect_ms']} ms "
                "(not in the figures: the test client keeps its connection).")
            if "load" in r:
                load = r["load"]
                say(f"- Load: regions {r['regions_load_s']} s; participants {load['total_s']} s "
                    f"({load['rows_per_s']:,} rows/s: COPY {load['copy_s']} s, {load['indexes']} indexes "
                    f"{load['indexes_s']} s, VACUUM ANALYZE {load['analyze_s']} s).")
            else:
                say("- Load: database reused (--reuse).")
        else:
            say(f"- SQLite: fresh file database, migrate + regions {r['regions_load_s']} s.")
        say(f"- Peak memory of the {r['part']} process: {r['peak_rss_mb']} MB.")
    say("")
    say("Server time in ms, median / p95; the status compares each median with the target.\n")
    say("| database | case | user | matches | selector | API | API queries | target | |")
    say("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        rows: dict[tuple[str, str], dict[str, dict]] = {}
        for f in r["figures"]:
            rows.setdefault((f["case"], f["user"]), {})[f["via"]] = f
        for (case, user), by_via in rows.items():
            cells = [f"{by_via[v]['median_ms']:.1f} / {by_via[v]['p95_ms']:.1f}" if v in by_via else "–"
                     for v in ("selector", "API")]
            first = next(iter(by_via.values()))
            status = "MISS" if any(f["status"] == "MISS" for f in by_via.values()) else "PASS"
            api_queries = by_via["API"]["queries"] if "API" in by_via else "–"
            say(f"| {r['part']} | {case} | {user} | {first['matches']} | {cells[0]} | {cells[1]} | "
                f"{api_queries} | < {first['target_ms']:.0f} | {status} |")


def run_parts(args, argv: list[str]) -> int:
    results = []
    try:
        for part in ("sqlite", "postgres"):
            say(f"\n=== {part} ===")
            result = run_part(__file__, argv, part)
            if result is not None:
                results.append(result)
    finally:
        if not args.keep_db:  # the part drops it; this catches a part that was killed before it could
            shield_cleanup()
            pg_drop(pg_url(args), quiet=True)
    if results:
        print_summary(results)
    return verdict(results, parts=2)


def verdict(results: list[dict], *, parts: int) -> int:
    failures = [f"{r['part']}: {f}" for r in results for f in r.get("failures", [])]
    if len(results) != parts:
        failures.append("a part failed to run (see above)")
    if failures:
        say(f"\nFAILED: {len(failures)} problem(s):")
        for failure in failures:
            say(f"  - {failure}")
        return 1
    say("\nEvery check passed.")
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, help=f"participants on PostgreSQL (default {FULL_ROWS:,}; "
                                                 f"--quick: {QUICK_ROWS:,})")
    parser.add_argument("--quick", action="store_true", help="20,000 rows, 20 repetitions, 50 registrations")
    parser.add_argument("--reuse", action="store_true",
                        help="use the PostgreSQL database if it already holds this plan's rows (and keep it)")
    parser.add_argument("--keep-db", action="store_true",
                        help="keep the PostgreSQL database at the end of a successful run, for --reuse")
    parser.add_argument("--drop", action="store_true", help=argparse.SUPPRESS)  # the default now; still accepted
    parser.add_argument("--reps", type=int, help="repetitions per read case (default 50; --quick: 20)")
    parser.add_argument("--registrations", type=int,
                        help="registrations on SQLite (default 200; --quick: 50)")
    parser.add_argument("--kabupaten", type=int, default=40, help="kabupaten holding the participants")
    parser.add_argument("--desa", type=int, default=2000, help="desa holding the participants")
    parser.add_argument("--pg-url", help=f"benchmark database, created and dropped by this script "
                                         f"(default {DEFAULT_PG_URL}, with --quick ..._quick)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE for every read case")
    parser.add_argument("--part", choices=["all", "sqlite", "postgres"], default="all",
                        help="run one part in this process (default: both, each in a subprocess)")
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.rows = args.rows or (QUICK_ROWS if args.quick else FULL_ROWS)
    args.reps = args.reps or (20 if args.quick else 50)
    args.registrations = args.registrations or (50 if args.quick else 200)
    args.desa = min(args.desa, args.rows)
    args.kabupaten = min(args.kabupaten, args.desa)
    args.keep_db = args.keep_db or args.reuse
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    exit_on_sigterm()
    if args.part == "all":
        return run_parts(args, argv)
    result = run_postgres(args) if args.part == "postgres" else run_sqlite(args)
    say(f"Peak memory ({args.part}): {result['peak_rss_mb']} MB")
    if args.result_file:
        Path(args.result_file).write_text(json.dumps(result))
        return 0  # the parent judges the checks
    print_summary([result])
    return verdict([result], parts=1)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("\nStopped (Ctrl-C); the benchmark's databases and temporary files are removed.")
        sys.exit(130)
