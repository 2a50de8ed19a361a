from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jamsosdesa.contributions.models import PayerType
from jamsosdesa.core.admin_audit import RuleAdmin, RuleForm
from jamsosdesa.core.models import AuditEventType

# --- H4 counting rules: edited by national admins only, every save audited (counting_rule.changed) ---------------
from .models_rules import CountingRule

RULE_FIELDS = ("valid_from", "full_after_months", "pro_rata_payers", "basis", "protected_name", "protected_name_en",
               "counted_name", "counted_name_en", "source", "note")
MAX_FULL_AFTER_MONTHS = 120


class CountingRuleForm(RuleForm):
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

    def clean_full_after_months(self):
        months = self.cleaned_data.get("full_after_months")
        if months is not None and months > MAX_FULL_AFTER_MONTHS:
            raise forms.ValidationError(_("Paling lama %(n)s bulan.") % {"n": MAX_FULL_AFTER_MONTHS})
        return months

    def clean_pro_rata_payers(self) -> list[str]:
        return sorted(set(self.cleaned_data.get("pro_rata_payers") or ()))


@admin.register(CountingRule)
class CountingRuleAdmin(RuleAdmin):
    form = CountingRuleForm
    rule_fields = RULE_FIELDS
    rule_event = AuditEventType.COUNTING_RULE_CHANGED
    note_created = _("aturan penghitungan cakupan dibuat")
    note_changed = _("aturan penghitungan cakupan diubah")
    list_display = ("valid_from", "full_after_months", "basis", "source", "created_by", "created_at")
    search_fields = ("source",)
    ordering = ("-valid_from",)
# --- end H4 counting rules -----------------------------------------------------------------------------------------


# --- H-refresh: the snapshot refreshes, read only (a refresh is started from its page, the API or the CLI) -------
from .models_refresh import CoverageRefresh  # noqa: E402


@admin.register(CoverageRefresh)
class CoverageRefreshAdmin(admin.ModelAdmin):
    list_display = ("id", "day", "status", "trigger", "changed", "rows_written", "created_by", "created_at",
                    "finished_at")
    list_filter = ("status", "trigger", "changed")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in CoverageRefresh._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
# --- end H-refresh ---------------------------------------------------------------------------------------------
