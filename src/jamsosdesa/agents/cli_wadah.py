"""`jamsosdesa agents wadah list|show|create`, `agents agent list|show|create|deactivate|reactivate`,
`agents rules [--set ...]` and `agents deactivate-idle [--on YYYY-MM-DD]`: through the same services and scoping as
the pages and the API (agents.services_wadah, agents.access, agents.idle)."""

import getpass
import json
from datetime import date

from django.core.management.base import CommandError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core import clock
from jamsosdesa.core.commands import actor_for

from .access import get_agent_for_user, get_wadah_for_user, scope_agents
from .idle import agents_deactivate_idle
from .models_wadah import Agent, WadahKind
from .rules import rules_on
from .services_wadah import (
    RULE_LIMITS,
    AgentData,
    WadahData,
    agent_create,
    agent_data,
    agent_deactivate,
    agent_reactivate,
    agent_rules_set,
    agents_of_wadah,
    flag_below_minimum,
    rules_history,
    wadah_create,
    wadah_list,
)


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(_("%(o)s '%(d)s' tidak dikenal; tulis YYYY-MM-DD.") % {"o": name, "d": text}) from None


def _csv(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def register(subparsers) -> None:
    wadah = subparsers.add_parser("wadah", help=gettext_lazy("Wadah PERISAI: daftar, lihat, catat."))
    sub = wadah.add_subparsers(dest="wadah_what", required=True, title=gettext_lazy("perintah"))
    p = sub.add_parser("list", help=gettext_lazy("Wadah yang boleh dilihat, dengan agen aktif dan tandanya."))
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_wadah_list)
    p = sub.add_parser("show", help=gettext_lazy("Satu wadah dan agennya."))
    p.add_argument("pk", type=int)
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_wadah_show)
    p = sub.add_parser("create", help=gettext_lazy("Catat wadah PERISAI."))
    p.add_argument("--user")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", required=True, choices=WadahKind.values)
    p.add_argument("--legal-status", required=True)
    p.add_argument("--kab", required=True, help=gettext_lazy("Kode kabupaten/kota, mis. 33.11"))
    p.add_argument("--desa", default="")
    p.add_argument("--pks-number", required=True)
    p.add_argument("--pks-date", required=True, help="YYYY-MM-DD")
    p.add_argument("--pks-start", required=True, help="YYYY-MM-DD")
    p.add_argument("--pks-end", required=True, help="YYYY-MM-DD")
    p.add_argument("--target", type=int, default=0, help=gettext_lazy("Target akuisisi peserta"))
    p.add_argument("--managers", default="", help=gettext_lazy("Nama pengguna pengelola, dipisah koma"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_wadah_create)

    agent = subparsers.add_parser("agent", help=gettext_lazy("Agen PERISAI: daftar, lihat, catat, nonaktifkan, "
                                                             "aktifkan kembali."))
    sub = agent.add_subparsers(dest="agent_what", required=True, title=gettext_lazy("perintah"))
    p = sub.add_parser("list", help=gettext_lazy("Agen yang boleh dilihat."))
    p.add_argument("--user")
    p.add_argument("--wadah", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_agent_list)
    p = sub.add_parser("show", help=gettext_lazy("Satu agen."))
    p.add_argument("pk", type=int)
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_agent_show)
    p = sub.add_parser("create", help=gettext_lazy("Catat agen sebuah wadah (membuat loginnya); kata sandi awal "
                                                   "ditanyakan bila --password tidak diberikan."))
    p.add_argument("--user")
    p.add_argument("--wadah", type=int, required=True)
    p.add_argument("--username", required=True)
    p.add_argument("--password", default=None)
    p.add_argument("--nik", required=True, help=gettext_lazy("NIK peserta BPU terdaftar yang menjadi agen"))
    p.add_argument("--name", required=True)
    p.add_argument("--phone", default="")
    p.add_argument("--desa", required=True, help=gettext_lazy("Kode desa tugas, dipisah koma"))
    p.add_argument("--bank", required=True)
    p.add_argument("--account", required=True)
    p.add_argument("--holder", required=True)
    p.add_argument("--training-certificate", required=True)
    p.add_argument("--assignment-letter", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_agent_create)
    p = sub.add_parser("deactivate", help=gettext_lazy("Nonaktifkan agen dengan keterangan."))
    p.add_argument("pk", type=int)
    p.add_argument("--user")
    p.add_argument("--reason", default="manual", choices=["manual", "left"])
    p.add_argument("--note", required=True)
    p.set_defaults(run=_agent_deactivate)
    p = sub.add_parser("reactivate", help=gettext_lazy("Aktifkan kembali agen."))
    p.add_argument("pk", type=int)
    p.add_argument("--user")
    p.add_argument("--note", default="")
    p.set_defaults(run=_agent_reactivate)

    p = subparsers.add_parser("rules", help=gettext_lazy("Aturan agen PERISAI: riwayat, atau tetapkan yang baru "
                                                         "dengan --from dan --source."))
    p.add_argument("--user")
    p.add_argument("--from", dest="valid_from", default="", help=gettext_lazy("Berlaku mulai YYYY-MM-DD"))
    p.add_argument("--source", default="")
    p.add_argument("--note", default="")
    for name in RULE_LIMITS:
        p.add_argument("--" + name.replace("_", "-"), dest=name, type=int, default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_rules)

    p = subparsers.add_parser("deactivate-idle", help=gettext_lazy(
        "Nonaktifkan agen tanpa transaksi selama bulan-bulan aturan (bawaan: hari ini)."))
    p.add_argument("--on", default="", help=gettext_lazy("Tanggal YYYY-MM-DD (bawaan: hari ini)"))
    p.add_argument("--user", help=gettext_lazy("Dicatat atas nama pengguna ini (bawaan: sistem)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_deactivate_idle)


def _wadah_json(w) -> dict:
    return {"id": w.pk, "name": w.name, "kind": w.kind, "kab_code": w.kab_code, "pks_number": w.pks_number,
            "pks_start": w.pks_start.isoformat(), "pks_end": w.pks_end.isoformat(), "pks_in_force": w.pks_in_force,
            "active_agents": w.active_agents, "min_active_agents": w.min_active_agents,
            "below_minimum": w.below_minimum, "is_active": w.is_active}


def _wadah_line(w) -> str:
    flag = "  " + _("KURANG DARI %(n)d AGEN AKTIF") % {"n": w.min_active_agents} if w.below_minimum else ""
    return _("%(id)d  %(name)s  (%(kab)s)  PKS %(num)s s.d. %(end)s  agen aktif %(n)d%(flag)s") % {
        "id": w.pk, "name": w.name, "kab": w.kab_code, "num": w.pks_number, "end": f"{w.pks_end:%d-%m-%Y}",
        "n": w.active_agents, "flag": flag}


def _agent_json(a: Agent) -> dict:
    data = agent_data(a)
    return {"id": a.pk, "username": a.user.username, "name": str(a), "wadah_id": a.wadah_id, "status": a.status,
            "active_since": a.active_since.isoformat(),
            "deactivated_on": a.deactivated_on.isoformat() if a.deactivated_on else None,
            "deactivation_reason": a.deactivation_reason, "desa": data.desa}


def _agent_line(a: Agent) -> str:
    state = _("aktif") if a.status == "active" else _("nonaktif sejak %(d)s (%(r)s)") % {
        "d": f"{a.deactivated_on:%d-%m-%Y}" if a.deactivated_on else "-", "r": a.get_deactivation_reason_display()}
    return f"{a.pk}  {a.user.username}  {a}  {state}"


def _scoped(actor, getter, pk):
    try:
        return getter(actor, pk)
    except Http404:
        raise CommandError(_("Tidak ditemukan (atau di luar wilayah Anda): %(pk)s.") % {"pk": pk}) from None


def _wadah_list(command, options) -> None:
    actor = actor_for(options["user"])
    rows = flag_below_minimum(wadah_list(actor))
    if options["json"]:
        command.stdout.write(json.dumps([_wadah_json(w) for w in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        command.stdout.write(_("Belum ada wadah PERISAI yang dapat Anda lihat."))
    for w in rows:
        command.stdout.write(_wadah_line(w))


def _wadah_show(command, options) -> None:
    actor = actor_for(options["user"])
    wadah = _scoped(actor, get_wadah_for_user, options["pk"])
    (w,) = flag_below_minimum(wadah_list(actor).filter(pk=wadah.pk))
    agents = list(agents_of_wadah(actor, wadah).order_by("user__username"))
    if options["json"]:
        command.stdout.write(json.dumps({**_wadah_json(w), "agents": [_agent_json(a) for a in agents]},
                                        ensure_ascii=False, indent=2))
        return
    command.stdout.write(_wadah_line(w))
    for a in agents:
        command.stdout.write("  " + _agent_line(a))


def _wadah_create(command, options) -> None:
    actor = actor_for(options["user"])
    wadah = wadah_create(actor=actor, data=WadahData(
        name=options["name"], kind=options["kind"], legal_status=options["legal_status"], kab_code=options["kab"],
        desa_code=options["desa"], pks_number=options["pks_number"], pks_date=options["pks_date"],
        pks_start=options["pks_start"], pks_end=options["pks_end"], acquisition_target=options["target"],
        managers=_csv(options["managers"])))
    if options["json"]:
        (w,) = flag_below_minimum(wadah_list(actor).filter(pk=wadah.pk))
        command.stdout.write(json.dumps(_wadah_json(w), ensure_ascii=False))
    else:
        command.stdout.write(_("Wadah %(w)s dicatat (nomor %(pk)d).") % {"w": wadah.name, "pk": wadah.pk})


def _agent_list(command, options) -> None:
    actor = actor_for(options["user"])
    qs = scope_agents(actor, Agent.objects.select_related("user"))
    if options["wadah"]:
        qs = qs.filter(wadah_id=options["wadah"])
    agents = list(qs.order_by("wadah_id", "user__username"))
    if options["json"]:
        command.stdout.write(json.dumps([_agent_json(a) for a in agents], ensure_ascii=False, indent=2))
        return
    if not agents:
        command.stdout.write(_("Belum ada agen yang dapat Anda lihat."))
    for a in agents:
        command.stdout.write(_agent_line(a))


def _agent_show(command, options) -> None:
    actor = actor_for(options["user"])
    agent = _scoped(actor, get_agent_for_user, options["pk"])
    if options["json"]:
        command.stdout.write(json.dumps(_agent_json(agent), ensure_ascii=False, indent=2))
        return
    command.stdout.write(_agent_line(agent))
    command.stdout.write(_("  wadah: %(w)s; desa: %(d)s") % {"w": agent.wadah.name,
                                                              "d": ", ".join(agent_data(agent).desa)})


def _agent_create(command, options) -> None:
    actor = actor_for(options["user"])
    wadah = _scoped(actor, get_wadah_for_user, options["wadah"])
    password = options["password"]
    if password is None:
        password = getpass.getpass(_("Kata sandi awal agen: "))
    agent = agent_create(actor=actor, wadah=wadah, data=AgentData(
        username=options["username"], password=password, nik=options["nik"], full_name=options["name"],
        phone=options["phone"], desa=_csv(options["desa"]), bank_name=options["bank"],
        bank_account=options["account"], bank_holder=options["holder"],
        training_certificate=options["training_certificate"], assignment_letter=options["assignment_letter"]))
    if options["json"]:
        command.stdout.write(json.dumps(_agent_json(agent), ensure_ascii=False))
    else:
        command.stdout.write(_("Agen %(u)s dicatat (nomor %(pk)d).") % {"u": agent.user.username, "pk": agent.pk})


def _agent_deactivate(command, options) -> None:
    actor = actor_for(options["user"])
    agent = _scoped(actor, get_agent_for_user, options["pk"])
    agent = agent_deactivate(actor=actor, agent=agent, reason=options["reason"], note=options["note"])
    command.stdout.write(_agent_line(agent))


def _agent_reactivate(command, options) -> None:
    actor = actor_for(options["user"])
    agent = _scoped(actor, get_agent_for_user, options["pk"])
    agent = agent_reactivate(actor=actor, agent=agent, note=options["note"])
    command.stdout.write(_agent_line(agent))


def _rules(command, options) -> None:
    actor = actor_for(options["user"])
    if options["valid_from"]:
        agent_rules_set(actor=actor, valid_from=_day(options["valid_from"], "--from"), source=options["source"],
                        note=options["note"], **{k: options[k] for k in RULE_LIMITS})
    rows = list(rules_history())
    if options["json"]:
        command.stdout.write(json.dumps([{"valid_from": r.valid_from.isoformat(),
                                          **{k: getattr(r, k) for k in RULE_LIMITS}, "source": r.source}
                                         for r in rows], ensure_ascii=False, indent=2))
        return
    current = rules_on(clock.today())
    for r in rows:
        mark = "*" if r.pk == current.pk else " "
        command.stdout.write(f"{mark} {r.valid_from:%d-%m-%Y}  " + "  ".join(
            f"{k}={getattr(r, k)}" for k in RULE_LIMITS) + f"  ({r.source})")


def _deactivate_idle(command, options) -> None:
    on = _day(options["on"], "--on") if options["on"] else clock.today()
    actor = actor_for(options["user"]) if options["user"] else None
    outcome = agents_deactivate_idle(on=on, actor=actor)
    if options["json"]:
        command.stdout.write(json.dumps(outcome.as_dict()))
        return
    command.stdout.write(_("Per %(on)s (tanpa transaksi sejak %(from)s, %(n)d bulan): %(checked)d agen aktif "
                           "diperiksa, %(done)d dinonaktifkan.") % {
        "on": f"{on:%d-%m-%Y}", "from": f"{outcome.window_from:%d-%m-%Y}", "n": outcome.idle_months,
        "checked": outcome.checked, "done": len(outcome.deactivated)})
