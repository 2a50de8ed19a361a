from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core.access import sees_everything
from jamsosdesa.core.admin_audit import AuditedAdmin
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.regioncodes import Level, level_of_code
from jamsosdesa.regions.selectors import region_get

from .models import ArrearsPolicy
from .policy import policy_cache_clear

# --- H4 status: the arrears policy, edited by national admins only, every save audited ----------------------------

POLICY_FIELDS = ("kab_code", "valid_from", "mode", "grace_months", "source", "note")
MAX_GRACE_MONTHS = 24


class ArrearsPolicyForm(forms.ModelForm):
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

    def clean_valid_from(self):
        day = self.cleaned_data.get("valid_from")
        if day and day.day != 1:
            raise forms.ValidationError(_("Aturan berlaku mulai awal bulan: pilih tanggal 1 (mis. %(d)s).")
                                        % {"d": day.replace(day=1).strftime("%d-%m-%Y")})
        if day and not 1900 <= day.year <= 2199:
            raise forms.ValidationError(_("Tahun harus antara 1900 dan 2199."))
        return day

    def clean_grace_months(self):
        months = self.cleaned_data.get("grace_months")
        if months is not None and months > MAX_GRACE_MONTHS:
            raise forms.ValidationError(_("Masa tenggang paling lama %(n)s bulan.") % {"n": MAX_GRACE_MONTHS})
        return months



def _values(policy: ArrearsPolicy) -> dict:
    return {name: getattr(policy, name) for name in POLICY_FIELDS}


@admin.register(ArrearsPolicy)
class ArrearsPolicyAdmin(AuditedAdmin):
    form = ArrearsPolicyForm
    audit_admin_edits = False  # save_model writes its own arrears_policy.changed event (and nothing is deleted)
    list_display = ("kab_code", "valid_from", "mode", "grace_months", "source", "created_by", "created_at")
    list_filter = ("mode",)
    search_fields = ("kab_code", "source")
    ordering = ("kab_code", "-valid_from")

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
        return False  # a policy is history (statuses on past days rest on it): a new row replaces it from a month

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        old = _values(ArrearsPolicy.objects.get(pk=obj.pk)) if change and obj.pk else None
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        new = _values(obj)
        if old is not None:
            changed = [k for k in POLICY_FIELDS if old[k] != new[k]]
            if not changed:
                return
            old, new = {k: old[k] for k in changed}, {k: new[k] for k in changed}
        audit_record(actor=request.user, event=AuditEventType.ARREARS_POLICY_CHANGED, obj=obj,
                     region_code=obj.kab_code, old=old, new=new,
                     note=str(_("aturan tunggakan diubah")) if change else str(_("aturan tunggakan dibuat")))
        transaction.on_commit(policy_cache_clear)
