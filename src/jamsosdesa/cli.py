"""The `jamsosdesa` console script: Django's management commands with our settings."""

import os
import secrets
import sys
from pathlib import Path


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


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsosdesa.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "jamsosdesa"
    command = argv[1] if len(argv) > 1 else ""
    if command == "demo-secret-key":  # `make demo` runs this first, before any command needs the settings
        print(demo_secret_key_file())
        return
    if command == "demo" and not os.environ.get("JAMSOSDESA_SECRET_KEY"):
        demo_secret_key_file()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
