"""`jamsosdesa ledger check [--json]`: the ledger's invariants; exits 1 with the offending rows if any fail."""

import json
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.billing.check import INVARIANTS, SHOWN, ledger_check


class Command(BaseCommand):
    help = gettext_noop("Buku iuran: periksa invariannya (tidak ada rupiah yang hilang atau terhitung dua kali).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, title=gettext_lazy("perintah"))
        p = sub.add_parser("check", help=gettext_lazy("Periksa semua invarian; keluar dengan kode 1 bila ada yang "
                                                      "gagal, dengan baris-baris yang melanggar."))
        p.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        failures = ledger_check()
        if o["json"]:
            self.stdout.write(json.dumps({"ok": not failures, "failures": [f.as_dict() for f in failures]},
                                         ensure_ascii=False, indent=2, default=str))
        elif not failures:
            self.stdout.write(_("Buku iuran benar: %(n)d invarian terpenuhi.") % {"n": len(INVARIANTS)})
        else:
            for failure in failures:
                self.stdout.write(_("GAGAL %(i)d. %(t)s: %(c)d baris") % {"i": failure.invariant, "t": failure.title,
                                                                         "c": failure.count})
                for row in failure.rows:
                    self.stdout.write("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
                if failure.count > SHOWN:
                    self.stdout.write("  " + _("… dan %(n)d baris lagi") % {"n": failure.count - SHOWN})
        if failures:
            self.stdout.flush()
            sys.exit(1)
