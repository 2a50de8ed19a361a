"""The production files in deploy/ stay true to the program: every command a systemd unit starts exists and
accepts its options (gunicorn loads the WSGI application with the example environment), every environment
file a unit reads has its example, and the example environment passes `check --deploy`."""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV = "/opt/jamsosdesa/venv/bin/"  # where deploy/README.md installs the program
BIN = Path(sys.executable).parent
UNITS = sorted(DEPLOY.glob("*.service"))
PARSE = """
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsosdesa.settings")
django.setup()
from django.core.management import get_commands, load_command_class
name = sys.argv[1]
load_command_class(get_commands()[name], name).create_parser("jamsosdesa", name).parse_args(sys.argv[2:])
"""


def _unit(path: Path) -> dict[str, list[str]]:
    """{key: [values]} of a unit file's [Service] and [Unit] sections (continuation lines joined)."""
    text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def _env_file(path: Path) -> dict[str, str]:
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            assert re.fullmatch(r"[A-Z_][A-Z0-9_]*", key) and " " not in value and '"' not in value, line
            pairs[key] = value
    return pairs


def _environment(unit: dict[str, list[str]]) -> dict[str, str]:
    """The environment the unit's EnvironmentFile= lines give, read from their examples in deploy/."""
    env: dict[str, str] = {}
    for name in unit.get("EnvironmentFile", []):
        example = DEPLOY / (Path(name.lstrip("-")).name + ".example")
        assert example.is_file(), f"{name} has no example {example.name} in deploy/"
        env.update(_env_file(example))
    return env


def _commands(unit: dict[str, list[str]], env: dict[str, str]) -> list[list[str]]:
    commands = []
    for line in unit.get("ExecStart", []):
        line = re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], line.lstrip("-+!@:"))
        commands.append([word.replace("%i", "1").replace("%H", "host") for word in shlex.split(line)])
    return commands


def _run_env(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The example environment on this machine: a real key, a database and a directory of the test's own (the
    processes started here only load the program, they never serve)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("JAMSOSDESA_") and k != "DATABASE_URL"
             and k != "DJANGO_SETTINGS_MODULE" and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**clean, **env, "JAMSOSDESA_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "JAMSOSDESA_VAR_DIR": str(tmp_path / "var")}


def test_there_are_units_for_the_web_server_the_workers_the_upgrade_step_and_the_clean_up():
    assert {u.name for u in UNITS} >= {"jamsosdesa-web.service", "jamsosdesa-worker@.service",
                                       "jamsosdesa-migrate.service", "jamsosdesa-cleanup.service"}
    for timer in DEPLOY.glob("*.timer"):  # each timer starts a unit that is here
        started = _unit(timer).get("Unit", [timer.with_suffix(".service").name])[0]
        assert (DEPLOY / started).is_file(), f"{timer.name} starts {started}, which deploy/ does not have"


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_every_command_a_unit_starts_exists_and_accepts_its_options(path, tmp_path):
    unit = _unit(path)
    env = _environment(unit)
    commands = _commands(unit, env)
    assert commands, f"{path.name} starts nothing"
    for argv in commands:
        assert argv[0].startswith(VENV), argv
        program = argv[0].removeprefix(VENV)
        if program == "gunicorn":
            # --check-config: parse the options and import the application, then exit.
            checked = subprocess.run([str(BIN / "gunicorn"), "--check-config", *argv[1:]], capture_output=True,
                                     text=True, env=_run_env(env, tmp_path), cwd=tmp_path, timeout=120)
            assert checked.returncode == 0, checked.stderr
            assert argv[-1] == "jamsosdesa.wsgi:application"
        else:
            assert program == "jamsosdesa", argv
            assert argv[1] in get_commands(), f"{path.name}: no command {argv[1]}"
            # The command's own parser, under the unit's environment (db_worker checks its task backend).
            parsed = subprocess.run([sys.executable, "-c", PARSE, *argv[1:]], capture_output=True, text=True,
                                    env=_run_env(env, tmp_path), cwd=tmp_path, timeout=120)
            assert parsed.returncode == 0, f"{path.name}: {argv}: {parsed.stderr}"


def test_the_web_and_the_workers_connect_as_the_application_role_and_only_the_upgrade_step_as_the_owner():
    app = _env_file(DEPLOY / "jamsosdesa.env.example")
    owner = _env_file(DEPLOY / "owner.env.example")
    assert urlparse(app["DATABASE_URL"]).username == owner["JAMSOSDESA_DB_APP_ROLE"]
    assert urlparse(owner["DATABASE_URL"]).username != owner["JAMSOSDESA_DB_APP_ROLE"]
    for path in UNITS:
        reads_owner = any(Path(f).name == "owner.env" for f in _unit(path).get("EnvironmentFile", []))
        assert reads_owner == (path.name == "jamsosdesa-migrate.service"), path.name


def test_the_example_environment_passes_check_deploy(tmp_path):
    env = _run_env(_env_file(DEPLOY / "jamsosdesa.env.example"), tmp_path)
    result = subprocess.run([sys.executable, "-m", "jamsosdesa", "check", "--deploy", "--fail-level", "WARNING"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
