from django import forms
from django.utils.translation import gettext_lazy as _

from .columns import FIELD_LABELS, IMPORTABLE_FIELDS
from .models import ColumnMapping
from .selectors import mappings_visible


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas (.xlsx, .xls, .csv)"))
    desa = forms.CharField(label=_("Kode desa tujuan"), max_length=13, required=False,
                           help_text=_("Wajib untuk ekspor OpenSID; kosongkan bila berkas punya kolom kode_desa."))
    format = forms.ChoiceField(label=_("Format"), choices=[
        ("auto", _("Kenali otomatis")), ("template", _("Templat jamsosdesa")), ("opensid", _("Ekspor OpenSID")),
        ("csv", _("CSV lain"))], initial="auto")
    mapping = forms.ModelChoiceField(label=_("Pemetaan kolom tersimpan"), queryset=ColumnMapping.objects.none(),
                                     required=False, empty_label=_("— tidak memakai —"))
    all_or_nothing = forms.TypedChoiceField(label=_("Jika ada baris yang salah"), coerce=lambda v: v == "1",
                                            initial="0", widget=forms.RadioSelect, choices=[
                                                ("0", _("Muat baris yang benar, laporkan yang salah")),
                                                ("1", _("Tolak seluruh berkas (semua atau tidak sama sekali)"))])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The user's own mappings and those shared in their regions (not everyone's: issue 11).
        field = self.fields["mapping"]
        field.queryset = mappings_visible(user)
        field.label_from_instance = lambda m: m.name if m.owner_id == user.pk else _(
            "%(name)s (dibagikan oleh %(owner)s)") % {"name": m.name, "owner": m.owner.get_full_name() or m.owner}


class ApplyForm(forms.Form):
    """Loading after a preview. Rows with warnings (the NIK disagrees with the birth date or sex given) are loaded
    only when the operator says they checked them, as on the registration form."""

    accept_warnings = forms.BooleanField(
        label=_("Muat juga baris yang ada peringatannya: sudah saya periksa dan datanya benar"), required=False)


class MappingForm(forms.Form):
    name = forms.CharField(label=_("Nama pemetaan"), max_length=80)
    shared = forms.BooleanField(label=_("Bagikan ke pengguna lain di wilayah saya"), required=False)

    def __init__(self, *args, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(h, h) for h in header if h.strip()]
        for fld in IMPORTABLE_FIELDS:
            self.fields[f"col_{fld}"] = forms.ChoiceField(label=FIELD_LABELS[fld], choices=choices, required=False)

    def columns(self) -> dict[str, str]:
        return {key[4:]: value for key, value in self.cleaned_data.items() if key.startswith("col_") and value}


# --- statements (payment lists and MT940) -------------------------------------------------------------------------

class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas (.csv, .xlsx, .xls, atau MT940 .sta/.txt)"))
    format = forms.ChoiceField(label=_("Format"), choices=[
        ("auto", _("Kenali otomatis")), ("csv", _("Daftar pembayaran CSV/Excel")),
        ("mt940", _("Rekening koran MT940"))], initial="auto")
    mapping = forms.ModelChoiceField(label=_("Pemetaan kolom tersimpan"), queryset=ColumnMapping.objects.none(),
                                     required=False, empty_label=_("— tidak memakai —"))
    channel = forms.ChoiceField(label=_("Saluran (bila baris tidak menyebutnya)"), initial="bank", choices=[])

    def __init__(self, *args, user, **kwargs):
        from jamsosdesa.billing.models import PaymentChannel

        from .models import MappingKind

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = PaymentChannel.choices
        field = self.fields["mapping"]
        field.queryset = mappings_visible(user, MappingKind.PAYMENTS)
        field.label_from_instance = lambda m: m.name if m.owner_id == user.pk else _(
            "%(name)s (dibagikan oleh %(owner)s)") % {"name": m.name, "owner": m.owner.get_full_name() or m.owner}


class StatementMappingForm(forms.Form):
    name = forms.CharField(label=_("Nama pemetaan"), max_length=80)
    shared = forms.BooleanField(label=_("Bagikan ke pengguna lain di wilayah saya"), required=False)

    def __init__(self, *args, header: list[str], **kwargs):
        from .statements import PAYMENT_FIELD_LABELS, PAYMENT_FIELDS

        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(h, h) for h in header if h.strip()]
        for fld in PAYMENT_FIELDS:
            self.fields[f"col_{fld}"] = forms.ChoiceField(label=PAYMENT_FIELD_LABELS[fld], choices=choices,
                                                          required=False)

    def columns(self) -> dict[str, str]:
        return {key[4:]: value for key, value in self.cleaned_data.items() if key.startswith("col_") and value}
