"""Forms only parse input; the services decide what is valid in the domain."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core.widgets import DateInput

from .fields import HEIR_MAX_LENGTH, MAX_LENGTH
from .labels import occupation_name, value_text
from .listfilters import list_filters
from .models import DeactivationReason, HeirRelation, Occupation, Sector, Segment, Sex, VillageRole

NUMERIC = {"inputmode": "numeric"}


class CleanedByService(forms.CharField):
    """Text the participant field cleaner (participants.fields) checks: the browser is told the length limit and
    whether the field is required, but the server's verdict, code and words come from the cleaner, the same as
    for the API and the file import."""

    def __init__(self, *, limit: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if limit:
            self.widget.attrs.setdefault("maxlength", str(limit))

    def validate(self, value):
        pass  # a missing value is the cleaner's to report


class ParticipantForm(forms.Form):
    nik = CleanedByService(label="NIK", limit=24, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "off", "placeholder": _("16 digit")}))
    full_name = CleanedByService(label=_("Nama lengkap"), limit=MAX_LENGTH["full_name"])
    birth_place = CleanedByService(label=_("Tempat lahir"), limit=MAX_LENGTH["birth_place"], required=False)
    birth_date = CleanedByService(label=_("Tanggal lahir"), widget=DateInput())
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    desa = CleanedByService(label=_("Kode desa"), limit=13, widget=forms.TextInput(attrs={
        "placeholder": "33.11.11.2004", "inputmode": "decimal"}))
    address = CleanedByService(label=_("Alamat"), limit=MAX_LENGTH["address"], required=False)
    rt = CleanedByService(label="RT", limit=3, required=False, widget=forms.TextInput(attrs=NUMERIC))
    rw = CleanedByService(label="RW", limit=3, required=False, widget=forms.TextInput(attrs=NUMERIC))
    phone = CleanedByService(label=_("Nomor HP"), limit=MAX_LENGTH["phone"], required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel"}))
    occupation = forms.TypedChoiceField(label=_("Pekerjaan"), coerce=int, required=False, empty_value=None)
    # Blank: the sector follows the occupation (SOPIR, TRANSPORTASI: transportasi); a choice is kept when the
    # occupation changes later (PP 50/2025 discounts by sector).
    sector = forms.ChoiceField(label=_("Sektor pekerjaan"), required=False,
                               choices=[("", _("Ikuti pekerjaan")), *Sector.choices])
    segment = forms.ChoiceField(label=_("Segmen"), choices=Segment.choices, initial=Segment.BPU)
    village_role = forms.ChoiceField(label=_("Peran di desa"), choices=VillageRole.choices,
                                     initial=VillageRole.VULNERABLE_WORKER)
    declared_income = CleanedByService(label=_("Penghasilan per bulan (Rp)"), required=False, widget=forms.NumberInput(
        attrs={"inputmode": "numeric", "step": 1, "min": 0}))
    kk = CleanedByService(label=_("Nomor KK"), limit=24, required=False, widget=forms.TextInput(attrs=NUMERIC))
    kpj = CleanedByService(label=_("Nomor KPJ (jika sudah ada)"), limit=16, required=False,
                           widget=forms.TextInput(attrs=NUMERIC))
    # The outreach event the person came from (participants.outreach): checked by the cleaner like every field.
    outreach_code = CleanedByService(label=_("Kode sosialisasi (jika ada)"), limit=40, required=False,
                                     widget=forms.TextInput(attrs={"autocapitalize": "characters",
                                                                   "autocomplete": "off",
                                                                   "placeholder": _("mis. K7M3PQ")}))
    confirm_warnings = forms.BooleanField(label=_("Saya sudah memeriksa peringatan di atas dan data ini benar"),
                                          required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, derived_sector: str | None = None, **kwargs):
        """`derived_sector`: the sector the person's occupation gives now, named in the blank choice."""
        super().__init__(*args, **kwargs)
        follow = (_("Ikuti pekerjaan (sekarang: %(s)s)") % {"s": value_text("sector", derived_sector)}
                  if derived_sector else _("Ikuti pekerjaan (sopir, transportasi: transportasi; lainnya: umum)"))
        self.fields["sector"].choices = [("", follow), *Sector.choices]
        self.fields["occupation"].choices = [("", "—")] + [(o.code, occupation_name(o.name))
                                                           for o in Occupation.objects.all()]
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4().hex)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("confirm_warnings", "client_token"):
            data.pop(key, None)
        return data


class HeirForm(forms.Form):
    name = CleanedByService(label=_("Nama ahli waris"), limit=HEIR_MAX_LENGTH["name"], required=False)
    relation = forms.ChoiceField(label=_("Hubungan"), choices=[("", "—"), *HeirRelation.choices], required=False)
    nik = CleanedByService(label=_("NIK ahli waris (boleh kosong)"), limit=24, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    phone = CleanedByService(label=_("Nomor HP"), limit=HEIR_MAX_LENGTH["phone"], required=False)

    def is_blank(self) -> bool:
        return not any((self.cleaned_data or {}).get(k) for k in ("name", "relation", "nik", "phone"))


HeirFormSet = forms.formset_factory(HeirForm, extra=2, max_num=10)


class DeactivateForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=DeactivationReason.choices)
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Cari NIK atau nama"), required=False)
    region = forms.CharField(label=_("Kode wilayah"), required=False)
    segment = forms.ChoiceField(label=_("Segmen"), choices=[("", _("Semua segmen")), *Segment.choices], required=False)
    village_role = forms.ChoiceField(label=_("Peran"), choices=[("", _("Semua peran")), *VillageRole.choices],
                                     required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Semua status")), ("active", _("Aktif")), ("inactive", _("Nonaktif"))])
    after = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for entry in list_filters:  # the filters other packages add (participants.listfilters)
            self.fields.setdefault(entry.name, forms.ChoiceField(
                label=entry.label, required=False, choices=[("", entry.all_label or "—"), *entry.choices],
                widget=forms.Select(attrs={"aria-label": entry.label})))

    def extra_fields(self) -> list:
        return [self[entry.name] for entry in list_filters if entry.name in self.fields]

    def extra_values(self) -> dict[str, str]:
        cleaned = self.cleaned_data if self.is_valid() else {}
        return {entry.name: cleaned.get(entry.name) or "" for entry in list_filters}
