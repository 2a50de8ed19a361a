from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .access import sees_everything
from .admin_audit import AuditedAdmin
from .models import AuditEvent

# The admin says it is jamsosdesa's (not "Django administration"), in the language the user chose.
admin.site.site_header = _("Administrasi jamsosdesa")
admin.site.site_title = _("Admin jamsosdesa")
admin.site.index_title = _("Pengguna dan data rujukan")


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedAdmin):
    """Read-only: the trail can be searched, never edited. It holds the old and new values of every change (full
    NIKs of participants and heirs, bank accounts), across all regions: only who sees everything reads it, whatever
    admin permissions a staff account of another role was given."""

    list_display = ("at", "actor_name", "event_type", "object_type", "object_id", "region_code")
    list_filter = ("event_type", "object_type")
    search_fields = ("object_id", "actor_name", "region_code")

    def has_view_permission(self, request, obj=None):
        return sees_everything(request.user) and super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return sees_everything(request.user) and super().has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
