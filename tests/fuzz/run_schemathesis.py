#!/usr/bin/env python
"""Fuzz the JSON API with schemathesis against a fresh database holding the demo data (issue 11).

    .venv/bin/python tests/fuzz/run_schemathesis.py [--pg-url postgresql://...] [--max-time 60] [--seed 11]

It loads the regions and the demo (users of every role, people, schemes) into a throwaway database (SQLite in a
temporary directory, or the PostgreSQL database of --pg-url, created and dropped), issues an API token to each
role fuzzed (the national admin and the village operator of desa Krajan), serves the site, and runs `schemathesis
run` over /api/v1/openapi.json as each of them, with the checks not_a_server_error, status_code_conformance and
response_schema_conformance: no 5xx, no status the document does not declare, no answer off its documented shape.
Path parameters and a few body fields are drawn half of the time from the demo's own objects (NIKs, scheme and
enrolment ids, region codes: inside and outside the operator's desa), so the fuzzer reaches past the 404.

Each role's run is bounded by --max-time seconds (the fuzzing phase repeats until it is spent). Exit status 1 on
any finding or on any 5xx in the server's log; the server's tracebacks are printed then. CI runs it (.ci/run).
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import nullcontext
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from common import exit_on_sigterm, pg_database, say  # noqa: E402 - bench/common.py: databases dropped whatever happens

ROLES = {"admin": "national admin", "operator.krajan": "village operator of desa Krajan"}
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
PHASES = "examples,coverage,fuzzing"  # stateful needs links between operations, which the document has none of


def prepare(roles: list[str]) -> dict:
    """Migrate, load the regions and the demo; return a token per role (a demo username) and the demo objects to
    aim at."""
    import django
    from django.core.management import call_command

    django.setup()
    from jamsosdesa.accounts.models import ApiToken, User
    from jamsosdesa.funding.models import Enrolment, Scheme
    from jamsosdesa.participants.demo import KRAJAN, OTHER_GATAK_DESA
    from jamsosdesa.participants.models import Participant

    call_command("migrate", "--noinput", verbosity=0)
    call_command("regions", "load")
    call_command("demo")
    tokens = {name: ApiToken.issue(user=User.objects.get(username=name), name="schemathesis")[1] for name in roles}

    def some(qs, n=2):
        return list(qs.order_by("pk").values_list("nik", flat=True)[:n])

    niks = (some(Participant.objects.filter(desa_id=KRAJAN, is_active=True))
            + some(Participant.objects.filter(desa_id=KRAJAN, is_active=False), 1)
            + some(Participant.objects.filter(desa_id=OTHER_GATAK_DESA), 1)
            + some(Participant.objects.filter(kab_code="51.04"), 1))
    enrolments = Enrolment.objects.order_by("pk").values_list("pk", flat=True)
    ids = [*Scheme.objects.order_by("pk").values_list("pk", flat=True),  # the district's and Krajan's schemes
           *enrolments.filter(desa_code=KRAJAN)[:2], *enrolments.filter(desa_code__startswith="51.04.")[:1]]
    regions = [KRAJAN, OTHER_GATAK_DESA, "33.11.11", "33.11", "51.04", "51.04.01"]
    from django.db import connections

    connections.close_all()
    return {"tokens": tokens, "niks": niks, "ids": sorted(set(ids)), "regions": regions}


def config_file(path: Path, aims: dict) -> Path:
    """Half of the path parameters and region/NIK fields come from the demo's objects, the rest is generated."""
    def dictionary(name, values):
        return f"[dictionaries.{name}]\nvalues = {json.dumps(values)}\n"

    bind = {"path.nik": "niks", "path.pk": "ids", "path.code": "regions", "query.region": "regions",
            "query.desa": "regions", "query.parent": "regions", "body.desa": "regions", "body.owner_code": "regions",
            "body.region": "regions", "body.nik": "niks"}
    text = "".join(dictionary(name, aims[name]) for name in ("niks", "ids", "regions"))
    text += "[parameters]\n" + "".join(f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}\n'
                                       for key, name in bind.items())
    path.write_text(text)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped (exit status {server.returncode}) before answering {url}.")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"No answer from {url} within {timeout:.0f} s.")


def server_errors(log: Path) -> list[str]:
    """Access-log lines of 5xx answers, and the tracebacks the server logged."""
    text = log.read_text(errors="replace")
    lines = [line for line in text.splitlines() if re.search(r'" 5\d\d \d+$', line)]
    tracebacks = re.findall(r"^Internal Server Error:.*?(?=^\[|\Z)", text, flags=re.M | re.S)
    return lines + tracebacks


def answered(log: Path) -> dict[str, int]:
    """How often each status was answered, per method: evidence the run reached past 401, 404 and 422."""
    counts: dict[str, int] = {}
    for method, status in re.findall(r'"([A-Z]+) /api/v1/\S* HTTP/1\.1" (\d{3}) ', log.read_text(errors="replace")):
        counts[f"{method} {status}"] = counts.get(f"{method} {status}", 0) + 1
    return dict(sorted(counts.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", help="a PostgreSQL database to create, fuzz against and drop (default: SQLite)")
    parser.add_argument("--max-time", type=int, default=60, help="seconds of fuzzing per role (default 60)")
    parser.add_argument("--max-examples", type=int, default=100, help="cases per operation and phase (default 100)")
    parser.add_argument("--seed", type=int, default=11, help="schemathesis seed (default 11, for reproducible runs)")
    parser.add_argument("--roles", default=",".join(ROLES),
                        help=f"demo usernames to fuzz as, comma-separated (default {','.join(ROLES)})")
    args = parser.parse_args()
    exit_on_sigterm()

    with tempfile.TemporaryDirectory(prefix="jamsosdesa-fuzz-") as tmp, \
            (pg_database(args.pg_url) if args.pg_url else nullcontext()):
        tmp = Path(tmp)
        os.environ.update({
            "DJANGO_SETTINGS_MODULE": "jamsosdesa.settings", "JAMSOSDESA_VAR_DIR": str(tmp),
            "JAMSOSDESA_SECRET_KEY": "schemathesis-run-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DATABASE_URL": args.pg_url or f"sqlite:///{tmp / 'fuzz.sqlite3'}", "JAMSOSDESA_DEBUG": "0",
        })
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        started = time.monotonic()
        roles = args.roles.split(",")
        aims = prepare(roles)
        say(f"Demo data loaded in {time.monotonic() - started:.0f} s "
            f"({'PostgreSQL' if args.pg_url else 'SQLite'}); aiming at {aims['niks']}, ids {aims['ids']}.")
        config = config_file(tmp / "schemathesis.toml", aims)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = tmp / "server.log"
        with log.open("w") as out:
            server = subprocess.Popen([sys.executable, "-m", "jamsosdesa", "runserver", f"127.0.0.1:{port}",
                                       "--noreload"], stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
        failed = []
        try:
            wait_for(f"{base}/api/v1/openapi.json", server)
            schemathesis = Path(sys.executable).with_name("schemathesis")
            for role in roles:
                say(f"\n== schemathesis as {role} ({ROLES.get(role, role)}), {args.max_time} s")
                run = subprocess.run([
                    str(schemathesis), "--no-color", "--config-file", str(config), "run", f"{base}/api/v1/openapi.json",
                    "--checks", CHECKS, "--phases", PHASES, "--header", f"Authorization: Bearer {aims['tokens'][role]}",
                    "--max-time", str(args.max_time), "--max-examples", str(args.max_examples),
                    "--seed", str(args.seed), "--continue-on-failure", "--suppress-health-check", "all",
                    "--request-timeout", "30", "--warnings", "off"], cwd=tmp)
                if run.returncode != 0:
                    failed.append(role)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        errors = server_errors(log)
        say("\nAnswers by method and status: " + ", ".join(f"{k}: {n}" for k, n in answered(log).items()))
        if errors:
            say(f"\nThe server answered {sum(1 for e in errors if e.startswith('['))} time(s) with a 5xx:")
            for error in errors[:40]:
                say(error.rstrip())
        if failed or errors:
            say(f"\nFAIL: schemathesis found problems as {', '.join(failed) or 'nobody'}; 5xx in the server log: "
                f"{len(errors)}. Reproduce with the same --seed; each finding gets a regression test.")
            return 1
        say(f"\nschemathesis found nothing as {', '.join(args.roles.split(','))} "
            f"({time.monotonic() - started:.0f} s in all).")
        return 0


if __name__ == "__main__":
    sys.exit(main())
