"""/klaim/hitung/: the benefit calculator page (issue 15): a NIK, a claim type and an event day give the eligibility
on that day with its reason, the parts of the benefit with their rules, the total and the total in words. Nothing is
written; the person is found through the participants' scope (a NIK outside it is not found). Phone-friendly: one
column, the table's rules under each part."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError, put_on_form

from .models import JKK_KINDS, ClaimKind
from .quote import participant_for_user, quote


class QuoteForm(forms.Form):
    nik = forms.CharField(label="NIK", max_length=40,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=_("Jenis klaim"), choices=ClaimKind.choices)
    on = forms.DateField(label=_("Tanggal kejadian"), widget=forms.DateInput(attrs={"type": "date"}))
    incapacity_from = forms.DateField(label=_("Tidak mampu bekerja sejak"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    incapacity_to = forms.DateField(label=_("Tidak mampu bekerja sampai"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))


ALIASES = {"type": "kind", "nik": "nik", "on": "on"}


@login_required
def quote_page(request):
    form = QuoteForm(request.GET or None, initial={"on": clock.today()})
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            participant = participant_for_user(request.user, data["nik"])
            result = quote(request.user, participant, data["kind"], data["on"],
                           incapacity_from=data["incapacity_from"], incapacity_to=data["incapacity_to"])
        except ServiceError as exc:
            fields = exc.fields or {"nik": [exc.message]}
            put_on_form(form, fields, aliases=ALIASES)
    return render(request, "claims/quote.html", {
        "form": form, "result": result, "kind_label": ClaimKind(result.kind).label if result else "",
        "days_kinds": [k.value for k in ClaimKind if k in JKK_KINDS and k not in (ClaimKind.JKK_DEATH,
                                                                                 ClaimKind.JKK_DISABILITY_TOTAL)]})
