"""`jamsosdesa claim <what> ...`: each part of issue 15 registers its subcommands from its own module
(`jamsosdesa.claims.cli_<part>`, with `register(subparsers)` giving each parser a `run(command, options)`)."""

import importlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.core.errors import ServiceError

PARTS: list[str] = []  # module names under jamsosdesa.claims: cli_<part>
# --- C1 benefit engine
PARTS += ["quote"]  # quote, parameters (claims.cli_quote)
# --- end C1
# --- C2 claim file
PARTS += ["file"]  # report, list, show, heir, document (claims.cli_file)
# --- end C2
# --- C3 decision, payment and clock
PARTS += ["decision"]  # prepare, approve, reject, pay, overdue, dashboard (claims.cli_decision)
# --- end C3


class Command(BaseCommand):
    help = gettext_noop("Klaim JKM dan JKK: lapor kejadian, kelayakan, manfaat, ahli waris, dokumen, keputusan.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        for part in PARTS:
            importlib.import_module(f"jamsosdesa.claims.cli_{part}").register(sub)

    def handle(self, *args, **options):
        try:
            options["run"](self, options)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
