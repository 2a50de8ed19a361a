"""The `jamsosdesa` console script: Django's management commands with our settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsosdesa.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "jamsosdesa"
    execute_from_command_line(argv)
