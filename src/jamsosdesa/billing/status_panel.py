"""Status on the participant page and in the participant list: the badge panel and the protection filter, which
billing adds to participants' registries from `BillingConfig.ready()` (participants never imports billing)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core import clock

from .status import (
    ACTIVE,
    ARREARS,
    ENDED,
    NON_ACTIVE,
    NOT_STARTED,
    ids_filter,
    participant_ids_with_status,
    status_of,
)

PROTECTION_PARAM = "protection"
# Short words: the select is half a 360-px screen wide (the page's own status words say more).
PROTECTION_CHOICES = [
    (ACTIVE, _("Terlindungi")),
    (ARREARS, _("Menunggak")),
    (NON_ACTIVE, _("Tidak aktif")),
    (NOT_STARTED, _("Belum mulai")),
    (ENDED, _("Berakhir")),
]
BADGE = {ACTIVE: "on", ARREARS: "warn", NON_ACTIVE: "off", NOT_STARTED: "", ENDED: "off"}


def participant_status_panel(*, user, participant) -> dict:
    """The panel's data: the person's status today (the page is already scoped to people the user sees)."""
    from .overlays import overlays_of

    status = status_of(participant)
    return {"status": status, "badge": BADGE[status.status], "policy": status.policy,
            "overlays": overlays_of(participant.pk, status.on)}


def protection_filter(qs: QuerySet, value: str, *, user) -> QuerySet:
    """The participants of `qs` (already scoped) whose protection status today is `value`: the set-based status
    query, narrowed to `qs`'s people. When they are many and all of one kabupaten (the list filtered by a kabupaten,
    or a kabupaten's user), the dues are read through their own kabupaten (`status_table`'s fast path); a few people
    (a desa, a search) are read person by person."""
    base = qs.order_by()
    inner_sql, inner_params = base.values("pk").query.sql_with_params()
    region = ""
    if base.values("pk")[:FEW_PEOPLE + 1].count() > FEW_PEOPLE:
        kabs = list(base.values_list("kab_code", flat=True).distinct()[:2])
        region = kabs[0] if len(kabs) == 1 else ""
    sql, params = participant_ids_with_status(value, clock.today(), region_code=region,
                                              participants_sql=f"p.id IN ({inner_sql})",
                                              participants_params=inner_params)
    return qs.filter(ids_filter([(sql, params)]))


FEW_PEOPLE = 5000
