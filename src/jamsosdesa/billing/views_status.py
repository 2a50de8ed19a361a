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

from .overlays import public_overlays, receipt_check
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


class ReceiptCheckForm(forms.Form):
    """A receipt's verification code (an agent's cash receipt): 8 letters and digits as printed on it."""

    code = forms.CharField(label=_("Kode verifikasi kuitansi"), max_length=20, widget=forms.TextInput(attrs={
        "autocomplete": "off", "autocapitalize": "characters", "placeholder": _("8 huruf/angka"), "maxlength": "12"}))

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").upper()
        if not (len(code) == 8 and code.isascii() and code.isalnum()):
            raise forms.ValidationError(_("Kode verifikasi terdiri dari 8 huruf dan angka, seperti tertulis di "
                                          "kuitansi."))
        return code


def _receipt(request):
    """The receipt check: rate-limited per client address and per code like the NIK check."""
    form = ReceiptCheckForm(request.POST)
    receipt, checked = None, False
    if form.is_valid():
        code = form.cleaned_data["code"]
        rate = settings.STATUS_PUBLIC_RATE
        by_address = over_limit("receipt-address", client_address(request) or "-", limit=rate)
        by_code = over_limit("receipt-code", code, limit=rate)
        if by_address or by_code:
            return None, None, False
        receipt, checked = receipt_check(code, clock.today()), True
        form = ReceiptCheckForm()
    return form, receipt, checked


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def public_status(request):
    receipt_form, receipt, receipt_checked = ReceiptCheckForm(), None, False
    if request.method == "POST" and "code" in request.POST:
        receipt_form, receipt, receipt_checked = _receipt(request)
        if receipt_form is None:
            return render(request, "billing/public_status_limited.html", status=429)
    form = PublicStatusForm(request.POST if request.method == "POST" and "code" not in request.POST else None)
    answered, until, overlays = False, None, []
    if form.is_bound and form.is_valid():
        nik = form.cleaned_data["nik"]
        rate = settings.STATUS_PUBLIC_RATE
        by_address = over_limit("status-address", client_address(request) or "-", limit=rate)
        by_nik = over_limit("status-nik", nik, limit=rate)
        if by_address or by_nik:
            return render(request, "billing/public_status_limited.html", status=429)
        until = protected_until(nik, form.cleaned_data["birth_date"], clock.today())
        overlays = public_overlays(nik, form.cleaned_data["birth_date"], clock.today())
        answered = True
        form = PublicStatusForm()  # the NIK and birth date are not written back into the page
    response = render(request, "billing/public_status.html", {
        "form": form, "answered": answered, "until": until, "overlays": overlays, "receipt_form": receipt_form,
        "receipt": receipt, "receipt_checked": receipt_checked})
    response["Cache-Control"] = "no-store"
    return response
