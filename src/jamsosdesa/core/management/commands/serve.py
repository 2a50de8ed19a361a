import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Jalankan server web dan pekerja latar (impor berkas) bersama: untuk demo dan instalasi kecil."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        worker = subprocess.Popen([sys.executable, "-m", "jamsosdesa", "db_worker", "--no-startup-delay",
                                   "--interval", "0.5"])
        self.stdout.write(f"Pekerja latar berjalan (pid {worker.pid}).")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
