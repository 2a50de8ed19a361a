from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jamsosdesa.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
