"""The arrears policy in force for a branch (kabupaten) on a day: whether an incident in an unpaid month is covered.

`policy_for(kab_code, on)` answers from `ArrearsPolicy` rows: the latest row of the kabupaten valid from the day's
month or earlier, else the latest such national row (`kab_code = ''`), else the settings (BILLING_ARREARS_MODE,
BILLING_GRACE_MONTHS). The rows of a kabupaten and the national ones are read once and kept for POLICY_CACHE_SECONDS
in this process (status of one participant must cost one query, docs/design/ledger.md §4); saving or deleting a
policy empties the cache of this process, other processes see it within the TTL.
"""

import threading
import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from .models import ArrearsMode, ArrearsPolicy

POLICY_CACHE_SECONDS = 60
SETTINGS_SOURCE = "settings"  # `Policy.source` when no row applies: the installation's settings


@dataclass(frozen=True)
class Policy:
    mode: str  # ArrearsMode value: strict | lenient
    grace_months: int
    source: str  # the letter or rule the row names; SETTINGS_SOURCE when no row applies
    valid_from: date | None = None  # None: from the settings
    kab_code: str = ""  # '' = the national row (or the settings)

    @property
    def lenient(self) -> bool:
        return self.mode == ArrearsMode.LENIENT

    def as_dict(self) -> dict:
        return {"mode": self.mode, "grace_months": self.grace_months, "source": self.source}

    def mode_text(self) -> str:
        return str(LENIENT_WORDS if self.lenient else STRICT_WORDS)

    def source_text(self) -> str:
        return str(SETTINGS_WORDS) if self.source == SETTINGS_SOURCE else self.source


STRICT_WORDS = _("ketat")
LENIENT_WORDS = _("longgar")
SETTINGS_WORDS = _("pengaturan bawaan sistem")


def default_policy() -> Policy:
    mode = settings.BILLING_ARREARS_MODE if settings.BILLING_ARREARS_MODE in ArrearsMode.values else ArrearsMode.STRICT
    return Policy(mode=mode, grace_months=max(int(settings.BILLING_GRACE_MONTHS), 0), source=SETTINGS_SOURCE)


_lock = threading.Lock()
_cache: dict[str, tuple[float, list[Policy]]] = {}


def policy_cache_clear(**_ignored) -> None:
    """Forget every cached row (called when a policy is saved or deleted; tests call it too)."""
    with _lock:
        _cache.clear()


def _rows(kab_code: str) -> list[Policy]:
    """The policies of a kabupaten and the national ones, newest first within each (one query, then cached)."""
    now = time.monotonic()
    with _lock:
        hit = _cache.get(kab_code)
        if hit and now - hit[0] < POLICY_CACHE_SECONDS:
            return hit[1]
    codes = {"", kab_code}
    rows = [Policy(mode=r.mode, grace_months=r.grace_months, source=r.source, valid_from=r.valid_from,
                   kab_code=r.kab_code)
            for r in ArrearsPolicy.objects.filter(kab_code__in=codes).order_by("-valid_from")]
    with _lock:
        _cache[kab_code] = (now, rows)
    return rows


def policy_for(kab_code: str | None, on: date) -> Policy:
    """The policy in force in the kabupaten (`'33.11'`) on the day `on` (its month decides)."""
    month = on.replace(day=1)
    kab = (kab_code or "")[:5]
    rows = _rows(kab)
    for wanted in (kab, ""):
        for row in rows:  # newest first
            if row.kab_code == wanted and row.valid_from <= month:
                return row
        if not kab:
            break
    return default_policy()


post_save.connect(policy_cache_clear, sender=ArrearsPolicy, dispatch_uid="billing.policy_cache_clear.save")
post_delete.connect(policy_cache_clear, sender=ArrearsPolicy, dispatch_uid="billing.policy_cache_clear.delete")
