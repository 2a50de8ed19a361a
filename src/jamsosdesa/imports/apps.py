from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "jamsosdesa.imports"
    label = "imports"
    verbose_name = "Impor dan ekspor"
