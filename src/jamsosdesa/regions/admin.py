from django.contrib import admin

from jamsosdesa.core.admin_audit import AuditedAdmin

from .models import Region


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "kind", "is_historical")
    list_filter = ("level", "is_historical")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    readonly_fields = ("search_name",)
