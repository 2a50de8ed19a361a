"""`jamsosdesa coverage refresh [--day YYYY-MM-DD] [--kab CODE ...] [--json]`: rewrite a day's coverage snapshots
(coverage.snapshot), with a progress bar."""

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.billing.api_status import parse_day
from jamsosdesa.core.progress import progress_bar

from .snapshot import snapshot_refresh


def register(subparsers) -> None:
    p = subparsers.add_parser("refresh", help=gettext_lazy("Tulis ulang potret cakupan satu hari (bawaan: hari ini) "
                                                           "dari registri dan buku iuran."))
    p.add_argument("--day", default="", help=gettext_lazy("Tanggal YYYY-MM-DD (bawaan: hari ini)"))
    p.add_argument("--kab", action="append", help=gettext_lazy("Hanya kabupaten/kota ini (boleh berulang)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_refresh)


def run_refresh(command, options) -> None:
    day = parse_day(options["day"], "--day")
    with progress_bar(_("Potret cakupan"), None, enabled=not options["json"] and command.stdout.isatty()) as bar:
        rows = snapshot_refresh(day, options["kab"], progress=bar.to)
    if options["json"]:
        command.stdout.write(json.dumps({"day": day.isoformat(), "rows": rows}))
    else:
        command.stdout.write(_("Potret cakupan %(d)s ditulis: %(n)s baris.") % {"d": f"{day:%d-%m-%Y}", "n": rows})
