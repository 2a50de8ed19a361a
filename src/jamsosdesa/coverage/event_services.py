"""Outreach (sosialisasi) events: who sees and records them, the one validator of their fields, and the services
that create and change them (each checks, writes and audits in one transaction).

Where the model lives, and why: the event is coverage's (coverage.models_events.OutreachEvent), not the registry's.
An event's page counts how many of the people it registered are still protected, which needs billing's status, and
participants sits below billing and coverage. So a registration stores the code as a plain field
(`Participant.outreach_code`), and participants checks a typed code through the lookup list
`participants.outreach.outreach_code_lookups`, to which coverage adds `existing_event_codes` in its
`AppConfig.ready()`. Participants never imports coverage; the form, the API and the file import all refuse a code
no event has, through the participant field cleaner.

Seeing: a user sees the events held in their area (a desa, kecamatan or kabupaten they are assigned, and anything
under it), the events held in the regions above their area (a kecamatan's or kabupaten's event, whose code the
people of their desa may carry), and the events they recorded themselves; a national admin sees every event.
Anything else does not exist for them (404), through `scope_events`, the one scoping function for events.

Recording and changing: the organisers, within their own area: a BPJS branch officer, a district official, a
village operator and a PERISAI agent record an event held in a region inside the regions they are assigned (not
above them); a national admin anywhere. An event is changed by whoever may record one in its region, and by its
recorder. The code is made once, at recording, and never changes (it is printed on invitations and carried by
registrations).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.access import code_in_scope, sees_everything, user_region_codes
from jamsosdesa.core.audit import audit_record, diff
from jamsosdesa.core.errors import ErrorCode, FieldErrors, NotFound, PermissionDenied, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.months import add_years
from jamsosdesa.core.regioncodes import CODE_LENGTH, Level, ancestor_codes, level_of_code
from jamsosdesa.core.roles import Role
from jamsosdesa.core.text import has_bad_chars
from jamsosdesa.participants.outreach import normalize_outreach_code
from jamsosdesa.regions.models import Region

from .models_events import Audience, Organiser, OutreachEvent

ORGANISER_ROLES = (Role.BRANCH_OFFICER, Role.DISTRICT_OFFICIAL, Role.VILLAGE_OPERATOR, Role.PERISAI_AGENT)
ORGANISER_OF_ROLE = {Role.BRANCH_OFFICER: Organiser.BRANCH, Role.DISTRICT_OFFICIAL: Organiser.DISTRICT,
                     Role.VILLAGE_OPERATOR: Organiser.VILLAGE, Role.PERISAI_AGENT: Organiser.AGENT}
EVENT_LEVELS = (Level.DESA, Level.KECAMATAN, Level.KABUPATEN)
# Codes: six characters people read off a flyer and type on a phone without mixing up 0/O, 1/I/L, 2/Z, 5/S, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH_MADE = 6
MAX_LENGTH = {"title": 150, "venue": 200, "organiser_name": 150, "note": 300}
MAX_ATTENDANCE = 100_000
EARLIEST = date(2000, 1, 1)


# --- who sees and records ---------------------------------------------------------------------------------------

def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def event_scope_q(user) -> Q | None:
    """A filter on events matching what the user sees (None: everything)."""
    if not _active(user):
        return Q(pk__in=[])
    if sees_everything(user):
        return None
    mine = user_region_codes(user)
    above = {code for own in mine for code in ancestor_codes(own)}
    q = Q(created_by_id=user.pk) | Q(region_id__in=sorted(above | set(mine)))
    for code in mine:
        q |= Q(region__code__startswith=code + ".")
    return q


def scope_events(user, qs: QuerySet | None = None) -> QuerySet:
    """The one scoping function for outreach events."""
    qs = OutreachEvent.objects.all() if qs is None else qs
    q = event_scope_q(user)
    return qs if q is None else qs.filter(q)


def can_record_event(user, region_code: str = "") -> bool:
    """Record an event held in this region (without one: whether the user records events at all)."""
    if not _active(user):
        return False
    if sees_everything(user):
        return True
    if user.role not in ORGANISER_ROLES:
        return False
    return not region_code or code_in_scope(user, region_code)


def can_change_event(user, event: OutreachEvent) -> bool:
    if not _active(user):
        return False
    return event.created_by_id == user.pk or can_record_event(user, event.region_id)


# --- the one validator ------------------------------------------------------------------------------------------

@dataclass
class OutreachEventData:
    """What a person records about an event (the page, the API and the CLI fill it alike)."""

    title: str
    held_on: date
    region: str  # the desa, or the kecamatan/kabupaten, where it was held
    organiser_type: str = ""  # blank: taken from the recorder's role
    organiser_name: str = ""
    venue: str = ""
    audience: list[str] = field(default_factory=list)
    attendance: int = 0
    note: str = ""


def event_data(event: OutreachEvent) -> OutreachEventData:
    """An event's current values, to change some of them (`dataclasses.replace`)."""
    return OutreachEventData(title=event.title, held_on=event.held_on, region=event.region_id,
                             organiser_type=event.organiser_type, organiser_name=event.organiser_name,
                             venue=event.venue, audience=list(event.audience), attendance=event.attendance,
                             note=event.note)


def _clean_text(errors: FieldErrors, name: str, value, *, required: bool = False) -> str:
    text = " ".join(str(value or "").split())
    if has_bad_chars(text):
        errors.add(name, _("Berisi karakter yang tidak sah."))
    elif required and not text:
        errors.add(name, _("Wajib diisi."))
    elif len(text) > MAX_LENGTH[name]:
        errors.add(name, _("Paling banyak %(n)d karakter.") % {"n": MAX_LENGTH[name]})
    return text


def clean_event(actor, data: OutreachEventData, *, current_region: str = "") -> tuple[dict, Region | None]:
    """The event's values as stored, or ServiceError(INVALID) naming each wrong field. A region outside the actor's
    area is refused, except the one the event is held in already (`current_region`)."""
    errors = FieldErrors(_("Data kegiatan sosialisasi belum benar: %(first)s"))
    out: dict = {}
    for name in ("title", "venue", "organiser_name", "note"):
        out[name] = _clean_text(errors, name, getattr(data, name), required=name == "title")
    today = clock.today()
    held_on = data.held_on
    if not isinstance(held_on, date):
        errors.add("held_on", _("Tanggal wajib diisi (YYYY-MM-DD)."))
    elif not EARLIEST <= held_on <= add_years(today, 1):
        errors.add("held_on", _("Tanggal kegiatan harus antara %(a)s dan satu tahun ke depan (%(b)s).")
                   % {"a": EARLIEST.strftime("%d-%m-%Y"), "b": add_years(today, 1).strftime("%d-%m-%Y")})
    else:
        out["held_on"] = held_on
    code = " ".join(str(data.region or "").split())
    region = None
    if not code:
        errors.add("region", _("Pilih desa, kecamatan atau kabupaten tempat kegiatan."))
    elif has_bad_chars(code) or level_of_code(code) not in EVENT_LEVELS:
        errors.add("region", _("Tulis kode desa, kecamatan atau kabupaten/kota, mis. 33.11.11.2004."))
    else:
        region = Region.objects.filter(code=code).first()
        if region is None:
            errors.add("region", _("Wilayah %(c)s tidak dikenal.") % {"c": code})
        elif region.is_historical:
            errors.add("region", _("%(c)s bukan kode wilayah yang berlaku.") % {"c": code})
        elif code != current_region and not can_record_event(actor, code):
            errors.add("region", _("Wilayah %(c)s di luar wilayah kerja Anda.") % {"c": code})
        else:
            out["region_id"] = code
            out["kab_code"] = code[:CODE_LENGTH[Level.KABUPATEN]]
    organiser = data.organiser_type or ORGANISER_OF_ROLE.get(getattr(actor, "role", ""), "")
    if organiser not in Organiser.values:
        errors.add("organiser_type", _("Pilih penyelenggara: %(list)s.") % {"list": ", ".join(Organiser.values)})
    else:
        out["organiser_type"] = organiser
    audience = data.audience if isinstance(data.audience, list | tuple) else []
    unknown = [str(a)[:30] for a in audience if a not in Audience.values]
    if unknown:
        errors.add("audience", _("Sasaran tidak dikenal: %(v)s (pilih: %(list)s).")
                   % {"v": ", ".join(unknown), "list": ", ".join(Audience.values)})
    elif not audience:
        errors.add("audience", _("Pilih paling sedikit satu sasaran peserta."))
    else:
        out["audience"] = [a for a in Audience.values if a in audience]  # each once, in the list's order
    attendance = data.attendance
    if isinstance(attendance, bool) or not isinstance(attendance, int) or not 0 <= attendance <= MAX_ATTENDANCE:
        errors.add("attendance", _("Jumlah hadir harus bilangan bulat 0 sampai %(n)s.") % {"n": f"{MAX_ATTENDANCE:,}"
                                                                                          .replace(",", ".")})
    else:
        out["attendance"] = attendance
    errors.raise_if_any()
    return out, region


def _snapshot(event: OutreachEvent) -> dict:
    return {"code": event.code, "title": event.title, "held_on": event.held_on, "region": event.region_id,
            "venue": event.venue, "organiser_type": event.organiser_type, "organiser_name": event.organiser_name,
            "audience": list(event.audience), "attendance": event.attendance, "note": event.note}


# --- services ---------------------------------------------------------------------------------------------------

def new_event_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH_MADE))


@transaction.atomic
def outreach_event_create(*, actor, data: OutreachEventData) -> OutreachEvent:
    """Record an event and give it its code."""
    if not can_record_event(actor):
        raise PermissionDenied(_("Kegiatan sosialisasi dicatat oleh kantor cabang, pemerintah kabupaten/kota, "
                                 "operator desa atau agen PERISAI."))
    values, _region = clean_event(actor, data)
    now = clock.now()
    for _attempt in range(20):
        event = OutreachEvent(code=new_event_code(), created_by=actor if actor.pk else None, created_at=now,
                              updated_at=now, **values)
        try:
            with transaction.atomic():
                event.save()
            break
        except IntegrityError:  # the code was taken (1 in 244 million): draw another
            continue
    else:  # pragma: no cover - twenty collisions in a row
        raise ServiceError(code=ErrorCode.INVALID, message=_("Kode kegiatan tidak dapat dibuat; coba lagi."))
    audit_record(actor=actor, event=AuditEventType.OUTREACH_EVENT_CREATED, obj=event, region_code=event.region_id,
                 new=_snapshot(event))
    return event


@transaction.atomic
def outreach_event_update(*, actor, event: OutreachEvent, data: OutreachEventData) -> OutreachEvent:
    """Change an event's facts (never its code)."""
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    if not can_change_event(actor, event):
        raise PermissionDenied(_("Anda boleh melihat kegiatan ini tetapi tidak mengubahnya."))
    before = _snapshot(event)
    values, _region = clean_event(actor, data, current_region=event.region_id)
    for name, value in values.items():
        setattr(event, name, value)
    old, new = diff(before, _snapshot(event))
    if new:
        event.updated_at = clock.now()
        event.save()
        audit_record(actor=actor, event=AuditEventType.OUTREACH_EVENT_UPDATED, obj=event, region_code=event.region_id,
                     old=old, new=new)
    return event


# --- lookups ----------------------------------------------------------------------------------------------------

def event_get(user, *, pk: int | None = None, code: str | None = None) -> OutreachEvent | None:
    """One event the user sees, by id or code, or None (callers answer 404)."""
    qs = scope_events(user).select_related("region")
    if pk is not None:
        return qs.filter(pk=pk).first()
    code = normalize_outreach_code(code or "")
    return qs.filter(code=code).first() if code else None


def event_for(user, *, pk: int | None = None, code: str | None = None) -> OutreachEvent:
    event = event_get(user, pk=pk, code=code)
    if event is None:
        raise NotFound(_("Kegiatan sosialisasi tidak ditemukan."))
    return event


def existing_event_codes(codes: list[str]) -> set[str]:
    """The lookup coverage registers with participants (participants.outreach): which codes name an event. Any
    event counts, wherever it was held: a person may register in their own desa with the code of the kecamatan's
    event, and the code is printed on public invitations."""
    return set(OutreachEvent.objects.filter(code__in=codes).values_list("code", flat=True))

