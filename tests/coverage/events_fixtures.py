"""Shared ground for the outreach event tests: an event recorded through the real service, and people registered
with its code (or without one)."""

from datetime import timedelta

from jamsosdesa.core import clock
from jamsosdesa.coverage.event_services import OutreachEventData, outreach_event_create
from jamsosdesa.participants import services
from tests.conftest import DESA_A, person

# NIKs of men born on 5 May 1990 in Kec. Gatak (33.11.11), serials 0003, 0004, ...: each a valid, distinct NIK.
NIKS = [f"331111050590{serial:04d}" for serial in range(3, 30)]


def event_data(**overrides) -> OutreachEventData:
    values = {"title": "Sosialisasi BPJS Ketenagakerjaan di Balai Desa Krajan",
              "held_on": clock.today() - timedelta(days=7), "region": DESA_A, "venue": "Balai Desa Krajan",
              "organiser_type": "", "organiser_name": "", "audience": ["village_officials", "informal_workers"],
              "attendance": 40, "note": ""}
    values.update(overrides)
    return OutreachEventData(**values)


def make_event(actor, **overrides):
    return outreach_event_create(actor=actor, data=event_data(**overrides))


def register_with(actor, code: str, index: int, **overrides):
    """Person number `index` (a NIK of NIKS) registered through the service, carrying `code`."""
    data = person(nik=NIKS[index], full_name=f"Warga {index}", **overrides)
    if code:
        data["outreach_code"] = code
    return services.participant_register(actor=actor, data=data)
