from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jamsosdesa.contributions.models import PayerType
from jamsosdesa.core.access import sees_everything
from jamsosdesa.core.admin_audit import AuditedAdmin
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.models import AuditEventType

# --- H4 counting rules: edited by national admins only, every save audited (counting_rule.changed) ---------------
from .models_rules import CountingRule

RULE_FIELDS = ("valid_from", "full_after_months", "pro_rata_payers", "basis", "protected_name", "protected_name_en",
               "counted_name", "counted_name_en", "source", "note")
MAX_FULL_AFTER_MONTHS = 120


class CountingRuleForm(forms.ModelForm):
    pro_rata_payers = forms.MultipleChoiceField(
        label=_("pembayar yang dihitung pro rata"), choices=PayerType.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Peserta yang bulan terakhirnya dibayar pembayar ini dihitung sebagian sampai bulan iurannya "
                    "cukup; pembayar lain dihitung penuh selama aktif."))

    class Meta:
        model = CountingRule
        fields = RULE_FIELDS
        help_texts = {
            "valid_from": _("Tanggal 1 bulan mulai berlaku."),
            "full_after_months": _("0 = setiap peserta aktif dihitung penuh."),
            "source": _("Surat, peraturan, atau keputusan yang menjadi dasar aturan ini."),
        }

    def clean_valid_from(self):
        day = self.cleaned_data.get("valid_from")
        if day and day.day != 1:
            raise forms.ValidationError(_("Aturan berlaku mulai awal bulan: pilih tanggal 1 (mis. %(d)s).")
                                        % {"d": day.replace(day=1).strftime("%d-%m-%Y")})
        if day and not 1900 <= day.year <= 2199:
            raise forms.ValidationError(_("Tahun harus antara 1900 dan 2199."))
        return day

    def clean_full_after_months(self):
        months = self.cleaned_data.get("full_after_months")
        if months is not None and months > MAX_FULL_AFTER_MONTHS:
            raise forms.ValidationError(_("Paling lama %(n)s bulan.") % {"n": MAX_FULL_AFTER_MONTHS})
        return months

    def clean_pro_rata_payers(self) -> list[str]:
        return sorted(set(self.cleaned_data.get("pro_rata_payers") or ()))


def _values(rule: CountingRule) -> dict:
    return {name: getattr(rule, name) for name in RULE_FIELDS}


@admin.register(CountingRule)
class CountingRuleAdmin(AuditedAdmin):
    form = CountingRuleForm
    audit_admin_edits = False  # save_model writes its own counting_rule.changed event (and nothing is deleted)
    list_display = ("valid_from", "full_after_months", "basis", "source", "created_by", "created_at")
    search_fields = ("source",)
    ordering = ("-valid_from",)

    def _national(self, request) -> bool:
        return sees_everything(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._national(request)

    def has_module_permission(self, request) -> bool:
        return self._national(request)

    def has_add_permission(self, request) -> bool:
        return self._national(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._national(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a rule is history (counts on past days rest on it): a new row replaces it from a month

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        old = _values(CountingRule.objects.get(pk=obj.pk)) if change and obj.pk else None
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        new = _values(obj)
        if old is not None:
            changed = [k for k in RULE_FIELDS if old[k] != new[k]]
            if not changed:
                return
            old, new = {k: old[k] for k in changed}, {k: new[k] for k in changed}
        audit_record(actor=request.user, event=AuditEventType.COUNTING_RULE_CHANGED, obj=obj, old=old, new=new,
                     note=str(_("aturan penghitungan cakupan diubah")) if change
                     else str(_("aturan penghitungan cakupan dibuat")))
# --- end H4 counting rules -----------------------------------------------------------------------------------------
