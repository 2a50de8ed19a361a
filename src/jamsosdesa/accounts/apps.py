from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jamsosdesa.accounts"
    label = "accounts"
    verbose_name = "Pengguna"
