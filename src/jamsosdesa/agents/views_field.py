"""The agent's field app (design §5): light pages under /agen/lapangan/ that install on an Android phone (a web app
manifest and a Workbox service worker), open without a connection and keep what the agent enters offline in the
phone's IndexedDB until it can be sent (static/jamsosdesa/field.js). Without JavaScript the forms post here and
go through the same service as the phone's queue (agents.field)."""

import hashlib
import json
import uuid
from functools import lru_cache
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jamsosdesa.core import clock
from jamsosdesa.core.access import actor_refusal
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.months import add_months
from jamsosdesa.core.regioncodes import Level, level_of_code
from jamsosdesa.participants.forms import ParticipantForm
from jamsosdesa.participants.models import HeirRelation
from jamsosdesa.regions.selectors import region_names

from .api_field import field_agent_or_404, object_url
from .field import SubmissionRequest, client_submission_receive
from .models_offline import ClientSubmission, SubmissionKind, SubmissionOutcome
from .rules import agent_of

SCOPE = "/agen/lapangan/"
# The registry's fields an agent fills in the field, in the form's order (the rest keep the registry's defaults).
REGISTRATION_FIELDS = ("nik", "full_name", "birth_place", "birth_date", "sex", "desa", "address", "rt", "rw", "phone",
                       "occupation", "declared_income", "kpj", "outreach_code")
# What the service worker keeps on the phone besides the pages (all from this site: no third-party file).
STATIC_FILES = ("vendor/pico.min.css", "jamsosdesa/app.css", "vendor/htmx.min.js", "jamsosdesa/app.js",
                "jamsosdesa/field.css", "jamsosdesa/field-db.js", "jamsosdesa/field.js", "jamsosdesa/favicon.svg")
TEMPLATES = ("agents/field/base.html", "agents/field/home.html", "agents/field/register.html",
             "agents/field/collect.html", "agents/field/outbox.html", "agents/field/_result.html",
             "agents/field/sw.js")


class CollectionForm(forms.Form):
    """Parses the collection form (the agents' collection service decides what is valid)."""

    nik = forms.CharField(label="NIK", max_length=24, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "off", "placeholder": _("16 digit")}))
    months = forms.CharField(label=_("Jumlah bulan"), max_length=3, widget=forms.NumberInput(attrs={
        "inputmode": "numeric", "min": 1, "step": 1}))
    amount = forms.CharField(label=_("Uang diterima (Rp, boleh kosong: dihitung)"), max_length=12, required=False,
                             widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "step": 1}))
    collected_on = forms.CharField(label=_("Tanggal terima"), max_length=10, widget=forms.DateInput(attrs={
        "type": "date"}))
    client_token = forms.CharField(widget=forms.HiddenInput, required=False)


def _agent_page(request):
    field_agent_or_404(request.user)


def _desa_choices(user) -> list[tuple[str, str]]:
    codes = sorted(c for c in user.regions.values_list("code", flat=True) if level_of_code(c) == Level.DESA)
    names = region_names(codes)
    return [(code, f"{names.get(code, code)} ({code})") for code in codes]


def _registration_form(request, data=None) -> ParticipantForm:
    form = ParticipantForm(data, initial={"desa": next(iter(c for c, _n in _desa_choices(request.user)), "")})
    choices = _desa_choices(request.user)
    if choices:  # the agent's assigned desa to choose from, not a code to type
        form.fields["desa"].widget = forms.Select(choices=choices)
        form.fields["desa"].label = _("Desa")
    return form


def _incentive_url(user) -> str:
    """The agent's incentive statement of the last closed month (issue 14 part C)."""
    agent = agent_of(user)
    if agent is None:
        return ""
    month = add_months(clock.this_month(), -1)
    try:
        return reverse("agents:incentive_agent", args=[agent.pk, f"{month:%Y-%m}"])
    except NoReverseMatch:
        return ""


@login_required
def field_home(request):
    _agent_page(request)
    worklist = reverse("billing:worklist")
    counts = dict.fromkeys(SubmissionOutcome.values, 0)
    for outcome in ClientSubmission.objects.filter(user=request.user).values_list("outcome", flat=True)[:1000]:
        counts[outcome] += 1
    return render(request, "agents/field/home.html", {
        "refusal": actor_refusal(request.user, clock.today()),
        "due_url": f"{worklist}?jenis=forecast&hari=30&kelompok=agen&agen={request.user.pk}",
        "arrears_url": f"{worklist}?jenis=arrears&kelompok=agen&agen={request.user.pk}",
        "incentive_url": _incentive_url(request.user), "counts": counts})


def _submit(request, kind: str, data: dict, token: str):
    """The form posted without JavaScript: the same service as the phone's queue, then the Kiriman page."""
    try:
        answer = client_submission_receive(actor=request.user, request=SubmissionRequest(
            token=token or uuid.uuid4().hex, kind=kind, data=data))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return None
    submission = answer.submission
    if submission.outcome == SubmissionOutcome.DONE:
        messages.success(request, _("Terkirim: %(label)s.") % {"label": submission.label})
    else:
        messages.error(request, submission.message)
    return redirect("agents:field_outbox")


@login_required
def field_register(request):
    _agent_page(request)
    form = _registration_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        data = {name: request.POST.get(name, "") for name in (*REGISTRATION_FIELDS, "heir_name", "heir_relation",
                                                               "confirm_warnings")}
        done = _submit(request, SubmissionKind.REGISTRATION, data, request.POST.get("client_token", "")[:64])
        if done is not None:
            return done
    return render(request, "agents/field/register.html", {
        "form": form, "fields": [form[name] for name in REGISTRATION_FIELDS],
        "relations": HeirRelation.choices,
        "token": uuid.uuid4().hex})


@login_required
def field_collect(request):
    _agent_page(request)
    form = CollectionForm(request.POST or None, initial={"collected_on": clock.today().isoformat()})
    if request.method == "POST":
        data = {name: request.POST.get(name, "") for name in ("nik", "months", "amount", "collected_on")}
        done = _submit(request, SubmissionKind.COLLECTION, data, request.POST.get("client_token", "")[:64])
        if done is not None:
            return done
    return render(request, "agents/field/collect.html", {"form": form, "token": uuid.uuid4().hex})


@login_required
def field_outbox(request):
    _agent_page(request)
    rows = list(ClientSubmission.objects.filter(user=request.user).order_by("-created_at", "-pk")[:100])
    for row in rows:
        row.url = object_url(row)
    return render(request, "agents/field/outbox.html", {"rows": rows})


@lru_cache(maxsize=8)
def _revision(language: str, static_url: str) -> str:
    """One revision for everything the service worker keeps: it changes when a page's template or a kept file
    changes (and per language), so the phone refetches them then and only then."""
    digest = hashlib.sha256(f"{language}:{static_url}".encode())
    for name in STATIC_FILES:
        found = finders.find(name)
        digest.update(Path(found).read_bytes() if found else name.encode())
    for name in TEMPLATES:
        origin = get_template(name).origin.name
        digest.update(Path(origin).read_bytes())
    return digest.hexdigest()[:16]


@login_required
@require_GET
def field_service_worker(request):
    """The service worker, served from /agen/lapangan/ so that its scope is the field app."""
    _agent_page(request)
    revision = _revision(get_language() or "id", static("jamsosdesa/app.css"))
    pages = [reverse(name) for name in ("agents:field_home", "agents:field_register", "agents:field_collect",
                                        "agents:field_outbox")]
    statics = [static(name) for name in STATIC_FILES] + [reverse("agents:field_manifest")]
    config = {"scope": SCOPE, "workbox": static("vendor/workbox/"), "fieldDb": static("jamsosdesa/field-db.js"),
              "api": reverse("api:submission_send"),
              "precache": [{"url": url, "revision": revision} for url in pages + statics]}
    body = render_to_string("agents/field/sw.js", {"scope": SCOPE, "config": json.dumps(config)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser asks for a new version each time it checks
    response["Service-Worker-Allowed"] = SCOPE
    return response


@require_GET
def field_manifest(request):
    """The web app manifest (public: a browser asks for it without the session cookie; it holds no personal
    data)."""
    manifest = {
        "name": _("jamsosdesa · Agen PERISAI"), "short_name": _("Agen PERISAI"),
        "description": _("Daftarkan pekerja dan catat setoran iuran, juga tanpa sinyal."),
        "lang": get_language() or "id", "start_url": SCOPE, "scope": SCOPE, "id": SCOPE,
        "display": "standalone", "orientation": "portrait", "background_color": "#ffffff", "theme_color": "#1b6e3c",
        "icons": [{"src": static("jamsosdesa/favicon.svg"), "sizes": "any", "type": "image/svg+xml",
                   "purpose": "any"}],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json",
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    return response
