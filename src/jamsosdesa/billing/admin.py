from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core.admin_audit import RuleAdmin, RuleForm
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.regioncodes import Level, level_of_code
from jamsosdesa.regions.selectors import region_get

from .models import ArrearsPolicy
from .policy import policy_cache_clear

# --- H4 status: the arrears policy, edited by national admins only, every save audited ----------------------------

POLICY_FIELDS = ("kab_code", "valid_from", "mode", "grace_months", "source", "note")
MAX_GRACE_MONTHS = 24


class ArrearsPolicyForm(RuleForm):
    class Meta:
        model = ArrearsPolicy
        fields = POLICY_FIELDS
        help_texts = {
            "kab_code": _("Kode kabupaten/kota, mis. 33.11; kosong = aturan nasional (berlaku bila kabupaten tidak "
                          "punya aturan sendiri)."),
            "valid_from": _("Tanggal 1 bulan mulai berlaku."),
            "source": _("Surat, peraturan, atau keputusan yang menjadi dasar aturan ini."),
        }

    def clean_kab_code(self) -> str:
        code = (self.cleaned_data.get("kab_code") or "").strip()
        if code and (level_of_code(code) != Level.KABUPATEN or region_get(code) is None):
            raise forms.ValidationError(_("'%(c)s' bukan kode kabupaten/kota yang dikenal (tulis mis. 33.11), atau "
                                          "kosongkan untuk aturan nasional.") % {"c": code})
        return code

    def clean_grace_months(self):
        months = self.cleaned_data.get("grace_months")
        if months is not None and months > MAX_GRACE_MONTHS:
            raise forms.ValidationError(_("Masa tenggang paling lama %(n)s bulan.") % {"n": MAX_GRACE_MONTHS})
        return months


@admin.register(ArrearsPolicy)
class ArrearsPolicyAdmin(RuleAdmin):
    form = ArrearsPolicyForm
    rule_fields = POLICY_FIELDS
    rule_event = AuditEventType.ARREARS_POLICY_CHANGED
    note_created, note_changed = _("aturan tunggakan dibuat"), _("aturan tunggakan diubah")
    list_display = ("kab_code", "valid_from", "mode", "grace_months", "source", "created_by", "created_at")
    list_filter = ("mode",)
    search_fields = ("kab_code", "source")
    ordering = ("kab_code", "-valid_from")

    def rule_region(self, obj) -> str:
        return obj.kab_code

    def rule_saved(self, obj) -> None:
        transaction.on_commit(policy_cache_clear)
