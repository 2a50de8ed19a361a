"""The claims package in Django's admin. Each part of issue 15 registers its models in its own block."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core.admin_audit import AuditedAdmin
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.models import AuditEventType

from .models import BenefitParameter

# --- C1 benefit engine


class BenefitParameterForm(forms.ModelForm):
    code = forms.ChoiceField(label=_("kode"))

    class Meta:
        model = BenefitParameter
        fields = ("code", "value", "valid_from", "regulation", "note")

    def __init__(self, *args, **kwargs):
        from .parameters import CODES

        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(code, f"{code}: {spec.description} ({spec.unit})")
                                       for code, spec in CODES.items()]

    def clean_value(self):
        value = self.cleaned_data.get("value")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Nilai harus bilangan bulat 0 atau lebih."))
        return value


@admin.register(BenefitParameter)
class BenefitParameterAdmin(AuditedAdmin):
    """A national admin enters a new value from a day (a new row); the days before keep theirs. Rows are never
    deleted (an amount once in force explains the claims decided under it). Each save writes
    `benefit_parameter.changed` with the old and new values."""

    audit_admin_edits = False  # its own event below
    form = BenefitParameterForm
    list_display = ("code", "value", "valid_from", "regulation", "changed_by", "changed_at")
    list_filter = ("code",)
    search_fields = ("code", "regulation")
    ordering = ("code", "-valid_from")
    readonly_fields = ("changed_by", "changed_at")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        from .parameters import param_cache_clear

        old = None
        if change and obj.pk:
            before = BenefitParameter.objects.get(pk=obj.pk)
            old = {"code": before.code, "value": before.value, "valid_from": before.valid_from,
                   "regulation": before.regulation}
        obj.changed_by, obj.changed_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, event=AuditEventType.BENEFIT_PARAMETER_CHANGED, obj=obj, old=old,
                     new={"code": obj.code, "value": obj.value, "valid_from": obj.valid_from,
                          "regulation": obj.regulation}, note="admin")
        transaction.on_commit(param_cache_clear)


# --- end C1
# --- C2 claim file
# --- end C2
# --- C3 decision, payment and clock
# --- end C3
