"""`jamsosdesa coverage refresh [--day YYYY-MM-DD | --month YYYY-MM] [--kab CODE ...] [--changed] [--json]`: rewrite
a day's coverage snapshots through the refresh job (coverage.refresh), with a progress bar on a terminal.
`--changed` is the incremental pass for cron when `jamsosdesa serve` does not run it."""

import json
from datetime import date, timedelta

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jamsosdesa.billing.api_status import parse_day
from jamsosdesa.core import clock
from jamsosdesa.core.jobs import JobStatus
from jamsosdesa.core.money import thousands
from jamsosdesa.core.months import parse_month
from jamsosdesa.core.progress import progress_bar

from .models import RefreshTrigger
from .refresh import refresh_as_json, refresh_run


def register(subparsers) -> None:
    p = subparsers.add_parser("refresh", help=gettext_lazy("Tulis ulang potret cakupan satu hari (bawaan: hari ini) "
                                                           "dari registri dan buku iuran."))
    p.add_argument("--day", default="", help=gettext_lazy("Tanggal YYYY-MM-DD (bawaan: hari ini)"))
    p.add_argument("--month", default="", help=gettext_lazy(
        "Bulan YYYY-MM: tulis hari terakhirnya (bulan ini: hari ini)"))
    p.add_argument("--kab", action="append", help=gettext_lazy("Hanya kabupaten/kota ini (boleh berulang)"))
    p.add_argument("--changed", action="store_true", help=gettext_lazy(
        "Hanya kabupaten yang peserta atau iurannya berubah sejak pembaruan terakhir (untuk cron)"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_refresh)


def _day(options) -> date | None:
    """The day asked: --day, or --month's last day (today for this month); None: today. Bad input: CommandError."""
    day_text, month_text = (options.get("day") or "").strip(), (options.get("month") or "").strip()
    if day_text and month_text:
        raise CommandError(_("Pakai --day atau --month, jangan keduanya."))
    if day_text:
        return parse_day(day_text, "--day")
    if month_text:
        try:
            month = parse_month(month_text)
        except ValueError as exc:
            raise CommandError(f"--month: {exc}") from None
        today = clock.today()
        if month > today.replace(day=1):
            raise CommandError(_("--month: bulan %(m)s belum tiba; potret cakupan hanya untuk bulan ini atau yang "
                                 "sudah lewat.") % {"m": f"{month:%m/%Y}"})
        if month == today.replace(day=1):
            return today
        return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return None


def run_refresh(command, options) -> None:
    day = _day(options)
    if options.get("changed") and (day is not None or options.get("kab")):
        raise CommandError(_("--changed mencari sendiri kabupaten yang berubah untuk hari ini: jangan pakai "
                             "bersama --day, --month atau --kab."))
    with progress_bar(_("Potret cakupan"), None, enabled=not options["json"] and command.stdout.isatty()) as bar:
        job = refresh_run(actor=None, day=day, kab_codes=options.get("kab"), trigger=RefreshTrigger.CLI,
                          changed=bool(options.get("changed")), progress=bar.to)
    if options["json"]:
        command.stdout.write(json.dumps(refresh_as_json(job), ensure_ascii=False, indent=2))
    if job.status != JobStatus.DONE:
        raise CommandError(job.message or _("Pembaruan potret cakupan tidak selesai."))
    if options["json"]:
        return
    if not job.days_written:
        command.stdout.write(_("Tidak ada yang berubah sejak pembaruan terakhir."))
        return
    days = ", ".join(f"{date.fromisoformat(d):%d-%m-%Y}" for d in job.days_written)
    command.stdout.write(ngettext("Potret cakupan %(d)s ditulis: %(n)s baris, %(k)s kabupaten/kota.",
                                  "Potret cakupan %(d)s ditulis: %(n)s baris, %(k)s kabupaten/kota.",
                                  len(job.kab_done)) % {"d": days, "n": thousands(job.rows_written),
                                                        "k": thousands(len(job.kab_done))})
