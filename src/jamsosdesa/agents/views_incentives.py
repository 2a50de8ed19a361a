"""Pages of the PERISAI incentives (issue 14 part C): the runs (and the button that starts one, for national admins
and branch officers), a run's progress, an agent's and a wadah's statement of a month (printable, .xlsx audited),
and the rules (national admins). Agents and wadah are fetched through agents.access: outside scope, 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.billing.views_statements import xlsx_download
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.jobs import job_expire_stale, job_progress
from jamsosdesa.core.months import add_months, parse_month
from jamsosdesa.core.roles import Role

from .access import get_agent_for_user, get_wadah_for_user, scope_agents, scope_wadah
from .incentive_statements import (
    agent_statement,
    agent_statement_xlsx,
    incentive_export_record,
    month_or_404,
    wadah_statement,
    wadah_statement_xlsx,
)
from .incentives import (
    RULE_FIELDS,
    can_edit_incentive_rules,
    can_run_incentives,
    incentive_rule_save,
    incentive_run_queue,
    rule_for,
)
from .models_incentives import IncentiveKind, IncentiveRule, IncentiveRun

READERS = (Role.BRANCH_OFFICER, Role.WADAH_MANAGER, Role.PERISAI_AGENT)


def _sees_incentives(user) -> bool:
    return can_run_incentives(user) or bool(user.is_authenticated and user.role in READERS)


@login_required
def incentive_runs(request):
    user = request.user
    if not _sees_incentives(user):
        raise Http404
    runs = IncentiveRun.objects.select_related("created_by").order_by("-month", "-pk")
    if not can_run_incentives(user):  # a reader sees each computed month once: its latest run
        runs = runs.filter(pk__in=IncentiveRun.objects.filter(status="done").values("month")
                           .annotate(latest=Max("pk")).values("latest"))
    page = Paginator(runs, 24).get_page(request.GET.get("page"))
    for run in page:
        if run.is_active:
            job_expire_stale(run)
    mine = list(scope_agents(user).select_related("user")[:20]) if not can_run_incentives(user) else []
    wadah = list(scope_wadah(user)[:20]) if user.role == Role.WADAH_MANAGER else []
    return render(request, "agents/incentives/runs.html", {
        "page": page, "can_run": can_run_incentives(user), "last_month": add_months(clock.this_month(), -1),
        "mine": mine, "wadah_list": wadah, "can_edit_rules": can_edit_incentive_rules(user)})


@login_required
@require_POST
def incentive_run_start(request):
    if not can_run_incentives(request.user):
        raise Http404
    try:
        month = parse_month(request.POST.get("month", ""))
        run = incentive_run_queue(actor=request.user, month=month)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("agents:incentive_runs")
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("agents:incentive_runs")
    return redirect("agents:incentive_run", pk=run.pk)


@login_required
def incentive_run(request, pk: int):
    if not can_run_incentives(request.user):
        raise Http404
    run = IncentiveRun.objects.select_related("created_by").filter(pk=pk).first()
    if run is None:
        raise Http404
    job_expire_stale(run)
    context = {"run": run, "running": run.is_active,
               "progress": job_progress(run, total=1) if run.is_active else None,
               "by_kind": [(IncentiveKind(kind).label, value)
                           for kind, value in sorted((run.summary or {}).get("by_kind", {}).items())]}
    template = "agents/incentives/_run.html" if request.headers.get("HX-Request") else "agents/incentives/run.html"
    return render(request, template, context)


@login_required
def incentive_agent(request, pk: int, month: str):
    when = month_or_404(month)
    agent = get_agent_for_user(request.user, pk)
    return render(request, "agents/incentives/agent.html", {"s": agent_statement(agent, when),
                                                            "previous": add_months(when, -1),
                                                            "printed_at": clock.now()})


@login_required
def incentive_agent_export(request, pk: int, month: str):
    when = month_or_404(month)
    agent = get_agent_for_user(request.user, pk)
    statement = agent_statement(agent, when)
    return xlsx_download(
        lambda target: agent_statement_xlsx(statement=statement, target=target),
        lambda rows: incentive_export_record(actor=request.user, kind="agent", obj=agent, month=when, rows=rows,
                                             region_code=agent.kab_code),
        f"insentif-agen-{agent.pk}-{when:%Y-%m}.xlsx")


@login_required
def incentive_wadah(request, pk: int, month: str):
    when = month_or_404(month)
    wadah = get_wadah_for_user(request.user, pk)
    statement = wadah_statement(wadah, when)
    # an agent sees its wadah's figures but opens only its own statement
    openable = set(scope_agents(request.user).filter(wadah=wadah).values_list("pk", flat=True))
    return render(request, "agents/incentives/wadah.html", {"s": statement, "openable": openable,
                                                            "printed_at": clock.now()})


@login_required
def incentive_wadah_export(request, pk: int, month: str):
    when = month_or_404(month)
    wadah = get_wadah_for_user(request.user, pk)
    if request.user.role == Role.PERISAI_AGENT:  # the export lists every agent's participants
        raise Http404
    statement = wadah_statement(wadah, when, with_lines=True)
    return xlsx_download(
        lambda target: wadah_statement_xlsx(statement=statement, target=target),
        lambda rows: incentive_export_record(actor=request.user, kind="wadah", obj=wadah, month=when, rows=rows,
                                             region_code=wadah.kab_code),
        f"insentif-wadah-{wadah.pk}-{when:%Y-%m}.xlsx")


def _int(text: str):
    text = (text or "").strip().replace(".", "")
    return int(text) if text.isascii() and text.isdigit() else None


@login_required
def incentive_rules(request):
    if not can_edit_incentive_rules(request.user):
        raise Http404
    errors, values = {}, {}
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in (*RULE_FIELDS, "valid_from", "source", "note")}
        numbers = {name: _int(values[name]) for name in RULE_FIELDS}
        try:
            valid_from = parse_month(values["valid_from"])
        except ValueError as exc:
            errors = {"valid_from": [str(exc)]}
        else:
            try:
                incentive_rule_save(actor=request.user, valid_from=valid_from, source=values["source"],
                                    note=values["note"], **numbers)
            except ServiceError as exc:
                errors = exc.fields or {"__all__": [exc.message]}
            else:
                messages.success(request, _("Aturan insentif mulai %(m)s disimpan.") % {"m": f"{valid_from:%m/%Y}"})
                return redirect("agents:incentive_rules")
    current = rule_for(clock.this_month())
    if not values:
        values = {name: getattr(current, name) for name in RULE_FIELDS}
        values.update(valid_from=f"{clock.this_month():%Y-%m}", source="", note="")
    fields = [(name, IncentiveRule._meta.get_field(name).verbose_name, values.get(name, ""), errors.get(name, []))
              for name in ("valid_from", *RULE_FIELDS, "source", "note")]
    return render(request, "agents/incentives/rules.html", {
        "rules": IncentiveRule.objects.select_related("created_by").order_by("-valid_from"), "fields": fields,
        "errors": errors.get("__all__", []), "current": current}, status=400 if errors else 200)
