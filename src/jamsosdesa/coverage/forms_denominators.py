"""The denominator forms: they only read the fields; coverage.denominators checks them (one cleaner)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core import clock

from .models import DenominatorSource


class DenominatorForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=1900, max_value=2199)
    count = forms.CharField(label=_("Jumlah penduduk bekerja"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2500"}))
    source = forms.ChoiceField(label=_("Sumber"), choices=DenominatorSource.choices)
    source_note = forms.CharField(label=_("Keterangan sumber (mis. Sakernas Agustus 2025, pendataan RT)"),
                                  max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = clock.today().year


class DenominatorImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas .xlsx atau .csv"))
    partial = forms.BooleanField(label=_("Muat baris yang benar walau ada baris yang ditolak"), required=False)
    year = forms.IntegerField(label=_("Tahun untuk baris tanpa kolom tahun"), min_value=1900, max_value=2199,
                              required=False)
    source = forms.ChoiceField(label=_("Sumber untuk baris tanpa kolom sumber"), required=False,
                               choices=[("", "—"), *DenominatorSource.choices])
