"""`jamsosdesa agents <what> ...`: each part of issue 14 registers its subcommands from its own module
(`jamsosdesa.agents.cli_<part>`, with `register(subparsers)` giving each parser a `run(command, options)`)."""

import importlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.core.errors import ServiceError

PARTS: list[str] = []  # module names under jamsosdesa.agents: cli_<part>
# --- H-A wadah and agents
PARTS += ["wadah"]  # wadah, agent, rules, deactivate-idle (agents.cli_wadah)
# --- end H-A
# --- H-B collections and deposits
PARTS.append("cash")
# --- end H-B
# --- H-E rankings
PARTS.append("rankings")
# --- end H-E


class Command(BaseCommand):
    help = gettext_noop("Agen PERISAI: wadah, agen, penagihan tunai dan penyetoran.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        for part in PARTS:
            importlib.import_module(f"jamsosdesa.agents.cli_{part}").register(sub)

    def handle(self, *args, **options):
        try:
            options["run"](self, options)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
