"""The outreach events API (/api/v1/coverage/outreach-events): list a region's events with their conversion, record one,
read and change one by its code. A thin door onto coverage.event_services and coverage.event_selectors."""

from dataclasses import replace
from datetime import date
from typing import Annotated

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import StrictInt

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E

from . import event_selectors as selectors
from .event_services import (
    OutreachEventData,
    event_data,
    event_for,
    outreach_event_create,
    outreach_event_update,
)
from .models_events import Audience, Organiser, OutreachEvent

router = Router()
AUDIENCE = "Sasaran (pilih satu atau lebih): " + ", ".join(f"{v} ({label})" for v, label in Audience.choices)
ORGANISER = "Penyelenggara: " + ", ".join(f"{v} ({label})" for v, label in Organiser.choices) + \
    "; kosong: menurut peran pencatat"
REGION = "Kode desa, kecamatan atau kabupaten/kota tempat kegiatan, mis. 33.11.11.2004"


class EventIn(Schema):
    title: str
    held_on: date
    region: str = Field(..., description=REGION)
    organiser_type: str = Field("", description=ORGANISER)
    organiser_name: str = ""
    venue: str = ""
    audience: list[str] = Field(..., description=AUDIENCE)
    attendance: Annotated[StrictInt, Field(ge=0)] = 0
    note: str = ""


class EventPatch(Schema):
    title: str | None = None
    held_on: date | None = None
    region: str | None = Field(None, description=REGION)
    organiser_type: str | None = Field(None, description=ORGANISER)
    organiser_name: str | None = None
    venue: str | None = None
    audience: list[str] | None = Field(None, description=AUDIENCE)
    attendance: Annotated[StrictInt, Field(ge=0)] | None = None
    note: str | None = None


class ConversionOut(Schema):
    registered: int = Field(..., description="Peserta yang didaftarkan dengan kode kegiatan ini")
    protected: int = Field(..., description="Dari mereka, yang berstatus aktif (terlindungi) pada tanggal `on`")
    conversion: float | None = Field(..., description="protected / registered dalam persen; null tanpa pendaftar")
    on: date


class EventOut(Schema):
    id: int
    code: str = Field(..., description="Kode yang dibawa pendaftaran (outreach_code peserta)")
    title: str
    held_on: date
    region: str
    region_name: str
    venue: str
    organiser_type: str
    organiser_name: str
    audience: list[str]
    attendance: int
    note: str
    result: ConversionOut


class EventPageOut(Schema):
    items: list[EventOut]
    next_after: int | None


def _out(event: OutreachEvent, conversion: selectors.Conversion) -> dict:
    return {"id": event.pk, "code": event.code, "title": event.title, "held_on": event.held_on,
            "region": event.region_id, "region_name": event.region.name, "venue": event.venue,
            "organiser_type": event.organiser_type, "organiser_name": event.organiser_name,
            "audience": list(event.audience), "attendance": event.attendance, "note": event.note,
            "result": conversion.as_dict()}


@router.get("/coverage/outreach-events", **answers({200: EventPageOut}), summary="Kegiatan sosialisasi suatu wilayah")
def events_list(request, region: str = Query("", description="Kode wilayah; kosong atau ID: seluruh yang boleh "
                                                             "dilihat"),
                after: int | None = None, limit: int = Query(50, ge=1, le=200)):
    qs = selectors.events_for_region(region, request.user)
    if after is not None:
        qs = qs.filter(pk__lt=after).order_by("-id")
    else:
        qs = qs.order_by("-id")
    events = list(qs[:limit + 1])
    more = len(events) > limit
    events = events[:limit]
    figures = selectors.conversions([e.code for e in events])
    return {"items": [_out(e, figures[e.code]) for e in events],
            "next_after": events[-1].pk if more and events else None}


@router.post("/coverage/outreach-events", **answers({201: EventOut}, E.INVALID, E.FORBIDDEN),
             summary="Catat kegiatan sosialisasi")
def events_create(request, payload: EventIn):
    event = outreach_event_create(actor=request.user, data=OutreachEventData(**payload.dict()))
    return Status(201, _out(event, selectors.event_conversion(event)))


@router.get("/coverage/outreach-events/{code}", **answers({200: EventOut}, E.NOT_FOUND),
            summary="Kegiatan sosialisasi menurut kodenya, dengan hasilnya")
def events_get(request, code: str):
    event = event_for(request.user, code=code)
    return _out(event, selectors.event_conversion(event))


@router.patch("/coverage/outreach-events/{code}", **answers({200: EventOut}, E.INVALID, E.NOT_FOUND, E.FORBIDDEN),
              summary="Ubah kegiatan sosialisasi (kodenya tetap)")
def events_update(request, code: str, payload: EventPatch):
    event = event_for(request.user, code=code)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    event = outreach_event_update(actor=request.user, event=event, data=replace(event_data(event), **changes))
    return _out(event, selectors.event_conversion(event))
