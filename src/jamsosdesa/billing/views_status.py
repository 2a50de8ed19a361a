"""H4, status on a date: the public page where a worker checks their own protection with NIK and birth date.

No login. It answers only "protected until <month>" or one text for everything else, with the same status code
after the same queries, so it tells nothing of whether a NIK exists or what birth date it has; no name, amount or
desa. Lookups are counted per client address and per NIK (STATUS_PUBLIC_RATE an hour each): beyond either, 429 with
a page. The NIK travels in a POST body only, so it never reaches an access log or Django's request log."""

from datetime import date

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from jamsosdesa.accounts.lockout import client_address
from jamsosdesa.core import clock
from jamsosdesa.core.ratelimit import over_limit
from jamsosdesa.core.text import is_ascii_digits

from .status import protected_until

EARLIEST_BIRTH = date(1900, 1, 1)


class PublicStatusForm(forms.Form):
    nik = forms.CharField(label="NIK", max_length=40, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "off", "placeholder": _("16 digit"), "maxlength": "24"}))
    birth_date = forms.DateField(label=_("Tanggal lahir"), input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"],
                                 widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
                                 error_messages={"invalid": _("Tanggal lahir tidak dikenal: tulis DD-MM-YYYY, "
                                                              "mis. 05-05-1990.")})

    def clean_nik(self) -> str:
        nik = "".join(self.cleaned_data["nik"].replace(".", " ").replace("-", " ").split())
        if not (len(nik) == 16 and is_ascii_digits(nik)):
            raise forms.ValidationError(_("NIK terdiri dari 16 angka, seperti tertulis di KTP."))
        return nik

    def clean_birth_date(self) -> date:
        born = self.cleaned_data["birth_date"]
        if not EARLIEST_BIRTH <= born <= clock.today():
            raise forms.ValidationError(_("Tanggal lahir harus antara 01-01-1900 dan hari ini."))
        return born


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def public_status(request):
    form = PublicStatusForm(request.POST if request.method == "POST" else None)
    answered, until = False, None
    if form.is_bound and form.is_valid():
        nik = form.cleaned_data["nik"]
        rate = settings.STATUS_PUBLIC_RATE
        by_address = over_limit("status-address", client_address(request) or "-", limit=rate)
        by_nik = over_limit("status-nik", nik, limit=rate)
        if by_address or by_nik:
            return render(request, "billing/public_status_limited.html", status=429)
        until = protected_until(nik, form.cleaned_data["birth_date"], clock.today())
        answered = True
        form = PublicStatusForm()  # the NIK and birth date are not written back into the page
    response = render(request, "billing/public_status.html", {"form": form, "answered": answered, "until": until})
    response["Cache-Control"] = "no-store"
    return response
