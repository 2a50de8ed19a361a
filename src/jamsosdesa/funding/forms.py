from django import forms
from django.utils.translation import gettext_lazy as _

from jamsosdesa.participants.models import VillageRole


class EnrolForm(forms.Form):
    """Enrol by one NIK, by a NIK list file, or by region and village role (one of the three)."""

    nik = forms.CharField(label=_("NIK satu peserta"), required=False, max_length=24)
    file = forms.FileField(label=_("atau berkas daftar NIK (.xlsx, .xls, .csv)"), required=False)
    region = forms.CharField(label=_("atau semua peserta di wilayah (kode kecamatan/desa)"), required=False,
                             max_length=13)
    village_role = forms.ChoiceField(label=_("dengan peran di desa"), required=False,
                                     choices=[("", _("semua peran")), *VillageRole.choices])
    start_month = forms.DateField(label=_("Bulan pertama"), required=False, input_formats=["%Y-%m"],
                                  widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    all_or_nothing = forms.BooleanField(label=_("Semua atau tidak sama sekali"), required=False)

    def clean(self):
        data = super().clean()
        chosen = [k for k in ("nik", "file", "region") if data.get(k)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Isi salah satu: NIK, berkas, atau wilayah."))
        return data
