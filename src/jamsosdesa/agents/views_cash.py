"""The agents' cash pages (design §3): the agent's collections with its cash in transit on top and a form to record
one, the receipt (to show, share or print), and the wadah's and branch's list of undeposited cash with its .xlsx
export. Objects come only through agents.cash's scoped getters (agents.access underneath): outside scope, 404."""

import uuid
from datetime import timedelta
from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jamsosdesa.core import clock
from jamsosdesa.core.access import sees_everything
from jamsosdesa.core.errors import ServiceError, put_on_form
from jamsosdesa.core.money import rupiah, terbilang
from jamsosdesa.core.presenters import mask_nik
from jamsosdesa.core.roles import Role

from .cash import (
    CollectionRequest,
    cash_in_transit,
    collection_record,
    collections_for,
    get_collection_by_receipt,
    unsettled,
)
from .exports_cash import cash_in_transit_export_record, cash_in_transit_xlsx
from .models_cash import Collection
from .rules import rules_on

PAGE_SIZE = 50
CASH_ROLES = (Role.PERISAI_AGENT, Role.WADAH_MANAGER, Role.BRANCH_OFFICER)


def _cash_user(user) -> None:
    """The cash pages are for agents, wadah managers, branch officers and national admins; anyone else: 404."""
    if not (user.is_authenticated and user.is_active and (sees_everything(user) or user.role in CASH_ROLES)):
        raise Http404


class CollectionForm(forms.Form):
    nik = forms.CharField(label="NIK", max_length=24, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "off", "placeholder": gettext_lazy("16 digit")}))
    months = forms.IntegerField(label=gettext_lazy("Jumlah bulan"), min_value=1, max_value=24, initial=1)
    amount = forms.IntegerField(label=gettext_lazy("Jumlah uang (Rp, kosongkan: harga bulan-bulan itu)"),
                                required=False, min_value=1)
    collected_on = forms.DateField(label=gettext_lazy("Tanggal terima (kosongkan: hari ini)"), required=False,
                                   widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


@login_required
@require_http_methods(["GET", "POST"])
def collections(request):
    """The collections the user sees (an agent: its own), newest first, with the cash in transit on top; an agent
    also gets the form to record one."""
    _cash_user(request.user)
    is_agent = request.user.role == Role.PERISAI_AGENT
    form = None
    if is_agent:
        if request.method == "POST":
            form = CollectionForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    outcome = collection_record(actor=request.user, request=CollectionRequest(
                        participant=data["nik"], months=data["months"], amount=data["amount"],
                        collected_on=data["collected_on"], client_token=data["token"]))
                except ServiceError as exc:
                    put_on_form(form, exc.fields, aliases={"participant": "nik"}, otherwise=exc.message)
                else:
                    return redirect("agents:receipt", number=outcome.collection.receipt_number)
        else:
            form = CollectionForm(initial={"token": uuid.uuid4().hex, "months": 1})
    elif request.method == "POST":
        raise Http404
    today = clock.today()
    transit = cash_in_transit(request.user, on=today)
    rows = collections_for(request.user).select_related("participant", "agent").order_by("-collected_on", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # each receipt's money still with the agent, and whether it is past the programme's days (its worker at risk)
    held = dict(unsettled(Collection.objects.filter(pk__in=[c.pk for c in page])).values_list("pk", "remaining"))
    late_before = today - timedelta(days=rules_on(today).deposit_due_days)
    return render(request, "agents/collections.html", {
        "form": form, "transit": transit, "page": page, "query": "", "today": today,
        "rows": [(c, mask_nik(c.participant.nik), held.get(c.pk, 0), held.get(c.pk, 0) and c.collected_on < late_before)
                 for c in page]})


@login_required
def receipt(request, number: str):
    """One receipt: to show on the phone, share (Web Share or WhatsApp) or print."""
    collection = get_collection_by_receipt(request.user, number)
    person = collection.participant
    agent = collection.agent
    lang = "en" if (request.LANGUAGE_CODE or "id").startswith("en") else "id"
    months = (date_format(collection.first_month, "F Y") if collection.first_month == collection.last_month else
              f"{date_format(collection.first_month, 'F Y')} – {date_format(collection.last_month, 'F Y')}")
    check_url = request.build_absolute_uri(reverse("public_status")) + "#receipt-check"
    text = _("Kuitansi iuran BPJS Ketenagakerjaan %(number)s: %(name)s, %(months)s, %(amount)s, diterima agen "
             "%(agent)s pada %(day)s. Kode verifikasi %(code)s; periksa di %(url)s") % {
        "number": collection.receipt_number, "name": person.full_name, "months": months,
        "amount": rupiah(collection.amount), "agent": agent.get_full_name() or agent.username,
        "day": date_format(collection.collected_on, "j F Y"), "code": collection.verification_code,
        "url": check_url}
    return render(request, "agents/receipt.html", {
        "c": collection, "person": person, "nik": mask_nik(person.nik), "months": months,
        "words": terbilang(collection.amount, lang), "agent_name": agent.get_full_name() or agent.username,
        "share_text": text, "whatsapp": "https://wa.me/?text=" + quote(text), "check_url": check_url})


def _kab(request) -> str:
    kab = (request.GET.get("kab") or "").strip()
    return kab if len(kab) == 5 and kab[2] == "." and kab.replace(".", "").isdigit() else ""


@login_required
def cash_list(request):
    """Each agent's undeposited cash the user sees (a wadah its agents, a branch its kabupaten's), oldest first,
    the ones older than the programme's days flagged."""
    _cash_user(request.user)
    today, kab = clock.today(), _kab(request)
    rows = cash_in_transit(request.user, on=today, kab=kab)
    return render(request, "agents/cash_in_transit.html", {
        "rows": rows, "today": today, "kab": kab, "due_days": rules_on(today).deposit_due_days,
        "total": sum(r.undeposited for r in rows), "flagged": sum(1 for r in rows if r.flagged)})


@login_required
def cash_export(request):
    """The list as an .xlsx file (audited once it has gone out)."""
    from jamsosdesa.billing.views_statements import xlsx_download

    _cash_user(request.user)
    today, kab = clock.today(), _kab(request)
    return xlsx_download(
        lambda target: cash_in_transit_xlsx(actor=request.user, on=today, kab=kab, target=target),
        lambda rows: cash_in_transit_export_record(actor=request.user, on=today, kab=kab, rows=rows),
        f"uang-belum-disetor-{today:%Y-%m-%d}.xlsx")
