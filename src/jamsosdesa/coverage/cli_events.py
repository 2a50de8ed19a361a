"""`jamsosdesa coverage event create|list|show ... [--json]`: outreach (sosialisasi) events from the command line,
through the same services and selectors as the pages and the API (coverage.event_services, event_selectors)."""

import json
from datetime import date

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.commands import actor_for

from . import event_selectors as selectors
from .event_services import OutreachEventData, event_for, outreach_event_create
from .models_events import Audience, Organiser, OutreachEvent


def register(subparsers) -> None:
    event = subparsers.add_parser("event", help=gettext_lazy("Kegiatan sosialisasi: catat, daftar, lihat."))
    sub = event.add_subparsers(dest="event_what", required=True, title=gettext_lazy("perintah"))

    p = sub.add_parser("create", help=gettext_lazy("Catat kegiatan sosialisasi; mencetak kodenya."))
    p.add_argument("--user")
    p.add_argument("--title", required=True, help=gettext_lazy("Nama kegiatan"))
    p.add_argument("--date", required=True, help=gettext_lazy("Tanggal kegiatan YYYY-MM-DD"))
    p.add_argument("--region", required=True, help=gettext_lazy("Kode desa, kecamatan atau kabupaten/kota"))
    p.add_argument("--venue", default="", help=gettext_lazy("Tempat, mis. balai desa"))
    p.add_argument("--organiser", default="", choices=["", *Organiser.values],
                   help=gettext_lazy("Penyelenggara (bawaan: menurut peran pengguna)"))
    p.add_argument("--organiser-name", default="")
    p.add_argument("--audience", required=True,
                   help=gettext_lazy("Sasaran, dipisah koma: %(list)s") % {"list": ", ".join(Audience.values)})
    p.add_argument("--attendance", type=int, default=0, help=gettext_lazy("Jumlah hadir"))
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_create)

    p = sub.add_parser("list", help=gettext_lazy("Kegiatan sosialisasi suatu wilayah, dengan hasilnya."))
    p.add_argument("--user")
    p.add_argument("--region", default="", help=gettext_lazy("Kode wilayah (bawaan: semua yang boleh dilihat)"))
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_list)

    p = sub.add_parser("show", help=gettext_lazy("Satu kegiatan menurut kodenya: pendaftar dan yang terlindungi."))
    p.add_argument("code")
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_show)


def _as_json(event: OutreachEvent, conversion: selectors.Conversion) -> dict:
    return {"id": event.pk, "code": event.code, "title": event.title, "held_on": event.held_on.isoformat(),
            "region": event.region_id, "region_name": event.region.name, "venue": event.venue,
            "organiser_type": event.organiser_type, "organiser_name": event.organiser_name,
            "audience": list(event.audience), "attendance": event.attendance, "note": event.note,
            "result": conversion.as_dict()}


def _line(event: OutreachEvent, c: selectors.Conversion) -> str:
    rate = f" ({c.rate}%)" if c.rate is not None else ""
    words = _("%(code)s  %(d)s  %(region)s  %(title)s: hadir %(att)d, mendaftar %(reg)d, terlindungi %(prot)d%(rate)s")
    return words % {
        "code": event.code, "d": event.held_on.strftime("%d-%m-%Y"), "region": event.region.name,
        "title": event.title, "att": event.attendance, "reg": c.registered, "prot": c.protected, "rate": rate}


def _create(command, options) -> None:
    actor = actor_for(options["user"])
    try:
        held_on = date.fromisoformat(options["date"].strip())
    except ValueError:
        raise CommandError(_("Tanggal '%(d)s' tidak dikenal; tulis YYYY-MM-DD.") % {"d": options["date"]}) from None
    data = OutreachEventData(
        title=options["title"], held_on=held_on, region=options["region"], venue=options["venue"],
        organiser_type=options["organiser"], organiser_name=options["organiser_name"],
        audience=[a.strip() for a in options["audience"].split(",") if a.strip()],
        attendance=options["attendance"], note=options["note"])
    event = outreach_event_create(actor=actor, data=data)
    if options["json"]:
        command.stdout.write(json.dumps(_as_json(event, selectors.event_conversion(event)), ensure_ascii=False))
    else:
        command.stdout.write(_("Kegiatan dicatat dengan kode %(code)s.") % {"code": event.code})


def _list(command, options) -> None:
    actor = actor_for(options["user"])
    events = list(selectors.events_for_region(options["region"], actor)[:max(options["limit"], 1)])
    figures = selectors.conversions([e.code for e in events])
    if options["json"]:
        command.stdout.write(json.dumps([_as_json(e, figures[e.code]) for e in events], ensure_ascii=False,
                                        indent=2))
        return
    if not events:
        command.stdout.write(_("Belum ada kegiatan sosialisasi di wilayah ini."))
    for event in events:
        command.stdout.write(_line(event, figures[event.code]))


def _show(command, options) -> None:
    actor = actor_for(options["user"])
    event = event_for(actor, code=options["code"])
    conversion = selectors.event_conversion(event)
    if options["json"]:
        command.stdout.write(json.dumps(_as_json(event, conversion), ensure_ascii=False, indent=2))
        return
    command.stdout.write(_line(event, conversion))
    people, seen = selectors.event_people(event, actor)
    for person in people:
        mark = _("terlindungi") if person.protected else _("belum/tidak aktif")
        command.stdout.write(f"  {person.nik}  {person.name}  {person.desa}  {mark}")
