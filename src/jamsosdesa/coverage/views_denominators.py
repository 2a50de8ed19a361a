"""Denominator pages under /cakupan/penduduk-bekerja/: the figures a user sees, one region's list and form, and
the import of a file with its report per row. Views parse input and call coverage.denominators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jamsosdesa.core.access import user_region_codes
from jamsosdesa.core.errors import NotFound, ServiceError, put_on_form
from jamsosdesa.core.sheets import FileProblem
from jamsosdesa.regions.selectors import region_ancestors, region_names

from . import denominators as service
from .access import can_set_region, region_code_text
from .forms_denominators import DenominatorForm, DenominatorImportForm
from .views_targets import _own_regions, region_for_user


def _named(rows, names) -> list:
    for d in rows:
        d.region_name = names.get(d.region_code, "") or ("Indonesia" if not d.region_code else d.region_code)
        d.label = service.source_label(d.source, d.source_note)
    return rows


@login_required
def denominator_index(request):
    wanted = request.GET.get("wilayah", "").strip()
    if wanted:
        return redirect("coverage:region_denominators", region=wanted)
    rows = list(service.denominator_list(user=request.user)[:500])
    names = region_names([d.region_code for d in rows] + user_region_codes(request.user))
    own = [(code, names.get(code, "") or ("Indonesia" if code == "ID" else "")) for code in _own_regions(request.user)]
    return render(request, "coverage/denominators.html", {"rows": _named(rows, names), "own": own})


@login_required
def denominator_import(request):
    form = DenominatorImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = service.denominator_import(actor=request.user, source=d["file"], partial=d["partial"],
                                                file_name=d["file"].name, default_year=d["year"],
                                                default_source=d["source"])
        except FileProblem as exc:
            form.add_error("file", str(exc))
    return render(request, "coverage/denominator_import.html", {"form": form, "report": report})


@login_required
def region_denominators(request, region: str):
    code = region_for_user(request, region)
    may_set = can_set_region(request.user, code)
    form = DenominatorForm(request.POST or None)
    if request.method == "POST":
        if not may_set:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                row, changed = service.denominator_set(actor=request.user, request=service.DenominatorRequest(
                    region=region_code_text(code), year=d["year"], count=d["count"], source=d["source"],
                    source_note=d["source_note"]))
            except NotFound:
                raise Http404 from None
            except ServiceError as exc:
                put_on_form(form, exc.fields, otherwise=exc.message)
            else:
                messages.success(request, _("Jumlah penduduk bekerja %(y)s disimpan.") % {"y": row.year}
                                 if changed else _("Jumlah penduduk bekerja tidak berubah."))
                return redirect("coverage:region_denominators", region=region_code_text(code))
    rows = list(service.denominator_list(user=request.user, region=region_code_text(code)))
    trail = region_ancestors(code) if code else []
    return render(request, "coverage/region_denominators.html", {
        "code": region_code_text(code), "name": trail[-1].name if trail else "Indonesia", "trail": trail,
        "rows": _named(rows, region_names([code])), "form": form, "may_set": may_set})
