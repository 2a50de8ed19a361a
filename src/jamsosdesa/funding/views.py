from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.core.access import can_enrol_into, code_in_scope, sees_everything
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.money import rupiah
from jamsosdesa.imports.readers import FileProblem
from jamsosdesa.participants.nik import mask_nik
from jamsosdesa.participants.selectors import ParticipantFilter, participant_filter_qs, participant_get

from . import selectors, services
from .forms import EnrolForm
from .lists import read_niks


def _get_scheme_for_user(request, pk: int):
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    if scheme is None:
        raise Http404
    return scheme


@login_required
def scheme_list(request):
    return render(request, "funding/list.html", {"schemes": selectors.scheme_list(user=request.user)})


@login_required
def scheme_detail(request, pk: int):
    scheme = _get_scheme_for_user(request, pk)
    view = selectors.scheme_budget(user=request.user, scheme=scheme)
    return render(request, "funding/detail.html", {
        "scheme": scheme, "view": view, "form": EnrolForm(), "can_enrol": can_enrol_into(request.user, scheme),
        "active_desa": [d for d in view.desa if d.enrolled or d.committed]})


@login_required
@require_POST
def scheme_enrol(request, pk: int):
    scheme = _get_scheme_for_user(request, pk)
    form = EnrolForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("funding:detail", pk=pk)
    d = form.cleaned_data
    try:
        if d["nik"]:
            participant = participant_get(user=request.user, nik=d["nik"].strip())
            if participant is None:
                raise ServiceError(code="not_registered", message=_("NIK %(n)s tidak ada di registri (atau di luar "
                                                                    "wilayah Anda).") % {"n": d["nik"].strip()})
            batch = services.enrol_one(actor=request.user, scheme=scheme, participant=participant,
                                       start_month=d["start_month"]).batch
        elif d["file"]:
            batch = services.enrol(actor=request.user, scheme=scheme, request=services.EnrolRequest(
                niks=read_niks(d["file"]), start_month=d["start_month"], all_or_nothing=d["all_or_nothing"],
                description=_("berkas %(f)s") % {"f": d["file"].name}))
        else:
            chosen = participant_filter_qs(user=request.user, filters=ParticipantFilter(
                region=d["region"], village_role=d["village_role"]))
            batch = services.enrol(actor=request.user, scheme=scheme, request=services.EnrolRequest(
                participants=chosen, start_month=d["start_month"], all_or_nothing=d["all_or_nothing"],
                description=f"filter {d['region']} {d['village_role']}".strip()))
    except (ServiceError, FileProblem) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("funding:detail", pk=pk)
    return redirect("funding:batch", pk=batch.pk)


@login_required
def batch_report(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    if batch is None:
        raise Http404
    refusals = list(services.batch_refusals(batch).select_related("participant")[:2000])
    rows = [(c, c.participant.full_name if c.participant else "", mask_nik(c.nik) if len(c.nik) == 16 else c.nik,
             services.refusal_message(c.reason)) for c in refusals]
    return render(request, "funding/batch.html", {"batch": batch, "rows": rows,
                                                  "more": batch.refused - len(refusals)})


@login_required
def budget_sheet(request, pk: int):
    """The printable sheet a village attaches to its APBDes: people, package, months, total."""
    scheme = _get_scheme_for_user(request, pk)
    view = selectors.scheme_budget(user=request.user, scheme=scheme)
    desa = request.GET.get("desa", "")
    if desa and not (sees_everything(request.user) or view.whole_scheme or code_in_scope(request.user, desa)):
        raise Http404
    lines = [d for d in view.desa if d.code == desa] if desa else view.desa
    if desa and not lines:
        raise Http404
    enrolments = list(selectors.scheme_enrolments(user=request.user, scheme=scheme, desa=desa,
                                                  include_ended=False)[:5000]) if desa else []
    people = sum(d.enrolled for d in lines)
    planned = selectors.planned_people(lines)
    return render(request, "funding/sheet.html", {
        "scheme": scheme, "view": view, "desa_line": lines[0] if desa else None, "people": people,
        "people_total": people * view.per_person, "planned": planned,
        "planned_total": None if planned is None else planned * view.per_person, "enrolments": enrolments,
        "per_person_text": rupiah(view.per_person)})
