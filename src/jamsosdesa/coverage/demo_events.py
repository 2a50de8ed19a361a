"""The demo's outreach event (H3): a sosialisasi at Sanggung's village hall some months ago, and the workers with
their own package there marked as registered at it, so the event's page shows registrations and how many of them
are still protected (the demo's ledger pays some months for some of them)."""

from datetime import timedelta

from jamsosdesa.accounts.models import User
from jamsosdesa.billing.models import Membership
from jamsosdesa.core import clock
from jamsosdesa.participants.demo import OTHER_GATAK_DESA
from jamsosdesa.participants.models import Participant
from jamsosdesa.participants.services import participant_update

from .event_services import OutreachEventData, outreach_event_create
from .models_events import OutreachEvent


def demo_outreach() -> int:
    """Running it again adds nothing. The number of people marked as registered at the event."""
    if OutreachEvent.objects.exists():
        return 0
    operator = User.objects.filter(username="operator.sanggung").first()
    if operator is None:
        return 0
    first_package = Membership.objects.filter(desa_code=OTHER_GATAK_DESA).order_by("first_month").first()
    held_on = first_package.first_month - timedelta(days=10) if first_package else clock.today()
    event = outreach_event_create(actor=operator, data=OutreachEventData(
        title="Sosialisasi BPJS Ketenagakerjaan bagi pekerja rentan", held_on=held_on, region=OTHER_GATAK_DESA,
        venue="Balai Desa Sanggung", organiser_type="village", organiser_name="Pemerintah Desa Sanggung",
        audience=["village_officials", "rt_rw", "informal_workers"], attendance=45))
    people = Participant.objects.filter(pk__in=Membership.objects.filter(desa_code=OTHER_GATAK_DESA)
                                        .values("participant_id")).order_by("pk")
    for person in people:
        participant_update(actor=operator, participant=person, data={"outreach_code": event.code})
    return len(people)
