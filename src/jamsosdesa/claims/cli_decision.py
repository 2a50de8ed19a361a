"""`jamsosdesa claim prepare|approve|recheck|reject|pay NUMBER ...`, `claim overdue` and
`claim dashboard --region CODE`: through the same services and scoping as the pages and the API (claims.decision,
claims.payments, claims.worklist, claims.dashboard), `--json` giving the API's shapes."""

from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import NotFound
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.months import parse_month

from . import dashboard, decision, payments, worklist
from .api_decision import decision_out
from .cli_common import claim_or_error as _claim
from .cli_common import write_json as _json


def _common(p, *, number=True) -> None:
    if number:
        p.add_argument("number")
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")


def register(subparsers) -> None:
    p = subparsers.add_parser("prepare", help=gettext_lazy("Siapkan klaim lengkap: hitung manfaat dan bagiannya."))
    _common(p)
    p.set_defaults(run=_prepare)
    p = subparsers.add_parser("approve", help=gettext_lazy("Setujui klaim yang disiapkan orang lain."))
    _common(p)
    p.set_defaults(run=_approve)
    p = subparsers.add_parser("recheck", help=gettext_lazy(
        "Periksa ulang klaim yang ditahan karena tunggakan: dilanjutkan bila lunas tepat waktu, ditolak bila lewat."))
    _common(p)
    p.set_defaults(run=_recheck)
    p = subparsers.add_parser("reject", help=gettext_lazy("Tolak klaim dengan kode alasan."))
    _common(p)
    p.add_argument("--code", required=True, choices=decision.RejectionCode.values)
    p.add_argument("--note", default="")
    p.set_defaults(run=_reject)
    p = subparsers.add_parser("pay", help=gettext_lazy("Catat pembayaran bagian seorang ahli waris."))
    _common(p)
    p.add_argument("--heir", type=int, required=True, help=gettext_lazy("Nomor ahli waris pada klaim"))
    p.add_argument("--paid-on", required=True, help="YYYY-MM-DD")
    p.add_argument("--bank", default="")
    p.add_argument("--account", default="")
    p.add_argument("--reference", required=True)
    p.set_defaults(run=_pay)
    p = subparsers.add_parser("overdue", help=gettext_lazy(
        "Klaim lengkap yang belum dibayar melewati standar layanan (hari kerja)."))
    _common(p, number=False)
    p.set_defaults(run=_overdue)
    p = subparsers.add_parser("dashboard", help=gettext_lazy(
        "Dasbor klaim satu wilayah: dibayar, lama bayar, penolakan per alasan."))
    _common(p, number=False)
    p.add_argument("--region", default="", help=gettext_lazy("Kode wilayah (ID: nasional)"))
    p.add_argument("--month", default="", help="YYYY-MM")
    p.set_defaults(run=_dashboard)


def _show(command, options, claim) -> None:
    out = decision_out(options["actor"], claim)
    if options["json"]:
        _json(command, out)
        return
    command.stdout.write(f"{claim.number}: {claim.get_status_display()} · {rupiah(out['benefit_total'])}")
    for part in out["parts"]:
        command.stdout.write(f"  {part['name']}: {rupiah(part['amount'])} ({part['rule']})")
    for share in out["shares"]:
        paid = _(" dibayar %(d)s") % {"d": share["paid_on"]} if share["paid_on"] else ""
        command.stdout.write(f"  #{share['heir']} {share['name']}: {rupiah(share['share'])}{paid}")


def _with_actor(options) -> dict:
    options["actor"] = actor_for(options.get("user"))
    return options


def _prepare(command, options):
    _with_actor(options)
    _show(command, options, decision.prepare(options["actor"], _claim(options["actor"], options["number"])))


def _approve(command, options):
    _with_actor(options)
    _show(command, options, decision.approve(options["actor"], _claim(options["actor"], options["number"])))


def _recheck(command, options):
    _with_actor(options)
    claim = decision.recheck_held(options["actor"], _claim(options["actor"], options["number"]))
    _show(command, options, claim)
    if not options["json"] and claim.rejection_note:
        command.stdout.write(_("Ditolak: %(r)s") % {"r": claim.rejection_note})


def _reject(command, options):
    _with_actor(options)
    claim = _claim(options["actor"], options["number"])
    _show(command, options, decision.reject(options["actor"], claim, options["code"], options["note"]))


def _pay(command, options):
    _with_actor(options)
    claim = _claim(options["actor"], options["number"])
    heir = claim.heirs.filter(pk=options["heir"]).first()
    if heir is None:
        raise CommandError(_("Ahli waris #%(h)s tidak tercatat pada klaim %(n)s.") % {
            "h": options["heir"], "n": claim.number})
    try:
        paid_on = date.fromisoformat(options["paid_on"].strip())
    except ValueError:
        raise CommandError(_("--paid-on '%(d)s' tidak dikenal; tulis YYYY-MM-DD.") % {"d": options["paid_on"]}) \
            from None
    payments.record_payment(options["actor"], claim, heir, paid_on, options["bank"], options["account"],
                            options["reference"])
    claim.refresh_from_db()
    _show(command, options, claim)


def _overdue(command, options):
    _with_actor(options)
    rows = worklist.overdue(options["actor"])
    if options["json"]:
        _json(command, [r.as_dict() for r in rows])
        return
    if not rows:
        command.stdout.write(_("Tidak ada klaim yang melewati standar layanan."))
    for r in rows:
        command.stdout.write(_("%(n)s %(p)s: lengkap %(c)s, batas %(d)s, %(w)s hari kerja (lewat %(l)s)") % {
            "n": r.claim.number, "p": r.claim.participant.full_name, "c": r.complete_on, "d": r.due_on,
            "w": r.working_days, "l": r.late_by})


def _dashboard(command, options):
    _with_actor(options)
    try:
        month = parse_month(options["month"]) if options["month"] else None
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    try:
        f = dashboard.figures(options["actor"], region=options["region"], month=month)
    except NotFound:
        raise CommandError(_("Wilayah %(r)s tidak ditemukan (atau di luar wilayah Anda).") % {
            "r": options["region"]}) from None
    if options["json"]:
        _json(command, f)
        return
    command.stdout.write(_("%(n)s (%(c)s), %(a)s – %(b)s") % {"n": f["name"], "c": f["region"],
                                                               "a": f["from_month"], "b": f["to_month"]})
    command.stdout.write(_("Dibayar: %(k)s klaim, %(r)s; lama bayar median %(m)s, rata-rata %(v)s hari kerja") % {
        "k": f["paid"], "r": rupiah(f["paid_amount"]), "m": f["median_days"], "v": f["average_days"]})
    command.stdout.write(_("Ditolak: %(k)s") % {"k": f["refused"]})
    for r in f["refusals"]:
        command.stdout.write(f"  {r['label']}: {r['count']}")
    for c in f["children"]:
        command.stdout.write(f"  {c['code']} {c['name']}: {c['paid']} · {rupiah(c['paid_amount'])} · {c['refused']}")
