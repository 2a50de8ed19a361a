"""Who sees which wadah and agent (design §2): the one scoping function per object of issue 14. A national admin
sees everything; a branch officer the wadah and agents of its kabupaten; a wadah manager its wadah and their
agents; an agent itself. Everything else answers 404 (`get_*_for_user`)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from jamsosdesa.core.access import region_q, sees_everything, user_region_codes
from jamsosdesa.core.regioncodes import Level, level_of_code
from jamsosdesa.core.roles import Role

from .models_wadah import Agent, Wadah

NOTHING = Q(pk__in=[])


def _kab_q(user, column: str = "kab_code") -> Q:
    """Rows whose kabupaten lies in the user's regions (a province: its kabupaten; a desa or kecamatan gives none:
    a branch works per kabupaten)."""
    codes = [c for c in user_region_codes(user) if level_of_code(c) in (Level.PROVINSI, Level.KABUPATEN)]
    return region_q(codes, kab=column) if codes else NOTHING


def _scope_q(user, *, managed_by: str, agent_user: str) -> Q | None:
    """The one rule of §2 over a model: None for no restriction; otherwise the filter (`managed_by`: the path to the
    wadah's managers, `agent_user`: the path to the agent's login)."""
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    if sees_everything(user):
        return None
    if user.role == Role.BRANCH_OFFICER:
        return _kab_q(user)
    if user.role == Role.WADAH_MANAGER:
        return Q(**{managed_by: user})
    if user.role == Role.PERISAI_AGENT:
        return Q(**{agent_user: user})
    return NOTHING


def wadah_scope_q(user) -> Q | None:
    return _scope_q(user, managed_by="managers", agent_user="agents__user")


def agent_scope_q(user) -> Q | None:
    return _scope_q(user, managed_by="wadah__managers", agent_user="user")


def scope_wadah(user, qs: QuerySet | None = None) -> QuerySet:
    qs = Wadah.objects.all() if qs is None else qs
    q = wadah_scope_q(user)
    return qs if q is None else qs.filter(q).distinct()


def scope_agents(user, qs: QuerySet | None = None) -> QuerySet:
    qs = Agent.objects.all() if qs is None else qs
    q = agent_scope_q(user)
    return qs if q is None else qs.filter(q)


def agent_user_ids(user) -> QuerySet:
    """The user ids of the agents a user sees: what collections, deposits and incentive lines (which name the agent's
    user) are filtered by."""
    return scope_agents(user).values("user_id")


def get_wadah_for_user(user, pk) -> Wadah:
    try:
        return scope_wadah(user).get(pk=pk)
    except (Wadah.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_agent_for_user(user, pk) -> Agent:
    try:
        return scope_agents(user, Agent.objects.select_related("user", "wadah", "participant")).get(pk=pk)
    except (Agent.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
