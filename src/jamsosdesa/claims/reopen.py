"""A prepared claim whose heirs or documents change goes back to REPORTED (issue 15): the benefit split the
approver would be shown is the preparer's, computed from the heirs and the file as they were; after a change it
is no longer what was prepared, so it is cleared (every heir's share 0, the benefit total and parts, who prepared
it and when) and the claim must be prepared again (claims.decision.prepare recomputes all of it). Audited as
`claim.updated` with the old and new status and why, in the transaction of the change.

Closed claims (approved, paid, rejected, withdrawn) are not reopened: their heirs and documents do not change at all
(claims.services.refuse_closed)."""

from django.utils.translation import gettext as _

from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.models import AuditEventType

from .models import Claim, ClaimStatus


def back_to_reported(user, claim: Claim, why: str) -> str:
    """Send a PREPARED claim (locked by the caller, inside its transaction) back to REPORTED, clearing the
    prepared benefit and shares; the message for the user ('' when the claim was not prepared)."""
    if claim.status != ClaimStatus.PREPARED:
        return ""
    old = {"status": claim.status, "benefit_total": claim.benefit_total,
           "prepared_by": claim.prepared_by_id, "prepared_at": claim.prepared_at,
           "shares": {str(pk): share for pk, share in claim.heirs.filter(share__gt=0).values_list("pk", "share")}}
    claim.heirs.filter(share__gt=0).update(share=0)
    claim.status, claim.benefit_total, claim.benefit_parts = ClaimStatus.REPORTED, 0, []
    claim.prepared_by, claim.prepared_at = None, None
    claim.save(update_fields=["status", "benefit_total", "benefit_parts", "prepared_by", "prepared_at"])
    audit_record(actor=user, event=AuditEventType.CLAIM_UPDATED, obj=claim, region_code=claim.desa_code, old=old,
                 new={"status": claim.status, "benefit_total": 0, "prepared_by": None, "prepared_at": None,
                      "shares": {}}, note=(_("kembali ke tahap dilaporkan: %(w)s") % {"w": why})[:200])
    return _("Klaim %(n)s kembali ke tahap %(s)s karena %(w)s; siapkan ulang (hitung manfaat dan bagiannya "
             "lagi).") % {"n": claim.number, "s": ClaimStatus.REPORTED.label, "w": why}
