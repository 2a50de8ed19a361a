import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.core.access import own_desa, sees_everything
from jamsosdesa.core.errors import ServiceError, put_on_form
from jamsosdesa.core.jobs import job_cancel, job_expire_stale
from jamsosdesa.participants.forms import FilterForm
from jamsosdesa.participants.labels import field_label
from jamsosdesa.participants.selectors import ParticipantFilter

from . import services
from .engine import GROUPS, REPORTED
from .export import export_csv_lines, export_xlsx
from .forms import ApplyForm, MappingForm, UploadForm
from .models import ImportJob
from .report import GROUP_LABELS
from .template import template_xlsx


def _get_job_for_user(request, pk: int) -> ImportJob:
    job = ImportJob.objects.select_related("desa", "mapping").filter(pk=pk).first()
    if job is None or not (job.created_by_id == request.user.pk or sees_everything(request.user)):
        raise Http404
    return job


@login_required
def import_start(request):
    form = UploadForm(request.POST or None, request.FILES or None, initial={"desa": own_desa(request.user)},
                      user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user, upload=form.cleaned_data["file"], desa=form.cleaned_data["desa"].strip(),
                format=form.cleaned_data["format"], mapping=form.cleaned_data["mapping"],
                all_or_nothing=form.cleaned_data["all_or_nothing"])
        except ServiceError as exc:
            put_on_form(form, exc.fields, otherwise=exc.message)
        else:
            return redirect("imports:job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "imports/start.html", {
        "form": form, "jobs": jobs, "max_mb": settings.IMPORT_MAX_UPLOAD_MB,
        "max_bytes": settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024})


def _sample(sample: dict) -> dict:
    """A sample row as the page shows it: the fields an update changed named in the reader's language."""
    if sample.get("fields"):
        return {**sample, "message": ", ".join(field_label(f) for f in sample["fields"])}
    return sample


def _job_context(request, job: ImportJob) -> dict:
    summary = job.summary or {}
    groups = [(g, GROUP_LABELS[g], summary.get("counts", {}).get(g, 0),
               [_sample(s) for s in summary.get("samples", {}).get(g, [])]) for g in GROUPS]
    counts = summary.get("counts", {})
    return {"job": job, "summary": summary, "groups": groups, "progress": services.import_job_progress(job),
            "apply_form": ApplyForm(),
            "held_back": sum(counts.get(g, 0) for g in GROUPS if g in REPORTED),  # rows a load leaves out
            "report_days": settings.JOB_REPORT_RETENTION_DAYS,
            "running": job.is_active}


@login_required
def import_job(request, pk: int):
    job = job_expire_stale(_get_job_for_user(request, pk))  # a lost job stops the page waiting
    context = _job_context(request, job)
    if job.summary.get("column_problem"):
        context["mapping_form"] = MappingForm(header=job.summary.get("header", []))
    template = "imports/_job.html" if request.headers.get("HX-Request") else "imports/job.html"
    return render(request, template, context)


@login_required
@require_POST
def import_apply(request, pk: int):
    job = _get_job_for_user(request, pk)
    form = ApplyForm(request.POST)
    accept = form.is_valid() and form.cleaned_data["accept_warnings"]
    try:
        services.import_job_apply(actor=request.user, job=job, accept_warnings=accept)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("imports:job", pk=pk)


@login_required
@require_POST
def import_retry(request, pk: int):
    """Run a failed import again (its file is kept a while for this)."""
    try:
        services.import_job_retry(job=_get_job_for_user(request, pk))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("imports:job", pk=pk)


@login_required
@require_POST
def import_cancel(request, pk: int):
    """Cancel an import still waiting for a worker (its file goes)."""
    if not job_cancel(_get_job_for_user(request, pk)):
        messages.error(request, _("Impor ini sudah berjalan atau selesai; tidak dapat dibatalkan lagi."))
    return redirect("imports:job", pk=pk)


@login_required
@require_POST
def import_mapping(request, pk: int):
    """Save a column mapping for a file whose columns were not recognised, then preview again with it."""
    job = _get_job_for_user(request, pk)
    form = MappingForm(request.POST, header=job.summary.get("header", []))
    if form.is_valid():
        try:
            mapping = services.mapping_save(actor=request.user, name=form.cleaned_data["name"],
                                            columns=form.columns(), shared=form.cleaned_data["shared"])
            services.import_job_preview_again(job=job, mapping=mapping)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Pemetaan '%(n)s' disimpan dan dipakai.") % {"n": mapping.name})
    return redirect("imports:job", pk=pk)


@login_required
def import_report(request, pk: int):
    job = _get_job_for_user(request, pk)
    if not job.report_path or not Path(job.report_path).exists():
        raise Http404
    return FileResponse(open(job.report_path, "rb"), as_attachment=True,  # noqa: SIM115
                        filename=f"laporan-impor-{job.pk}.xlsx")


@login_required
def import_template(request):
    response = HttpResponse(template_xlsx(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = 'attachment; filename="templat-peserta-jamsosdesa.xlsx"'
    return response




@login_required
def participants_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = FilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    filters = ParticipantFilter(**{k: cleaned.get(k) or "" for k in ("q", "region", "segment", "village_role",
                                                                      "status")},
                                extra=form.extra_values())
    if fmt == "csv":
        lines = export_csv_lines(request.user, filters)
        response = StreamingHttpResponse(("\ufeff" + line if i == 0 else line for i, line in enumerate(lines)),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="peserta.csv"'
        return response
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - removed when the response closes it
    export_xlsx(request.user, filters, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename="peserta.xlsx")



