"""The claim file's forms (report, heir, document, list filters): they only parse what the page posts; the
services (claims.services, claims.heirs, claims.documents) check and decide."""

from django import forms
from django.utils.translation import gettext_lazy

from jamsosdesa.core.widgets import date_field
from jamsosdesa.participants.models import HeirRelation

from .heirs import HeirRequest
from .models import ClaimKind, ClaimStatus, DocumentKind
from .services import ReportRequest


class ReportForm(forms.Form):
    # the person chosen by the name lookup (participants' own search): the NIK stays on the server, so a role that
    # sees it masked never has it in the page
    participant = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput())
    nik = forms.CharField(label=gettext_lazy("NIK peserta"), max_length=25, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=gettext_lazy("Jenis klaim"), choices=ClaimKind.choices)
    event_date = date_field(gettext_lazy("Tanggal kejadian"))
    event_place = forms.CharField(label=gettext_lazy("Tempat kejadian"), max_length=200, required=False)
    description = forms.CharField(label=gettext_lazy("Kronologi singkat"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    incapacity_from = date_field(gettext_lazy("Tidak mampu bekerja sejak (JKK sementara)"))
    incapacity_to = date_field(gettext_lazy("Tidak mampu bekerja sampai (boleh kosong)"))

    def service_data(self) -> ReportRequest:
        c = self.cleaned_data
        return ReportRequest(nik=c.get("nik") or "", kind=c.get("kind") or "", event_date=c.get("event_date"),
                             event_place=c.get("event_place") or "", description=c.get("description") or "",
                             incapacity_from=c.get("incapacity_from"), incapacity_to=c.get("incapacity_to"))


class HeirForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama ahli waris"), max_length=120, required=False)
    relation = forms.ChoiceField(label=gettext_lazy("Hubungan"), choices=HeirRelation.choices)
    nik = forms.CharField(label=gettext_lazy("NIK ahli waris"), max_length=25, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    birth_date = date_field(gettext_lazy("Tanggal lahir"))
    bank_name = forms.CharField(label=gettext_lazy("Bank"), max_length=60, required=False)
    account_number = forms.CharField(label=gettext_lazy("Nomor rekening"), max_length=40, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    account_holder = forms.CharField(label=gettext_lazy("Nama pemilik rekening"), max_length=120, required=False)
    phone = forms.CharField(label=gettext_lazy("Nomor HP"), max_length=25, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def service_data(self) -> HeirRequest:
        c = self.cleaned_data
        return HeirRequest(**{k: c.get(k) or "" for k in ("name", "relation", "nik", "bank_name", "account_number",
                                                          "account_holder", "phone")},
                           birth_date=c.get("birth_date"))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis dokumen"), choices=DocumentKind.choices)
    heir = forms.TypedChoiceField(
        label=gettext_lazy("Milik ahli waris (e-KTP dan buku tabungan tiap penerima)"), required=False,
        coerce=int, empty_value=None, choices=[("", "-")])
    file = forms.FileField(label=gettext_lazy("Foto atau PDF"), required=False, widget=forms.ClearableFileInput(
        attrs={"accept": "image/*,application/pdf", "capture": "environment"}))
    seen = forms.BooleanField(label=gettext_lazy("Tidak diunggah: aslinya sudah saya lihat"), required=False)

    def __init__(self, *args, claim=None, **kwargs):
        super().__init__(*args, **kwargs)
        heirs = list(claim.heirs.order_by("rank", "id")) if claim is not None else []
        relations = dict(HeirRelation.choices)
        receives = gettext_lazy("menerima")
        self.fields["heir"].choices = [("", gettext_lazy("- bukan dokumen ahli waris -"))] + [
            (h.pk, f"{h.name} ({relations.get(h.relation, h.relation)})" + (f" · {receives}" if h.receives else ""))
            for h in heirs]
        if not heirs:
            self.fields["heir"].widget = forms.HiddenInput()


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("semua")), *ClaimStatus.choices])
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), required=False,
                             choices=[("", gettext_lazy("semua")), *ClaimKind.choices])
    q = forms.CharField(label=gettext_lazy("Nomor klaim, NIK atau nama"), max_length=60, required=False)
