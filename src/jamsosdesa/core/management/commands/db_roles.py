from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jamsosdesa.core import dbroles


class Command(BaseCommand):
    help = gettext_noop("PostgreSQL: beri peran aplikasi (web dan pekerja) hak yang cukup untuk bekerja tetapi tidak "
                        "untuk menghapus jejak audit. Jalankan sebagai pemilik tabel, setelah setiap migrate.")

    def add_arguments(self, parser):
        parser.add_argument("--app-role", required=True,
                            help=_("Peran PostgreSQL yang dipakai web dan pekerja (sudah dibuat, bukan pemilik "
                                   "tabel), mis. jamsosdesa_app."))
        parser.add_argument("--apply", action="store_true",
                            help=_("Jalankan perintah SQL-nya (tanpa ini: hanya dicetak)."))

    def handle(self, *args, app_role, apply, **options):
        if connection.vendor != "postgresql":
            raise CommandError(_("Peran basis data hanya untuk PostgreSQL (DATABASE_URL=postgresql://...)."))
        if not dbroles.ROLE_NAME.match(app_role):
            raise CommandError(_("Nama peran %(role)s tidak dapat dipakai: hanya huruf, angka dan _.") % {
                "role": app_role})
        with connection.cursor() as cursor:
            owner = dbroles.owner(cursor)
            if owner is None:
                raise CommandError(_("Tabel belum ada: jalankan `jamsosdesa migrate` dulu (sebagai pemilik)."))
            statements = dbroles.grant_statements(app_role, owner)
            if not apply:
                self.stdout.write("\n".join(f"{sql};" for sql in statements))
                return
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [app_role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(_("Peran %(role)s belum ada: buat dulu sebagai superuser, mis. `createuser "
                                     "--pwprompt %(role)s`.") % {"role": app_role})
            powers = dbroles.erasing_powers(cursor, app_role)
            if app_role == owner.role or powers:
                raise CommandError(_("Peran %(role)s dapat menghapus jejak audit (%(powers)s): peran aplikasi tidak "
                                     "boleh superuser, pemilik tabel, atau anggota peran pemilik %(owner)s.") % {
                    "role": app_role, "powers": ", ".join(powers) or "owner", "owner": owner.role})
            cursor.execute("SELECT pg_has_role(current_user, %s, 'USAGE')", [owner.role])
            if not cursor.fetchone()[0]:
                raise CommandError(_("Jalankan sebagai pemilik tabel %(owner)s (peran yang menjalankan migrate), "
                                     "dengan DATABASE_URL-nya.") % {"owner": owner.role})
            with transaction.atomic():
                for sql in statements:
                    cursor.execute(sql)
        self.stdout.write(_("Hak peran %(role)s di skema %(schema)s sudah diatur (pemilik: %(owner)s).") % {
            "role": app_role, "schema": owner.schema, "owner": owner.role})
