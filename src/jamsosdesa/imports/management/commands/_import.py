import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.progress import progress_bar
from jamsosdesa.imports.engine import GROUPS, ImportOptions, participants_import
from jamsosdesa.imports.report import write_report
from jamsosdesa.imports.selectors import mapping_resolve

from ._statement import add_statement_parser, handle_statement

GROUP_LABELS = {"new": gettext_noop("baru"), "unchanged": gettext_noop("tidak berubah"),
                "updated": gettext_noop("diperbarui"), "duplicate": gettext_noop("ganda dalam berkas"),
                "elsewhere": gettext_noop("sudah terdaftar di tempat lain"),
                "refused": gettext_noop("tidak dapat didaftarkan di sini"),
                "invalid": gettext_noop("tidak valid"), "warning": gettext_noop("ada peringatan, tidak dimuat"),
                "skipped": gettext_noop("dilewati")}


class Command(BaseCommand):
    help = gettext_noop(
        "Impor peserta dari berkas .xlsx, .xls atau .csv (templat, ekspor OpenSID, atau pemetaan kolom).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        p = sub.add_parser("participants", help=gettext_lazy("Impor peserta dari satu berkas."))
        p.add_argument("file", help=gettext_lazy("Berkas .xlsx, .xls atau .csv"))
        p.add_argument("--desa", default="", help=
            gettext_lazy("Kode desa tujuan, mis. 33.11.11.2004 (wajib untuk OpenSID)."))
        p.add_argument("--format", choices=["auto", "template", "opensid", "csv"], default="auto")
        p.add_argument("--mapping", help=gettext_lazy("Nama pemetaan kolom yang tersimpan."))
        p.add_argument("--dry-run", action="store_true", help=gettext_lazy("Pratinjau saja: tidak ada yang ditulis."))
        p.add_argument("--all-or-nothing", action="store_true",
                       help=gettext_lazy("Tolak seluruh berkas bila ada satu baris tidak valid "
                                  "(bawaan: baris valid tetap dimuat)."))
        p.add_argument("--accept-warnings", action="store_true",
                       help=gettext_lazy(
                           "Muat juga baris yang NIK-nya tidak sesuai dengan tanggal lahir atau jenis kelamin "
                                  "yang diisi, setelah Anda memeriksanya (bawaan: baris itu tidak dimuat dan "
                                  "dilaporkan)."))
        p.add_argument("--report", help=gettext_lazy("Tulis laporan baris bermasalah ke berkas .xlsx ini."))
        p.add_argument("--user", help=gettext_lazy("Impor atas nama pengguna ini (bawaan: admin nasional pertama)."))
        p.add_argument("--quiet", action="store_true", help=gettext_lazy("Tanpa bilah kemajuan."))
        p.add_argument("--lang", choices=["id", "en"],
                       help=gettext_lazy("Bahasa pesan (bawaan: --lang umum, lalu Indonesia)."))
        add_statement_parser(sub)  # H5: payment lists and MT940 statements

    def handle(self, *args, **o):
        if o["what"] == "statement":
            return handle_statement(self, o)
        if o["lang"]:  # given to call_command; on the command line `jamsosdesa --lang` has taken it
            translation.activate(o["lang"])
        actor = actor_for(o["user"])
        mapping = None
        if o["mapping"]:
            saved = mapping_resolve(actor, o["mapping"])  # the user's own, else one shared in their regions
            if saved is None:
                raise CommandError(_("Pemetaan '%(name)s' tidak ada.") % {"name": o["mapping"]})
            mapping = saved.columns
        options = ImportOptions(desa=o["desa"], format=o["format"], mapping=mapping, dry_run=o["dry_run"],
                                all_or_nothing=o["all_or_nothing"], accept_warnings=o["accept_warnings"],
                                note=f"impor berkas {o['file']}")
        started = time.perf_counter()
        try:
            with open(o["file"], "rb") as source, progress_bar(_("Impor"), None, enabled=not o["quiet"]) as bar:
                outcome = participants_import(actor=actor, source=source, options=options, progress=bar.to)
        except FileNotFoundError:
            raise CommandError(_("Berkas %(file)s tidak ada.") % {"file": o["file"]}) from None
        seconds = time.perf_counter() - started
        if outcome.file_error:
            raise CommandError(outcome.file_error)
        out = self.stdout
        for note in outcome.notes:
            out.write(note)
        if outcome.unknown_columns:
            out.write(_("Kolom tidak dikenal, diabaikan: %(columns)s") % {
                "columns": ", ".join(outcome.unknown_columns)})
        out.write(_("%(rows)s baris (%(format)s) dalam %(seconds)s detik (%(rate)s baris/detik):") % {
            "rows": outcome.rows_total, "format": outcome.format, "seconds": f"{seconds:.1f}",
            "rate": f"{outcome.rows_total / max(seconds, 1e-9):,.0f}"})
        labels = {group: _(GROUP_LABELS[group]) if group in GROUP_LABELS else group for group in GROUPS}
        width = max(32, *(len(label) for label in labels.values()))
        for group in GROUPS:
            out.write(f"  {labels[group]:<{width}} {outcome.counts[group]:>9}")
        if outcome.counts["warning"]:
            out.write(_("%(n)s baris ada peringatan (NIK tidak sesuai dengan tanggal lahir atau jenis kelamin) dan "
                        "tidak dimuat: periksa di laporan (--report), lalu perbaiki berkasnya atau impor lagi dengan "
                        "--accept-warnings.") % {"n": outcome.counts["warning"]})
        if outcome.warnings_loaded:
            out.write(_("%(n)s baris dengan peringatan dimuat (--accept-warnings).") % {"n": outcome.warnings_loaded})
        if o["dry_run"]:
            out.write(_("Pratinjau: tidak ada yang ditulis."))
        elif outcome.rejected:
            out.write(_("DITOLAK: ada baris tidak valid dan --all-or-nothing dipilih; database tidak berubah."))
        elif outcome.nothing_changed:
            out.write(_("Tidak ada perubahan: semua peserta di berkas sudah terdaftar dengan data yang sama."))
        else:
            out.write(_("Selesai."))
        if o["report"]:
            write_report(outcome, o["report"])
            if outcome.problems_left_out:
                out.write(_("Laporan baris bermasalah: %(file)s (%(n)s baris, %(more)s lainnya tidak dicantumkan)") % {
                    "file": o["report"], "n": len(outcome.problems), "more": outcome.problems_left_out})
            else:
                out.write(_("Laporan baris bermasalah: %(file)s (%(n)s baris)") % {
                    "file": o["report"], "n": len(outcome.problems)})
        if outcome.rejected:
            raise SystemExit(2)
