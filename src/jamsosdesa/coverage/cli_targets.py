"""`jamsosdesa coverage target set|list|history`: the targets' command-line door onto coverage.targets."""

import json
from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import NotFound
from jamsosdesa.regions.selectors import region_names

from . import targets as service

USER_HELP = gettext_lazy("Atas nama pengguna ini (bawaan: admin nasional pertama)")
REGION_HELP = gettext_lazy("Kode wilayah Kemendagri, mis. 33.11 atau 33.11.11.2004; ID untuk nasional")


def register(subparsers) -> None:
    target = subparsers.add_parser("target", help=gettext_lazy("Target kepesertaan per wilayah dan tahun."))
    sub = target.add_subparsers(dest="action", required=True, title=gettext_lazy("perintah"))

    p = sub.add_parser("set", help=gettext_lazy("Tetapkan atau ubah target satu wilayah dan tahun."))
    p.add_argument("--region", required=True, help=REGION_HELP)
    p.add_argument("--year", required=True, help=gettext_lazy("Tahun target, mis. 2027"))
    p.add_argument("--count", required=True, help=gettext_lazy("Jumlah peserta terlindungi yang dituju"))
    p.add_argument("--due", help=gettext_lazy("Tanggal jatuh tempo YYYY-MM-DD (bawaan: 31 Desember)"))
    p.add_argument("--segment", default="", help=gettext_lazy("Hanya satu segmen: PU, BPU, JAKON, PMI"))
    p.add_argument("--role", default="", help=gettext_lazy("Hanya satu peran di desa, mis. rt_head"))
    p.add_argument("--note", default="")
    p.add_argument("--user", help=USER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_set)

    p = sub.add_parser("list", help=gettext_lazy("Target yang boleh dilihat: satu wilayah, atau seluruh wilayah "
                                                 "Anda."))
    p.add_argument("--region", help=REGION_HELP)
    p.add_argument("--year", type=int)
    p.add_argument("--user", help=USER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_list)

    p = sub.add_parser("history", help=gettext_lazy("Riwayat perubahan satu target."))
    p.add_argument("target", type=int)
    p.add_argument("--user", help=USER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_history)


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(_("Tanggal '%(d)s' tidak dikenal: tulis YYYY-MM-DD.") % {"d": text}) from None


def _line(t, names) -> str:
    region = service.region_code_text(t.region_code)
    name = names.get(t.region_code, "") or ("Indonesia" if not t.region_code else "")
    part = " ".join(p for p in (t.segment, t.get_village_role_display() if t.village_role else "") if p)
    return (f"{t.pk:>5}  {region} {name}  {t.year}{' [' + part + ']' if part else ''}: {t.count:,}".replace(",", ".")
            + f"  ({_('jatuh tempo')} {t.due_date:%d/%m/%Y})")


def run_set(command, options) -> None:
    actor = actor_for(options["user"])
    request = service.TargetRequest(region=options["region"], year=options["year"], count=options["count"],
                                    due_date=_date(options["due"]), segment=options["segment"],
                                    village_role=options["role"], note=options["note"])
    target, changed = service.target_set(actor=actor, request=request)
    names = region_names([target.region_code])
    if options["json"]:
        command.stdout.write(json.dumps({**service.target_as_json(target, names), "changed": changed},
                                        ensure_ascii=False))
        return
    command.stdout.write((_("Target disimpan: %(t)s") if changed else _("Target tidak berubah: %(t)s"))
                         % {"t": _line(target, names)})


def run_list(command, options) -> None:
    actor = actor_for(options["user"])
    rows = list(service.target_list(user=actor, region=options["region"], year=options["year"]))
    names = region_names(t.region_code for t in rows)
    if options["json"]:
        command.stdout.write(json.dumps([service.target_as_json(t, names) for t in rows], ensure_ascii=False,
                                        indent=2))
        return
    if not rows:
        command.stdout.write(_("Belum ada target."))
    for t in rows:
        command.stdout.write(_line(t, names))


def run_history(command, options) -> None:
    actor = actor_for(options["user"])
    target = service.target_get(user=actor, pk=options["target"])
    if target is None:
        raise NotFound(_("Target %(n)s tidak ditemukan.") % {"n": options["target"]})
    rows = service.target_history(target)
    if options["json"]:
        command.stdout.write(json.dumps(service.history_as_json(rows), ensure_ascii=False, indent=2))
        return
    for r in rows:
        before = (r["old"] or {}).get("count")
        after = (r["new"] or {}).get("count")
        command.stdout.write(f"{r['at']:%Y-%m-%d %H:%M}  {r['actor']}  "
                             f"{'-' if before is None else before} -> {after}")
