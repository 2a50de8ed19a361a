"""Who sees, reports and processes claims (issue 15; docs/design/claims.md): the one scoping function for claims.

Seeing: a claim is seen by whoever sees its participant's region, through the same rule as participants
(core.access's regions, the rows' own `kab_code`/`desa_code` as billing's rows): a village operator its desa, a
PERISAI agent the desa it works in (and the people it registered), a district official and a branch officer their
kabupaten, a national admin everything. A wadah manager sees no claim. Anything else answers 404.

Reporting an event: a village operator (its desa), a PERISAI agent (its area, and only while it may act: core.access
.refuse_actor), a branch officer (its kabupaten), a national admin. A district official reads claims and reports
none.

Processing (preparing, deciding, paying: claims.decision) and seeing heirs' whole NIKs and bank accounts: a branch
officer and a national admin. Everyone else sees them masked (core.presenters)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from jamsosdesa.core.access import sees_everything, user_region_codes
from jamsosdesa.core.presenters import MASK, PersonalData
from jamsosdesa.core.regioncodes import rows_in_region
from jamsosdesa.core.roles import Role

from .models import Claim

NOTHING = Q(pk__in=[])
READER_ROLES = (Role.NATIONAL_ADMIN, Role.BRANCH_OFFICER, Role.DISTRICT_OFFICIAL, Role.VILLAGE_OPERATOR,
                Role.PERISAI_AGENT)
REPORTER_ROLES = (Role.NATIONAL_ADMIN, Role.BRANCH_OFFICER, Role.VILLAGE_OPERATOR, Role.PERISAI_AGENT)
PROCESSOR_ROLES = (Role.NATIONAL_ADMIN, Role.BRANCH_OFFICER)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def claim_scope_q(user) -> Q | None:
    """None: no restriction; otherwise the filter over claims the user sees."""
    if not _active(user):
        return NOTHING
    if sees_everything(user):
        return None
    if user.role not in READER_ROLES:
        return NOTHING
    q = rows_in_region(user_region_codes(user), kab="kab_code", desa="desa_code")
    if user.role == Role.PERISAI_AGENT:  # as participants.access: an agent also sees the people it registered
        q |= Q(participant__registered_by_id=user.pk)
    return q


def scope_claims(user, qs: QuerySet | None = None) -> QuerySet:
    """The one scoping function for claims (and their heirs, documents and payments, reached through them)."""
    qs = Claim.objects.all() if qs is None else qs
    q = claim_scope_q(user)
    return qs if q is None else qs.filter(q)


def claim_for_user(user, number: str, qs: QuerySet | None = None) -> Claim:
    """The claim of this number if the user sees it; Http404 otherwise (it does not exist for them)."""
    qs = Claim.objects.select_related("participant", "participant__desa", "reported_by") if qs is None else qs
    try:
        return scope_claims(user, qs).get(number=str(number).strip().upper()[:30])
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sees_claims(user) -> bool:
    """Whether the claim pages exist for this user at all."""
    return _active(user) and (sees_everything(user) or user.role in READER_ROLES)


def may_report(user) -> bool:
    """The role may report events (the participant must still be in the user's scope)."""
    return _active(user) and (sees_everything(user) or user.role in REPORTER_ROLES)


def may_process(user) -> bool:
    """The role processes claims: prepares, decides, records payments; sees heirs' data whole."""
    return _active(user) and (sees_everything(user) or user.role in PROCESSOR_ROLES)


def may_edit_file(user) -> bool:
    """Heirs and documents of a claim the user sees are gathered by those who report and those who process."""
    return may_report(user)


def mask_account(value: str) -> str:
    """A bank account number with only its last four digits visible ('' stays '')."""
    if not value:
        return ""
    return MASK * max(len(value) - 4, 0) + value[-4:] if len(value) > 4 else MASK * len(value)


class HeirData(PersonalData):
    """How one user sees heirs' NIKs and bank accounts on a claim: whole for processing roles, masked otherwise."""

    def account(self, value: str | None) -> str:
        if not value:
            return ""
        return value if self.full_nik else mask_account(value)


def heir_data(user) -> HeirData:
    return HeirData(full_nik=may_process(user))
