from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "jamsosdesa.participants"
    label = "participants"
    verbose_name = "Peserta"
