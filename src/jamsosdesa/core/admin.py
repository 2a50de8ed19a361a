from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail can be searched, never edited."""

    list_display = ("at", "actor_name", "event_type", "object_type", "object_id", "region_code")
    list_filter = ("event_type", "object_type")
    search_fields = ("object_id", "actor_name", "region_code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
