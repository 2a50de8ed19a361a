"""The `jamsosdesa` console script: Django's management commands with our settings."""

import ast
import os
import secrets
import sys
from pathlib import Path

from django.core.management import ManagementUtility, find_commands, load_command_class


def demo_secret_key_file() -> Path:
    """var/secret_key for the demo: created once (mode 600) with a random key that the settings then read."""
    var_dir = Path(os.environ.get("JAMSOSDESA_VAR_DIR", Path.cwd() / "var"))
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50) + "\n")
    return path


LANGUAGES = ("id", "en")
BROKEN_PIPE_EXIT = 141  # what a shell reports for a program ended by SIGPIPE (128 + 13)


def take_lang(argv: list[str]) -> tuple[list[str], str]:
    """The global `--lang id|en` (anywhere before a `--`, or JAMSOSDESA_LANG) taken out of the arguments, so that
    every command accepts it; '' when neither chooses a language (the settings' LANGUAGE_CODE, Indonesian)."""
    lang, rest, index = os.environ.get("JAMSOSDESA_LANG", ""), argv[:1], 1
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            rest += argv[index:]
            break
        if arg == "--lang":
            lang, index = (argv[index + 1] if index + 1 < len(argv) else "?"), index + 2
            continue
        if arg.startswith("--lang="):
            lang = arg.partition("=")[2] or "?"
        else:
            rest.append(arg)
        index += 1
    if lang and lang not in LANGUAGES:
        # said before the settings (and so the translations) are loaded: in both languages
        sys.stderr.write(f"jamsosdesa: --lang {lang}: pilih {' atau '.join(LANGUAGES)} "
                         f"(choose {' or '.join(LANGUAGES)})\n")
        raise SystemExit(2)
    return rest, lang


def _(text: str) -> str:
    """gettext once the settings are loaded; the Indonesian text itself before (or without) them."""
    from django.apps import apps

    if not apps.ready:
        return text
    from django.utils.translation import gettext

    return gettext(text)


def own_commands() -> list[tuple[str, str]]:
    """(name, first line of its help) for every command of our own apps, found in their management/commands
    (so a command added to any of them is listed), and the demo-secret-key step this script answers itself.
    Without usable settings the commands cannot be loaded: their help is then read from the source."""
    from django.apps import apps

    found = {"demo-secret-key": _("Cetak jalur var/secret_key untuk demo (dibuat sekali, mode 600).")}
    if apps.ready:
        for config in apps.get_app_configs():
            if config.name.split(".")[0] != "jamsosdesa":
                continue
            for name in find_commands(os.path.join(config.path, "management")):
                text = str(load_command_class(config.name, name).help or "").strip()
                found[name] = _(text).splitlines()[0] if text else ""
    else:
        package = Path(__file__).parent
        for folder in sorted(package.glob("*/management/commands")):
            for name in find_commands(str(folder.parent)):
                found.setdefault(name, static_help(folder / f"{name}.py"))
    return sorted(found.items())


def static_help(path: Path) -> str:
    """The first line of `help = "..."` (or `help = gettext_noop("...")`) in a command's source, following
    `from .x import Command`; '' when it is written some other way."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return ""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module and \
                any(alias.name == "Command" for alias in node.names):
            return static_help(path.with_name(node.module.replace(".", "/") + ".py"))
        if isinstance(node, ast.ClassDef) and node.name == "Command":
            for item in node.body:
                if isinstance(item, ast.Assign) and any(getattr(t, "id", "") == "help" for t in item.targets):
                    value = item.value.args[0] if isinstance(item.value, ast.Call) and item.value.args \
                        else item.value
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        return value.value.strip().splitlines()[0] if value.value.strip() else ""
    return ""


def own_help_text() -> str:
    commands = own_commands()
    width = max(len(name) for name, _ in commands) + 2
    lines = [_("Perintah jamsosdesa (setiap perintah punya --help):"), ""]
    lines += [f"    {name:<{width}}{text}".rstrip() for name, text in commands]
    lines += ["", _("Pilihan untuk setiap perintah: --lang id|en (atau JAMSOSDESA_LANG) memilih bahasa "
                    "keluarannya; bawaan bahasa Indonesia.")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Runs the command; output cut short by its reader (`jamsosdesa ... | head`) ends it quietly."""
    try:
        try:
            run(list(sys.argv if argv is None else argv))
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        # The standard recipe: nothing more can reach the reader, and the interpreter's own flush at exit must
        # not fail again, so stdout goes to devnull.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(BROKEN_PIPE_EXIT)


def run(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsosdesa.settings")
    argv[0] = "jamsosdesa"
    argv, lang = take_lang(argv)
    command = argv[1] if len(argv) > 1 else ""
    if command == "demo-secret-key":  # `make demo` runs this first, before any command needs the settings
        print(demo_secret_key_file())
        return
    if command == "demo" and not os.environ.get("JAMSOSDESA_SECRET_KEY"):
        demo_secret_key_file()
    if lang:
        activate(lang)
    from django.db import DatabaseError

    try:
        Utility(argv).execute()
    except DatabaseError:
        # A command run before `migrate` (a fresh var/, a new DATABASE_URL) meets missing tables: one line saying
        # what to do instead of the database's traceback. Any other database error is reported as it is.
        if command == "migrate" or not unmigrated():
            raise
        sys.stderr.write(_("Basis data belum disiapkan: jalankan `jamsosdesa migrate`, lalu `jamsosdesa regions "
                           "load`.") + "\n")
        raise SystemExit(1) from None


def unmigrated() -> bool:
    """Whether the database lacks some of our migrations (False when that cannot even be asked)."""
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.close()  # a failed statement may have left PostgreSQL's transaction unusable
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return False


def activate(lang: str) -> None:
    """The chosen language for the command's output; settings that do not load are left to Django to report."""
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured:
        return
    from django.utils import translation

    translation.activate(lang)


class Utility(ManagementUtility):
    """Django's command runner whose main help (`jamsosdesa`, `jamsosdesa help`, `--help`) starts with ours."""

    def main_help_text(self, commands_only=False):
        text = super().main_help_text(commands_only)
        return text if commands_only else own_help_text() + "\n" + text
