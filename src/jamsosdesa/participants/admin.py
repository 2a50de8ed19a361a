from django.contrib import admin

from jamsosdesa.core.admin_audit import AuditedAdmin

from .models import Occupation


@admin.register(Occupation)
class OccupationAdmin(AuditedAdmin):
    list_display = ("code", "name")
    search_fields = ("name",)
