"""Billing's API: status (H4, status on a date)."""

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from jamsosdesa.core import clock
from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.errors import ServiceError

from .access import billing_participant
from .status import STATUSES, status_of

router = Router()


class PolicyOut(Schema):
    mode: str = Field(..., description="strict | lenient")
    grace_months: int
    source: str = Field(..., description="The letter or rule the policy comes from ('settings': the installation's)")


class OverlayOut(Schema):
    kind: str = Field(..., description="e.g. at_risk: an agent collected the money and has not deposited it yet")
    label: str
    message: str
    protected: bool = Field(..., description="Whether the person still counts as protected while it holds")
    since: date | None


class StatusOut(Schema):
    participant_id: int
    status: str = Field(..., description=" | ".join(STATUSES))
    on: date
    paid_through: str | None = Field(..., description="YYYY-MM: the last month paid without a gap before it")
    owed: int = Field(..., description="Rupiah unpaid for months up to the day's month")
    owed_self: int
    owed_scheme: int
    covered: bool = Field(..., description="Whether an incident on that day is covered under the arrears policy")
    covered_if_paid_by: date | None = Field(..., description="Lenient arrears: covered if paid before this day")
    months_unpaid: int
    policy: PolicyOut
    overlays: list[OverlayOut] = Field([], description="Added by other packages (billing.overlays), e.g. at risk")


def parse_day(text: str | None, field: str = "on") -> date:
    """'YYYY-MM-DD' (empty: today), or a ServiceError naming the field in the user's language."""
    text = (text or "").strip()
    if not text:
        return clock.today()
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2199:
        message = _("Tanggal '%(d)s' tidak dikenal: tulis YYYY-MM-DD, mis. 2026-12-16.") % {"d": text[:40]}
        raise ServiceError(code=E.INVALID, message=message, fields={field: [message]})
    return day


@router.get("/participants/{pk}/status", **answers({200: StatusOut}, E.NOT_FOUND, E.INVALID),
            summary="Status perlindungan peserta pada suatu tanggal")
def participant_status(request, pk: int, on: str = ""):
    """The participant's protection status on `on` (YYYY-MM-DD; default today): 404 for a participant outside
    your area, the same as for one that does not exist."""
    day = parse_day(on)
    participant = billing_participant(request.user, pk=pk)
    if participant is None:
        raise Http404
    from .overlays import overlays_of

    return {"participant_id": participant.pk, **status_of(participant, day).as_dict(),
            "overlays": [o.as_dict() for o in overlays_of(participant.pk, day)]}
