"""Who may see, register and change participants: the one place that turns a user into a participant filter.

Every read of personal data goes through `scope_participants`; every write checks `can_change_participant` /
`can_register_in`, and a bulk path asks `changeable_participant_ids` once for all its rows. Views obtain
objects through helpers that use these and answer 404 for anything outside the user's scope.

Packages above participants widen the change rights through `change_grants` (funding: a district official
changes the people enrolled in its schemes), registered from their `AppConfig.ready()`.
"""

from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet

from jamsosdesa.core.access import code_in_scope, region_q, sees_everything, user_region_codes
from jamsosdesa.core.registry import Registry
from jamsosdesa.core.roles import Role

from .models import Participant

# A grant answers, for a user, a filter over participants the user may change besides what the rule below allows
# (None: it grants this user nothing). It must not depend on the participant beyond what the filter says.
ChangeGrant = Callable[[object], Q | None]
change_grants: Registry[ChangeGrant] = Registry("change rights on participants granted by other packages")

CHANGEABLE_BATCH = 5000  # ids per query (SQLite's limit on parameters)


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
        qs = Participant.objects.all()
    q = participant_scope_q(user)
    return qs if q is None else qs.filter(q)


# Roles that read the people of their regions and change none of them: a PERISAI wadah's manager sees its agents'
# desa (issue 14); registering and changing people is its agents' (and the desa's, the branch's) work.
READ_ONLY_ROLES = (Role.WADAH_MANAGER,)


def can_register_in(user, desa_code: str) -> bool:
    return user.is_authenticated and user.role not in READ_ONLY_ROLES and code_in_scope(user, desa_code)


# Change rights, given that the user can already see the participant. Participants' own rule: a village operator,
# a branch officer and a PERISAI agent change the people of their regions, an agent also those it registered; a
# district official only those it registered personally (and, through funding's grant, what its schemes own).

def _own_rule_allows(user, participant) -> bool:
    if user.role in READ_ONLY_ROLES:
        return False
    registered_it = participant.registered_by_id == user.pk
    if user.role == Role.DISTRICT_OFFICIAL:
        return registered_it
    if user.role == Role.PERISAI_AGENT and registered_it:
        return True
    return code_in_scope(user, participant.desa_id)


def _own_rule_q(user) -> Q:
    if user.role in READ_ONLY_ROLES:
        return Q(pk__in=[])
    if user.role == Role.DISTRICT_OFFICIAL:
        return Q(registered_by_id=user.pk)
    q = region_q(user_region_codes(user))
    if user.role == Role.PERISAI_AGENT:
        q |= Q(registered_by_id=user.pk)
    return q


def _granted_q(user) -> Q | None:
    granted = [q for grant in change_grants if (q := grant(user)) is not None]
    if not granted:
        return None
    q = granted[0]
    for more in granted[1:]:
        q |= more
    return q


def can_change_participant(user, participant) -> bool:
    """Whether `user` may change this participant (at most one query, and only when a grant must be asked)."""
    if not user.is_authenticated:
        return False
    if sees_everything(user):
        return True
    if _own_rule_allows(user, participant):
        return True
    granted = _granted_q(user)
    if granted is None or participant.pk is None:
        return False
    return Participant.objects.filter(granted, pk=participant.pk).exists()


def changeable_participant_ids(user, ids: Iterable[int]) -> set[int]:
    """Which of these participants `user` may change: for each the answer of `can_change_participant`, found
    set-based for bulk paths (an import's preview and load) with one query per 5,000 ids, not one per person."""
    ids = list(dict.fromkeys(ids))
    if not ids or not user.is_authenticated:
        return set()
    if sees_everything(user):
        return set(ids)
    rule = _own_rule_q(user)
    granted = _granted_q(user)
    if granted is not None:
        rule |= granted
    found: set[int] = set()
    for start in range(0, len(ids), CHANGEABLE_BATCH):
        batch = ids[start:start + CHANGEABLE_BATCH]
        found.update(Participant.objects.filter(rule, pk__in=batch).values_list("pk", flat=True))
    return found
