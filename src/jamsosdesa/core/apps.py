from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jamsosdesa.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self):
        # The admin is for users and reference data (DESIGN.md): the task queue's raw rows, in English, are no use
        # to an administrator (an import or enrolment batch reports its own progress and errors on its page).
        # Runs after the admin has discovered every app's admin module, the task backend's among them.
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        from . import checks  # noqa: F401  (registers the deploy checks)

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
        # Every edit in the admin is audited: the ModelAdmins Django and libraries register (groups, axes' login
        # records) get the same AuditedAdmin that ours derive from.
        from .admin_audit import audit_every_admin

        audit_every_admin(admin.site)
