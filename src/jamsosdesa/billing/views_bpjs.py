"""Pages of the BPJS cross-check (H8, issue 12 item 7): a compared list (progress while it runs, then per desa the
counts of each finding), the rows of one desa and finding (masked NIK, the name only for people of the list's region,
BPJS's status and paid-through month against ours, and our reason), the .xlsx of the differences (audited), and the
report of the rows that could not be read. A list is seen by whoever may see its region's lists
(billing.access.scope_bpjs_lists): everyone else gets 404. The upload form is imports' (imports:bpjs_start)."""

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from jamsosdesa.core.jobs import job_expire_stale, job_progress
from jamsosdesa.regions.selectors import region_names

from .crosscheck import (
    BPJS_FIELD_LABELS,
    BPJS_FIELDS,
    DIFFERENCES,
    FINDING_HELP,
    FINDING_LABELS,
    FINDINGS,
    NO_DESA,
    bpjs_list_get,
    crosscheck_export_record,
    crosscheck_xlsx,
    desa_rows,
    present_rows,
)
from .views_statements import xlsx_download

PAGE_SIZE = 50


def _list(request, pk: int):
    found = bpjs_list_get(request.user, pk)
    if found is None:
        raise Http404
    return found


@login_required
def bpjs_list(request, pk: int):
    job = job_expire_stale(_list(request, pk))
    summary = job.summary or {}
    per_desa = summary.get("per_desa", {})
    names = region_names([*per_desa.keys(), job.region_code])
    desas = [(code, names.get(code, code) if code != NO_DESA else "", [(f.value, counts.get(f.value, 0))
                                                                        for f in FINDINGS])
             for code, counts in per_desa.items()]
    totals = summary.get("totals", {})
    context = {
        "job": job, "summary": summary, "desas": desas, "region_name": names.get(job.region_code, ""),
        "findings": [(f.value, FINDING_LABELS[f.value], totals.get(f.value, 0), FINDING_HELP.get(f, ""))
                     for f in FINDINGS],
        "differences": sum(totals.get(f.value, 0) for f in DIFFERENCES), "no_desa": NO_DESA,
        "progress": job_progress(job, job.rows_total), "running": job.is_active,
        "mapping_fields": [(f, BPJS_FIELD_LABELS[f], f in ("nik", "status")) for f in BPJS_FIELDS],
    }
    template = "billing/_bpjs_list.html" if request.headers.get("HX-Request") else "billing/bpjs_list.html"
    return render(request, template, context)


@login_required
def bpjs_rows(request, pk: int):
    job = _list(request, pk)
    desa = request.GET.get("desa", "").strip()[:13]
    finding = request.GET.get("temuan", "")
    finding = finding if finding in FINDING_LABELS else ""
    page = Paginator(desa_rows(job, desa, finding), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "billing/bpjs_rows.html", {
        "job": job, "desa": desa, "desa_name": region_names([desa]).get(desa, "") if desa else "",
        "finding": finding, "finding_label": FINDING_LABELS.get(finding, ""), "page": page,
        "rows": present_rows(request.user, page.object_list), "query": query.urlencode(),
        "findings": [(f.value, FINDING_LABELS[f.value]) for f in FINDINGS]})


@login_required
def bpjs_export(request, pk: int):
    job = _list(request, pk)
    return xlsx_download(lambda target: crosscheck_xlsx(actor=request.user, bpjs_list=job, target=target),
                         lambda rows: crosscheck_export_record(actor=request.user, bpjs_list=job, rows=rows),
                         f"perbedaan-bpjs-{job.pk}-{job.as_of:%Y-%m-%d}.xlsx")


@login_required
def bpjs_report(request, pk: int):
    job = _list(request, pk)
    if not job.report_path or not Path(job.report_path).exists():
        raise Http404
    return FileResponse(open(job.report_path, "rb"), as_attachment=True,  # noqa: SIM115
                        filename=f"laporan-bpjs-{job.pk}.xlsx")
