"""The snapshot refresh page (/cakupan/potret/): the latest refreshes, the running one's progress, the national
admin's button that refreshes today, and the day each kabupaten the user sees was last refreshed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.jobs import job_expire_stale, job_progress

from .models import CoverageRefresh, RefreshTrigger
from .refresh import can_refresh, last_refreshed, refresh_queue


def _refresh_or_404(pk: int) -> CoverageRefresh:
    job = CoverageRefresh.objects.select_related("created_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def refresh_list(request):
    page = Paginator(CoverageRefresh.objects.select_related("created_by"), 20).get_page(request.GET.get("page"))
    for job in page:
        if job.is_active:
            job_expire_stale(job)
    running = next((j for j in page if j.is_active), None)
    return render(request, "coverage/refreshes.html", {
        "page": page, "today": clock.today(), "can_refresh": can_refresh(request.user), "running": running,
        "progress": job_progress(running, total=1) if running else None,
        "regions": last_refreshed(request.user)})


@login_required
@require_POST
def refresh_start(request):
    """The national admin's button: queue the refresh of today for every kabupaten (403 for anyone else)."""
    if not can_refresh(request.user):
        raise DjangoPermissionDenied
    try:
        job = refresh_queue(actor=request.user, trigger=RefreshTrigger.MANUAL)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("coverage:refreshes")
    return redirect("coverage:refresh", pk=job.pk)


@login_required
def refresh_detail(request, pk: int):
    job = _refresh_or_404(pk)
    job_expire_stale(job)
    context = {"job": job, "running": job.is_active, "progress": job_progress(job, total=1) if job.is_active else None}
    template = "coverage/_refresh.html" if request.headers.get("HX-Request") else "coverage/refresh.html"
    return render(request, template, context)
