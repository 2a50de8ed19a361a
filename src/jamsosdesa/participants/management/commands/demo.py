from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.accounts.models import User
from jamsosdesa.participants.demo import DEMO_PASSWORD, USERS, demo_load, demo_steps


class Command(BaseCommand):
    help = gettext_noop("Muat data demo: pengguna untuk setiap peran dan beberapa ribu peserta (aman diulang).")

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help=
            gettext_lazy("Alamat yang dicetak untuk masuk."))
        parser.add_argument("--force", action="store_true",
                            help=gettext_lazy(
                                "Muat juga ke basis data yang sudah punya pengguna lain selain pengguna demo."))

    def handle(self, *args, **options):
        # The demo adds users with a published password: never into a real database by mistake.
        others = User.objects.exclude(username__in=[user[0] for user in USERS])
        if not options["force"] and others.exists():
            raise CommandError(_(
                "Basis data ini sudah punya %(count)d pengguna selain pengguna demo (misalnya %(name)s): data demo "
                "dengan kata sandi yang diketahui umum tidak dimuat. Gunakan basis data lain, atau --force bila "
                "memang disengaja.") % {"count": others.count(), "name": others.order_by("pk").first().username})
        try:
            result = demo_load()
            for step in demo_steps:
                step()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Data demo: %(new)s peserta baru, %(total)s peserta seluruhnya.") % {
            "new": result["participants_new"], "total": result["participants_total"]})
        self.stdout.write("")
        self.stdout.write(_("Buka %(url)s  dan masuk dengan (kata sandi semua: %(password)s):") % {
            "url": options["url"], "password": DEMO_PASSWORD})
        for username, _role, _regions, description in result["users"]:
            self.stdout.write(f"  {username:<18} {description}")
