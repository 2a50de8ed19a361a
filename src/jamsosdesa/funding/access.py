"""Who may see, create, manage and enrol into funding schemes, and end an enrolment; and the change right on
participants that funding grants (registered with participants.access from FundingConfig.ready())."""

from django.db.models import F, Q, QuerySet

from jamsosdesa.contributions.models import PayerType
from jamsosdesa.core import clock
from jamsosdesa.core.access import code_in_scope, sees_everything, user_region_codes
from jamsosdesa.core.regioncodes import ancestor_codes
from jamsosdesa.core.roles import Role

from .models import Enrolment, Scheme

SCHEME_MANAGER_ROLES = (Role.DISTRICT_OFFICIAL, Role.BRANCH_OFFICER, Role.VILLAGE_OPERATOR)
# Who ends an enrolment in a desa of their regions, in a scheme they do not manage (a village operator ends
# its villager's enrolment in the district's scheme).
ENROLMENT_ENDER_ROLES = (Role.VILLAGE_OPERATOR, Role.DISTRICT_OFFICIAL, Role.BRANCH_OFFICER)


def scheme_scope_q(user) -> Q | None:
    """Schemes a user may see: those owned inside the user's regions and those covering them (a district's
    scheme for its village operators, a nationwide one for everyone). None means no restriction."""
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if sees_everything(user):
        return None
    q = Q(owner_region__isnull=True)
    covering: set[str] = set()
    for code in user_region_codes(user):
        q |= Q(owner_region_id=code) | Q(owner_region__code__startswith=code + ".")
        covering.update(ancestor_codes(code))
    if covering:
        q |= Q(owner_region_id__in=sorted(covering))
    return q


def scope_schemes(user, qs: QuerySet | None = None) -> QuerySet:
    """The one scoping function for funding schemes."""
    if qs is None:
        qs = Scheme.objects.all()
    q = scheme_scope_q(user)
    return qs if q is None else qs.filter(q)


def can_create_scheme(user) -> bool:
    return sees_everything(user) or (user.is_authenticated and user.role in SCHEME_MANAGER_ROLES)


def owns_scheme_region(user, payer_type: str, owner_code: str) -> bool:
    """Whether the user's regions own a scheme of this payer in this region: the region lies in them; a village-budget
    (APBDes) scheme's desa must be one of them itself (the district and the branch office above it see it, and the
    desa decides on its budget)."""
    if not owner_code:
        return False
    if payer_type == PayerType.APBDES:
        return owner_code in user_region_codes(user)
    return code_in_scope(user, owner_code)


def can_manage_scheme(user, scheme) -> bool:
    """Create, change, and end anyone's enrolment in, a scheme: its owner region is the user's
    (`owns_scheme_region`)."""
    if sees_everything(user):
        return True
    return (user.is_authenticated and user.role in SCHEME_MANAGER_ROLES
            and owns_scheme_region(user, scheme.payer_type, scheme.owner_code))


def can_enrol_into(user, scheme) -> bool:
    """Put participants the user can see into a scheme the user can see (a village operator fills its desa's
    quota of a district scheme); PERISAI agents do not enrol."""
    if sees_everything(user) or can_manage_scheme(user, scheme):
        return True
    return user.is_authenticated and user.role in SCHEME_MANAGER_ROLES


def can_end_enrolment(user, enrolment: Enrolment) -> bool:
    """End an enrolment: the scheme's managers, and the staff of the enrolment's desa."""
    if can_manage_scheme(user, enrolment.scheme):
        return True
    return (user.is_authenticated and user.role in ENROLMENT_ENDER_ROLES
            and code_in_scope(user, enrolment.desa_code))


def participants_in_own_schemes(user) -> Q | None:
    """Funding's change grant on participants: a district official changes the people a scheme owned inside its
    regions pays for now or later (an enrolment whose last month has not passed), besides those it registered. Once the
    scheme stops paying, the grant goes: an old enrolment is no lasting right over a person."""
    if not (user.is_authenticated and user.role == Role.DISTRICT_OFFICIAL):
        return None
    codes = user_region_codes(user)
    if not codes:
        return None
    owned = Q()
    for code in codes:
        owned |= Q(scheme__owner_region=code) | Q(scheme__owner_region__code__startswith=code + ".")
    # Ending moves end_month back (before start_month when the scheme never paid).
    paying = Enrolment.objects.filter(owned, Q(end_month__gte=F("start_month")), end_month__gte=clock.this_month())
    return Q(pk__in=paying.values("participant_id"))

