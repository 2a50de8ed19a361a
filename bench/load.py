"""Load test: the participant pages under 50 concurrent users on a real server, PostgreSQL with 1,000,000 people.

What it does, in one process:

1. creates its own PostgreSQL database (``jamsosdesa_bench_load``; dropped at the end whatever happens, unless
   ``--keep-db``), migrates it, loads all regions and ``--rows`` participants with COPY as ``registry.py`` does
   (secondary indexes rebuilt after the rows, then VACUUM ANALYZE), spread over 2,000 desa in 40 kabupaten plus
   every desa of the demo users' kabupaten (Sukoharjo, Klaten, Gianyar), then ``jamsosdesa demo``'s users;
2. starts gunicorn (``jamsosdesa.wsgi``, ``--server-workers`` sync workers, default 2 per core) with a
   deployment's settings as in deploy/jamsosdesa.env.example: DEBUG off, a secret key, ALLOWED_HOSTS, database
   connections kept for 60 s;
3. logs in ``--users`` virtual users through the login form (each its own session) as the demo's branch officer,
   district official and two village operators, and lets each browse for ``--duration`` seconds: the participant
   list (first page of its whole area), a name search (a common first name, or the full name of someone in its
   area), a NIK search (a NIK of its area) and a participant's page, waiting ``--think`` seconds (uniform) between
   pages as a person reading them does; every answer must be HTTP 200 and show the person asked for;
4. prints, per page and overall: requests, errors, p50/p95/p99 (ms, client-side, including the network to
   127.0.0.1), requests per second, and the machine's load average while it ran.

Exits 1 when any request failed (an error, a wrong status, a page without the person asked for) or any p95 is
500 ms or more. ``--quick`` (20,000 participants, 20 users, 15 s) is CI's smoke run.

    .venv/bin/python bench/load.py              # 1,000,000 participants, 50 users, 120 s (about 4 minutes in all)
    .venv/bin/python bench/load.py --quick
    .venv/bin/python bench/load.py --keep-db    # keep the database; --reuse-db uses it again (skips the load)
"""

import argparse
import html
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from common import (
    REPO,
    code_version,
    django_env,
    exit_on_sigterm,
    pg_database,
    pg_exists,
    run_note,
    say,
    shield_cleanup,
)

P95_TARGET_MS = 500.0
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/jamsosdesa_bench_load"
DEMO_KABUPATEN = ("33.11", "33.10", "51.04")  # Sukoharjo and Klaten (the branch officer), Gianyar (the district)
# Who the virtual users are (demo user, share of the users): the roles that read the registry every day.
PEOPLE = (("cabang.solo", 0.2), ("pemkab.gianyar", 0.2), ("operator.krajan", 0.3), ("operator.sanggung", 0.3))
# What a user opens, and how often.
PAGES = (("list", 0.3), ("search name", 0.3), ("search NIK", 0.2), ("detail", 0.2))
COMMON_FIRST_NAMES = ("Siti", "Yusuf", "Agus", "Dewi")
SAMPLE_PER_USER = 300


# --- the database ------------------------------------------------------------------------------------------------

def load_database(args) -> None:
    """Regions, participants (COPY), the demo users: into the empty database of DATABASE_URL."""
    import django

    django.setup()
    import registry
    from django.core.management import call_command

    from jamsosdesa.core.regioncodes import Level
    from jamsosdesa.participants.demo import demo_load
    from jamsosdesa.regions.loader import regions_load
    from jamsosdesa.regions.models import Region

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    regions = regions_load()
    say(f"Migrated and loaded {regions:,} regions in {time.perf_counter() - start:.1f} s.")
    desa_by_kab = registry.pick_desa(40, 2000) if args.rows >= 100_000 else registry.pick_desa(10, 100)
    for kab in DEMO_KABUPATEN:  # every desa the demo users see holds people too
        codes = Region.objects.filter(level=Level.DESA, is_historical=False, code__startswith=kab + ".")
        desa_by_kab[kab] = sorted(set(desa_by_kab.get(kab, [])) | set(codes.values_list("code", flat=True)))
    desa = sum(map(len, desa_by_kab.values()))
    say(f"Loading {args.rows:,} participants into {desa:,} desa of {len(desa_by_kab)} kabupaten with COPY ...")
    start = time.perf_counter()
    timings = registry.pg_load_participants(desa_by_kab, args.rows)
    seconds = time.perf_counter() - start
    say(f"Loaded in {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s): COPY {timings['copy_s']:.1f} s, "
        f"{timings['indexes']} indexes rebuilt {timings['indexes_s']:.1f} s, VACUUM ANALYZE "
        f"{timings['analyze_s']:.1f} s.")
    demo = demo_load()  # the demo's own people are added where they do not collide
    say(f"Demo users created; {demo['participants_total']:,} participants in all.")


def samples() -> dict[str, list[tuple[int, str, str]]]:
    """For each demo user: (pk, NIK, full name) of people in the user's area, to search and open."""
    import django

    django.setup()
    from django.db import connections

    from jamsosdesa.accounts.models import User
    from jamsosdesa.participants.models import Participant
    from jamsosdesa.participants.selectors import ParticipantFilter, participant_filter_qs

    found = {}
    for username, _share in PEOPLE:
        user = User.objects.get(username=username)
        rows = (participant_filter_qs(user=user, filters=ParticipantFilter()).filter(is_active=True)
                .order_by("?")[:SAMPLE_PER_USER])
        found[username] = list(rows.values_list("pk", "nik", "full_name"))
        if not found[username]:
            raise RuntimeError(f"{username} sees nobody: the load missed the demo's regions")
    total = Participant.objects.count()
    say(f"{total:,} participants; sampled {SAMPLE_PER_USER} people in each user's area.")
    connections.close_all()
    return found


# --- the server --------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(args, port: int) -> tuple[subprocess.Popen, str]:
    """gunicorn with a deployment's settings (or `jamsosdesa serve` when gunicorn is not installed)."""
    env = {**os.environ, "JAMSOSDESA_DEBUG": "0", "JAMSOSDESA_ALLOWED_HOSTS": "127.0.0.1,localhost",
           "JAMSOSDESA_CONN_MAX_AGE": "60",  # as deploy/jamsosdesa.env.example
           "JAMSOSDESA_SECRET_KEY": "load-test-key-" + "x" * 50, "PYTHONUNBUFFERED": "1"}
    try:
        import gunicorn  # noqa: F401

        cmd = [sys.executable, "-m", "gunicorn", "jamsosdesa.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(args.server_workers), "--timeout", "60", "--log-level", "warning"]
        what = f"gunicorn, {args.server_workers} sync workers"
    except ImportError:
        cmd = [sys.executable, "-m", "jamsosdesa", "serve", f"127.0.0.1:{port}", "--workers", "1"]
        what = "jamsosdesa serve (gunicorn is not installed)"
    server = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at once (exit status {server.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, what
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start listening within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- the users ---------------------------------------------------------------------------------------------------

@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=dict)  # page -> ms of each good answer
    errors: dict[str, list[str]] = field(default_factory=dict)  # page -> what went wrong
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, ms: float, error: str = "") -> None:
        with self.lock:
            self.times.setdefault(page, [])
            self.errors.setdefault(page, [])
            (self.errors[page].append(error) if error else self.times[page].append(ms))


class Browser:
    """One person's session: cookies kept, one keep-alive connection (reopened when the server closes it)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, dict]:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "jamsosdesa-load",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers |= {"Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"http://127.0.0.1:{self.port}{path}"}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # the server closed a kept-alive connection: once more on a new one
                if attempt == 2:
                    raise
            except BaseException:
                self.conn.close()  # a timeout: the next request starts on a fresh connection
                raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, text, dict(response.getheaders())

    def timeout(self, seconds: float) -> None:
        self.conn.timeout = seconds
        if self.conn.sock:
            self.conn.sock.settimeout(seconds)

    def login(self, username: str, password: str) -> None:
        """Through the login form. Not measured: 50 Argon2 checks at once (Django's: 100 MB, 8 lanes each) keep 2
        cores busy for a while, so each may wait up to two minutes and is tried three times."""
        self.timeout(120)
        for attempt in (1, 2, 3):
            try:
                self._login(username, password)
                break
            except (OSError, http.client.HTTPException):
                if attempt == 3:
                    raise
        self.timeout(30)

    def _login(self, username: str, password: str) -> None:
        status, page, _h = self.request("GET", "/masuk/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise RuntimeError(f"login page answered {status}")
        status, _page, headers = self.request("POST", "/masuk/", {
            "csrfmiddlewaretoken": token.group(1), "username": username, "password": password})
        if status != 302 or "/masuk/" in headers.get("Location", ""):
            raise RuntimeError(f"{username} could not log in (HTTP {status})")


def pick(weighted, rng: random.Random):
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def visit(browser: Browser, page: str, people: list[tuple[int, str, str]], rng: random.Random) -> tuple[str, str]:
    """Open one page; the error ('' when it was right)."""
    pk, nik, name = rng.choice(people)
    if page == "list":
        path, expect = "/peserta/", "<table"
    elif page == "search name":
        q = rng.choice(COMMON_FIRST_NAMES) if rng.random() < 0.5 else name
        path, expect = "/peserta/?" + urllib.parse.urlencode({"q": q}), (name if q == name else "<table")
    elif page == "search NIK":
        path, expect = "/peserta/?" + urllib.parse.urlencode({"q": nik}), name
    else:
        path, expect = f"/peserta/{pk}/", name
    status, text, _h = browser.request("GET", path)
    if status != 200:
        return path, f"HTTP {status} for {path}"
    if html.escape(expect, quote=False) not in text and expect not in text:
        return path, f"{path} does not show {expect!r}"
    return path, ""


def user_loop(username: str, seed: int, args, port: int, people: dict, results: Results, start_at: float,
              logged_in: threading.Barrier, bounds: dict) -> None:
    rng = random.Random(seed)
    browser = Browser(port)
    time.sleep(max(0.0, start_at - time.monotonic()))
    try:
        browser.login(username, args.password)
    except Exception as exc:  # noqa: BLE001 - counted and reported, as any failed request
        results.add("login", 0.0, f"{username}: {exc}")
    else:
        results.add("login", 0.0)
    logged_in.wait()  # the measured time starts once everyone is in
    time.sleep(rng.uniform(0, args.think_max))  # users do not all click at the same moment
    while time.monotonic() < bounds["stop"]:
        page = pick(PAGES, rng)
        started = time.perf_counter()
        try:
            error = visit(browser, page, people[username], rng)[1]
        except Exception as exc:  # noqa: BLE001
            error = f"{type(exc).__name__}: {exc}"
        results.add(page, (time.perf_counter() - started) * 1000, error)
        time.sleep(rng.uniform(args.think_min, args.think_max))


def run_users(args, port: int, people: dict, who: list[str]) -> tuple[Results, float, list[float]]:
    """Every user in its thread; the results, the seconds measured and the load averages seen meanwhile."""
    results = Results()
    logged_in = threading.Barrier(args.users + 1)
    bounds = {"stop": float("inf")}
    start_at = time.monotonic() + 0.2
    threads = [threading.Thread(target=user_loop, daemon=True, args=(
        username, args.seed + n, args, port, people, results, start_at + args.ramp * n / args.users, logged_in,
        bounds)) for n, username in enumerate(who)]
    for thread in threads:
        thread.start()
    logged_in.wait()
    measured_from = time.monotonic()
    bounds["stop"] = measured_from + args.duration
    loads = []
    while any(thread.is_alive() for thread in threads) and time.monotonic() < bounds["stop"] + 60:
        loads.append(os.getloadavg()[0])
        time.sleep(1)
    return results, min(time.monotonic() - measured_from, args.duration + args.think_max), loads


# --- the figures -------------------------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def report(results: Results, seconds: float) -> int:
    """Print the table; 1 when any request failed or any p95 reached the target."""
    failed = False
    logins = results.errors.get("login", [])
    say(f"\nLogins: {len(results.times.get('login', []))} ok, {len(logins)} failed.")
    for error in logins[:5]:
        say(f"  !! {error}")
    failed |= bool(logins)
    say("\n| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms | p95 target | |")
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    every, every_errors = [], 0
    for page, _weight in PAGES:
        times, errors = results.times.get(page, []), results.errors.get(page, [])
        every += times
        every_errors += len(errors)
        failed |= row(page, times, errors, seconds)
    failed |= row("**all pages**", every, [None] * every_errors, seconds)
    for page, _weight in PAGES:
        for error in results.errors.get(page, [])[:5]:
            say(f"  !! {page}: {error}")
    if not every:
        say("!! No page was measured.")
        failed = True
    return 1 if failed else 0


def row(label: str, times: list[float], errors: list, seconds: float) -> bool:
    p95 = percentile(times, 95)
    bad = bool(errors) or p95 >= P95_TARGET_MS or not times
    say(f"| {label} | {len(times) + len(errors):,} | {len(errors)} | {(len(times) + len(errors)) / seconds:.1f} | "
        f"{statistics.median(times) if times else 0:.0f} | {p95:.0f} | {percentile(times, 99):.0f} | "
        f"< {P95_TARGET_MS:.0f} | {'MISS' if bad else 'PASS'} |")
    return bad


# --- main --------------------------------------------------------------------------------------------------------

def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 participants, 20 users, 15 s (CI)")
    parser.add_argument("--rows", type=int, help="participants to load (1,000,000; --quick 20,000)")
    parser.add_argument("--users", type=int, help="concurrent users (50; --quick 20)")
    parser.add_argument("--duration", type=float, help="seconds measured after all have logged in (120; --quick 15)")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which the users log in")
    parser.add_argument("--think-min", type=float, default=1.0, help="least seconds between a user's pages")
    parser.add_argument("--think-max", type=float, default=3.0, help="most seconds between a user's pages")
    parser.add_argument("--server-workers", type=int, default=2 * (os.cpu_count() or 2),
                        help="gunicorn processes (2 per core, as WEB_CONCURRENCY in deploy/jamsosdesa.env.example)")
    parser.add_argument("--password", default="demo12345", help="the demo users' password")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pg-url", help=f"database to create and drop (default {DEFAULT_PG_URL}[_quick])")
    parser.add_argument("--keep-db", action="store_true", help="keep the database (for --reuse-db)")
    parser.add_argument("--reuse-db", action="store_true", help="use a kept database as it is (no load)")
    args = parser.parse_args(argv)
    args.rows = args.rows or (20_000 if args.quick else 1_000_000)
    args.users = args.users or (20 if args.quick else 50)
    args.duration = args.duration or (15.0 if args.quick else 120.0)
    args.pg_url = args.pg_url or DEFAULT_PG_URL + ("_quick" if args.quick else "")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()
    os.environ["DATABASE_URL"] = args.pg_url
    django_env()
    started = time.perf_counter()
    code = "unknown"
    reuse = args.reuse_db and pg_exists(args.pg_url)
    with pg_database(args.pg_url, keep=args.keep_db or reuse) if not reuse else _kept():
        if not reuse:
            load_database(args)
        people = samples()
        code = code_version()
        port = free_port()
        rng = random.Random(args.seed)
        who = [pick(PEOPLE, rng) for _n in range(args.users)]
        server, what = start_server(args, port)
        try:
            say(f"Server: {what} on 127.0.0.1:{port}. {args.users} users log in over {args.ramp:.0f} s, then browse "
                f"for {args.duration:.0f} s ({args.think_min:g}-{args.think_max:g} s between pages).")
            results, seconds, loads = run_users(args, port, people, who)
        except BaseException:
            shield_cleanup()
            raise
        finally:
            stop_server(server)
    users = {name: who.count(name) for name, _share in PEOPLE}
    say(f"\n{args.rows:,} participants; {args.users} users ({', '.join(f'{n} {u}' for u, n in users.items())}); "
        f"measured {seconds:.0f} s; whole run {time.perf_counter() - started:.0f} s.")
    say(run_note(loads, code))
    return report(results, seconds)


class _kept:
    def __enter__(self):
        say("Reusing the kept database (no load).")

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
