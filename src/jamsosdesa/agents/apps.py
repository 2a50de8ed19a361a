from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgentsConfig(AppConfig):
    name = "jamsosdesa.agents"
    verbose_name = _("agen PERISAI")

    def ready(self) -> None:
        # Each part of issue 14 registers its hooks (demo steps, periodic tasks, status overlays, panels) in its own
        # block below; a lower package never imports this one.
        # --- H-A wadah and agents
        # --- end H-A
        # --- H-B collections and deposits
        # --- end H-B
        # --- H-C incentives
        from . import admin_incentives  # noqa: F401 (the rules in the admin site)
        # --- end H-C
        # --- H-D offline field app
        # --- end H-D
        pass
