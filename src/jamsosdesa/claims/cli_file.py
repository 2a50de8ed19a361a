"""`jamsosdesa claim report NIK --type ... --date ...`, `claim list`, `claim show NUMBER`, `claim heir NUMBER ...`,
`claim document NUMBER --kind K (--file PATH | --seen) [--heir ID]` and `claim document withdraw NUMBER DOC_ID`:
through the same services and scoping as the pages and the API (claims.services, claims.heirs, claims.documents,
claims.access), with `--json` giving the API's shapes."""

import argparse
from pathlib import Path

from django.core.files import File
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import NotFound
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.participants.models import HeirRelation

from .access import claim_for_user, heir_data
from .api_file import _brief, claim_out
from .cli_common import claim_or_error as _claim
from .cli_common import day_option as _day
from .cli_common import write_json as _json
from .documents import add_document, withdraw_document
from .heirs import HeirRequest, heir_set
from .models import ClaimKind, ClaimStatus, DocumentKind
from .services import ReportRequest, claim_list, report_claim, report_message


def register(subparsers) -> None:
    p = subparsers.add_parser("report", help=gettext_lazy("Laporkan kejadian klaim seorang peserta."))
    p.add_argument("nik")
    p.add_argument("--type", dest="kind", required=True, choices=ClaimKind.values)
    p.add_argument("--date", required=True, help=gettext_lazy("Tanggal kejadian YYYY-MM-DD"))
    p.add_argument("--place", default="")
    p.add_argument("--description", default="")
    p.add_argument("--incapacity-from", default="", help="YYYY-MM-DD")
    p.add_argument("--incapacity-to", default="", help="YYYY-MM-DD")
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_report)

    p = subparsers.add_parser("list", help=gettext_lazy("Klaim yang boleh dilihat, terbaru dahulu."))
    p.add_argument("--status", default="", choices=["", *ClaimStatus.values])
    p.add_argument("--type", dest="kind", default="", choices=["", *ClaimKind.values])
    p.add_argument("--search", default="", help=gettext_lazy("Nomor klaim, NIK atau nama"))
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_list)

    p = subparsers.add_parser("show", help=gettext_lazy("Satu klaim: kejadian, kelayakan, ahli waris, dokumen."))
    p.add_argument("number")
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_show)

    p = subparsers.add_parser("heir", help=gettext_lazy("Tambah (atau dengan --id perbaiki) ahli waris klaim."))
    p.add_argument("number")
    p.add_argument("--id", type=int, default=None, help=gettext_lazy("Ahli waris yang diperbaiki"))
    p.add_argument("--name", required=True)
    p.add_argument("--relation", required=True, choices=HeirRelation.values)
    p.add_argument("--nik", required=True)
    p.add_argument("--birth-date", default="")
    p.add_argument("--bank", default="")
    p.add_argument("--account", default="")
    p.add_argument("--holder", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_heir)

    p = subparsers.add_parser("document", help=gettext_lazy(
        "Tambah dokumen klaim (NUMBER --kind K --file/--seen) atau tarik satu (withdraw NUMBER DOC_ID)."),
        usage="%(prog)s NUMBER --kind KIND (--file PATH | --seen) [--heir ID] [--json]\n"
              "       %(prog)s withdraw NUMBER DOC_ID [--note NOTE] [--json]")
    p.add_argument("number", help=gettext_lazy("Nomor klaim, atau 'withdraw' diikuti nomor klaim dan id dokumen"))
    p.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    p.add_argument("--kind", choices=DocumentKind.values)
    p.add_argument("--note", default="", help=gettext_lazy("withdraw: mengapa ditarik"))
    source = p.add_mutually_exclusive_group()
    source.add_argument("--file", help=gettext_lazy("Berkas JPEG, PNG, WebP, HEIC atau PDF"))
    source.add_argument("--seen", action="store_true", help=gettext_lazy("Aslinya sudah dilihat"))
    p.add_argument("--heir", type=int, default=None)
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_document)


def _report(command, options) -> None:
    actor = actor_for(options["user"])
    claim = report_claim(actor, ReportRequest(
        nik=options["nik"], kind=options["kind"], event_date=_day(options["date"], "--date"),
        event_place=options["place"], description=options["description"],
        incapacity_from=_day(options["incapacity_from"], "--incapacity-from"),
        incapacity_to=_day(options["incapacity_to"], "--incapacity-to")))
    claim = claim_for_user(actor, claim.number)
    message = report_message(claim)
    if options["json"]:
        _json(command, claim_out(actor, claim, message=message))
    else:
        command.stdout.write(message)


def _list(command, options) -> None:
    actor = actor_for(options["user"])
    rows = claim_list(actor, status=options["status"], kind=options["kind"], q=options["search"])
    rows = rows[:max(1, min(options["limit"], 10_000))]
    shown = personal_data(actor)
    if options["json"]:
        _json(command, [_brief(c, shown) for c in rows])
        return
    if not rows:
        command.stdout.write(_("Belum ada klaim yang dapat Anda lihat."))
    for c in rows:
        command.stdout.write(f"{c.number}  {c.event_date:%d-%m-%Y}  {c.kind}  {c.get_status_display()}  "
                             f"{c.participant.full_name} ({shown.nik(c.participant.nik)})")


def _show(command, options) -> None:
    actor = actor_for(options["user"])
    claim = _claim(actor, options["number"])
    data = claim_out(actor, claim)
    if options["json"]:
        _json(command, data)
        return
    w = command.stdout.write
    w(f"{claim.number}  {claim.get_kind_display()}  {claim.get_status_display()}")
    w(_("Peserta: %(n)s (%(k)s)") % {"n": claim.participant.full_name, "k": data["participant"]["nik"]})
    w(_("Kejadian: %(d)s %(p)s") % {"d": f"{claim.event_date:%d-%m-%Y}", "p": claim.event_place})
    w(_("Kelayakan: %(r)s") % {"r": claim.eligibility.get("reason", "")})
    if claim.rejection_note:
        w(_("Ditolak: %(r)s") % {"r": claim.rejection_note})
    for h in data["heirs"]:
        w(_("Ahli waris: %(n)s, %(r)s, NIK %(k)s, urutan %(o)d%(m)s") % {
            "n": h["name"], "r": h["relation"], "k": h["nik"], "o": h["rank"],
            "m": _(", menerima") if h["receives"] else ""})
    for item in data["checklist"]:
        w(f"[{'x' if item['done'] else ' '}] {item['label']}")


def _heir(command, options) -> None:
    actor = actor_for(options["user"])
    claim = _claim(actor, options["number"])
    heir = heir_set(actor, claim, HeirRequest(
        name=options["name"], relation=options["relation"], nik=options["nik"],
        birth_date=_day(options["birth_date"], "--birth-date"), bank_name=options["bank"],
        account_number=options["account"], account_holder=options["holder"], phone=options["phone"]),
        heir_id=options["id"])
    shown = heir_data(actor)
    if options["json"]:
        from .api_file import _heir as heir_json

        _json(command, heir_json(heir, shown))
    else:
        command.stdout.write(_("Ahli waris %(n)s (NIK %(k)s) tersimpan pada klaim %(c)s.") % {
            "n": heir.name, "k": shown.nik(heir.nik), "c": claim.number})
        if getattr(heir, "notice", ""):
            command.stdout.write(heir.notice)


def _document(command, options) -> None:
    if options["number"] == "withdraw":
        _withdraw(command, options)
        return
    if options["rest"]:
        raise CommandError(_("Argumen tidak dikenal: %(a)s.") % {"a": " ".join(options["rest"])})
    if not options["kind"] or not (options["file"] or options["seen"]):
        raise CommandError(_("Tulis --kind dan salah satu dari --file atau --seen."))
    actor = actor_for(options["user"])
    claim = _claim(actor, options["number"])
    if options["file"]:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Berkas %(f)s tidak ada.") % {"f": path})
        with open(path, "rb") as handle:
            doc = add_document(actor, claim, options["kind"], upload=File(handle, name=path.name),
                               heir_id=options["heir"])
    else:
        doc = add_document(actor, claim, options["kind"], seen_in_original=True, heir_id=options["heir"])
    if options["json"]:
        from .api_file import _document as document_json

        _json(command, document_json(doc))
    else:
        command.stdout.write(_("Dokumen %(k)s ditambahkan pada klaim %(c)s.") % {"k": doc.get_kind_display(),
                                                                                 "c": claim.number})
        if getattr(doc, "notice", ""):
            command.stdout.write(doc.notice)


def _withdraw(command, options) -> None:
    """`claim document withdraw NUMBER DOC_ID [--note ...]`: the document is kept, no longer on the checklist."""
    rest = options["rest"]
    if len(rest) != 2 or not rest[1].isascii() or not rest[1].isdigit():
        raise CommandError(_("Tulis: claim document withdraw NOMOR_KLAIM ID_DOKUMEN [--note ...]."))
    actor = actor_for(options["user"])
    claim = _claim(actor, rest[0])
    try:
        doc = withdraw_document(actor, claim, int(rest[1]), note=options["note"])
    except NotFound as exc:
        raise CommandError(exc.message) from None
    if options["json"]:
        from .api_file import _document as document_json

        _json(command, document_json(doc))
        return
    command.stdout.write(_("Dokumen %(k)s (%(d)s) ditarik dari klaim %(c)s; tetap tersimpan di riwayat.") % {
        "k": doc.get_kind_display(), "d": doc.pk, "c": claim.number})
    if getattr(doc, "notice", ""):
        command.stdout.write(doc.notice)
