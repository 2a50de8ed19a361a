"""The prospects page under /cakupan/prospek/ (issue 13 item 5): a desa's working-age residents who are not
protected, grouped by dusun/RW/RT, with the count per occupation, a reminder and a WhatsApp link per person, and an
.xlsx export (audited). A desa outside the user's area answers 404 (coverage.prospects.check_can_see_desa)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from jamsosdesa.billing.views_statements import xlsx_download
from jamsosdesa.core import clock
from jamsosdesa.core.access import own_desa
from jamsosdesa.core.errors import NotFound, ServiceError
from jamsosdesa.regions.selectors import region_names

from . import prospects as service

PAGE_ROWS = 50  # people per page: a desa of hundreds of prospects on a cheap phone; the export has them all


def _desa(request) -> tuple[str, str]:
    """(desa code, problem text): the desa asked for, else the user's own desa."""
    text = request.GET.get("desa", "").strip()
    if not text:
        return own_desa(request.user), ""
    try:
        return service.parse_desa(text), ""
    except ServiceError as exc:
        return "", exc.message


@login_required
def prospect_list(request):
    desa, problem = _desa(request)
    context = {"desa": desa, "problem": problem, "typed": request.GET.get("desa", "")[:40],
               "age": service.working_age(), "on": clock.today()}
    if desa:
        try:
            found = service.prospect_list(user=request.user,
                                          request=service.ProspectRequest(desa=desa, on=context["on"]))
        except NotFound:
            raise Http404 from None
        rows = found.rows
        page = Paginator(rows, PAGE_ROWS).get_page(request.GET.get("page"))
        context.update(counts=found.counts, total=len(rows), groups=service.by_place(list(page.object_list)),
                       occupations=service.by_occupation(rows), page=page,
                       query=urlencode({"desa": desa}) + "&", desa_name=region_names([desa]).get(desa, desa))
    return render(request, "coverage/prospects.html", context)


@login_required
def prospect_export(request):
    desa, problem = _desa(request)
    if not desa:
        return redirect(reverse("coverage:prospects"))
    try:
        service.check_can_see_desa(request.user, desa)
    except NotFound:
        raise Http404 from None
    on = clock.today()
    return xlsx_download(
        lambda target: service.prospects_xlsx(actor=request.user, desa_code=desa, on=on, target=target),
        lambda rows: service.prospects_export_record(actor=request.user, desa_code=desa, on=on, rows=rows),
        f"prospek-{desa}-{on:%Y-%m-%d}.xlsx")


