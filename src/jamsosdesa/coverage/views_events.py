"""Pages of outreach (sosialisasi) events under /cakupan/sosialisasi/: the list (of a region), recording and changing
an event, and an event's page with its code and conversion. Forms only parse; coverage.event_services decides."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.access import own_desa
from jamsosdesa.core.errors import ServiceError, put_on_form
from jamsosdesa.core.widgets import DateInput
from jamsosdesa.regions.selectors import region_ancestors

from . import event_selectors as selectors
from .event_services import (
    MAX_ATTENDANCE,
    MAX_LENGTH,
    ORGANISER_OF_ROLE,
    OutreachEventData,
    can_change_event,
    can_record_event,
    event_data,
    event_get,
    outreach_event_create,
    outreach_event_update,
)
from .models_events import Audience, Organiser

PAGE = 50


class EventForm(forms.Form):
    """Parses what the page posts; the service checks it (coverage.event_services.clean_event)."""

    title = forms.CharField(label=gettext_lazy("Nama kegiatan"), max_length=MAX_LENGTH["title"], required=False,
                            widget=forms.TextInput(attrs={"placeholder": gettext_lazy(
                                "mis. Sosialisasi di balai desa")}))
    held_on = forms.DateField(label=gettext_lazy("Tanggal"), widget=DateInput(), required=False,
                              error_messages={"invalid": gettext_lazy("Tulis tanggal sebagai YYYY-MM-DD.")})
    region = forms.CharField(label=gettext_lazy("Kode desa, kecamatan atau kabupaten/kota"), max_length=13,
                             required=False, widget=forms.TextInput(attrs={"placeholder": "33.11.11.2004",
                                                                          "inputmode": "decimal"}))
    venue = forms.CharField(label=gettext_lazy("Tempat (mis. balai desa)"), max_length=MAX_LENGTH["venue"],
                            required=False)
    organiser_type = forms.ChoiceField(label=gettext_lazy("Penyelenggara"), choices=Organiser.choices)
    organiser_name = forms.CharField(label=gettext_lazy("Nama penyelenggara (boleh kosong)"),
                                     max_length=MAX_LENGTH["organiser_name"], required=False)
    audience = forms.MultipleChoiceField(label=gettext_lazy("Sasaran peserta"), choices=Audience.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple)
    attendance = forms.IntegerField(label=gettext_lazy("Jumlah hadir"), min_value=0, max_value=MAX_ATTENDANCE,
                                    required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    note = forms.CharField(label=gettext_lazy("Catatan"), max_length=MAX_LENGTH["note"], required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def service_data(self) -> OutreachEventData:
        c = self.cleaned_data
        return OutreachEventData(title=c.get("title") or "", held_on=c.get("held_on"), region=c.get("region") or "",
                                 organiser_type=c.get("organiser_type") or "",
                                 organiser_name=c.get("organiser_name") or "", venue=c.get("venue") or "",
                                 audience=list(c.get("audience") or []), attendance=c.get("attendance") or 0,
                                 note=c.get("note") or "")


def _event_for(request, pk: int):
    event = event_get(request.user, pk=pk)
    if event is None:
        raise Http404
    return event


def _region_label(code: str) -> str:
    chain = region_ancestors(code) if code else []
    return ", ".join(r.name for r in reversed(chain))


@login_required
def event_list(request):
    region = (request.GET.get("wilayah") or "").strip()[:13]
    events = list(selectors.events_for_region(region, request.user)[:PAGE])
    figures = selectors.conversions([e.code for e in events])
    rows = [(e, figures[e.code]) for e in events]
    return render(request, "coverage/events.html", {
        "rows": rows, "region": region, "region_label": _region_label(region), "page_size": PAGE,
        "can_record": can_record_event(request.user)})


def _save(request, form: EventForm, *, event=None):
    """Call the service; on a refusal, its messages go on the form's fields (everything typed stays)."""
    try:
        if event is None:
            return outreach_event_create(actor=request.user, data=form.service_data())
        return outreach_event_update(actor=request.user, event=event, data=form.service_data())
    except ServiceError as exc:
        put_on_form(form, exc.fields, otherwise=exc.message)
        return None


@login_required
def event_new(request):
    if not can_record_event(request.user):
        raise Http404
    if request.method == "POST":
        form = EventForm(request.POST)
        if form.is_valid():
            event = _save(request, form)
            if event is not None:
                messages.success(request, _("Kegiatan dicatat. Kodenya %(code)s: tuliskan di undangan dan pakai saat "
                                            "mendaftarkan peserta.") % {"code": event.code})
                return redirect("coverage:event", pk=event.pk)
    else:
        form = EventForm(initial={"region": own_desa(request.user),
                                  "organiser_type": ORGANISER_OF_ROLE.get(request.user.role, Organiser.BRANCH)})
    return render(request, "coverage/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request, pk: int):
    event = _event_for(request, pk)
    if not can_change_event(request.user, event):
        messages.error(request, _("Anda boleh melihat kegiatan ini tetapi tidak mengubahnya."))
        return redirect("coverage:event", pk=pk)
    if request.method == "POST":
        form = EventForm(request.POST)
        if form.is_valid() and _save(request, form, event=event) is not None:
            messages.success(request, _("Perubahan tersimpan."))
            return redirect("coverage:event", pk=pk)
    else:
        data = event_data(event)
        form = EventForm(initial={**data.__dict__})
    return render(request, "coverage/event_form.html", {"form": form, "event": event})


@login_required
def event_detail(request, pk: int):
    event = _event_for(request, pk)
    conversion = selectors.event_conversion(event)
    people, seen = selectors.event_people(event, request.user)
    audience = dict(Audience.choices)
    return render(request, "coverage/event.html", {
        "event": event, "conversion": conversion, "people": people, "seen": seen,
        "outside": max(conversion.registered - seen, 0),
        "audience": [audience.get(a, a) for a in event.audience],
        "region_label": _region_label(event.region_id),
        "can_change": can_change_event(request.user, event)})
