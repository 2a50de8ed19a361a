"""`jamsosdesa bpjs compare FILE --region CODE [--on YYYY-MM-DD] [--mapping NAME] [--as USER] [--json]`: compare a
BPJS list with jamsosdesa at once (the same service as the page's job, imports.bpjs_import) and print per desa who
BPJS counts active that we do not, and the reverse."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.billing.crosscheck import FINDING_LABELS, FINDINGS, NO_DESA
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.progress import progress_bar
from jamsosdesa.imports.bpjs_import import bpjs_compare_now
from jamsosdesa.imports.models import MappingKind
from jamsosdesa.imports.selectors import mapping_resolve
from jamsosdesa.regions.selectors import region_names

PROBLEMS_SHOWN = 20
SHORT = {"bpjs_only_active": "BPJS", "ours_only_active": "kami", "paid_through_differs": "lunas≠",
         "both_active": "sama", "both_inactive": "nonaktif", "not_in_registry": "tak dikenal",
         "outside_area": "luar"}


class Command(BaseCommand):
    help = gettext_lazy("Cocokkan daftar peserta dari BPJS dengan status di jamsosdesa, per desa.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title=gettext_lazy("perintah"))
        p = sub.add_parser("compare", help=gettext_lazy(
            "Bandingkan daftar BPJS (CSV/XLSX) dengan status jamsosdesa pada tanggal daftar."))
        p.add_argument("file", help=gettext_lazy("Berkas .csv, .xlsx atau .xls dari BPJS"))
        p.add_argument("--region", required=True, help=gettext_lazy(
            "Kode kabupaten atau desa yang dicakup daftar (di wilayah Anda), mis. 33.11"))
        p.add_argument("--on", default="", help=gettext_lazy("Tanggal daftar YYYY-MM-DD (bawaan: hari ini)"))
        p.add_argument("--mapping", help=gettext_lazy("Nama pemetaan kolom daftar BPJS yang tersimpan."))
        p.add_argument("--as", "--user", dest="user", help=gettext_lazy(
            "Atas nama pengguna ini (petugas cabang atau admin nasional; bawaan: admin nasional pertama)"))
        p.add_argument("--json", action="store_true", help=gettext_lazy("Keluaran JSON."))
        p.add_argument("--quiet", action="store_true", help=gettext_lazy("Tanpa bilah kemajuan."))

    def handle(self, *args, **o):
        actor = actor_for(o["user"])
        on = None
        if o["on"]:
            try:
                on = date.fromisoformat(o["on"].strip())
            except ValueError:
                raise CommandError(_("--on: tanggal '%(v)s' tidak dikenal: tulis YYYY-MM-DD.") % {
                    "v": o["on"][:20]}) from None
        mapping = None
        if o["mapping"]:
            mapping = mapping_resolve(actor, o["mapping"], MappingKind.BPJS_LIST)
            if mapping is None:
                raise CommandError(_("Pemetaan '%(name)s' tidak ada.") % {"name": o["mapping"]})
        try:
            with progress_bar(_("Mencocokkan"), None, enabled=not (o["quiet"] or o["json"])) as bar:
                job = bpjs_compare_now(actor=actor, path=o["file"], region_code=o["region"], as_of=on,
                                       mapping=mapping, progress=bar.to)
        except FileNotFoundError:
            raise CommandError(_("Berkas %(file)s tidak ada.") % {"file": o["file"]}) from None
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        summary = job.summary
        if summary.get("file_error"):
            raise CommandError(summary["file_error"])
        per_desa = summary.get("per_desa", {})
        if o["json"]:
            self.stdout.write(json.dumps({
                "list": job.pk, "region": job.region_code, "as_of": job.as_of.isoformat(),
                "rows": summary.get("rows_total", 0), "compared": summary.get("compared", 0),
                "per_desa": {desa: {f.value: counts.get(f.value, 0) for f in FINDINGS}
                             for desa, counts in per_desa.items()},
                "totals": summary.get("totals", {}),
                "problems": summary.get("problems", [])}, ensure_ascii=False, indent=2))
            return
        names = region_names(per_desa.keys())
        out = self.stdout
        out.write(_("Daftar #%(id)s, %(rows)s baris, wilayah %(region)s, per %(d)s:") % {
            "id": job.pk, "rows": summary.get("rows_total", 0), "region": job.region_code,
            "d": f"{job.as_of:%d-%m-%Y}"})
        out.write("  " + " ".join(f"{SHORT[f.value]:>11}" for f in FINDINGS) + "  " + _("desa"))
        for desa, counts in per_desa.items():
            label = f"{desa} {names.get(desa, '')}" if desa != NO_DESA else _("(tanpa desa: tak dikenal/di luar)")
            out.write("  " + " ".join(f"{counts.get(f.value, 0):>11}" for f in FINDINGS) + "  " + label)
        totals = summary.get("totals", {})
        for f in FINDINGS:
            out.write(f"  {FINDING_LABELS[f.value]}: {totals.get(f.value, 0)}")
        for problem in summary.get("problems", [])[:PROBLEMS_SHOWN]:
            out.write(f"  {problem['message']}")
        if summary.get("problem_count", 0) > PROBLEMS_SHOWN:
            out.write(_("  … dan %(n)s baris bermasalah lainnya (lihat halaman daftar).") % {
                "n": summary["problem_count"] - PROBLEMS_SHOWN})
