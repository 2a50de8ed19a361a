"""The generic part of who may see and change what: a user's regions, and filters over region codes.

Each domain package states its own rules on top of these (participants.access: participants; funding.access:
schemes and enrolments), and a package higher up adds to a lower one's rules through that package's registry
(core.registry), never by the lower package importing it.
"""

from collections.abc import Callable
from datetime import date

from django.db.models import Q

from .regioncodes import Level, code_within, is_desa_code, level_of_code
from .registry import Registry
from .roles import Role


def user_region_codes(user) -> list[str]:
    """The region codes a user is assigned (cached on the user object for the request)."""
    cached = getattr(user, "_region_codes", None)
    if cached is None:
        cached = sorted(user.regions.values_list("code", flat=True)) if user.pk else []
        user._region_codes = cached
    return cached


def own_desa(user) -> str:
    """The desa a user works in when it is the only region they are assigned ('' otherwise): what a form that asks
    for a desa (registration, import, a scheme's owner) starts with."""
    codes = user_region_codes(user)
    return codes[0] if len(codes) == 1 and is_desa_code(codes[0]) else ""


def sees_everything(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.NATIONAL_ADMIN))


def region_q(codes: list[str], *, desa="desa_id", kec="kec_code", kab="kab_code") -> Q:
    """A filter matching rows in any of the given regions, using the indexed column per level."""
    column_of = {Level.DESA: desa, Level.KECAMATAN: kec, Level.KABUPATEN: kab}
    by_column: dict[str, list[str]] = {column: [] for column in column_of.values()}
    q = Q(pk__in=[])
    for code in codes:
        level = level_of_code(code)
        if level == Level.PROVINSI:
            q |= Q(**{f"{kab}__startswith": code + "."})
        elif level is not None:
            by_column[column_of[level]].append(code)
    for column, values in by_column.items():
        if values:
            q |= Q(**{f"{column}__in": values})
    return q


def code_in_scope(user, code: str) -> bool:
    """Whether a region (a desa, or a scheme's owner region) lies inside the regions a user is assigned."""
    if sees_everything(user):
        return True
    return any(code_within(code, mine) for mine in user_region_codes(user))



# --- Who may act today (issue 14): a package above core registers, from its AppConfig.ready(), a check
# `(user, on) -> refusal text` ('' when the user may act). The services where a person acts on someone's behalf
# (participants' registration and bulk import, billing's package start and payment) ask `actor_refusal` first;
# agents registers `agents.rules.agent_refusal` (an inactive agent, a wadah not active, a PKS not in force) and the
# wadah manager's read-only rule. A check answers '' for users it does not concern.
ActorCheck = Callable[[object, date], str]
actor_refusals: Registry[ActorCheck] = Registry("checks whether a user may register, start a package or collect")


def actor_refusal(user, on: date | None = None) -> str:
    """The first refusal of the registered checks for `user` on `on` (today by default); '' when none refuses."""
    from . import clock

    on = on or clock.today()
    for check in actor_refusals:
        text = check(user, on)
        if text:
            return str(text)
    return ""


def refuse_actor(user, on: date | None = None) -> None:
    """Raise a ServiceError (code `actor_refused`, HTTP 403) when a registered check refuses `user` on `on`."""
    from .errors import ErrorCode, ServiceError

    text = actor_refusal(user, on)
    if text:
        raise ServiceError(code=ErrorCode.ACTOR_REFUSED, message=text)
