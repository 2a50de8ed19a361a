from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "jamsosdesa.regions"
    label = "regions"
    verbose_name = "Wilayah"
