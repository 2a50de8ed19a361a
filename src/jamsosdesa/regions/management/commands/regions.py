import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.core.progress import progress_bar
from jamsosdesa.core.regioncodes import Level
from jamsosdesa.regions.loader import regions_load
from jamsosdesa.regions.models import Region
from jamsosdesa.regions.selectors import clear_region_caches, region_search


class Command(BaseCommand):
    help = gettext_noop("Wilayah Kemendagri: muat daftar wilayah, cari wilayah.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title=gettext_lazy("perintah"))
        load = sub.add_parser("load", help=gettext_lazy("Muat/perbarui semua 91.599 wilayah (aman diulang)."))
        load.add_argument("--quiet", action="store_true", help=gettext_lazy("Tanpa bilah kemajuan."))
        search = sub.add_parser("search", help=gettext_lazy("Cari wilayah menurut nama, mis. 'krajan'."))
        search.add_argument("query")
        search.add_argument("--level", type=int, choices=[1, 2, 3, 4], help=gettext_lazy("1 provinsi … 4 desa"))
        search.add_argument("--limit", type=int, default=20)

    def handle(self, *args, action, **options):
        if action == "load":
            started = time.perf_counter()
            with progress_bar(_("Memuat wilayah"), total=92_219, enabled=not options["quiet"]) as advance:
                count = regions_load(progress=advance)
            clear_region_caches()
            seconds = time.perf_counter() - started
            self.stdout.write(_("%(n)s wilayah dimuat dalam %(s).1f detik (%(d)s desa/kelurahan).") % {
                "n": count, "s": seconds, "d": Region.objects.filter(level=Level.DESA).count()})
        elif action == "search":
            if not Region.objects.exists():
                raise CommandError(_("Daftar wilayah belum dimuat: jalankan `jamsosdesa regions load`."))
            for hit in region_search(options["query"], level=Level(options["level"]) if options["level"] else None,
                                     limit=options["limit"]):
                self.stdout.write(f"{hit['code']:<14} {hit['label']}")
