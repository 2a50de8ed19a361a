"""The target form: it only reads the fields; coverage.targets.target_clean checks them (one validator)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core import clock
from jamsosdesa.participants.models import Segment, VillageRole


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=1900, max_value=2199)
    count = forms.CharField(label=_("Jumlah peserta terlindungi yang dituju"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1000"}))
    due_date = forms.DateField(label=_("Jatuh tempo (kosong: 31 Desember)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    segment = forms.ChoiceField(label=_("Segmen"), required=False,
                                choices=[("", _("— semua segmen —")), *Segment.choices])
    village_role = forms.ChoiceField(label=_("Peran di desa"), required=False,
                                     choices=[("", _("— semua peran —")), *VillageRole.choices])
    note = forms.CharField(label=_("Keterangan (mis. dasar penetapan)"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = clock.today().year
