from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.core import clock
from jamsosdesa.core.access import own_desa
from jamsosdesa.core.errors import ServiceError, put_on_form
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.regioncodes import Level, is_desa_code
from jamsosdesa.regions.selectors import region_ancestors

from . import selectors, services
from .access import can_change_participant
from .forms import DeactivateForm, FilterForm, HeirFormSet, ParticipantForm
from .labels import age, changes_text, income_text, occupation_name, sector_text
from .models import Occupation, SectorSource
from .nik import check_nik
from .panels import panels_for
from .sectors import sector_for_occupation


def _get_participant_for_user(request, pk: int):
    participant = selectors.participant_get(user=request.user, pk=pk)
    if participant is None:
        raise Http404
    return participant


@login_required
def participant_list(request):
    form = FilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ParticipantFilter(
        q=cleaned.get("q") or "", region=cleaned.get("region") or "", segment=cleaned.get("segment") or "",
        village_role=cleaned.get("village_role") or "", status=cleaned.get("status") or "",
        extra=form.extra_values())
    page = selectors.participant_page(user=request.user, filters=filters, after=cleaned.get("after"))
    shown = personal_data(request.user)
    today = clock.today()
    # Beside a masked NIK, the age and RT tell apart two people of the same name and desa.
    rows = [(p, shown.nik(p.nik), age(p.birth_date, today)) for p in page.items]
    query = request.GET.copy()
    query.pop("after", None)
    chain = region_ancestors(filters.region) if filters.region else []
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode(),
               "is_first_page": not cleaned.get("after"),
               "region_label": ", ".join(r.name for r in reversed(chain))}
    template = "participants/_rows.html" if request.headers.get("HX-Request") else "participants/list.html"
    return render(request, template, context)


def _apply_service_error(exc: ServiceError, form: ParticipantForm, heirs) -> None:
    """The service's messages on the fields they name, each with its code where the service gives one (the same
    code the API and the import report)."""
    codes = {(e["field"], e["message"]): e["code"] for e in getattr(exc, "field_errors", [])}
    if codes:
        exc_fields = {f: [ValidationError(m, code=codes.get((f, m))) for m in msgs] for f, msgs in exc.fields.items()}
    else:
        exc_fields = exc.fields
    for field, msgs in exc_fields.items():
        if field.startswith("heirs["):
            index = int(field[6:field.index("]")])
            name = field.split(".", 1)[1] if "." in field else ""
            if index < len(heirs.forms):
                put_on_form(heirs.forms[index], {name: msgs})
    put_on_form(form, {k: v for k, v in exc_fields.items() if not k.startswith("heirs[")},
                otherwise="" if exc.fields or exc.code == "confirmation_required" else exc.message)


def _heir_data(heirs) -> list[dict]:
    return [f.cleaned_data for f in heirs.forms if f.cleaned_data and not f.is_blank()]


def _form_context(form, heirs, warnings, **extra):
    desa_code = (form.data.get("desa") if form.is_bound else form.initial.get("desa")) or ""
    chain = region_ancestors(desa_code.strip()) if is_desa_code(desa_code.strip()) else []
    return {"form": form, "heirs": heirs, "warnings": warnings,
            "desa_label": ", ".join(r.name for r in reversed(chain)) if chain and chain[-1].level == Level.DESA else "",
            **extra}


@login_required
def participant_register(request):
    warnings, existing = [], None  # existing: the person who has this NIK already (one the user sees)
    if request.method == "POST":
        form = ParticipantForm(request.POST)
        heirs = HeirFormSet(request.POST, prefix="heirs")
        if form.is_valid() and heirs.is_valid():
            try:
                participant = services.participant_register(
                    actor=request.user, data=form.service_data(), heirs=_heir_data(heirs),
                    confirm_warnings=form.cleaned_data["confirm_warnings"],
                    client_token=form.cleaned_data.get("client_token") or None)
            except ServiceError as exc:
                _apply_service_error(exc, form, heirs)
                warnings = exc.warnings
                existing = getattr(exc, "participant_id", None)
            else:
                messages.success(request, _("%(name)s sudah terdaftar.") % {"name": participant.full_name})
                return redirect("participants:detail", pk=participant.pk)
    else:
        form = ParticipantForm(initial={"desa": own_desa(request.user)})
        heirs = HeirFormSet(prefix="heirs")
    return render(request, "participants/form.html",
                  _form_context(form, heirs, warnings, creating=True, existing=existing))


@login_required
def participant_detail(request, pk: int):
    participant = _get_participant_for_user(request, pk)
    shown = personal_data(request.user, one_person=True)
    history = list(selectors.participant_history(participant=participant).select_related("actor")[:200])
    occupations = dict(Occupation.objects.values_list("code", "name")) if any(
        e.old and "occupation" in (e.new or {}) for e in history) else {}
    for event in history:  # each recorded change in words, not field names and codes
        event.changes = changes_text(event.old, event.new, occupations=occupations) if event.old else []
    return render(request, "participants/detail.html", {
        "p": participant, "chain": region_ancestors(participant.desa_id),
        "shown": {"nik": shown.nik(participant.nik), "kk": shown.kk(participant.kk),
                  "address": shown.address(participant.address),
                  "occupation": occupation_name(participant.occupation.name if participant.occupation else ""),
                  "income": income_text(participant.declared_income),
                  "sector": sector_text(participant.sector, participant.sector_source)},
        "heirs": [(h, shown.nik(h.nik)) for h in participant.heirs.all()],
        "history": history,
        "can_change": can_change_participant(request.user, participant),
        "deactivate_form": DeactivateForm(),
        "panels": panels_for(user=request.user, participant=participant),
    })


@login_required
def participant_edit(request, pk: int):
    participant = _get_participant_for_user(request, pk)
    if not can_change_participant(request.user, participant):
        messages.error(request, _("Anda hanya dapat melihat peserta ini, tidak mengubahnya."))
        return redirect("participants:detail", pk=pk)
    warnings, existing = [], None
    if request.method == "POST":
        form = ParticipantForm(request.POST, derived_sector=sector_for_occupation(participant.occupation_id))
        heirs = HeirFormSet(request.POST, prefix="heirs")
        if form.is_valid() and heirs.is_valid():
            try:
                services.participant_update(actor=request.user, participant=participant, data=form.service_data(),
                                            heirs=_heir_data(heirs),
                                            confirm_warnings=form.cleaned_data["confirm_warnings"])
            except ServiceError as exc:
                _apply_service_error(exc, form, heirs)
                warnings = exc.warnings
                existing = getattr(exc, "participant_id", None)
            else:
                messages.success(request, _("Perubahan tersimpan."))
                return redirect("participants:detail", pk=pk)
    else:
        initial = {f: getattr(participant, f) for f in services.FIELDS if f not in ("desa", "occupation")}
        initial.update(desa=participant.desa_id, occupation=participant.occupation_id, kpj=participant.kpj or "",
                       sector=participant.sector if participant.sector_source == SectorSource.MANUAL else "")
        form = ParticipantForm(initial=initial, derived_sector=sector_for_occupation(participant.occupation_id))
        heirs = HeirFormSet(prefix="heirs", initial=[h.as_dict() for h in participant.heirs.all()])
    return render(request, "participants/form.html",
                  _form_context(form, heirs, warnings, creating=False, p=participant, existing=existing))


@login_required
@require_POST
def participant_deactivate(request, pk: int):
    participant = _get_participant_for_user(request, pk)
    form = DeactivateForm(request.POST)
    if form.is_valid():
        try:
            services.participant_deactivate(actor=request.user, participant=participant,
                                            reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Peserta dinonaktifkan."))
    else:
        messages.error(request, _("Pilih alasan penonaktifan."))
    return redirect("participants:detail", pk=pk)


@login_required
def nik_check_partial(request):
    """Live NIK feedback on the registration form (htmx)."""
    nik = request.GET.get("nik", "")
    result = check_nik(nik) if nik.strip() else None
    # The kecamatan the NIK was issued in, by name (Gatak, Kabupaten Sukoharjo, Jawa Tengah): a code alone
    # (33.11.11) tells the operator nothing; an unknown code stays a code (its own warning says so).
    chain = region_ancestors(result.region_code) if result and result.valid else []
    region = ", ".join(r.name for r in reversed(chain)) if chain and chain[-1].code == result.region_code else ""
    return render(request, "participants/_nik_check.html", {"result": result, "region": region})
