from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.core.commands import actor_for
from jamsosdesa.imports.export import export_csv, export_xlsx
from jamsosdesa.participants.selectors import ParticipantFilter


class Command(BaseCommand):
    help = gettext_noop("Ekspor peserta yang boleh dilihat pengguna ke .xlsx atau .csv (tercatat di jejak audit).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        p = sub.add_parser("participants", help=gettext_lazy("Ekspor daftar peserta."))
        p.add_argument("--region", default="", help=gettext_lazy("Kode wilayah (provinsi/kabupaten/kecamatan/desa)."))
        p.add_argument("--out", required=True, help=gettext_lazy("Berkas keluaran .xlsx atau .csv"))
        p.add_argument("--q", default="", help=gettext_lazy("Cari NIK atau nama."))
        p.add_argument("--segment", default="")
        p.add_argument("--status", choices=["", "active", "inactive"], default="")
        p.add_argument("--user", help=gettext_lazy("Ekspor atas nama pengguna ini (bawaan: admin nasional pertama)."))

    def handle(self, *args, **o):
        actor = actor_for(o["user"])
        filters = ParticipantFilter(q=o["q"], region=o["region"], segment=o["segment"], status=o["status"])
        out = o["out"]
        if out.endswith(".csv"):
            with open(out, "w", encoding="utf-8-sig", newline="") as handle:
                count = export_csv(actor, filters, handle)
        elif out.endswith(".xlsx"):
            count = export_xlsx(actor, filters, out)
        else:
            raise CommandError(_("Nama berkas keluaran harus berakhiran .xlsx atau .csv"))
        self.stdout.write(_("%(n)s peserta diekspor ke %(f)s.") % {"n": count, "f": out})
