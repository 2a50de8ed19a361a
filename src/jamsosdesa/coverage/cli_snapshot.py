"""`jamsosdesa coverage --region CODE [--on] [--json]`: a region's figures from the coverage snapshots (called by the
command itself when no subcommand is given)."""

import json

from django.utils.translation import gettext as _

from jamsosdesa.billing.api_status import parse_day
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import NotFound

from .snapshot import coverage_figures


def register(subparsers) -> None:
    """No subcommand of its own: `figures` runs when the command is given --region alone."""


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
