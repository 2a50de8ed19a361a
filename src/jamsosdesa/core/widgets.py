"""Form pieces every package's pages share: the phone's own date picker, and a date field that says in words how
to write a date when the browser sends something else."""

from django import forms
from django.utils.translation import gettext_lazy


class DateInput(forms.DateInput):
    """`<input type="date">` (the phone's date picker), its value written as the browser expects (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(),
                           error_messages={"invalid": gettext_lazy("Tulis tanggal sebagai YYYY-MM-DD.")})
