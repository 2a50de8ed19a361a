"""Target pages under /cakupan/target/: the targets a user sees, one region's list and form, a target's history.
Views parse input and call coverage.targets; the region is the address's code ('ID' for the nation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jamsosdesa.core.access import sees_everything, user_region_codes
from jamsosdesa.core.errors import NotFound, ServiceError, put_on_form
from jamsosdesa.regions.selectors import region_ancestors, region_names

from . import targets as service
from .access import can_see_region, can_set_region, parse_region, region_code_text
from .forms_targets import TargetForm


def region_for_user(request, text: str) -> str:
    """The stored code of a region the user sees, or 404 (a region that does not exist, or is not theirs)."""
    try:
        code = parse_region(text)
    except ServiceError:
        raise Http404 from None
    if not can_see_region(request.user, code):
        raise Http404
    return code


def _own_regions(user) -> list[str]:
    return ["ID"] if sees_everything(user) else [region_code_text(c) for c in user_region_codes(user)]


@login_required
def target_index(request):
    wanted = request.GET.get("wilayah", "").strip()
    if wanted:
        return redirect("coverage:region_targets", region=wanted)
    rows = list(service.target_list(user=request.user)[:500])
    names = region_names([t.region_code for t in rows] + user_region_codes(request.user))
    names = {region_code_text(k): v for k, v in names.items()} | names
    for t in rows:
        t.region_name = names.get(t.region_code, "") or ("Indonesia" if not t.region_code else t.region_code)
    own = [(code, names.get(code, "") or ("Indonesia" if code == "ID" else "")) for code in _own_regions(request.user)]
    return render(request, "coverage/targets.html", {"targets": rows, "names": names, "own": own})


@login_required
def region_targets(request, region: str):
    code = region_for_user(request, region)
    may_set = can_set_region(request.user, code)
    form = TargetForm(request.POST or None)
    if request.method == "POST":
        if not may_set:
            raise Http404  # a region seen but not theirs to set: the page never offered the form
        if form.is_valid():
            d = form.cleaned_data
            try:
                target, changed = service.target_set(actor=request.user, request=service.TargetRequest(
                    region=region_code_text(code), year=d["year"], count=d["count"], due_date=d["due_date"],
                    segment=d["segment"], village_role=d["village_role"], note=d["note"]))
            except NotFound:
                raise Http404 from None
            except ServiceError as exc:
                put_on_form(form, exc.fields, otherwise=exc.message)
            else:
                messages.success(request, _("Target %(y)s disimpan: %(n)s orang.") % {
                    "y": target.year, "n": f"{target.count:,}".replace(",", ".")} if changed else
                    _("Target tidak berubah."))
                return redirect("coverage:region_targets", region=region_code_text(code))
    rows = list(service.target_list(user=request.user, region=region_code_text(code)))
    trail = region_ancestors(code) if code else []
    return render(request, "coverage/region_targets.html", {
        "code": region_code_text(code), "name": trail[-1].name if trail else "Indonesia", "trail": trail,
        "targets": rows, "form": form, "may_set": may_set})


@login_required
def target_history(request, pk: int):
    target = service.target_get(user=request.user, pk=pk)
    if target is None:
        raise Http404
    names = region_names([target.region_code])
    return render(request, "coverage/target_history.html", {
        "target": target, "code": region_code_text(target.region_code),
        "name": names.get(target.region_code, "Indonesia"), "history": service.target_history(target)})
