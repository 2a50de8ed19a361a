"""`jamsosdesa claim quote NIK --type ... --on ...` (eligibility and benefit, nothing filed) and
`jamsosdesa claim parameters [--set CODE VALUE --from DATE --regulation TEXT]`: the benefit engine's command-line
doors onto claims.quote and claims.parameters."""

import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core import clock
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import NotFound
from jamsosdesa.core.money import rupiah

from . import parameters, scholarships
from .cli_common import day_option as _date
from .models import ClaimHeir, ClaimKind, SchoolLevel
from .quote import participant_for_user, quote

USER_HELP = gettext_lazy("Atas nama pengguna ini (bawaan: admin nasional pertama)")


def register(subparsers) -> None:
    p = subparsers.add_parser("quote", help=gettext_lazy("Kelayakan dan manfaat klaim pada tanggal kejadian, tanpa "
                                                         "mencatat apa pun."))
    p.add_argument("nik", help=gettext_lazy("NIK peserta"))
    p.add_argument("--type", required=True, choices=ClaimKind.values, help=gettext_lazy("Jenis klaim"))
    p.add_argument("--on", required=True, help=gettext_lazy("Tanggal kejadian YYYY-MM-DD"))
    p.add_argument("--from", dest="incapacity_from",
                   help=gettext_lazy("Tidak mampu bekerja sejak YYYY-MM-DD (jkk_temporary, jkk_disease)"))
    p.add_argument("--to", dest="incapacity_to",
                   help=gettext_lazy("Tidak mampu bekerja sampai YYYY-MM-DD (jkk_temporary, jkk_disease)"))
    p.add_argument("--user", help=USER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_quote)

    p = subparsers.add_parser("parameters", help=gettext_lazy("Parameter manfaat klaim yang berlaku, atau ubah satu "
                                                              "mulai suatu tanggal (admin nasional)."))
    p.add_argument("--on", help=gettext_lazy("Yang berlaku pada tanggal ini YYYY-MM-DD (bawaan: hari ini)"))
    p.add_argument("--set", nargs=2, metavar=("CODE", "VALUE"), help=gettext_lazy("Kode dan nilai baru"))
    p.add_argument("--from", dest="valid_from", help=gettext_lazy("Berlaku mulai YYYY-MM-DD (dengan --set)"))
    p.add_argument("--regulation", default="", help=gettext_lazy("Dasar hukum nilai baru (dengan --set)"))
    p.add_argument("--note", default="")
    p.add_argument("--user", help=USER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_parameters)

    p = subparsers.add_parser("scholarship", help=gettext_lazy(
        "Beasiswa anak pada klaim: usulkan satu tahun ajaran (NUMBER --child --year --level), setujui atau tolak "
        "usulan orang lain (approve|reject NUMBER --child --year), catat pembayarannya (pay NUMBER --child --year "
        "--paid-on --reference), atau lihat ringkasannya (NUMBER)."))
    p.add_argument("words", nargs="+", metavar="[approve|reject|pay] NUMBER", help=gettext_lazy("Nomor klaim"))
    p.add_argument("--child", type=int, help=gettext_lazy("Id ahli waris (anak) pada klaim; tanpa ini: ringkasan"))
    p.add_argument("--year", type=int, help=gettext_lazy("Tahun ajaran (tahun mulainya), mis. 2027"))
    p.add_argument("--level", choices=SchoolLevel.values, help=gettext_lazy("Jenjang"))
    p.add_argument("--guardian", type=int, help=gettext_lazy("approve: id ahli waris wali yang rekeningnya dipakai"))
    p.add_argument("--bank", default="", help=gettext_lazy("approve: bank rekening tujuan; pay: harus yang disetujui"))
    p.add_argument("--account", default="", help=gettext_lazy("approve: nomor rekening tujuan; pay: harus yang "
                                                              "disetujui"))
    p.add_argument("--note", default="", help=gettext_lazy("reject: keterangan"))
    p.add_argument("--paid-on", help=gettext_lazy("pay: tanggal bayar YYYY-MM-DD"))
    p.add_argument("--reference", default="", help=gettext_lazy("pay: referensi transfer"))
    p.add_argument("--user", help=USER_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_scholarship)


def run_quote(command, options) -> None:
    user = actor_for(options["user"])
    participant = participant_for_user(user, options["nik"])
    q = quote(user, participant, options["type"], _date(options["on"], "--on"),
              incapacity_from=_date(options["incapacity_from"], "--from"),
              incapacity_to=_date(options["incapacity_to"], "--to"))
    if options["json"]:
        command.stdout.write(json.dumps(q.as_dict(), ensure_ascii=False))
        return
    verdict = _("layak") if q.eligible else (_("ditahan: tunggakan harus dilunasi") if q.held else _("tidak layak"))
    command.stdout.write(f"{ClaimKind(q.kind).label}, {q.on:%d-%m-%Y}: {verdict}")
    command.stdout.write(f"  {q.reason}")
    for part in q.parts:
        command.stdout.write(f"  {part.name}: {rupiah(part.amount)}")
        command.stdout.write(f"      {part.rule}")
    command.stdout.write(_("Jumlah: %(t)s (%(w)s)") % {"t": rupiah(q.total), "w": q.words})
    for warning in q.warnings:
        command.stdout.write(f"! {warning}")


def run_parameters(command, options) -> None:
    user = actor_for(options["user"])
    if options["set"]:
        code, text = options["set"]
        try:
            value = int(text.replace(".", "").replace("_", ""))
        except ValueError:
            raise CommandError(_("Nilai '%(v)s' bukan bilangan bulat.") % {"v": text}) from None
        valid_from = _date(options["valid_from"], "--from")
        if valid_from is None:
            raise CommandError(_("--set perlu --from: tanggal mulai berlakunya nilai baru."))
        row = parameters.set_parameter(user, code, value, valid_from, options["regulation"], options["note"])
        if options["json"]:
            command.stdout.write(json.dumps({"code": row.code, "value": row.value,
                                             "valid_from": row.valid_from.isoformat(),
                                             "regulation": row.regulation}, ensure_ascii=False))
        else:
            command.stdout.write(_("Disimpan: %(r)s") % {"r": row})
        return
    on = _date(options["on"], "--on") or clock.today()
    rows = parameters.parameters_on(on)
    if options["json"]:
        command.stdout.write(json.dumps({"on": on.isoformat(), "parameters": rows}, ensure_ascii=False))
        return
    for row in rows:
        value = "-" if row["value"] is None else f"{row['value']:,}".replace(",", ".")
        command.stdout.write(f"{row['code']:<32} {value:>14} {row['unit']:<11} {row['description']}"
                             f"  [{row['regulation'] or '-'}, {row['valid_from'] or '-'}]")


SCHOLARSHIP_ACTIONS = ("approve", "reject", "pay")


def _scholarship_decision(command, options, user, claim, action) -> None:
    """approve|reject|pay the live grant of --child and --year on the claim."""
    if options["child"] is None or options["year"] is None:
        raise CommandError(_("%(a)s perlu --child dan --year.") % {"a": action})
    row = scholarships.grant_for(claim, options["child"], options["year"])
    if row is None:
        raise CommandError(_("Tidak ada usulan beasiswa untuk ahli waris %(h)s tahun ajaran %(y)s pada klaim "
                             "%(n)s.") % {"h": options["child"], "y": options["year"], "n": claim.number})
    if action == "approve":
        guardian = None
        if options["guardian"] is not None:
            guardian = ClaimHeir.objects.filter(claim=claim, pk=options["guardian"]).first()
            if guardian is None:
                raise CommandError(scholarships.child_missing_message(claim))
        row = scholarships.approve(user, row, guardian=guardian, bank=options["bank"], account=options["account"])
        said = _("Beasiswa %(y)s/%(y1)s untuk %(name)s disetujui: dibayar ke %(b)s %(a)s.") % {
            "y": row.year, "y1": row.year + 1, "name": row.child.name, "b": row.bank_name, "a": row.account_number}
    elif action == "reject":
        row = scholarships.reject(user, row, options["note"])
        said = _("Usulan beasiswa %(y)s/%(y1)s untuk %(name)s ditolak.") % {
            "y": row.year, "y1": row.year + 1, "name": row.child.name}
    else:
        paid_on = _date(options["paid_on"], "--paid-on")
        if paid_on is None:
            raise CommandError(_("pay perlu --paid-on dan --reference."))
        payment = scholarships.pay(user, row, paid_on, options["bank"], options["account"], options["reference"])
        said = _("Pembayaran beasiswa %(y)s/%(y1)s untuk %(name)s dicatat (%(a)s).") % {
            "y": row.year, "y1": row.year + 1, "name": row.child.name, "a": rupiah(payment.amount)}
    if not options["json"]:
        command.stdout.write(said)


def run_scholarship(command, options) -> None:
    from django.http import Http404

    from .access import claim_for_user

    words = options["words"]
    action, number = (words[0], words[1]) if len(words) == 2 else (None, words[0])
    if len(words) > 2 or (action is not None and action not in SCHOLARSHIP_ACTIONS):
        raise CommandError(_("Tulis NOMOR KLAIM, atau approve|reject|pay lalu NOMOR KLAIM."))
    user = actor_for(options["user"])
    try:
        claim = claim_for_user(user, number)
    except Http404:
        raise NotFound(_("Klaim tidak ditemukan di wilayah Anda.")) from None
    if action is not None:
        _scholarship_decision(command, options, user, claim, action)
    elif options["child"] is not None:
        if options["year"] is None or not options["level"]:
            raise CommandError(_("--child perlu --year dan --level."))
        child = ClaimHeir.objects.filter(claim=claim, pk=options["child"]).first()
        if child is None:
            raise CommandError(_("Ahli waris %(h)s tidak ada pada klaim %(n)s.") % {"h": options["child"],
                                                                                  "n": claim.number})
        row = scholarships.propose(user, claim, child, options["year"], options["level"])
        if not options["json"]:
            command.stdout.write(_("Usulan beasiswa %(y)s/%(y1)s untuk %(name)s: %(a)s, menunggu persetujuan petugas "
                                   "lain (id %(id)s).") % {
                "y": row.year, "y1": row.year + 1, "name": child.name, "a": rupiah(row.amount), "id": row.pk})
    rows = scholarships.summary(claim)
    if options["json"]:
        command.stdout.write(json.dumps({"claim": claim.number, "children": [r.as_dict() for r in rows]},
                                        ensure_ascii=False))
        return
    for r in rows:
        years = ", ".join(f"#{y['id']} {y['year']} {y['level']} {rupiah(y['amount'])} {y['status']}"
                          for y in r.years) or "-"
        command.stdout.write(_("%(name)s (id %(id)s): disetujui %(g)s, diusulkan %(p)s, sisa %(r)s [%(y)s]") % {
            "name": r.name, "id": r.heir_id, "g": rupiah(r.granted), "p": rupiah(r.proposed),
            "r": rupiah(r.remaining), "y": years})
