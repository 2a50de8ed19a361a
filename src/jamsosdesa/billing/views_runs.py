"""Pages of the monthly billing run (H2): the runs with their progress and the button that starts this month's,
and the schemes' collective invoices (lines by desa with subtotals; an A4 printout)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.jobs import job_expire_stale, job_progress
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.months import parse_month
from jamsosdesa.funding.models import Scheme

from . import selectors_runs as sel
from .access import can_pay_invoice, can_run_billing, can_see_billing_runs
from .models import RunTrigger
from .services.run import billing_run_queue, skip_reason_text

PRINT_MAX_LINES = 20_000


def _run_for_user(request, pk: int):
    run = sel.run_get(request.user, pk)
    if run is None:
        raise Http404
    return run


def _invoice_for_user(request, pk: int):
    invoice = sel.invoice_get(request.user, pk)
    if invoice is None:
        raise Http404
    return invoice


@login_required
def run_list(request):
    if not can_see_billing_runs(request.user):
        raise Http404
    runs = sel.run_list(request.user)
    page = Paginator(runs, 24).get_page(request.GET.get("page"))
    for run in page:
        if run.is_active:
            job_expire_stale(run)
    this_month = clock.this_month()
    return render(request, "billing/runs.html", {
        "page": page, "this_month": this_month, "can_run": can_run_billing(request.user),
        "running": any(r.is_active for r in page)})


@login_required
@require_POST
def run_start(request):
    """The national admin's button: queue this month's run (another month through the command line)."""
    if not can_see_billing_runs(request.user):
        raise Http404
    try:
        run = billing_run_queue(actor=request.user, month=clock.this_month(), trigger=RunTrigger.BUTTON)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("billing:runs")
    return redirect("billing:run", pk=run.pk)


@login_required
def run_detail(request, pk: int):
    run = _run_for_user(request, pk)
    job_expire_stale(run)
    context = {"run": run, "running": run.is_active, "progress": job_progress(run, total=1) if run.is_active else None,
               "skipped": [(skip_reason_text(k), n) for k, n in sorted(run.skipped.items())]}
    template = "billing/_run.html" if request.headers.get("HX-Request") else "billing/run.html"
    return render(request, template, context)


@login_required
def invoice_list(request):
    month, problem = None, ""
    text = request.GET.get("bulan", "").strip()
    if text:
        try:
            month = parse_month(text)
        except ValueError as exc:
            problem = str(exc)
    invoices = sel.invoice_list(request.user, month=month)
    page = Paginator(invoices, 50).get_page(request.GET.get("page"))
    schemes = dict(Scheme.objects.filter(pk__in={i.scheme_id for i in page}).values_list("pk", "name"))
    rows = [(i, schemes.get(i.scheme_id, "")) for i in page]
    return render(request, "billing/invoices.html", {"page": page, "rows": rows, "month_text": text,
                                                     "problem": problem,
                                                     "sees_runs": can_see_billing_runs(request.user),
                                                     "query": f"bulan={text}&" if text and not problem else ""})


@login_required
def invoice_detail(request, pk: int):
    invoice = _invoice_for_user(request, pk)
    view = sel.invoice_view(request.user, invoice, desa=request.GET.get("desa", "")[:13])
    scheme = Scheme.objects.get(pk=invoice.scheme_id)
    return render(request, "billing/invoice.html", {"invoice": invoice, "view": view, "scheme": scheme,
                                                    "desa": request.GET.get("desa", "")[:13],
                                                    "can_pay": can_pay_invoice(request.user, invoice)})  # H3


@login_required
def invoice_print(request, pk: int):
    """The A4 printout: every line the user sees, by desa with subtotals (a list of people: recorded as a printed
    statement, as a statement's printable page is)."""
    invoice = _invoice_for_user(request, pk)
    view = sel.invoice_view(request.user, invoice, list_up_to=PRINT_MAX_LINES)
    scheme = Scheme.objects.get(pk=invoice.scheme_id)
    html = render_to_string("billing/invoice_print.html", {
        "invoice": invoice, "view": view, "scheme": scheme, "too_many": not view.listed, "limit": PRINT_MAX_LINES,
        "printed_at": clock.now()}, request=request)

    def body():  # the printout is recorded once the page has gone out, as the exports are
        yield html
        if view.listed and view.shown_lines:
            audit_record(actor=request.user, event=AuditEventType.STATEMENT_PRINTED, obj=invoice,
                         object_type="invoice", region_code=invoice.kab_code,
                         new={"number": invoice.number, "format": "print", "rows": view.shown_lines})

    return StreamingHttpResponse(body(), content_type="text/html; charset=utf-8")
