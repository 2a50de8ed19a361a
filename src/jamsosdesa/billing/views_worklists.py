"""The worklist page (H6): lapse forecast 30/60/90 days, arrears this month, non-active next month; grouped per
desa or per agent, with a reminder and a WhatsApp link per row, an .xlsx export and the action that starts the
worker's own package from the month after the scheme ends. Rows are scoped in billing.worklists (billing.access)."""

from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.core import clock
from jamsosdesa.core.access import code_in_scope, sees_everything, user_region_codes
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.months import add_months
from jamsosdesa.core.regioncodes import level_of_code
from jamsosdesa.core.text import has_bad_chars
from jamsosdesa.funding.selectors import enrolment_get
from jamsosdesa.regions.selectors import region_names

from .access import can_manage_package
from .services.membership import membership_start
from .views_statements import xlsx_download
from .worklists import (
    KINDS,
    WINDOWS,
    planned_without_jit,
    present,
    worklist_export_record,
    worklist_rows,
    worklist_xlsx,
)

PAGE_SIZE = 50


@dataclass(frozen=True)
class Query:
    kind: str
    days: int
    regions: list[str]
    region: str  # what the user typed or chose ('' = its whole area)
    group: str  # desa | agent
    desa: str
    agent: str


def _query(request) -> Query:
    """The page's filters, each read defensively: anything unexpected falls back to the default."""
    get = request.GET
    kind = get.get("jenis", "forecast")
    kind = kind if kind in KINDS else "forecast"
    try:
        days = int(get.get("hari", "30"))
    except ValueError:
        days = 30
    days = days if days in WINDOWS else 30
    region = get.get("wilayah", "").strip()[:13]
    if has_bad_chars(region) or level_of_code(region) is None:
        region = ""
    mine = user_region_codes(request.user)
    if region and (sees_everything(request.user) or code_in_scope(request.user, region)):
        regions = [region]
    else:
        region = ""
        regions = mine
    group = "agent" if get.get("kelompok") == "agen" else "desa"
    desa = get.get("desa", "").strip()[:13]
    agent = get.get("agen", "").strip()[:10]
    return Query(kind, days, regions, region, group, desa if level_of_code(desa) else "",
                 agent if agent.isascii() and agent.isdigit() else "")


def _rows(request, q: Query):
    qs = worklist_rows(q.kind, q.regions, q.days, clock.today(), user=request.user)
    if q.desa:
        qs = qs.filter(desa_code=q.desa)
    if q.agent:
        qs = qs.filter(agent_id=int(q.agent))
    return qs


@login_required
def worklist(request):
    q = _query(request)
    page = groups = None
    if q.regions:
        qs = _rows(request, q)
        if q.group == "agent":
            qs = qs.order_by("agent_id", "desa_code", "search", "participant_id")
        with planned_without_jit():
            page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
            rows = present(page.object_list, user=request.user, kind=q.kind)
        key = (lambda r: (r.agent_name or _("tanpa agen"))) if q.group == "agent" else (lambda r: r.desa_name)
        groups = [(name, list(items)) for name, items in groupby(rows, key=key)]
        starts = {r.enrolment_id for r in rows if r.kind == "forecast" and r.enrolment_id}
        can_start = _startable(request.user, rows) if starts else set()
    else:
        can_start = set()
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "billing/worklist.html", {
        "q": q, "page": page, "groups": groups, "windows": WINDOWS, "can_start": can_start,
        "region_name": region_names([q.region]).get(q.region, "") if q.region else "",
        "query": query.urlencode(), "export_query": query.urlencode(),
        "month_after": add_months(clock.this_month(), 1)})


def _startable(user, rows) -> set[int]:
    """The forecast rows whose person's package this user may start (one check per person on the page)."""
    from jamsosdesa.participants.models import Participant

    people = {p.pk: p for p in Participant.objects.filter(pk__in={r.participant_id for r in rows})}
    return {r.enrolment_id for r in rows
            if r.participant_id in people and can_manage_package(user, people[r.participant_id])}


@login_required
def worklist_export(request):
    q = _query(request)
    if not q.regions:
        messages.error(request, _("Pilih wilayah dulu (kode kabupaten, kecamatan atau desa)."))
        return redirect("billing:worklist")
    regions = [q.desa] if q.desa else q.regions
    today = clock.today()
    name = {"forecast": f"akan-berakhir-{q.days}-hari", "arrears": "menunggak-bulan-ini",
            "non_active": "nonaktif-bulan-depan"}[q.kind]
    return xlsx_download(
        lambda target: worklist_xlsx(actor=request.user, kind=q.kind, regions=regions, days=q.days, today=today,
                                     target=target),
        lambda rows: worklist_export_record(actor=request.user, kind=q.kind, regions=regions, days=q.days, rows=rows),
        f"{name}-{today:%Y-%m-%d}.xlsx")


@login_required
@require_POST
def worklist_start(request, enrolment: int):
    """'Mulai iuran mandiri dari <bulan>': the worker's own package from the month after the scheme's last month,
    with the scheme's programmes and income (H1's membership_start, channel 'forecast')."""
    row = enrolment_get(user=request.user, pk=enrolment)
    if row is None or not can_manage_package(request.user, row.participant):
        raise Http404
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    first = add_months(row.end_month, 1)
    try:
        membership_start(actor=request.user, participant=row.participant, programmes=list(row.scheme.programmes),
                         income=row.scheme.income_nominal, first_month=first, channel="forecast")
    except ServiceError as exc:
        messages.error(request, f"{row.participant.full_name}: {exc.message}")
    else:
        messages.success(request, _("Iuran mandiri %(name)s dimulai dari %(month)s.") % {
            "name": row.participant.full_name, "month": f"{first:%m/%Y}"})
    return redirect(next_url or "billing:worklist")
