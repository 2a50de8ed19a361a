"""Claims on the dashboard (issue 15 item 7): for a region and a month (or the last twelve months), the claims paid
(count and rupiah), the working days from a complete file to payment (median and average, claims.clock), the
refusals by reason (the lapse problem made visible), the claims still open, and the same figures for each child
region (the drill-down: nation -> province -> kabupaten -> kecamatan -> desa, as the coverage dashboard's).

Everything is counted from the claims the user sees (claims.access.scope_claims); a region outside that scope, or a
code that is no region, is not found (404)."""

from __future__ import annotations

import statistics
from datetime import date, datetime, time

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsosdesa.core import clock as core_clock
from jamsosdesa.core.access import code_in_scope, sees_everything, user_region_codes
from jamsosdesa.core.errors import NotFound
from jamsosdesa.core.months import add_months
from jamsosdesa.core.regioncodes import Level, ancestor_codes, level_of_code, rows_in_region
from jamsosdesa.regions.selectors import region_children, region_get, region_names

from .access import scope_claims
from .clock import working_days
from .decision import rejection_label
from .models import Claim, ClaimStatus
from .worklist import WAITING, is_overdue

NATION = "ID"
TREND_MONTHS = 12


def default_region(user) -> str:
    if sees_everything(user):
        return NATION
    mine = user_region_codes(user)
    return mine[0] if mine else ""


def region_or_404(user, code: str | None) -> tuple[str, str]:
    """(code, name) of the region asked ('' or ID: the nation, for who sees everything); NotFound otherwise."""
    code = (code or "").strip().upper() if (code or "").strip().upper() == NATION else (code or "").strip()
    if not code:
        code = default_region(user)
    if code == NATION:
        if not sees_everything(user):
            raise NotFound(_("Wilayah tidak ditemukan."))
        return NATION, _("Indonesia")
    region = region_get(code) if level_of_code(code) is not None else None
    if region is None or not code_in_scope(user, code):
        raise NotFound(_("Wilayah tidak ditemukan."))
    return region.code, region.name


def parent_of(user, code: str) -> tuple[str, str] | None:
    """The region above `code` the user may open (the breadcrumb back up), or None."""
    if code == NATION:
        return None
    above = [c for c in ancestor_codes(code) if code_in_scope(user, c)]
    if above:
        return above[-1], region_names([above[-1]]).get(above[-1], above[-1])
    return (NATION, _("Indonesia")) if sees_everything(user) else None


def _start(month: date) -> datetime:
    return timezone.make_aware(datetime.combine(month, time.min))


def _child_code(level: Level | None, kab_code: str, desa_code: str) -> str:
    if level is None:  # the nation: provinces
        return kab_code[:2]
    if level == Level.PROVINSI:
        return kab_code
    if level == Level.KABUPATEN:
        return desa_code[:8]
    return desa_code


def _empty() -> dict:
    return {"paid": 0, "paid_amount": 0, "days": [], "refused": 0, "reported": 0}


def _summary(bucket: dict) -> dict:
    days = bucket.pop("days")
    bucket["median_days"] = statistics.median(days) if days else None
    bucket["average_days"] = round(sum(days) / len(days), 1) if days else None
    return bucket


def figures(user, *, region: str | None = None, month: date | None = None) -> dict:
    """The claims' figures of `region` (see the module) for `month` (the first day), or the last twelve months."""
    code, name = region_or_404(user, region)
    last = month or core_clock.this_month()
    first = month or add_months(last, -(TREND_MONTHS - 1))
    since, until = _start(first), _start(add_months(last, 1))
    qs = Claim.objects.all() if code == NATION else Claim.objects.filter(rows_in_region(code))
    qs = scope_claims(user, qs)
    level = None if code == NATION else level_of_code(code)

    total, by_month, by_child = _empty(), {}, {}
    paid = qs.filter(status=ClaimStatus.PAID, paid_at__gte=since, paid_at__lt=until)
    for kab, desa, amount, first_complete_at, complete_at, paid_at in paid.values_list(
            "kab_code", "desa_code", "benefit_total", "first_complete_at", "complete_at", "paid_at"):
        start = first_complete_at or complete_at  # the clock runs from the first completion (claims.worklist)
        days = working_days(start, paid_at) if start else None
        paid_month = timezone.localdate(paid_at).replace(day=1)
        for bucket in (total, by_month.setdefault(paid_month, _empty()),
                       by_child.setdefault(_child_code(level, kab, desa), _empty())):
            bucket["paid"] += 1
            bucket["paid_amount"] += amount
            if days is not None:
                bucket["days"].append(days)
    refusals: dict[str, int] = {}
    refused = qs.filter(status=ClaimStatus.REJECTED, decided_at__gte=since, decided_at__lt=until)
    for kab, desa, reason in refused.values_list("kab_code", "desa_code", "rejection_code"):
        refusals[reason] = refusals.get(reason, 0) + 1
        total["refused"] += 1
        by_child.setdefault(_child_code(level, kab, desa), _empty())["refused"] += 1
    for kab, desa in qs.filter(reported_at__gte=since, reported_at__lt=until).values_list("kab_code", "desa_code"):
        total["reported"] += 1
        by_child.setdefault(_child_code(level, kab, desa), _empty())["reported"] += 1
    open_claims = list(qs.filter(status__in=(*WAITING, ClaimStatus.HELD)).only(
        "status", "complete_at", "first_complete_at"))
    open_by_status = dict(qs.filter(status__in=(*WAITING, ClaimStatus.HELD)).values_list("status")
                          .annotate(n=Count("id")).values_list("status", "n"))

    children = []
    child_rows = region_children("" if code == NATION else code)
    names = dict(child_rows.values_list("code", "name")) if len(by_child) else {}
    if not names and by_child:
        names = region_names(by_child)
    for child, bucket in sorted(by_child.items()):
        if code != NATION or code_in_scope(user, child):
            children.append({"code": child, "name": names.get(child, child), **_summary(bucket)})
    months = []
    m = first
    while m <= last:
        months.append({"month": f"{m:%Y-%m}", **_summary(by_month.get(m, _empty()))})
        m = add_months(m, 1)
    return {
        "region": code, "name": name, "level": int(level) if level else 0, "parent": parent_of(user, code),
        "month": f"{month:%Y-%m}" if month else None, "from_month": f"{first:%Y-%m}", "to_month": f"{last:%Y-%m}",
        **_summary(total),
        "refusals": [{"code": c, "label": rejection_label(c), "count": n}
                     for c, n in sorted(refusals.items(), key=lambda kv: (-kv[1], kv[0]))],
        "open": {s: open_by_status.get(s, 0) for s in (*WAITING, ClaimStatus.HELD)},
        "overdue": sum(1 for c in open_claims if is_overdue(c)),
        "months": months,
        "children": children,
    }
