"""Pieces the benchmark scripts share: running a part in a subprocess, cleaning up on any exit, PostgreSQL
databases that are dropped whatever happens, and the checks that make a benchmark fail when its results are
wrong."""

import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def say(message: str = "") -> None:
    print(message, flush=True)


def code_version() -> str:
    """The commit measured, and whether src/ differs from it (others may be changing the code meanwhile)."""
    def git(*cmd):
        return subprocess.run(["git", *cmd], cwd=REPO, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" + uncommitted changes in src/" if git("status", "--porcelain", "src") else "")


def run_note(loads: list[float], code: str | None = None) -> str:
    """When, where and at which commit (`code`, default: now) a run was made, and how busy the machine was."""
    cores = os.cpu_count() or 2
    busy = loads and max(loads) > cores + 0.5  # a benchmark keeps one or two cores busy itself
    load = f"1-minute load average {min(loads):.1f}–{max(loads):.1f}" if loads else "load average unknown"
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {cores} cores, Python {platform.python_version()}, {load}"
            + (" (other work was running: figures are pessimistic)" if busy else "")
            + f"; code at commit {code or code_version()}.")


# --- Exits and signals ------------------------------------------------------------------------------------


def exit_on_sigterm() -> None:
    """SIGTERM raises SystemExit (SIGINT already raises KeyboardInterrupt), so `finally` blocks run: the
    databases and files a benchmark made are removed when it is stopped too."""
    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def shield_cleanup() -> None:
    """From here on, ignore SIGINT and SIGTERM: the clean-up that follows must not be cut short by a second
    Ctrl-C or by the parent passing the signal on."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def run_part(script: str, argv: list[str], part: str) -> dict | None:
    """Run `script --part PART` in a fresh Python process (each database measured on its own, with its own
    peak memory) and return the results it writes, or None if it failed (it has said why).

    Stopped meanwhile (Ctrl-C reaches both processes; SIGTERM only this one), the child is told to stop and
    given time to drop what it made before this one goes on stopping."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = [sys.executable, script, *argv, "--part", part, "--result-file", out.name]
        child = subprocess.Popen(cmd)
        try:
            code = child.wait()
        except BaseException:
            shield_cleanup()
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)  # ignored if it is already cleaning up after a Ctrl-C
                try:
                    child.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
            raise
        if code != 0:
            say(f"The {part} part failed (exit status {code}); see above.")
            return None
        return json.loads(Path(out.name).read_text())


# --- Django and PostgreSQL databases -----------------------------------------------------------------------


def django_env() -> None:
    """The settings a benchmark runs with (a key of its own: the settings refuse to load without one)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsosdesa.settings")
    os.environ.setdefault("JAMSOSDESA_SECRET_KEY", "benchmark-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz")


@contextmanager
def pg_database(url: str, *, keep: bool = False, reuse: bool = False):
    """Create the benchmark database of `url` for the block and drop it at the end whatever happens (a failure, a
    Ctrl-C, a SIGTERM after `exit_on_sigterm`), unless `keep`; the clean-up cannot be cut short by a second signal.
    With `reuse`, a database that already exists is kept as it is (the script finds what it built before)."""
    try:
        if not (reuse and pg_exists(url)):
            pg_create(url)
        else:
            say(f"Reusing database {conninfo_name(url)}.")
        yield
    except BaseException:
        shield_cleanup()
        raise
    finally:
        if not keep:
            pg_drop(url)


def pg_server(url: str):
    """An autocommit connection to the server's `postgres` database, and the benchmark database's name."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    return psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True), conninfo_to_dict(url)["dbname"]


def conninfo_name(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    return conninfo_to_dict(url)["dbname"]


def pg_create(url: str) -> None:
    """Drop (if it exists) and create the database of `url`."""
    from psycopg import sql

    server, name = pg_server(url)
    with server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    say(f"Created database {name}.")


def pg_exists(url: str) -> bool:
    server, name = pg_server(url)
    with server:
        return server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def pg_drop(url: str, *, quiet: bool = False) -> None:
    """Drop the database of `url` if it exists, ending any connection still open to it (WITH FORCE). Never
    raises: it runs in `finally` blocks, where a second error would hide the first; it says what went wrong."""
    try:
        from django.db import connections

        connections.close_all()  # this process's own connections first, if Django is set up
    except Exception:  # noqa: BLE001 - Django not set up, or no connection: nothing to close
        pass
    try:
        from psycopg import sql

        server, name = pg_server(url)
        with server:
            found = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if found:
                server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                if not quiet:
                    say(f"Dropped database {name}.")
    except Exception as exc:  # noqa: BLE001 - see the docstring
        say(f"!! Could not drop the benchmark database of {url}: {exc}")


# --- Checks -------------------------------------------------------------------------------------------------


class Checks:
    """What a benchmark asserts about its results. Each `expect` prints OK or FAIL with both values; the
    script exits 1 when any failed, so CI notices a benchmark that measured the wrong thing."""

    def __init__(self):
        self.failures: list[str] = []
        self.passed = 0

    def expect(self, what: str, found, wanted) -> bool:
        ok = found == wanted
        if ok:
            self.passed += 1
            say(f"  check OK    {what}: {found!r}")
        else:
            self.failures.append(f"{what}: found {found!r}, expected {wanted!r}")
            say(f"  check FAIL  {what}: found {found!r}, expected {wanted!r}")
        return ok

    def fail(self, what: str) -> None:
        self.failures.append(what)
        say(f"  check FAIL  {what}")

    def extend(self, failures: list[str]) -> None:
        for failure in failures:
            self.fail(failure)

    def verdict(self) -> int:
        if self.failures:
            say(f"\n{len(self.failures)} check(s) FAILED ({self.passed} passed):")
            for failure in self.failures:
                say(f"  - {failure}")
            return 1
        say(f"\nAll {self.passed} checks passed.")
        return 0


def sample_ms(fn, reps: int, warmup: int = 3) -> list[float]:
    """Wall time of `reps` calls in milliseconds, after `warmup` uncounted calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p50_p95_ms(fn, reps: int, warmup: int = 3) -> dict:
    """The median and 95th percentile of `sample_ms` (and how many calls)."""
    import statistics

    out = sample_ms(fn, reps, warmup)
    p95 = statistics.quantiles(out, n=20, method="inclusive")[-1] if len(out) > 1 else out[0]
    return {"p50_ms": round(statistics.median(out), 1), "p95_ms": round(p95, 1), "n": reps}


def measured(url: str, *, keep: bool, run, report) -> int:
    """A benchmark's run inside its own database: `run(checks)` with the database of `url` created (and dropped at the
    end unless `keep`); a part that raises is a failed check, and the database is still dropped; then
    `report(result)` when the run gave one, the whole run's seconds, and the exit status from the checks."""
    import traceback

    exit_on_sigterm()
    os.environ["DATABASE_URL"] = url
    django_env()
    checks = Checks()
    res = None
    started = time.perf_counter()
    try:
        with pg_database(url, keep=keep):
            try:
                res = run(checks)
            except Exception as exc:  # a part that fails is a failed check; the database is still dropped
                traceback.print_exc()
                checks.fail(f"the run failed: {exc!r}")
    except KeyboardInterrupt:
        say("\nStopped (Ctrl-C); the benchmark database is dropped.")
        return 130
    if res:
        report(res)
    say(f"Whole run {time.perf_counter() - started:.0f} s.")
    return checks.verdict()


def standalone(doc: str, run, *, rows: int, quick_rows: int, rows_help: str, quick_help: str, pg_url: str) -> int:
    """The command line of a benchmark that builds its own PostgreSQL world of `--rows` participants and measures it:
    `run(rows, checks)` inside a database created and dropped here; exit status from the checks."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=rows, help=rows_help)
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--pg-url", default=pg_url,
                        help=f"benchmark database, created and dropped by this script (default {pg_url})")
    parser.add_argument("--keep-db", action="store_true", help="leave the database in place at the end")
    args = parser.parse_args()
    exit_on_sigterm()
    os.environ["DATABASE_URL"] = args.pg_url
    django_env()
    checks = Checks()
    try:
        with pg_database(args.pg_url, keep=args.keep_db):
            run(quick_rows if args.quick else args.rows, checks)
    except KeyboardInterrupt:
        say("\nStopped (Ctrl-C); the benchmark database is dropped.")
        return 130
    return checks.verdict()
