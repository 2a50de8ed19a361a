"""Pages of the statement import (H5): upload a payment list or an MT940 statement, choose a column mapping, see
the preview (counts per outcome, the problem lines), record it, download the report. A job is its creator's (and
national admins'); only branch officers and national admins import statements."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.core.access import sees_everything
from jamsosdesa.core.errors import ServiceError, put_on_form
from jamsosdesa.core.jobs import job_expire_stale

from . import statement_import as services
from .forms import StatementMappingForm, StatementUploadForm
from .models import MappingKind, StatementImport
from .services import mapping_save


def _importer(request) -> None:
    if not services.can_import_statements(request.user):
        raise Http404


def _get_job_for_user(request, pk: int) -> StatementImport:
    job = StatementImport.objects.select_related("mapping").filter(pk=pk).first()
    if job is None or not (job.created_by_id == request.user.pk or sees_everything(request.user)):
        raise Http404
    return job


@login_required
def statement_start(request):
    _importer(request)
    form = StatementUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.statement_import_create(actor=request.user, upload=form.cleaned_data["file"],
                                                   format=form.cleaned_data["format"],
                                                   mapping=form.cleaned_data["mapping"],
                                                   channel=form.cleaned_data["channel"])
        except ServiceError as exc:
            put_on_form(form, exc.fields, otherwise=exc.message)
        else:
            return redirect("imports:statement", pk=job.pk)
    jobs = StatementImport.objects.filter(created_by=request.user)[:10]
    return render(request, "imports/statement_start.html", {
        "form": form, "jobs": jobs, "max_mb": settings.IMPORT_MAX_UPLOAD_MB,
        "max_bytes": settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024})


def _context(job: StatementImport) -> dict:
    summary = job.summary or {}
    counts, amounts, samples = summary.get("counts", {}), summary.get("amounts", {}), summary.get("samples", {})
    outcomes = [(o, services.OUTCOME_LABELS[o], counts.get(o, 0), amounts.get(o, 0), samples.get(o, []))
                for o in services.OUTCOMES]
    reasons = [(str(services.REASON_LABELS.get(r, r)), n) for r, n in sorted((summary.get("reasons") or {}).items())]
    return {"job": job, "summary": summary, "outcomes": outcomes, "reasons": reasons,
            "progress": services.statement_import_progress(job), "running": job.is_active,
            "to_record": counts.get("person", 0) + counts.get("invoice", 0) + counts.get("queued", 0),
            "report_days": settings.JOB_REPORT_RETENTION_DAYS, "reported": services.REPORTED}


@login_required
def statement_job(request, pk: int):
    job = job_expire_stale(_get_job_for_user(request, pk))
    context = _context(job)
    if job.summary.get("column_problem"):
        context["mapping_form"] = StatementMappingForm(header=job.summary.get("header", []))
    template = "imports/_statement.html" if request.headers.get("HX-Request") else "imports/statement.html"
    return render(request, template, context)


@login_required
@require_POST
def statement_apply(request, pk: int):
    job = _get_job_for_user(request, pk)
    try:
        services.statement_import_apply(actor=request.user, job=job)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("imports:statement", pk=pk)


@login_required
@require_POST
def statement_mapping(request, pk: int):
    """Save a payments column mapping for a file whose columns were not recognised, then preview it again."""
    job = _get_job_for_user(request, pk)
    form = StatementMappingForm(request.POST, header=job.summary.get("header", []))
    if form.is_valid():
        try:
            mapping = mapping_save(actor=request.user, name=form.cleaned_data["name"], columns=form.columns(),
                                   shared=form.cleaned_data["shared"], kind=MappingKind.PAYMENTS)
            services.statement_import_preview_again(job=job, mapping=mapping)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Pemetaan '%(n)s' disimpan dan dipakai.") % {"n": mapping.name})
    return redirect("imports:statement", pk=pk)


@login_required
@require_POST
def statement_retry(request, pk: int):
    try:
        services.statement_import_retry(job=_get_job_for_user(request, pk))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("imports:statement", pk=pk)


@login_required
def statement_report(request, pk: int):
    job = _get_job_for_user(request, pk)
    if not job.report_path or not Path(job.report_path).exists():
        raise Http404
    return FileResponse(open(job.report_path, "rb"), as_attachment=True,  # noqa: SIM115
                        filename=f"laporan-rekening-{job.pk}.xlsx")
