"""`jamsosdesa coverage <what> ...`: each part of coverage registers its subcommands from its own module
(`jamsosdesa.coverage.cli_<part>`, with `register(subparsers)` giving each parser a `run(command, options)`)."""

import importlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.core.errors import ServiceError

PARTS: list[str] = []  # module names under jamsosdesa.coverage: cli_<part>
PARTS += ["targets", "denominators"]  # H2: targets and denominators (coverage.cli_targets, cli_denominators)
PARTS += ["events"]  # H3: outreach events (coverage.cli_events)
PARTS += ["prospects"]  # H4: prospects (coverage.cli_prospects)


class Command(BaseCommand):
    help = gettext_noop("Cakupan kepesertaan: target, jumlah penduduk bekerja, kegiatan sosialisasi, angka cakupan.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        for part in PARTS:
            importlib.import_module(f"jamsosdesa.coverage.cli_{part}").register(sub)

    def handle(self, *args, **options):
        try:
            options["run"](self, options)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
