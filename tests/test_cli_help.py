"""The `jamsosdesa` script as a newcomer meets it: its own commands first in the help, output that can be piped
into `head`, and `--lang en` for English."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import find_commands, load_command_class

NIK_ARGS = ["nik", "check", "3311114506900001", "--birth-date", "1990-06-05", "--sex", "P"]


def run_cli(*args, env_extra=None, drop=()):
    env = {key: value for key, value in os.environ.items() if key not in drop and key != "JAMSOSDESA_LANG"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "jamsosdesa", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def own_commands() -> dict[str, str]:
    """Every command in our apps' management/commands, with the first line of its help."""
    found = {}
    for config in apps.get_app_configs():
        if config.name.startswith("jamsosdesa."):
            for name in find_commands(os.path.join(config.path, "management")):
                found[name] = str(load_command_class(config.name, name).help).strip().splitlines()[0]
    return found


@pytest.mark.parametrize("args", [["--help"], [], ["help"], ["-h"]])
def test_the_main_help_lists_our_commands_first_one_line_each(args):
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    ours, _sep, djangos = result.stdout.partition("Available subcommands:")
    assert djangos and "migrate" in djangos  # Django's own list follows
    commands = own_commands()
    assert {"regions", "nik", "demo", "serve", "import", "export", "scheme", "contribution"} <= set(commands)
    for name, help_line in {**commands, "demo-secret-key": "var/secret_key"}.items():
        lines = [line for line in ours.splitlines() if line.split()[:1] == [name]]
        assert len(lines) == 1, name
        assert help_line in lines[0], name
    assert not any(line.split()[:1] == ["migrate"] for line in ours.splitlines())  # Django's come after


def test_the_help_names_our_commands_with_their_help_without_settings(tmp_path):
    # a fresh clone has no secret key yet: the help still lists our commands, read from their source
    result = run_cli("--help", drop=("JAMSOSDESA_SECRET_KEY", "JAMSOSDESA_DEBUG"),
                     env_extra={"DJANGO_SETTINGS_MODULE": "jamsosdesa.settings", "JAMSOSDESA_VAR_DIR": str(tmp_path)})
    ours = result.stdout.partition("Available subcommands:")[0]
    for name, help_line in own_commands().items():
        assert any(line.split()[:1] == [name] and help_line in line for line in ours.splitlines()), name


@pytest.mark.parametrize("args", [["--help"], NIK_ARGS])
def test_output_cut_short_by_its_reader_ends_quietly(args):
    # `jamsosdesa ... | head`: the reader has gone before the command writes
    env = {key: value for key, value in os.environ.items() if key != "JAMSOSDESA_LANG"}
    process = subprocess.Popen([sys.executable, "-m", "jamsosdesa", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 141
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def test_lang_en_gives_english_labels_and_the_default_is_indonesian():
    indonesian = run_cli(*NIK_ARGS)
    assert indonesian.returncode == 0
    assert "wilayah" in indonesian.stdout and "lahir" in indonesian.stdout
    for english in (run_cli(*NIK_ARGS, "--lang", "en"), run_cli("--lang=en", *NIK_ARGS),
                     run_cli(*NIK_ARGS, env_extra={"JAMSOSDESA_LANG": "en"})):
        assert english.returncode == 0, english.stderr
        assert "region" in english.stdout and "born" in english.stdout
        assert "wilayah" not in english.stdout and "lahir" not in english.stdout


def test_lang_is_accepted_by_every_command_and_refuses_other_languages(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3"}
    result = run_cli("migrate", "--plan", "--lang", "en", env_extra=database)
    assert result.returncode == 0, result.stderr
    refused = run_cli("--lang", "fr", *NIK_ARGS)
    assert refused.returncode == 2 and "--lang fr" in refused.stderr and "Traceback" not in refused.stderr
    missing = run_cli(*NIK_ARGS, "--lang")
    assert missing.returncode == 2 and "id" in missing.stderr and "Traceback" not in missing.stderr


def test_help_read_from_the_source_agrees_with_the_loaded_commands():
    # the reading used without settings gives what the loaded command says, for every command of ours
    from jamsosdesa.cli import static_help

    for config in apps.get_app_configs():
        if config.name.startswith("jamsosdesa."):
            folder = Path(config.path) / "management" / "commands"
            for name in find_commands(os.path.join(config.path, "management")):
                loaded = str(load_command_class(config.name, name).help).strip().splitlines()[0]
                assert static_help(folder / f"{name}.py") == loaded, name


def test_lang_en_gives_a_commands_argument_help_in_english():
    """`--lang en nik check --help` explains the arguments in English, not in the Indonesian source text."""
    answer = run_cli("--lang", "en", "nik", "check", "--help", env_extra={"JAMSOSDESA_SECRET_KEY": "x"})
    assert answer.returncode == 0, answer.stderr
    text = " ".join(answer.stdout.split())
    assert "The sex entered, to match against." in text, answer.stdout
    assert "Jenis kelamin yang diisi" not in text
    listing = run_cli("--lang", "en", "nik", "--help", env_extra={"JAMSOSDESA_SECRET_KEY": "x"}).stdout
    listing = " ".join(listing.split())
    assert "Check one NIK: errors, warnings, and what it reads as." in listing, listing
