from django import forms
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core import clock
from jamsosdesa.core.months import validate_month
from jamsosdesa.participants.models import Segment

from .calculator import QuoteRequest
from .models import PayerType, Programme, Sector

# The register form's own names (participants' Segment), BPU first: one wording for a segment across the app.
SEGMENTS = [(s.value, s.label) for s in (Segment.BPU, Segment.PU, Segment.JAKON, Segment.PMI)]


class QuoteForm(forms.Form):
    """What the 'simulasi iuran' page asks; the calculator checks the rules (allowed nominals, programmes)."""

    segment = forms.ChoiceField(label=_("Segmen"), choices=SEGMENTS, initial="BPU")
    programmes = forms.MultipleChoiceField(label=_("Program"), choices=Programme.choices, initial=["JKK", "JKM"],
                                           widget=forms.CheckboxSelectMultiple)
    income = forms.IntegerField(label=_("Nominal penghasilan (BPU) atau upah sebulan (PU), Rp"), min_value=0,
                                max_value=10**12, initial=1_000_000, required=False)
    month = forms.DateField(label=_("Bulan iuran"), input_formats=["%Y-%m", "%m/%Y", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), required=False,
                            validators=[validate_month])
    payer = forms.ChoiceField(label=_("Pembayar"), choices=PayerType.choices, initial="self")
    sector = forms.ChoiceField(label=_("Sektor pekerjaan"), choices=Sector.choices, initial="umum")
    risk_class = forms.IntegerField(label=_("Kelas risiko JKK (PU)"), min_value=1, max_value=5, initial=1,
                                    required=False)
    contract_value = forms.IntegerField(label=_("Nilai kontrak konstruksi, Rp"), min_value=0, max_value=10**15,
                                        required=False)
    contract_months = forms.IntegerField(label=_("Lama kontrak PMI, bulan"), min_value=0, max_value=120,
                                         required=False)
    people = forms.IntegerField(label=_("Jumlah orang"), min_value=1, max_value=10_000_000, initial=1,
                                required=False)
    months = forms.IntegerField(label=_("Jumlah bulan"), min_value=1, max_value=120, initial=1, required=False)

    def request(self) -> QuoteRequest:
        d = self.cleaned_data
        return QuoteRequest(segment=d["segment"], programmes=tuple(d["programmes"]),
                            month=(d.get("month") or clock.today()).replace(day=1),
                            income=d.get("income") or 0, contract_value=d.get("contract_value") or 0,
                            contract_months=d.get("contract_months") or 0, risk_class=d.get("risk_class") or 1,
                            sector=d["sector"], payer=d["payer"])

    def counts(self) -> tuple[int, int]:
        return self.cleaned_data.get("people") or 1, self.cleaned_data.get("months") or 1
