"""Reading outreach events: the events of a region, and each event's conversion (the registrations made with its
code, and how many of those people are protected today).

"Protected" is billing's status 'active' on the day (jamsosdesa.billing.status), computed for the event's own
registrations only (`participants_sql` narrows the status table to the people carrying the codes asked), so an
event's page costs a query over its registrations, never over a region. The counts are of every registration with
the code, wherever the person lives (figures, no personal data); the list of people on the event's page is what the
viewer may see of them (participants.access).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from jamsosdesa.billing.status import participant_ids_with_status
from jamsosdesa.core import clock
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.participants.access import scope_participants
from jamsosdesa.participants.models import Participant

from .event_services import scope_events
from .models_events import OutreachEvent

PROTECTED = "active"
PEOPLE_SHOWN = 200


@dataclass(frozen=True)
class Conversion:
    registered: int
    protected: int
    on: date

    @property
    def rate(self) -> float | None:
        """Protected per registered, as a percentage with one decimal (None without registrations)."""
        return round(100 * self.protected / self.registered, 1) if self.registered else None

    def as_dict(self) -> dict:
        return {"registered": self.registered, "protected": self.protected, "conversion": self.rate,
                "on": self.on.isoformat()}


def _protected_ids_sql(codes: list[str], on: date) -> tuple[str, list]:
    marks = ", ".join(["%s"] * len(codes))
    return participant_ids_with_status(PROTECTED, on, participants_sql=f"p.outreach_code IN ({marks})",
                                       participants_params=codes)


def conversions(codes: list[str], on: date | None = None) -> dict[str, Conversion]:
    """Conversion of each event code: two queries for any number of events (a list page's)."""
    on = on or clock.today()
    codes = sorted({c for c in codes if c})
    result = {code: Conversion(0, 0, on) for code in codes}
    if not codes:
        return result
    registered = dict(Participant.objects.filter(outreach_code__in=codes).values("outreach_code")
                      .annotate(n=Count("pk")).values_list("outreach_code", "n"))
    sql, params = _protected_ids_sql(codes, on)
    protected = dict(Participant.objects.filter(pk__in=RawSQL(sql, params)).values("outreach_code")
                     .annotate(n=Count("pk")).values_list("outreach_code", "n"))
    return {code: Conversion(registered.get(code, 0), protected.get(code, 0), on) for code in codes}


def event_conversion(event: OutreachEvent, on: date | None = None) -> Conversion:
    return conversions([event.code], on)[event.code]


def events_for_region(code: str, user) -> QuerySet:
    """The events held in a region or anywhere under it ('' or 'ID': the nation), as `user` may see them, newest
    first. For the dashboards: each lists its region's events (add `conversions([e.code for e in page])` for the
    figures of a page of them)."""
    qs = scope_events(user).select_related("region")
    code = (code or "").strip()
    if code and code.upper() != "ID":
        qs = qs.filter(Q(region_id=code) | Q(region__code__startswith=code + "."))
    return qs.order_by("-held_on", "-id")


@dataclass(frozen=True)
class RegisteredPerson:
    pk: int
    name: str
    nik: str
    desa: str
    registered_on: date
    protected: bool


def event_people(event: OutreachEvent, user, on: date | None = None) -> tuple[list[RegisteredPerson], int]:
    """The people registered with the event's code that `user` sees (the newest PEOPLE_SHOWN), each with whether
    they are protected on the day, and how many the user sees in all."""
    on = on or clock.today()
    qs = scope_participants(user, Participant.objects.filter(outreach_code=event.code)).select_related("desa")
    seen = qs.count()
    people = list(qs.order_by("-id")[:PEOPLE_SHOWN])
    if not people:
        return [], seen
    sql, params = _protected_ids_sql([event.code], on)
    protected = set(Participant.objects.filter(pk__in=[p.pk for p in people]).filter(pk__in=RawSQL(sql, params))
                    .values_list("pk", flat=True))
    shown = personal_data(user)
    return [RegisteredPerson(p.pk, p.full_name, shown.nik(p.nik), p.desa.name, timezone.localdate(p.created_at),
                             p.pk in protected)
            for p in people], seen

