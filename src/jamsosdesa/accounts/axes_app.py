"""django-axes (the login lockout) under a name of ours: its own AppConfig has no verbose_name, so the admin index
showed a section "AXES" in every language. Same app (label "axes", its migrations and tables); its ready() still
runs, wiring axes' checks and signals."""

import axes.apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(axes.apps.AppConfig):
    verbose_name = _("Penguncian login")
