import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from jamsosdesa.billing.services.run import billing_run, billing_schedule, run_as_json, skip_reason_text
from jamsosdesa.billing.standing import standing_rebuild
from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.jobs import JobStatus
from jamsosdesa.core.money import rupiah, thousands
from jamsosdesa.core.months import parse_month
from jamsosdesa.core.progress import progress_bar


class Command(BaseCommand):
    help = gettext_noop("Penagihan bulanan: iuran setiap peserta yang dibiayai, lalu tagihan kolektif per skema.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        p = sub.add_parser("run", help=gettext_lazy("Jalankan penagihan satu bulan (sekali lagi: tidak ada yang "
                                                    "ditagih dua kali)."))
        p.add_argument("--month", required=True, help=gettext_lazy("Bulan yang ditagih, YYYY-MM"))
        p.add_argument("--as", "--user", dest="user",
                       help=gettext_lazy("Admin nasional yang menjalankan (bawaan: admin pertama)"))
        p.add_argument("--json", action="store_true", help=gettext_lazy("Ringkasan dalam JSON"))
        p = sub.add_parser("standing", help=gettext_lazy(
            "Hitung ulang ringkasan bulan lunas setiap peserta dari buku iuran (setelah data dimuat di luar "
            "aplikasi)."))
        p.add_argument("--json", action="store_true", help=gettext_lazy("Ringkasan dalam JSON"))
        p = sub.add_parser("schedule", help=gettext_lazy(
            "Antrekan penagihan bulan ini bila belum ada (untuk cron; `serve` melakukannya sendiri)."))
        p.add_argument("--json", action="store_true", help=gettext_lazy("Ringkasan dalam JSON"))

    def handle(self, *args, **o):
        try:
            getattr(self, "_" + o["what"])(o)
        except ServiceError as exc:
            raise CommandError(exc.message) from None

    def _run(self, o):
        try:
            month = parse_month(o["month"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        actor = actor_for(o["user"])
        with progress_bar(_("Penagihan %(m)s") % {"m": f"{month:%m/%Y}"}, None,
                          enabled=not o["json"] and self.stdout.isatty()) as bar:
            run = billing_run(actor=actor, month=month, progress=bar.to)
        if o["json"]:
            self.stdout.write(json.dumps(run_as_json(run), ensure_ascii=False, indent=2))
        if run.status != JobStatus.DONE:
            raise CommandError(run.message or _("Penagihan tidak selesai."))
        if o["json"]:
            return
        self.stdout.write(ngettext("%(n)s iuran baru", "%(n)s iuran baru", run.dues_created)
                          % {"n": thousands(run.dues_created)}
                          + _(" (%(a)s), %(i)s tagihan kolektif baru, bulan %(m)s.") % {
                              "a": rupiah(run.amount_billed), "i": thousands(run.invoices_created),
                              "m": f"{month:%m/%Y}"})
        for reason, n in sorted(run.skipped.items()):
            self.stdout.write(_("  tidak ditagih (%(why)s): %(n)s") % {"why": skip_reason_text(reason),
                                                                          "n": thousands(n)})

    def _standing(self, o):
        with progress_bar(_("Ringkasan bulan lunas"), None, enabled=not o["json"] and self.stdout.isatty()) as bar:
            changed = standing_rebuild(progress=bar.to)
        if o["json"]:
            self.stdout.write(json.dumps({"changed": changed}))
        else:
            self.stdout.write(ngettext("%(n)s peserta diperbarui.", "%(n)s peserta diperbarui.", changed)
                              % {"n": thousands(changed)})

    def _schedule(self, o):
        run = billing_schedule()
        if o["json"]:
            self.stdout.write(json.dumps({"queued": run is not None, "run": run.pk if run else None}))
        elif run is None:
            self.stdout.write(_("Tidak ada yang diantrekan: bulan ini sudah ditagih, sedang ditagih, atau baru saja "
                                "gagal (dicoba lagi paling cepat sejam kemudian)."))
        else:
            self.stdout.write(_("Penagihan bulan %(m)s diantrekan (nomor %(id)s).") % {
                "m": f"{run.month:%m/%Y}", "id": run.pk})

