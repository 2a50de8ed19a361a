from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jamsosdesa.core"
    label = "core"
    verbose_name = "Inti"
