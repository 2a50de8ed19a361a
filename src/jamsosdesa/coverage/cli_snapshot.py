"""`jamsosdesa coverage refresh [--day YYYY-MM-DD] [--kab CODE ...] [--json]`: rewrite a day's coverage snapshots
(coverage.snapshot), with a progress bar; `jamsosdesa coverage --region CODE [--on] [--json]` reads a region's
figures from them (handled by the command itself, `figures`)."""

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.billing.api_status import parse_day
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import NotFound
from jamsosdesa.core.progress import progress_bar

from .snapshot import coverage_figures, snapshot_refresh


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


def figures(command, options) -> None:
    actor = actor_for(options["user"])
    day = parse_day(options["on"], "--on")
    try:
        found = coverage_figures(user=actor, region=options["region"], on=day)
    except NotFound:
        raise NotFound(_("Wilayah %(r)s tidak ditemukan (atau di luar wilayah Anda).") % {
            "r": options["region"][:40]}) from None
    if options["json"]:
        command.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for row in [found, *found["children"]]:
        command.stdout.write(_("%(r)s: %(p)s terlindungi dari %(n)s terdaftar; target %(t)s; cakupan %(c)s") % {
            "r": row["region"], "p": row["protected"], "n": row["registered"],
            "t": row["target"] if row["target"] is not None else "-",
            "c": f"{row['coverage']} %" if row["coverage"] is not None else f"- ({row['warning']})"})
