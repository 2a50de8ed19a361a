"""`jamsosdesa coverage prospects --desa CODE [--on YYYY-MM-DD] [--user NAME] [--json]`: the prospects' command-line
door onto coverage.prospects (the page and the API share the service)."""

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.billing.api_status import parse_day
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import NotFound

from . import prospects as service


def register(subparsers) -> None:
    p = subparsers.add_parser("prospects", help=gettext_lazy("Warga usia kerja di registri desa yang belum "
                                                             "terlindungi: daftar sosialisasi."))
    p.add_argument("--desa", required=True, help=gettext_lazy("Kode desa/kelurahan, mis. 33.11.11.2004"))
    p.add_argument("--on", default="", help=gettext_lazy("Tanggal YYYY-MM-DD (bawaan: hari ini)"))
    p.add_argument("--user", help=gettext_lazy("Atas nama pengguna ini (bawaan: admin nasional pertama)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_prospects)


def run_prospects(command, options) -> None:
    actor = actor_for(options["user"])
    day = parse_day(options["on"], "--on")
    try:
        found = service.prospect_list(user=actor, request=service.ProspectRequest(desa=options["desa"], on=day))
    except NotFound:
        raise NotFound(_("Desa %(d)s tidak ditemukan (atau di luar wilayah Anda).") % {
            "d": options["desa"][:40]}) from None
    if options["json"]:
        command.stdout.write(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
        return
    c = found.counts
    command.stdout.write(_("%(desa)s per %(d)s: %(w)s warga usia kerja (%(a)s-%(b)s tahun; %(s)s), %(p)s terlindungi, "
                           "%(n)s belum terlindungi.") % {
        "desa": c.desa_code, "d": f"{c.on:%d-%m-%Y}", "w": c.working_age, "a": c.age.min_years,
        "b": c.age.max_years, "s": c.age.source, "p": c.protected, "n": c.prospects})
    for place, rows in service.by_place(found.rows):
        command.stdout.write(f"\n{place} ({len(rows)})")
        for r in rows:
            command.stdout.write(f"  {r.nik}  {r.name}, {r.age}  {r.occupation or '-'}  {r.status_words}"
                                 f"{'  ' + r.phone if r.phone else ''}")
