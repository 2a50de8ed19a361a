"""`jamsosdesa agents ranking --kab CODE [--from YYYY-MM] [--to YYYY-MM] [--sort COLUMN] [--json] [--user NAME]`:
the ranking of a kabupaten's PERISAI agents and wadah (agents.rankings). `--json` prints `rankings_read`'s dict
exactly, as GET /api/v1/agents/rankings answers it; the text form writes one line per agent and per wadah."""

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import NotFound
from jamsosdesa.core.money import rupiah, thousands

from . import rankings as service


def register(subparsers) -> None:
    p = subparsers.add_parser("ranking", help=gettext_lazy(
        "Peringkat agen dan wadah satu kabupaten/kota: akuisisi, penagihan, setoran, retensi."))
    p.add_argument("--kab", required=True, help=gettext_lazy("Kode kabupaten/kota (mis. 33.11) atau provinsi (33)"))
    p.add_argument("--from", dest="first", default="", help=gettext_lazy("Bulan awal YYYY-MM (bawaan: bulan ini)"))
    p.add_argument("--to", dest="last", default="", help=gettext_lazy("Bulan akhir YYYY-MM (bawaan: bulan ini)"))
    p.add_argument("--sort", default="", choices=["", *service.SORTS],
                   help=gettext_lazy("Urutkan menurut kolom ini (bawaan: akuisisi)"))
    p.add_argument("--user", help=gettext_lazy("Atas nama pengguna ini (bawaan: admin nasional pertama)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_ranking)


def _rate(value) -> str:
    return "-" if value is None else f"{value:.1f} %".replace(".", ",")


def _line(row: dict) -> str:
    return _("akuisisi %(a)s (baru %(n)s); penagihan %(c)s (%(cn)s kali); setoran %(d)s (%(dn)s kali); retensi 6 "
             "bulan %(r6)s (%(p6)s dari %(c6)s), 12 bulan %(r12)s (%(p12)s dari %(c12)s)") % {
        "a": thousands(row["acquisitions"]), "n": thousands(row["new"]), "c": rupiah(row["collected"]),
        "cn": thousands(row["collections"]), "d": rupiah(row["deposited"]), "dn": thousands(row["deposits"]),
        "r6": _rate(row["retention_6_rate"]), "p6": thousands(row["retention_6_protected"]),
        "c6": thousands(row["retention_6_cohort"]), "r12": _rate(row["retention_12_rate"]),
        "p12": thousands(row["retention_12_protected"]), "c12": thousands(row["retention_12_cohort"])}


def run_ranking(command, options) -> None:
    actor = actor_for(options.get("user"))
    try:
        found = service.rankings_read(user=actor, kab=options["kab"], first=options.get("first"),
                                      last=options.get("last"), sort=options.get("sort"),
                                      fields=("--kab", "--from", "--to"))
    except NotFound:
        raise NotFound(_("Kabupaten/kota %(k)s di luar wilayah Anda.") % {"k": options["kab"][:40]}) from None
    if options.get("json"):
        command.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
        return
    lines = [_("Peringkat agen PERISAI %(name)s (%(kab)s), %(a)s s.d. %(b)s; retensi pada %(d)s") % {
        "name": found["name"], "kab": found["kab"], "a": found["from"], "b": found["to"], "d": found["last_day"]}]
    for row in found["agents"]:
        lines.append(f"  {row['name']} ({row['username']}, {row['wadah']}): {_line(row)}")
    lines.append(_("Wadah:"))
    for row in found["wadah"]:
        lines.append("  " + _("%(w)s (%(n)s agen): %(line)s") % {"w": row["name"], "n": row["agents"],
                                                                 "line": _line(row)})
    lines.append(_("Jumlah: %(line)s") % {"line": _line(found["totals"])})
    command.stdout.write("\n".join(lines))
