"""Who may see and change what: the one place that turns a user into a region filter.

Every read of personal data goes through `scope_participants`; every write checks
`can_change_participant` / `can_register_in`. Views obtain objects through helpers that use these
and answer 404 for anything outside the user's scope.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from jamsosdesa.accounts.models import Role
from jamsosdesa.regions.models import CODE_LENGTH, Level

ROLES_WITH_FULL_NIK_IN_LISTS_DEFAULT = ("national_admin", "branch_officer")


def user_region_codes(user) -> list[str]:
    """The region codes a user is assigned (cached on the user object for the request)."""
    cached = getattr(user, "_region_codes", None)
    if cached is None:
        cached = sorted(user.regions.values_list("code", flat=True)) if user.pk else []
        user._region_codes = cached
    return cached


def sees_everything(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.NATIONAL_ADMIN))


def region_q(codes: list[str], *, desa="desa_id", kec="kec_code", kab="kab_code") -> Q:
    """A filter matching rows in any of the given regions, using the indexed column per level."""
    by_level: dict[str, list[str]] = {desa: [], kec: [], kab: []}
    q = Q(pk__in=[])
    for code in codes:
        if len(code) == CODE_LENGTH[Level.DESA]:
            by_level[desa].append(code)
        elif len(code) == CODE_LENGTH[Level.KECAMATAN]:
            by_level[kec].append(code)
        elif len(code) == CODE_LENGTH[Level.KABUPATEN]:
            by_level[kab].append(code)
        elif len(code) == CODE_LENGTH[Level.PROVINSI]:
            q |= Q(**{f"{kab}__startswith": code + "."})
    for column, values in by_level.items():
        if values:
            q |= Q(**{f"{column}__in": values})
    return q


def participant_scope_q(user) -> Q | None:
    """None means no restriction; otherwise the filter for what the user may see."""
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if sees_everything(user):
        return None
    q = region_q(user_region_codes(user))
    if user.role == Role.PERISAI_AGENT:
        q |= Q(registered_by_id=user.pk)
    return q


def scope_participants(user, qs: QuerySet | None = None) -> QuerySet:
    """The one scoping function for participants (and anything reached through them)."""
    if qs is None:
        from jamsosdesa.participants.models import Participant

        qs = Participant.objects.all()
    q = participant_scope_q(user)
    return qs if q is None else qs.filter(q)


def code_in_scope(user, desa_code: str) -> bool:
    """Whether a desa lies inside the regions a user is assigned."""
    if sees_everything(user):
        return True
    return any(desa_code == c or desa_code.startswith(c + ".") for c in user_region_codes(user))


def can_register_in(user, desa_code: str) -> bool:
    return user.is_authenticated and code_in_scope(user, desa_code)


def can_change_participant(user, participant) -> bool:
    """Change rights, given that the user can already see the participant.

    A district official changes only what its own schemes own: participants enrolled in a scheme the
    official manages, and those the official registered personally.
    """
    if sees_everything(user):
        return True
    if user.role == Role.DISTRICT_OFFICIAL:
        if participant.registered_by_id == user.pk:
            return True
        from jamsosdesa.funding.models import Enrolment

        owners = Enrolment.objects.filter(participant_id=participant.pk).values_list("scheme__owner_region_id",
                                                                                        flat=True)
        return any(code and code_in_scope(user, code) for code in owners)
    if user.role == Role.PERISAI_AGENT and participant.registered_by_id == user.pk:
        return True
    return code_in_scope(user, participant.desa_id)


CHANGEABLE_BATCH = 5000  # ids per query (SQLite's limit on parameters)


def changeable_participant_ids(user, ids: Iterable[int]) -> set[int]:
    """Which of these participants `user` may change: for each the answer of `can_change_participant`, found
    set-based for bulk paths (an import's preview and load) with one query per 5,000 ids, not one per person."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return set()
    if sees_everything(user):
        return set(ids)
    from jamsosdesa.participants.models import Participant

    codes = user_region_codes(user)
    if user.role == Role.DISTRICT_OFFICIAL:
        rule = Q(registered_by_id=user.pk)
        if codes:
            from jamsosdesa.funding.models import Enrolment

            owned = Q()
            for code in codes:
                owned |= Q(scheme__owner_region=code) | Q(scheme__owner_region__code__startswith=code + ".")
            rule |= Q(pk__in=Enrolment.objects.filter(owned).values("participant_id"))
    elif user.role == Role.PERISAI_AGENT:
        rule = Q(registered_by_id=user.pk) | region_q(codes)
    else:
        rule = region_q(codes)
    found: set[int] = set()
    for start in range(0, len(ids), CHANGEABLE_BATCH):
        batch = ids[start:start + CHANGEABLE_BATCH]
        found.update(Participant.objects.filter(rule, pk__in=batch).values_list("pk", flat=True))
    return found


def shows_full_nik_in_lists(user) -> bool:
    from django.conf import settings

    roles = getattr(settings, "NIK_UNMASKED_LIST_ROLES", ROLES_WITH_FULL_NIK_IN_LISTS_DEFAULT)
    return user.is_superuser or user.role in roles


# --- funding schemes -------------------------------------------------------------------------------------

SCHEME_MANAGER_ROLES = (Role.DISTRICT_OFFICIAL, Role.BRANCH_OFFICER, Role.VILLAGE_OPERATOR)


def _ancestor_codes(code: str) -> list[str]:
    """'33.11.11.2004' -> ['33', '33.11', '33.11.11']."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


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
        covering.update(_ancestor_codes(code))
    if covering:
        q |= Q(owner_region_id__in=sorted(covering))
    return q


def scope_schemes(user, qs: QuerySet | None = None) -> QuerySet:
    """The one scoping function for funding schemes."""
    if qs is None:
        from jamsosdesa.funding.models import Scheme

        qs = Scheme.objects.all()
    q = scheme_scope_q(user)
    return qs if q is None else qs.filter(q)


def can_create_scheme(user) -> bool:
    return sees_everything(user) or (user.is_authenticated and user.role in SCHEME_MANAGER_ROLES)


def can_manage_scheme(user, scheme) -> bool:
    """Create, change, and end anyone's enrolment in, a scheme: its owner region lies in the user's regions."""
    if sees_everything(user):
        return True
    return (user.is_authenticated and user.role in SCHEME_MANAGER_ROLES and bool(scheme.owner_code)
            and code_in_scope(user, scheme.owner_code))


def can_enrol_into(user, scheme) -> bool:
    """Put participants the user can see into a scheme the user can see (a village operator fills its desa's
    quota of a district scheme); PERISAI agents do not enrol."""
    if sees_everything(user) or can_manage_scheme(user, scheme):
        return True
    return user.is_authenticated and user.role in SCHEME_MANAGER_ROLES
