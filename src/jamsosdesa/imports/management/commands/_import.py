import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.progress import progress_bar
from jamsosdesa.imports.engine import GROUPS, ImportOptions, participants_import
from jamsosdesa.imports.report import write_report
from jamsosdesa.imports.selectors import mapping_resolve

GROUP_LABELS = {"new": "baru", "unchanged": "tidak berubah", "updated": "diperbarui",
                "duplicate": "ganda dalam berkas", "elsewhere": "sudah terdaftar di tempat lain",
                "invalid": "tidak valid", "warning": "ada peringatan, tidak dimuat", "skipped": "dilewati"}


class Command(BaseCommand):
    help = "Impor peserta dari berkas .xlsx, .xls atau .csv (templat, ekspor OpenSID, atau pemetaan kolom)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title="perintah")
        p = sub.add_parser("participants", help="Impor peserta dari satu berkas.")
        p.add_argument("file", help="Berkas .xlsx, .xls atau .csv")
        p.add_argument("--desa", default="", help="Kode desa tujuan, mis. 33.11.11.2004 (wajib untuk OpenSID).")
        p.add_argument("--format", choices=["auto", "template", "opensid", "csv"], default="auto")
        p.add_argument("--mapping", help="Nama pemetaan kolom yang tersimpan.")
        p.add_argument("--dry-run", action="store_true", help="Pratinjau saja: tidak ada yang ditulis.")
        p.add_argument("--all-or-nothing", action="store_true",
                       help="Tolak seluruh berkas bila ada satu baris tidak valid (bawaan: baris valid tetap dimuat).")
        p.add_argument("--accept-warnings", action="store_true",
                       help="Muat juga baris yang NIK-nya tidak sesuai dengan tanggal lahir atau jenis kelamin yang "
                            "diisi, setelah Anda memeriksanya (bawaan: baris itu tidak dimuat dan dilaporkan).")
        p.add_argument("--report", help="Tulis laporan baris bermasalah ke berkas .xlsx ini.")
        p.add_argument("--user", help="Impor atas nama pengguna ini (bawaan: admin nasional pertama).")
        p.add_argument("--quiet", action="store_true", help="Tanpa bilah kemajuan.")
        p.add_argument("--lang", choices=["id", "en"], default="id")

    def handle(self, *args, **o):
        translation.activate(o["lang"])
        actor = actor_for(o["user"])
        mapping = None
        if o["mapping"]:
            saved = mapping_resolve(actor, o["mapping"])  # the user's own, else one shared in their regions
            if saved is None:
                raise CommandError(f"Pemetaan '{o['mapping']}' tidak ada.")
            mapping = saved.columns
        options = ImportOptions(desa=o["desa"], format=o["format"], mapping=mapping, dry_run=o["dry_run"],
                                all_or_nothing=o["all_or_nothing"], accept_warnings=o["accept_warnings"],
                                note=f"impor berkas {o['file']}")
        started = time.perf_counter()
        try:
            with open(o["file"], "rb") as source, progress_bar("Impor", None, enabled=not o["quiet"]) as bar:
                outcome = participants_import(actor=actor, source=source, options=options, progress=bar.to)
        except FileNotFoundError:
            raise CommandError(f"Berkas {o['file']} tidak ada.") from None
        seconds = time.perf_counter() - started
        if outcome.file_error:
            raise CommandError(outcome.file_error)
        out = self.stdout
        for note in outcome.notes:
            out.write(note)
        if outcome.unknown_columns:
            out.write("Kolom tidak dikenal, diabaikan: " + ", ".join(outcome.unknown_columns))
        out.write(f"{outcome.rows_total} baris ({outcome.format}) dalam {seconds:.1f} detik "
                  f"({outcome.rows_total / max(seconds, 1e-9):,.0f} baris/detik):")
        for group in GROUPS:
            out.write(f"  {GROUP_LABELS[group]:<32} {outcome.counts[group]:>9}")
        if outcome.counts["warning"]:
            out.write(f"{outcome.counts['warning']} baris ada peringatan (NIK tidak sesuai dengan tanggal lahir atau "
                      "jenis kelamin) dan tidak dimuat: periksa di laporan (--report), lalu perbaiki berkasnya atau "
                      "impor lagi dengan --accept-warnings.")
        if outcome.warnings_loaded:
            out.write(f"{outcome.warnings_loaded} baris dengan peringatan dimuat (--accept-warnings).")
        if o["dry_run"]:
            out.write("Pratinjau: tidak ada yang ditulis.")
        elif outcome.rejected:
            out.write("DITOLAK: ada baris tidak valid dan --all-or-nothing dipilih; database tidak berubah.")
        elif outcome.nothing_changed:
            out.write("Tidak ada perubahan: semua peserta di berkas sudah terdaftar dengan data yang sama.")
        else:
            out.write("Selesai.")
        if o["report"]:
            write_report(outcome, o["report"])
            left_out = f", {outcome.problems_left_out} lainnya tidak dicantumkan" if outcome.problems_left_out else ""
            out.write(f"Laporan baris bermasalah: {o['report']} ({len(outcome.problems)} baris{left_out})")
        if outcome.rejected:
            raise SystemExit(2)
