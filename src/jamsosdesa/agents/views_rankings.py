"""/agen/peringkat/?kab=&dari=&sampai=&urut=&arah=: the branch's ranking of its PERISAI agents and wadah
(agents.rankings), a bar chart of the chosen column (core.charts), and its .xlsx export (audited). A user who sees no
rankings, or a kabupaten outside their area: 404. A kabupaten or a period that cannot be used: a message on the
page."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jamsosdesa.billing.views_statements import xlsx_download
from jamsosdesa.core import clock
from jamsosdesa.core.charts import Bar, hbars
from jamsosdesa.core.errors import NotFound, ServiceError
from jamsosdesa.core.money import rupiah, thousands

from . import rankings as service

CHART_ROWS = 10  # agents drawn in the chart (the table lists every one)
MONEY = ("collected", "deposited")


def _figure_text(key: str, value) -> str:
    if value is None:
        return "-"
    if key in MONEY:
        return rupiah(value)
    if key.endswith("_rate"):
        return f"{number_format(value, decimal_pos=1)} %"
    return thousands(value)


def _chart(ranking: dict):
    """The first agents of the table drawn on the chosen column (acquisitions when a name column is chosen)."""
    key = {"nama": "acquisitions", "wadah": "acquisitions", "akuisisi": "acquisitions", "baru": "new",
           "penagihan": "collected", "setoran": "deposited", "retensi6": "retention_6_rate",
           "retensi12": "retention_12_rate"}[ranking["sort"]]
    rows = ranking["agents"][:CHART_ROWS]
    if not rows:
        return key, ""
    label = str(service.SORTS[ranking["sort"] if key != "acquisitions" else "akuisisi"][0])
    bars = [Bar(r["name"], r[key] or 0, _figure_text(key, r[key])) for r in rows]
    top = 100 if key.endswith("_rate") else None
    return key, hbars(bars, chart_id="chart-ranking", top=top,
                      title=_("Agen menurut %(k)s, %(r)s") % {"k": label, "r": ranking["name"]},
                      desc="; ".join(f"{b.label}: {b.text}" for b in bars))


def _asked(request) -> dict:
    get = request.GET
    kab = get.get("kab", "").strip() or service.default_kab(request.user)
    return {"kab": kab[:40], "dari": get.get("dari", "").strip()[:40], "sampai": get.get("sampai", "").strip()[:40],
            "urut": get.get("urut", ""), "arah": get.get("arah", "")}


def _read(request) -> dict:
    if not service.may_see_rankings(request.user):
        raise Http404
    asked = _asked(request)
    context = {"asked": asked, "this_month": f"{clock.this_month():%Y-%m}", "sorts": service.SORTS}
    if not asked["kab"]:
        context["choose"] = True
        return context
    try:
        ranking = service.rankings_read(user=request.user, kab=asked["kab"], first=asked["dari"],
                                        last=asked["sampai"], sort=asked["urut"], order=asked["arah"])
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        context["problem"] = exc.message
        context["problem_field"] = next(iter(exc.fields), "")
        return context
    period = {"kab": ranking["kab"], "dari": ranking["from"], "sampai": ranking["to"]}
    links = {}
    for key in service.SORTS:
        order = "naik" if key in service.TEXT_SORTS else "turun"
        if key == ranking["sort"]:
            order = "naik" if ranking["order"] == "turun" else "turun"
        links[key] = "?" + urlencode({**period, "urut": key, "arah": order})
    chart_key, chart = _chart(ranking)
    for row in [*ranking["agents"], *ranking["wadah"], ranking["totals"]]:
        row["text"] = {key: _figure_text(key, row[key]) for key in (*service.MEASURES, "retention_6_rate",
                                                                    "retention_12_rate")}
    context.update(r=ranking, chart=chart, chart_key=chart_key, sort_links=links,
                   query=urlencode({**period, "urut": ranking["sort"], "arah": ranking["order"]}))
    return context


@login_required
def rankings(request):
    return render(request, "agents/rankings.html", _read(request))


@login_required
def rankings_export(request):
    context = _read(request)
    if "r" not in context:  # nothing chosen yet, or a bad input: the page says why
        return redirect(reverse("agents:rankings") + "?" + urlencode(
            {k: v for k, v in context["asked"].items() if v}))
    ranking = context["r"]
    return xlsx_download(lambda target: service.rankings_xlsx(ranking=ranking, target=target),
                         lambda rows: service.rankings_export_record(actor=request.user, ranking=ranking, rows=rows),
                         f"peringkat-agen-{ranking['kab']}-{ranking['from']}-{ranking['to']}.xlsx")
