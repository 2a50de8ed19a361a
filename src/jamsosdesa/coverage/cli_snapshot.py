"""`jamsosdesa coverage --region CODE [--on] [--json]`: a region's figures from the coverage snapshots (called by the
command itself when no subcommand is given). `--json` prints `coverage_figures`' dict exactly; the text form names
each figure: protected, counted under the rule's name, coverage with its denominator (or the warning), the target
with progress and pace, lapse next month, and one line per child region."""

import json

from django.utils.translation import gettext as _

from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import NotFound
from jamsosdesa.core.money import thousands

from .dashboard import day_asked
from .snapshot import coverage_figures


def register(subparsers) -> None:
    """No subcommand of its own: `figures` runs when the command is given --region alone."""


def _number(value) -> str:
    """1234.5 -> '1.234,5' (a counted figure keeps its thousandths, written the Indonesian way)."""
    if value is None:
        return "-"
    whole = int(value)
    rest = f"{abs(value) - abs(whole):.3f}"[1:].rstrip("0").rstrip(".")
    return thousands(whole) + rest.replace(".", ",")


def _percent(value) -> str:
    return "-" if value is None else f"{value:.1f} %".replace(".", ",")


def _coverage(row: dict) -> str:
    if row["coverage"] is None:
        return f"- ({row['warning']})"
    return _("%(c)s dari %(d)s penduduk bekerja (%(s)s)") % {
        "c": _percent(row["coverage"]), "d": thousands(row["denominator"]), "s": row["denominator_source"]}


def _day(iso: str) -> str:
    """'2026-12-31' -> '31-12-2026', as the other coverage commands write a day."""
    return "-".join(reversed(iso.split("-")))


def _target(row: dict) -> str:
    if row["target"] is None:
        return _("belum ditetapkan")
    return _("%(t)s sampai %(due)s; capaian %(p)s (dihitung: %(pc)s); kurang %(g)s, perlu %(pace)s per bulan") % {
        "t": thousands(row["target"]), "due": _day(row["target_due"]), "p": _percent(row["target_progress"]),
        "pc": _percent(row["target_progress_counted"]), "g": thousands(row["target_gap"]),
        "pace": thousands(row["pace_per_month"])}


def figures(command, options) -> None:
    from .rules import rule_for

    actor = actor_for(options.get("user"))
    day = day_asked(options.get("on") or "", field="--on")  # as the page and the API: a day to come is refused
    try:
        found = coverage_figures(user=actor, region=options["region"], on=day)
    except NotFound:
        raise NotFound(_("Wilayah %(r)s tidak ditemukan (atau di luar wilayah Anda).") % {
            "r": options["region"][:40]}) from None
    if options.get("json"):
        command.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
        return
    from datetime import date

    protected_name = rule_for(date.fromisoformat(found["on"])).names()[0]
    lines = [
        _("%(name)s (%(r)s), potret %(on)s") % {"name": found["name"], "r": found["region"], "on": _day(found["on"])},
        f"  {protected_name}: " + _("%(p)s dari %(n)s terdaftar") % {
            "p": thousands(found["protected"]), "n": thousands(found["registered"])},
        f"  {found['counting_rule']}: {_number(found['counted'])}",
        "  " + _("Cakupan: %(c)s") % {"c": _coverage(found)},
        "  " + _("Target: %(t)s") % {"t": _target(found)},
        "  " + _("Berhenti terlindungi bulan depan bila tidak membayar: %(n)s") % {
            "n": thousands(found["lapse_next_month"])},
    ]
    for row in found["children"]:
        lines.append("  " + _("%(r)s: %(p)s terlindungi dari %(n)s terdaftar; target %(t)s; cakupan %(c)s") % {
            "r": f"{row['region']} {row['name']}", "p": thousands(row["protected"]),
            "n": thousands(row["registered"]),
            "t": thousands(row["target"]) if row["target"] is not None else "-",
            "c": _percent(row["coverage"]) if row["coverage"] is not None else f"- ({row['warning']})"})
    command.stdout.write("\n".join(lines))
