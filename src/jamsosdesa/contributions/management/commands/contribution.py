import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from jamsosdesa.contributions.book import rate_book
from jamsosdesa.contributions.calculator import QuoteError, QuoteRequest, budget
from jamsosdesa.contributions.models import PayerType, Sector
from jamsosdesa.core import clock
from jamsosdesa.core.money import rupiah, thousands
from jamsosdesa.core.months import parse_month


class Command(BaseCommand):
    help = gettext_noop(
        "Simulasi iuran: berapa biaya perlindungan seorang peserta, atau sekelompok peserta selama beberapa bulan.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        p = sub.add_parser("quote", help=
            gettext_lazy("Hitung iuran sebulan (dan anggaran untuk banyak orang dan bulan)."))
        p.add_argument("--segment", required=True, help=gettext_lazy("bpu, pu, jakon atau pmi"))
        p.add_argument("--programs", default="jkk,jkm", help=gettext_lazy("Program dipisah koma (bawaan: jkk,jkm)."))
        p.add_argument("--income", type=int, default=0,
                       help=gettext_lazy("Nominal penghasilan BPU atau upah sebulan PU (Rp)."))
        p.add_argument("--month", help=gettext_lazy("Bulan iuran YYYY-MM (bawaan: bulan ini)."))
        p.add_argument("--payer", default="self", choices=PayerType.values, help=
            gettext_lazy("Pembayar (bawaan: self)."))
        p.add_argument("--sector", default="umum", choices=Sector.values,
                       help=gettext_lazy("Sektor pekerjaan (untuk diskon)."))
        p.add_argument("--risk-class", type=int, default=1, help=gettext_lazy("Kelas risiko JKK penerima upah, 1–5."))
        p.add_argument("--contract-value", type=int, default=0, help=
            gettext_lazy("Nilai kontrak jasa konstruksi (Rp)."))
        p.add_argument("--contract-months", type=int, default=0, help=gettext_lazy("Lama kontrak PMI (bulan)."))
        p.add_argument("--people", type=int, default=1, help=gettext_lazy("Jumlah orang (anggaran)."))
        p.add_argument("--months", type=int, default=1, help=gettext_lazy("Jumlah bulan iuran (anggaran)."))
        p.add_argument("--json", action="store_true", help=gettext_lazy("Keluaran JSON."))

    def handle(self, *args, **o):
        # The API's bounds: more months would step past the last year a month may have (a 500 before).
        if not 1 <= o["months"] <= 120:
            raise CommandError(_("--months harus 1 sampai 120."))
        if not 1 <= o["people"] <= 10_000_000:
            raise CommandError(_("--people harus 1 sampai 10.000.000."))
        try:
            month = parse_month(o["month"]) if o["month"] else clock.this_month()
        except (ValueError, IndexError):
            message = _("Bulan '%(m)s' tidak dikenal; tulis YYYY-MM, mis. 2026-11.") % {"m": o["month"]}
            raise CommandError(message) from None
        req = QuoteRequest(segment=o["segment"].upper(), month=month,
                           programmes=tuple(p.strip().upper() for p in o["programs"].split(",") if p.strip()),
                           income=o["income"], contract_value=o["contract_value"],
                           contract_months=o["contract_months"], risk_class=o["risk_class"], sector=o["sector"],
                           payer=o["payer"])
        try:
            result = budget(rate_book(), req, people=o["people"], months=o["months"])
        except QuoteError as exc:
            raise CommandError(exc.message) from None
        if o["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        self._print(result, month)

    def _print(self, result, month: date):
        q = result.quote
        self.stdout.write(_("Simulasi iuran %(s)s, bulan iuran %(m)s, pembayar %(p)s") % {
            "s": q.request.segment, "m": month.strftime("%m/%Y"), "p": PayerType(q.request.payer).label})
        for line in q.lines:
            share = ""
            if line.employer and line.worker:
                share = _(" (pemberi kerja %(e)s, pekerja %(w)s)") % {"e": rupiah(line.employer),
                                                                        "w": rupiah(line.worker)}
            self.stdout.write(f"  {line.programme:<8} {rupiah(line.total):>14}{share}   {line.rule}"
                              f" [{line.regulation}]")
            if line.discount:
                self.stdout.write("           " + _("diskon %(d)s: %(n)s") % {"d": rupiah(line.discount),
                                                                             "n": line.discount_rule.text})
        self.stdout.write(_("  Jumlah sebulan per orang: %(t)s") % {"t": rupiah(q.total)})
        if result.people > 1 or result.months > 1:
            self.stdout.write(_("  Anggaran: %(n)s × %(b)s = %(t)s") % {
                "n": _people(result.people), "b": _months(result.months), "t": rupiah(result.total)})
        if result.amount_changes:  # the same runs as the API's "runs" and the page's table
            self.stdout.write(_("  Iuran sebulan per orang berubah di dalam periode:"))
            for run in result.runs:
                period = run.start.strftime("%m/%Y")  # one month alone, not "12/2026–12/2026"
                if run.end != run.start:
                    period += "–" + run.end.strftime("%m/%Y")
                self.stdout.write("    " + _("%(p)s: %(a)s × %(b)s × %(n)s = %(s)s") % {
                    "p": period, "a": rupiah(run.amount), "b": _months(run.months), "n": _people(run.people),
                    "s": rupiah(run.total)})
                for discount in run.discounts:
                    self.stdout.write("      " + discount.text)
                if run.reason:
                    self.stdout.write("      " + run.reason)


def _months(n: int) -> str:
    """'1 bulan' / '3 bulan' — in English '1 month' / '3 months'."""
    return ngettext("%(b)s bulan", "%(b)s bulan", n) % {"b": thousands(n)}


def _people(n: int) -> str:
    """'1 orang' / '100 orang' — in English '1 person' / '100 people'."""
    return ngettext("%(n)s orang", "%(n)s orang", n) % {"n": thousands(n)}
