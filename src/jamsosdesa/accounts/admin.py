from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("regions",)
    fieldsets = (*BaseUserAdmin.fieldsets, ("jamsosdesa", {"fields": ("role", "regions", "language", "phone")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("jamsosdesa", {"fields": ("role", "regions")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False
