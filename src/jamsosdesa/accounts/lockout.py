"""Login throttling with two limits: one account from one address, and one address over all accounts.

django-axes compares the largest failure count among its lockout parameter sets with a single limit. The
address-wide count is scaled here so that it reaches that limit only at its own, higher limit
(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS): trying many accounts from one address is stopped too.

A successful login clears only the failures on that account from that address. Clearing the address's
failures over all accounts (axes' own reset) would let someone with an account of their own log in between
guesses on other accounts and so never reach the address-wide limit.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request) -> str | None:
    """The address a login attempt is counted under (AXES_CLIENT_IP_CALLABLE): the connection's own, or, when it
    comes from a trusted proxy (settings.TRUSTED_PROXIES), the last address in X-Forwarded-For that is not one of
    those proxies: each proxy appends the address it saw, so the entries before it are whatever the client sent."""
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = set(settings.TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop if _valid(hop) else remote
    return remote


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Expects AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"], in that order."""

    def get_failures(self, request, credentials=None) -> int:
        per_account, per_address = (_failures(attempts) for attempts in self.get_user_attempts(request, credentials))
        account_limit = settings.AXES_FAILURE_LIMIT
        address_limit = max(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS, 1)
        return max(per_account, per_address * account_limit // address_limit)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """Called by axes on a successful login (AXES_RESET_ON_SUCCESS): deletes the failures of the account's
        parameter set (username and address) only, so the address's failures on other accounts keep counting."""
        per_account = self.filter_user_attempts(request, credentials)[0]
        count, _ = per_account.delete()
        return count
