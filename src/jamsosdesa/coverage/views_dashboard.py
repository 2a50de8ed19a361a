"""The coverage dashboard under /cakupan/ (issue 13 item 4): a region's figures on a day from the snapshots
(coverage.dashboard -> coverage.snapshot.coverage_figures), with SVG charts (coverage.charts), the ranking of its
child regions (drill-down) and the breadcrumb back up, its outreach events, an .xlsx workbook of every table
(audited) and a one-page A4 report. A region the user does not see, or a code that is no region: 404. A date that
cannot be read, is still to come or is before any snapshot: a message on the page."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jamsosdesa.billing.views_statements import xlsx_download
from jamsosdesa.core import clock
from jamsosdesa.core.access import sees_everything, user_region_codes
from jamsosdesa.core.charts import Bar, hbars, meter
from jamsosdesa.core.errors import NotFound, ServiceError
from jamsosdesa.regions.selectors import region_names

from . import dashboard as service
from .access import parse_region, region_code_text
from .views_targets import region_for_user

PRINT_CHILDREN = 15  # rows of the child table on the one-page report


_count, _percent, _units = service.count_text, service.percent_text, service.units_text


def _month_label(entry: dict) -> str:
    on = date.fromisoformat(entry["on"])
    month_end = (on + timedelta(days=1)).day == 1
    return date_format(on, "F Y") if month_end else date_format(on, "j F Y")


@login_required
def dashboard_home(request):
    """/cakupan/: the user's own region's dashboard (a national admin's: the nation's); several regions: a list."""
    if sees_everything(request.user):
        return redirect("coverage:dashboard", region="ID")
    mine = user_region_codes(request.user)
    if len(mine) == 1:
        return redirect("coverage:dashboard", region=mine[0])
    names = region_names(mine)
    return render(request, "coverage/dashboard_choose.html", {"regions": [(c, names.get(c, c)) for c in mine]})


def _charts(f: dict) -> dict:
    charts = {}
    if f["coverage"] is not None:
        charts["coverage"] = hbars(
            [Bar(_("Cakupan"), f["coverage"], _percent(f["coverage"]))], chart_id="chart-coverage", top=100,
            title=_("Cakupan %(r)s") % {"r": f["name"]},
            desc=_("%(p)s terlindungi dari %(d)s penduduk bekerja (%(s)s): %(c)s.") % {
                "p": _count(f["protected"]), "d": _count(f["denominator"]), "s": f["denominator_source"],
                "c": _percent(f["coverage"])})
    if f["target"] is not None:
        mark = (f["target"], _("Target %(n)s") % {"n": _count(f["target"])})
        charts["progress"] = hbars(
            [Bar(_("Terlindungi"), f["protected"], f"{_count(f['protected'])} ({_percent(f['target_progress'])})"),
             Bar(f["counting_rule"] or _("Dihitung untuk target"), f["counted"],
                 f"{_units(f['counted'])} ({_percent(f['target_progress_counted'])})", second=True)],
            chart_id="chart-progress", mark=mark, title=_("Kemajuan menuju target %(r)s") % {"r": f["name"]},
            desc=_("Target %(t)s orang, jatuh tempo %(d)s. Terlindungi %(p)s (%(pp)s); dihitung untuk target %(c)s "
                   "(%(cp)s).") % {"t": _count(f["target"]), "d": f["target_due"], "p": _count(f["protected"]),
                                   "pp": _percent(f["target_progress"]), "c": _units(f["counted"]),
                                   "cp": _percent(f["target_progress_counted"])})
    if f["trend"]:
        bars = [Bar(_month_label(t), t["protected"], _count(t["protected"])) for t in f["trend"]]
        charts["trend"] = hbars(
            bars, chart_id="chart-trend",
            mark=(f["target"], _("Target %(n)s") % {"n": _count(f["target"])}) if f["target"] is not None else None,
            title=_("Terlindungi per bulan, %(r)s") % {"r": f["name"]},
            desc="; ".join(f"{b.label}: {b.text}" for b in bars))
    breakdowns = []
    for kind, entries in f["breakdowns"].items():
        if not entries:
            continue
        # groups with registered people but nobody protected are named under the chart, not drawn as empty bars
        bars = [Bar(e["label"] or e["key"] or _("tidak tercatat"), e["protected"], _count(e["protected"]))
                for e in entries if e["protected"]]
        idle = [e["label"] or e["key"] or _("tidak tercatat") for e in entries if not e["protected"]]
        chart = hbars(
            bars, chart_id=f"chart-{kind}", top=max([f["protected"]] + [b.value for b in bars]),
            title=_("Terlindungi menurut %(k)s") % {"k": str(service.BREAKDOWN_WORDS.get(kind, kind)).lower()},
            desc="; ".join(f"{b.label}: {b.text}" for b in bars)) if bars else ""
        breakdowns.append((service.BREAKDOWN_WORDS.get(kind, kind), chart, idle))
    charts["breakdowns"] = breakdowns
    return charts


def _read(request, region: str, *, events: bool = True) -> dict:
    """Everything the page and the report show: the figures of the day asked (or the message why not)."""
    code = region_for_user(request, region)
    typed = request.GET.get("tanggal", "").strip()
    problem = ""
    try:
        asked = service.day_asked(typed, field="tanggal")
    except ServiceError as exc:
        problem, asked = exc.message, clock.today()
    sort = request.GET.get("urut", "kode")
    sort = sort if sort in service.SORTS else "kode"
    context = {"code": region_code_text(code), "typed": typed[:40], "problem": problem, "asked": asked,
               "today": clock.today(), "sort": sort, "sorts": service.SORTS,
               "name": region_names([code]).get(code, "") if code else "Indonesia"}
    try:
        f = service.figures_for(user=request.user, region=region_code_text(code), on=asked)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:  # no snapshot on or before the day
        context["missing"] = exc.message
        return context
    date_query = {"tanggal": asked.isoformat()} if typed and not problem else {}
    children = service.sorted_children(f["children"], sort)
    for child in children:
        child["url"] = reverse("coverage:dashboard", args=[child["region"]]) + (
            "?" + urlencode(date_query) if date_query else "")
        child["meter"] = meter(child["coverage"], label=_percent(child["coverage"]))
    rows, total = (service.region_events(user=request.user, region=code, on=date.fromisoformat(f["on"]))
                   if events else ([], 0))
    context.update(
        f=f, children=children, events=rows, events_total=total, charts=_charts(f),
        level=service.LEVEL_WORDS[f["level"]], child_level=service.CHILD_LEVEL_WORDS.get(f["level"], ""),
        statuses=service.status_rows(f), rule=service.rule_text(date.fromisoformat(f["on"])),
        date_query=urlencode(date_query),
        query=urlencode({**date_query, **({"urut": sort} if sort != "kode" else {})}),
        on=date.fromisoformat(f["on"]),
        refreshed=parse_datetime(f["refreshed_at"]) if f["refreshed_at"] else None,
        worklist=reverse("billing:worklist") + "?" + urlencode(
            {"jenis": "non_active", **({"wilayah": code} if code else {})}),
        events_url=reverse("coverage:events") + ("?" + urlencode({"wilayah": code}) if code else ""))
    return context


@login_required
def dashboard(request, region: str):
    return render(request, "coverage/dashboard.html", _read(request, region))


@login_required
def dashboard_print(request, region: str):
    context = _read(request, region, events=False)
    if "f" in context:
        context["print_children"] = context["children"][:PRINT_CHILDREN]
        context["sort_label"] = service.SORTS[context["sort"]][0]
    context["now"] = clock.now()
    return render(request, "coverage/dashboard_print.html", context)


@login_required
def dashboard_export(request, region: str):
    context = _read(request, region, events=False)
    if "f" not in context:  # no figures for that day: the page says why
        return redirect(reverse("coverage:dashboard", args=[context["code"]]) + (
            "?" + urlencode({"tanggal": context["typed"]}) if context["typed"] else ""))
    f = context["f"]
    events, _total = service.region_events(user=request.user, region=parse_region(f["region"]),
                                           on=date.fromisoformat(f["on"]), limit=0)
    return xlsx_download(
        lambda target: service.figures_xlsx(figures=f, children=context["children"], events=events, target=target),
        lambda rows: service.figures_export_record(actor=request.user, figures=f, rows=rows),
        f"cakupan-{f['region']}-{f['on']}.xlsx")
