from django.core.management.base import BaseCommand, CommandError

from jamsosdesa.participants.demo import DEMO_PASSWORD, demo_load, demo_steps


class Command(BaseCommand):
    help = "Muat data demo: pengguna untuk setiap peran dan beberapa ribu peserta (aman diulang)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Alamat yang dicetak untuk masuk.")

    def handle(self, *args, **options):
        try:
            result = demo_load()
            for step in demo_steps:
                step()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Data demo: {result['participants_new']} peserta baru, "
                          f"{result['participants_total']} peserta seluruhnya.")
        self.stdout.write("")
        self.stdout.write(f"Buka {options['url']}  dan masuk dengan (kata sandi semua: {DEMO_PASSWORD}):")
        for username, _role, _regions, description in result["users"]:
            self.stdout.write(f"  {username:<18} {description}")
