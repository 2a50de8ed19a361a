from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.core import clock
from jamsosdesa.core.access import own_desa, user_region_codes
from jamsosdesa.core.errors import NotFound, ServiceError, put_on_form
from jamsosdesa.core.jobs import JobStatus, job_cancel, job_expire_stale
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.sheets import FileProblem
from jamsosdesa.participants.labels import age
from jamsosdesa.regions.selectors import region_names

from . import selectors, services
from .access import can_create_scheme, can_end_enrolment, can_enrol_into, can_manage_scheme
from .forms import EndForm, EnrolForm, SchemeForm
from .lists import read_niks
from .sheet import budget_sheet_export


def _get_scheme_for_user(request, pk: int):
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    if scheme is None:
        raise Http404
    return scheme


@login_required
def scheme_list(request):
    return render(request, "funding/list.html", {"schemes": selectors.scheme_list(user=request.user),
                                                 "can_create": can_create_scheme(request.user)})


def _form_errors(form, exc: ServiceError) -> None:
    put_on_form(form, exc.fields, aliases={"welfare_niks": "welfare_file", "income": "income_nominal"},
                otherwise=exc.message)


@login_required
def scheme_new(request):
    if not can_create_scheme(request.user):
        raise Http404
    codes = user_region_codes(request.user)
    form = SchemeForm(request.POST or None, request.FILES or None,
                      initial={"owner_code": codes[0] if len(codes) == 1 else "",  # a desa pays from APBDes
                               "payer_type": "apbdes" if own_desa(request.user) else "apbd"})
    if request.method == "POST" and form.is_valid():
        try:
            niks = read_niks(form.cleaned_data["welfare_file"]) if form.cleaned_data["welfare_file"] else []
            scheme = services.scheme_create(actor=request.user, data=form.scheme_data(niks))
        except FileProblem as exc:
            form.add_error("welfare_file", str(exc))
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Skema %(n)s dibuat.") % {"n": scheme.name})
            return redirect("funding:detail", pk=scheme.pk)
    return render(request, "funding/form.html", {"form": form, "scheme": None})


@login_required
def scheme_edit(request, pk: int):
    scheme = _get_scheme_for_user(request, pk)
    if not can_manage_scheme(request.user, scheme):
        raise Http404
    form = SchemeForm(request.POST or None, request.FILES or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if form.cleaned_data["welfare_file"]:  # first: the change may be "requires the list" itself
                    count = services.welfare_list_replace(actor=request.user, scheme=scheme,
                                                          niks=read_niks(form.cleaned_data["welfare_file"]))
                    messages.info(request, _("Daftar DTKS/DTSEN diganti: %(n)d NIK.") % {"n": count})
                services.scheme_update(actor=request.user, scheme=scheme, changes=form.changes(),
                                       quotas=form.cleaned_data["quotas"], replace_quotas=True)
        except FileProblem as exc:
            form.add_error("welfare_file", str(exc))
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Perubahan skema disimpan."))
            return redirect("funding:detail", pk=scheme.pk)
    return render(request, "funding/form.html", {"form": form, "scheme": scheme,
                                                 "welfare_count": scheme.welfare_entries.count()})


@login_required
def scheme_detail(request, pk: int):
    scheme = _get_scheme_for_user(request, pk)
    view = selectors.scheme_budget(user=request.user, scheme=scheme)
    return render(request, "funding/detail.html", {
        "scheme": scheme, "view": view, "form": EnrolForm(), "can_enrol": can_enrol_into(request.user, scheme),
        "can_manage": can_manage_scheme(request.user, scheme)})


@login_required
@require_POST
def scheme_enrol(request, pk: int):
    scheme = _get_scheme_for_user(request, pk)
    form = EnrolForm(request.POST, request.FILES)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("funding:detail", pk=pk)
    d = form.cleaned_data
    by_filter = not (d["nik"] or d["file"])  # the village role goes with the region (the form asks for one of three)
    # A list or a filter may be 100,000 people: a background job with its progress on the batch page.
    enrolment = services.EnrolmentRequest(
        nik=d["nik"] or None, file=d["file"] or None, region=d["region"] if by_filter else "",
        village_role=d["village_role"] if by_filter else "", start_month=d["start_month"],
        all_or_nothing=d["all_or_nothing"], background=True)
    try:
        batch = services.enrolment_submit(actor=request.user, scheme=scheme, request=enrolment)
    except ServiceError as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("funding:detail", pk=pk)
    return redirect("funding:batch", pk=batch.pk)


def _get_batch_for_user(request, pk: int):
    """A batch the user may read, or 404 (outside their area it does not exist for them)."""
    batch = selectors.enrolment_batch_get(user=request.user, pk=pk)
    if batch is None:
        raise Http404
    return batch


@login_required
def batch_report(request, pk: int):
    """A batch's progress while it runs in the background (the page polls), then its report."""
    batch = _get_batch_for_user(request, pk)
    job_expire_stale(batch)  # a lost batch stops the page waiting, and says so
    running = batch.is_active
    rows, page, reasons, left_out = [], None, [], 0
    if batch.status == JobStatus.DONE and batch.refused:
        refusals = selectors.enrolment_batch_refusals(batch, user=request.user)  # only the viewer's area
        reasons = [(selectors.refusal_message(r["reason"]), r["n"]) for r in
                   refusals.values("reason").annotate(n=Count("id")).order_by("-n", "reason")]
        left_out = selectors.enrolment_batch_refusals_left_out(batch, user=request.user,
                                                               shown=sum(n for _why, n in reasons))
        page = Paginator(refusals.select_related("participant"), 100).get_page(request.GET.get("page"))
        shown = personal_data(request.user)
        names = region_names(c.desa_code for c in page)
        today = clock.today()
        # Beside a masked NIK (5104••••••••0001 for most of a village), the age and RT tell the people apart.
        rows = [(c, c.participant.full_name if c.participant else "", shown.nik(c.nik),
                 selectors.refusal_message(c.reason), names.get(c.desa_code, c.desa_code),
                 age(c.participant.birth_date, today) if c.participant and shown.nik_masked else None)
                for c in page]
    template = "funding/_batch.html" if request.headers.get("HX-Request") else "funding/batch.html"
    return render(request, template, {"batch": batch, "rows": rows, "page": page, "reasons": reasons,
                                      "description": selectors.batch_description(batch),
                                      "left_out": left_out, "running": running,
                                      "progress": selectors.enrolment_batch_progress(batch) if running else None})


@login_required
@require_POST
def batch_retry(request, pk: int):
    """Run a failed batch again (the same filter, or its list while it is kept)."""
    batch = _get_batch_for_user(request, pk)
    try:
        services.enrolment_batch_retry(actor=request.user, batch=batch)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("funding:batch", pk=pk)


@login_required
@require_POST
def batch_cancel(request, pk: int):
    """Cancel a batch still waiting for a worker."""
    batch = _get_batch_for_user(request, pk)
    if not job_cancel(batch):
        messages.error(request, _("Pendaftaran ini sudah berjalan atau selesai; tidak dapat dibatalkan lagi."))
    return redirect("funding:batch", pk=pk)


@login_required
def budget_sheet(request, pk: int):
    """The printable sheet a village attaches to its APBDes: people, package, months, total (a sheet that lists
    people is recorded as an export)."""
    scheme = _get_scheme_for_user(request, pk)
    try:
        sheet = budget_sheet_export(actor=request.user, scheme=scheme, desa=request.GET.get("desa", ""))
    except NotFound:
        raise Http404 from None
    return render(request, "funding/sheet.html", {"scheme": scheme, "sheet": sheet, "view": sheet.view,
                                                  "per_person_text": rupiah(sheet.view.per_person)})


@login_required
def scheme_enrolments(request, pk: int):
    """Who the scheme pays for (the participants the user may see), by desa, name or NIK; ended ones too."""
    scheme = _get_scheme_for_user(request, pk)
    desa = request.GET.get("desa", "").strip()
    q = request.GET.get("q", "").strip()
    show = request.GET.get("status", "open")
    qs = selectors.scheme_enrolments(user=request.user, scheme=scheme, desa=desa, include_ended=show != "open")
    if show == "ended":
        qs = qs.filter(ended_at__isnull=False)
    if q:
        digits = q.replace(" ", "")
        qs = qs.filter(participant__nik=digits) if digits.isdigit() else qs.filter(participant__full_name__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    shown = personal_data(request.user)
    today = clock.today()
    # Beside a masked NIK, the age and RT tell apart two people of the same name and desa.
    names = region_names(e.desa_code for e in page)
    rows = [(e, shown.nik(e.participant.nik), can_end_enrolment(request.user, e), age(e.participant.birth_date, today),
             names.get(e.desa_code, e.desa_code)) for e in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "funding/enrolments.html", {"scheme": scheme, "page": page, "rows": rows, "desa": desa,
                                                       "q": q, "status": show,
                                                       "query": query.urlencode() + "&" if query else ""})


@login_required
def enrolment_end(request, pk: int):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    if enrolment is None or not can_end_enrolment(request.user, enrolment):
        raise Http404
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = EndForm(request.POST or None, initial={"last_month": enrolment.end_month})
    if request.method == "POST" and form.is_valid() and enrolment.ended_at is None:
        d = form.cleaned_data
        try:
            services.enrolment_end(actor=request.user, enrolment=enrolment, last_month=d["last_month"],
                                   reason=d["reason"], note=d["note"])
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Kepesertaan %(n)s di skema %(s)s diakhiri.") % {
                "n": enrolment.participant.full_name, "s": enrolment.scheme.name})
            if next_url:
                return redirect(next_url)
            return redirect("funding:enrolments", pk=enrolment.scheme_id)
    return render(request, "funding/end.html", {"enrolment": enrolment, "form": form, "next": next_url,
                                                "nik": personal_data(request.user).nik(enrolment.participant.nik)})
