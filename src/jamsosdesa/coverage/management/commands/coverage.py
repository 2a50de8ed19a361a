"""`jamsosdesa coverage <what> ...`: each part of coverage registers its subcommands from its own module
(`jamsosdesa.coverage.cli_<part>`, with `register(subparsers)` giving each parser a `run(command, options)`)."""

import importlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.core.errors import ServiceError

PARTS: list[str] = []  # module names under jamsosdesa.coverage: cli_<part>
PARTS += ["targets", "denominators"]  # H2: targets and denominators (coverage.cli_targets, cli_denominators)
PARTS += ["events"]  # H3: outreach events (coverage.cli_events)
PARTS += ["prospects"]  # H4: prospects (coverage.cli_prospects)
PARTS += ["snapshot"]  # a region's figures without a subcommand (coverage.cli_snapshot)
PARTS += ["refresh"]  # snapshots: refresh (coverage.cli_refresh)
TOP_LEVEL = ("region", "on", "user", "json")


class Command(BaseCommand):
    help = gettext_noop("Cakupan kepesertaan: target, jumlah penduduk bekerja, kegiatan sosialisasi, angka cakupan.")

    def add_arguments(self, parser):
        # Without a subcommand: a region's figures (`jamsosdesa coverage --region CODE [--on] [--json]`).
        # Their own dests (top_*): a subcommand's options of the same name would otherwise overwrite them with its
        # defaults, so `coverage --json target list` printed text; handle() hands them on to the subcommand.
        parser.add_argument("--region", dest="top_region",
                            help=gettext_lazy("Kode wilayah (ID = nasional): angka cakupannya"))
        parser.add_argument("--on", dest="top_on", default="",
                            help=gettext_lazy("Tanggal YYYY-MM-DD (bawaan: hari ini)"))
        parser.add_argument("--user", dest="top_user",
                            help=gettext_lazy("Atas nama pengguna ini (bawaan: admin nasional pertama)"))
        parser.add_argument("--json", dest="top_json", action="store_true")
        sub = parser.add_subparsers(dest="what", required=False, title=gettext_lazy("perintah"))
        for part in PARTS:
            importlib.import_module(f"jamsosdesa.coverage.cli_{part}").register(sub)

    def handle(self, *args, **options):
        from jamsosdesa.coverage.cli_snapshot import figures

        for key in TOP_LEVEL:  # written before a subcommand (or with none): given to it unless it has its own
            if key not in options or (options[f"top_{key}"] and not options[key]):
                options[key] = options[f"top_{key}"]
        run = options.get("run")
        if run is None:
            if not options.get("region"):
                raise CommandError(_("Sebutkan --region KODE (ID = nasional) atau sebuah perintah; lihat --help."))
            run = figures
        try:
            run(self, options)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
