"""The incentive rules in the admin site: national admins only, every save one INCENTIVE_RULE_CHANGED event (the
same rule editing as billing's arrears policy, core.admin_audit.RuleAdmin)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core.admin_audit import RuleAdmin, RuleForm
from jamsosdesa.core.models import AuditEventType

from .models_incentives import IncentiveRule

RULE_FIELDS = ("valid_from", "fee_three", "fee_two", "min_new", "share_1_24_bp", "share_25_60_bp", "wadah_bp",
               "source", "note")


class IncentiveRuleForm(RuleForm):
    class Meta:
        model = IncentiveRule
        fields = RULE_FIELDS
        help_texts = {"valid_from": _("Tanggal 1 bulan mulai berlaku."),
                      "source": _("Surat, peraturan, atau keputusan yang menjadi dasar aturan ini.")}


if not admin.site.is_registered(IncentiveRule):
    @admin.register(IncentiveRule)
    class IncentiveRuleAdmin(RuleAdmin):
        form = IncentiveRuleForm
        rule_fields = RULE_FIELDS
        rule_event = AuditEventType.INCENTIVE_RULE_CHANGED
        note_created, note_changed = _("aturan insentif dibuat"), _("aturan insentif diubah")
        list_display = ("valid_from", "fee_three", "fee_two", "min_new", "share_1_24_bp", "share_25_60_bp",
                        "wadah_bp", "source", "created_by")
        ordering = ("-valid_from",)
