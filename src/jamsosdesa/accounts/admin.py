from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy, ngettext

from jamsosdesa.core.admin_audit import AuditedAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("regions",)
    fieldsets = (*BaseUserAdmin.fieldsets, ("jamsosdesa", {"fields": ("role", "regions", "language", "phone")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("jamsosdesa", {"fields": ("role", "regions")}))


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """A token is issued by its owner on the profile page and revoked, never handed to someone else or deleted
    (the trail names it): here only its name changes, and the action revokes (api_token.revoked)."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("user", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Cabut token yang dipilih"), permissions=["change"])
    def revoke(self, request, queryset):
        count = sum(token.revoke(actor=request.user) for token in queryset.filter(revoked_at__isnull=True))
        self.message_user(request, ngettext("%(n)d token dicabut.", "%(n)d token dicabut.", count) % {"n": count},
                          messages.SUCCESS)
