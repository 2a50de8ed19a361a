"""Status on the participant page and in the participant list: the badge panel and the protection filter, which
billing adds to participants' registries from `BillingConfig.ready()` (participants never imports billing)."""

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core import clock

from .status import ACTIVE, ARREARS, ENDED, NON_ACTIVE, NOT_STARTED, participant_ids_with_status, status_of

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
    status = status_of(participant)
    return {"status": status, "badge": BADGE[status.status], "policy": status.policy}


def protection_filter(qs: QuerySet, value: str, *, user) -> QuerySet:
    """The participants of `qs` (already scoped) whose protection status today is `value`: the set-based status
    query, narrowed to `qs`'s people, as a subquery."""
    inner_sql, inner_params = qs.order_by().values("pk").query.sql_with_params()
    sql, params = participant_ids_with_status(value, clock.today(), participants_sql=f"p.id IN ({inner_sql})",
                                              participants_params=inner_params)
    return qs.filter(pk__in=RawSQL(sql, params))
