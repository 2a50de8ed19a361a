"""Ending an enrolment: the scheme stops paying; the enrolment stays with the months it covered."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.months import add_months

from ..access import can_end_enrolment
from ..hooks import enrolment_ended_hooks
from ..models import EndReason, Enrolment
from ..selectors import scheme_cost_per_person


@transaction.atomic
def enrolment_end(*, actor, enrolment: Enrolment, last_month: date, reason: str, note: str = "") -> Enrolment:
    """The scheme stops paying after `last_month` (the month before the start: it never paid). The enrolment
    stays, with the months it covered and their cost; its desa place frees up."""
    enrolment = Enrolment.objects.select_for_update().select_related("scheme").get(pk=enrolment.pk)
    if not can_end_enrolment(actor, enrolment):
        raise NotFound()
    if enrolment.ended_at is not None:
        raise ServiceError(code=ErrorCode.ALREADY_ENDED, message=_("Kepesertaan ini sudah diakhiri."))
    if reason not in EndReason.values:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Pilih alasan berakhir."),
                           fields={"reason": [_("Wajib.")]})
    last_month = last_month.replace(day=1)
    if last_month > enrolment.end_month or last_month < add_months(enrolment.start_month, -1):
        message = _("Bulan terakhir harus antara %(a)s dan %(b)s.") % {
            "a": add_months(enrolment.start_month, -1).strftime("%m/%Y"), "b": enrolment.end_month.strftime("%m/%Y")}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"last_month": [message]})
    old = {"end_month": enrolment.end_month, "cost": enrolment.cost, "ended_at": None, "end_reason": ""}
    enrolment.cost = scheme_cost_per_person(enrolment.scheme, enrolment.start_month, last_month)
    enrolment.end_month = last_month
    enrolment.ended_at = clock.now()
    enrolment.ended_by = actor
    enrolment.end_reason = reason
    enrolment.end_note = note.strip()[:200]
    enrolment.save()
    audit_record(actor=actor, event=AuditEventType.ENROLMENT_ENDED, obj=enrolment, region_code=enrolment.desa_code,
                 old=old, new={"end_month": enrolment.end_month, "cost": enrolment.cost, "ended_at": enrolment.ended_at,
                      "end_reason": reason}, note=enrolment.end_note)
    for hook in enrolment_ended_hooks:  # billing voids the dues billed after the new last month
        hook(actor=actor, enrolment=enrolment)
    return enrolment
