"""`jamsosdesa agents collect|deposit|cash ...`: an agent's cash on the command line (agents.cash).

    agents collect NIK --months N [--amount RP] [--on YYYY-MM-DD] [--token T] --as AGENT [--json]
    agents deposit record --agent USER --reference REF --amount RP [--channel perisai|bank] [--on DATE] [--json]
    agents deposit import FILE [--partial] [--channel perisai|bank] [--json]
    agents deposit list [--agent USER] [--json]
    agents deposit reverse ID --reason TEXT
    agents cash [--kab CODE] [--json]
"""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core import clock
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.progress import progress_bar

from .cash import (
    CollectionRequest,
    DepositRequest,
    agent_lookup,
    cash_in_transit,
    collection_record,
    deposit_record,
    deposit_reverse,
    deposits_for,
)
from .models_cash import DepositChannel


def _as(p) -> None:
    p.add_argument("--as", "--user", dest="user", metavar="USERNAME",
                   help=gettext_lazy("Atas nama pengguna ini (bawaan: admin nasional pertama)"))
    p.add_argument("--json", action="store_true")


def register(subparsers) -> None:
    p = subparsers.add_parser("collect", help=gettext_lazy("Catat penagihan tunai agen dan buat kuitansinya."))
    p.add_argument("nik")
    p.add_argument("--months", required=True, help=gettext_lazy("Jumlah bulan (bulan belum lunas tertua dulu)"))
    p.add_argument("--amount", default=None, help=gettext_lazy("Jumlah uang (bawaan: harga bulan-bulan itu)"))
    p.add_argument("--on", default=None, help=gettext_lazy("Tanggal terima YYYY-MM-DD (bawaan: hari ini)"))
    p.add_argument("--token", default="", help=gettext_lazy("Token klien: kirim ulang dengan token sama aman"))
    _as(p)
    p.set_defaults(run=run_collect)

    p = subparsers.add_parser("deposit", help=gettext_lazy("Setoran agen ke BPJS: catat, impor, daftar, batalkan."))
    sub = p.add_subparsers(dest="deposit_what", required=True)
    r = sub.add_parser("record", help=gettext_lazy("Catat satu setoran agen."))
    r.add_argument("--agent", required=True, help=gettext_lazy("Nama pengguna atau id agen"))
    r.add_argument("--reference", required=True)
    r.add_argument("--amount", required=True)
    r.add_argument("--channel", default=DepositChannel.PERISAI, choices=DepositChannel.values)
    r.add_argument("--on", default=None, help=gettext_lazy("Tanggal setor YYYY-MM-DD (bawaan: hari ini)"))
    r.add_argument("--note", default="")
    _as(r)
    r.set_defaults(run=run_deposit_record)
    i = sub.add_parser("import", help=gettext_lazy(
        "Impor setoran dari berkas CSV/XLSX (kolom agen, referensi, tanggal, jumlah)."))
    i.add_argument("file")
    i.add_argument("--partial", action="store_true", help=gettext_lazy(
        "Catat baris yang benar walau ada baris ditolak (bawaan: semua atau tidak sama sekali)"))
    i.add_argument("--channel", default=DepositChannel.PERISAI, choices=DepositChannel.values)
    _as(i)
    i.set_defaults(run=run_deposit_import)
    ls = sub.add_parser("list", help=gettext_lazy("Daftar setoran agen."))
    ls.add_argument("--agent", default="")
    ls.add_argument("--limit", type=int, default=50)
    _as(ls)
    ls.set_defaults(run=run_deposit_list)
    rv = sub.add_parser("reverse", help=gettext_lazy("Batalkan setoran yang salah catat (kantor cabang)."))
    rv.add_argument("id", type=int)
    rv.add_argument("--reason", required=True)
    _as(rv)
    rv.set_defaults(run=run_deposit_reverse)

    p = subparsers.add_parser("cash", help=gettext_lazy("Uang tunai agen yang belum disetor, tertua lebih dulu."))
    p.add_argument("--kab", default="", help=gettext_lazy("Kode kabupaten/kota, mis. 33.11"))
    _as(p)
    p.set_defaults(run=run_cash)


def _out(command, options, data: dict | list, text: str) -> None:
    command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) if options["json"] else text)


def run_collect(command, options) -> None:
    actor = actor_for(options.get("user"))
    outcome = collection_record(actor=actor, request=CollectionRequest(
        participant=options["nik"], months=options["months"], amount=options["amount"],
        collected_on=options["on"], client_token=options["token"], source="cli"))
    c = outcome.collection
    text = _("Kuitansi %(n)s: %(m)s bulan (%(a)s s.d. %(b)s), %(r)s, kode verifikasi %(code)s%(dup)s") % {
        "n": c.receipt_number, "m": c.months, "a": f"{c.first_month:%m/%Y}", "b": f"{c.last_month:%m/%Y}",
        "r": rupiah(c.amount), "code": c.verification_code, "dup": _(" (sudah tercatat)") if outcome.duplicate else ""}
    _out(command, options, outcome.as_dict(), text)


def run_deposit_record(command, options) -> None:
    actor = actor_for(options.get("user"))
    outcome = deposit_record(actor=actor, request=DepositRequest(
        agent=options["agent"], channel=options["channel"], reference=options["reference"],
        amount=options["amount"], deposited_on=options["on"], note=options["note"]))
    d = outcome.deposit
    text = _("Setoran %(ref)s %(amount)s dari %(agent)s: melunasi %(n)d penagihan%(dup)s") % {
        "ref": d.reference, "amount": rupiah(d.amount), "agent": d.agent.username, "n": len(outcome.settlements),
        "dup": _(" (sudah tercatat)") if outcome.duplicate else ""}
    _out(command, options, outcome.as_dict(), text)


def run_deposit_import(command, options) -> None:
    from .imports_cash import deposit_import

    actor = actor_for(options.get("user"))
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(_("Berkas %(f)s tidak ada.") % {"f": options["file"]})
    with progress_bar(_("Impor setoran"), None, enabled=not options["json"] and command.stdout.isatty()) as bar:
        report = deposit_import(actor=actor, path=path, partial=options["partial"], channel=options["channel"],
                                progress=bar)
    lines = [_("%(file)s: %(r)d dicatat, %(d)d sudah ada, %(x)d ditolak, %(n)d tidak dicatat") % {
        "file": report.file, "r": report.count("recorded"), "d": report.count("duplicate"),
        "x": report.count("refused"), "n": report.count("not_recorded")}]
    lines += [f"  {_('baris')} {r.row}: {r.status} {r.reference} {r.message}".rstrip() for r in report.rows
              if r.status != "recorded"]
    _out(command, options, report.as_dict(), "\n".join(lines))
    if not report.ok:
        raise CommandError(_("Ada baris yang ditolak."))


def run_deposit_list(command, options) -> None:
    actor = actor_for(options.get("user"))
    qs = deposits_for(actor).select_related("agent").order_by("-deposited_on", "-id")
    if options["agent"]:
        agent = agent_lookup(actor, options["agent"])
        qs = qs.filter(agent_id=agent.user_id) if agent else qs.none()
    rows = list(qs[: max(1, min(options["limit"], 1000))])
    data = [{"id": d.pk, "agent": d.agent.username, "channel": d.channel, "reference": d.reference,
             "amount": d.amount, "deposited_on": d.deposited_on.isoformat()} for d in rows]
    text = "\n".join(f"{d['id']}  {d['deposited_on']}  {d['agent']}  {d['channel']}/{d['reference']}  "
                     f"{rupiah(d['amount'])}" for d in data) or _("Tidak ada setoran.")
    _out(command, options, data, text)


def run_deposit_reverse(command, options) -> None:
    actor = actor_for(options.get("user"))
    deposit = deposits_for(actor).filter(pk=options["id"]).first()
    if deposit is None:
        raise ServiceError(code=ErrorCode.NOT_FOUND, message=_("Setoran itu tidak ada (atau di luar wilayah Anda)."))
    deposit_reverse(actor=actor, deposit=deposit, reason=options["reason"])
    _out(command, options, {"id": deposit.pk, "reversed": True}, _("Setoran %(ref)s dibatalkan.") % {
        "ref": deposit.reference})


def run_cash(command, options) -> None:
    actor = actor_for(options.get("user"))
    today = clock.today()
    rows = cash_in_transit(actor, on=today, kab=options["kab"].strip())
    data = [{"agent": r.agent.user.username, "wadah": r.agent.wadah.name, "kab_code": r.agent.kab_code,
             "undeposited": r.undeposited, "oldest": r.oldest.isoformat(), "age_days": r.age_days,
             "flagged": r.flagged} for r in rows]
    text = "\n".join(f"{'!' if r['flagged'] else ' '} {r['agent']:<20} {rupiah(r['undeposited']):>14}  "
                     + _("sejak %(d)s (%(n)d hari)") % {"d": r["oldest"], "n": r["age_days"]}
                     for r in data) or _("Tidak ada uang tunai yang belum disetor.")
    _out(command, options, data, text)
