"""`jamsosdesa coverage denominators set|list|import`: the denominators' command-line door onto
coverage.denominators."""

import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.money import thousands
from jamsosdesa.core.sheets import FileProblem
from jamsosdesa.regions.selectors import region_names

from . import denominators as service
from .access import region_code_text
from .cli_targets import REGION_HELP, USER_HELP
from .models import DenominatorSource

SOURCE_HELP = gettext_lazy("Sumber: bps_sakernas, village_count (pendataan desa) atau other")


def register(subparsers) -> None:
    part = subparsers.add_parser("denominators", help=gettext_lazy("Jumlah penduduk bekerja per wilayah dan tahun "
                                                                   "(penyebut cakupan)."))
    sub = part.add_subparsers(dest="action", required=True, title=gettext_lazy("perintah"))

    p = sub.add_parser("set", help=gettext_lazy("Tetapkan atau ubah jumlah penduduk bekerja satu wilayah dan tahun."))
    p.add_argument("--region", required=True, help=REGION_HELP)
    p.add_argument("--year", required=True)
    p.add_argument("--count", required=True, help=gettext_lazy("Jumlah penduduk bekerja"))
    p.add_argument("--source", required=True, help=SOURCE_HELP)
    p.add_argument("--note", default="", help=gettext_lazy("Keterangan sumber, mis. Sakernas Agustus 2025"))
    p.add_argument("--user", help=USER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_set)

    p = sub.add_parser("list", help=gettext_lazy("Jumlah penduduk bekerja yang boleh dilihat."))
    p.add_argument("--region", help=REGION_HELP)
    p.add_argument("--year", type=int)
    p.add_argument("--user", help=USER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_list)

    p = sub.add_parser("import", help=gettext_lazy(
        "Impor berkas CSV/XLSX (kolom kode_wilayah, jumlah, dan tahun, sumber, keterangan)."))
    p.add_argument("file")
    p.add_argument("--partial", action="store_true",
                   help=gettext_lazy("Muat baris yang benar walau ada baris yang ditolak (bawaan: semua atau tidak "
                                     "sama sekali)"))
    p.add_argument("--year", type=int, help=gettext_lazy("Tahun untuk baris tanpa kolom tahun"))
    p.add_argument("--source", default="", choices=["", *DenominatorSource.values],
                   help=gettext_lazy("Sumber untuk baris tanpa kolom sumber"))
    p.add_argument("--user", help=USER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_import)


def _line(d, names) -> str:
    name = names.get(d.region_code, "") or ("Indonesia" if not d.region_code else "")
    return (f"{region_code_text(d.region_code)} {name}  {d.year}: {thousands(d.count)}  "
            f"[{service.source_label(d.source, d.source_note)}]")


def run_set(command, options) -> None:
    actor = actor_for(options["user"])
    row, changed = service.denominator_set(actor=actor, request=service.DenominatorRequest(
        region=options["region"], year=options["year"], count=options["count"], source=options["source"],
        source_note=options["note"]))
    names = region_names([row.region_code])
    if options["json"]:
        command.stdout.write(json.dumps({**service.denominator_as_json(row, names), "changed": changed},
                                        ensure_ascii=False))
        return
    command.stdout.write((_("Disimpan: %(d)s") if changed else _("Tidak berubah: %(d)s")) % {"d": _line(row, names)})


def run_list(command, options) -> None:
    actor = actor_for(options["user"])
    rows = list(service.denominator_list(user=actor, region=options["region"], year=options["year"]))
    names = region_names(d.region_code for d in rows)
    if options["json"]:
        command.stdout.write(json.dumps([service.denominator_as_json(d, names) for d in rows], ensure_ascii=False,
                                        indent=2))
        return
    if not rows:
        command.stdout.write(_("Belum ada jumlah penduduk bekerja."))
    for d in rows:
        command.stdout.write(_line(d, names))


def run_import(command, options) -> None:
    actor = actor_for(options["user"])
    try:
        report = service.denominator_import(actor=actor, source=options["file"], partial=options["partial"],
                                            default_year=options["year"], default_source=options["source"])
    except (FileProblem, OSError) as exc:
        raise CommandError(str(exc)) from None
    if options["json"]:
        command.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for p in report.problems:
            command.stdout.write(_("Baris %(n)s (%(f)s): %(m)s") % {"n": p.row, "f": p.field, "m": p.message})
        command.stdout.write(_("%(rows)s baris dibaca: %(c)s baru, %(u)s diubah, %(s)s sama, %(r)s baris ditolak.")
                             % {"rows": report.rows, "c": report.created, "u": report.updated, "s": report.unchanged,
                                "r": report.refused_rows})
    if report.problems and not report.partial:
        raise CommandError(_("Tidak ada yang dimuat: %(n)s baris ditolak. Perbaiki berkasnya, atau pakai --partial "
                             "untuk memuat baris yang benar saja.") % {"n": report.refused_rows})
