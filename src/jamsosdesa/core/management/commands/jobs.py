from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jamsosdesa.core.jobs import jobs_cleanup


class Command(BaseCommand):
    help = gettext_noop("Pekerjaan latar: bersihkan pekerjaan yang hilang dan berkas yang sudah tidak diperlukan.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title=_("perintah"))
        sub.add_parser("cleanup", help=_(
            "Gagalkan pekerjaan yang pekerjanya mati atau lama tanpa kabar, hapus unggahan yang tidak diperlukan lagi "
            "dan laporan yang lebih lama dari JAMSOSDESA_REPORT_RETENTION_DAYS hari. `jamsosdesa serve` menjalankan "
            "ini sendiri; dengan db_worker terpisah, jalankan dari cron (mis. tiap jam)."))

    def handle(self, *args, action, **options):
        counts = jobs_cleanup()
        self.stdout.write(_("%(expired)d pekerjaan yang hilang digagalkan; %(reports)d laporan lebih lama dari "
                            "%(days)d hari dihapus.") % {**counts, "days": settings.JOB_REPORT_RETENTION_DAYS})
