import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.participants.models import Sex
from jamsosdesa.participants.nik import check_nik

# A NIK's kecamatan code as the reader says it (the JSON keeps the codes).
REGION_STATUS = {"current": gettext_noop("berlaku"), "historical": gettext_noop("kode lama, sudah dimekarkan"),
                 "unknown": gettext_noop("tidak dikenal")}


def _region_name(code: str) -> str:
    """'Gatak, Kabupaten Sukoharjo, Jawa Tengah', or '' when the regions are not loaded (a database not migrated)."""
    from django.db import DatabaseError

    from jamsosdesa.regions.selectors import region_ancestors

    try:
        chain = region_ancestors(code)
    except DatabaseError:
        return ""
    return ", ".join(r.name for r in reversed(chain)) if chain and chain[-1].code == code else ""


def _date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            from datetime import datetime

            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Tanggal tidak dikenal: {value} (pakai YYYY-MM-DD)")


class Command(BaseCommand):
    help = gettext_noop("NIK: periksa dan uraikan nomor induk kependudukan.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title=gettext_lazy("perintah"))
        check = sub.add_parser("check", help=gettext_lazy("Periksa satu NIK: galat, peringatan, dan isi yang terbaca."))
        check.add_argument("nik")
        check.add_argument("--birth-date", help=gettext_lazy("Tanggal lahir yang diisi (YYYY-MM-DD) untuk dicocokkan."))
        check.add_argument("--sex", choices=["L", "P"], help=gettext_lazy("Jenis kelamin yang diisi untuk dicocokkan."))
        check.add_argument("--json", action="store_true", help=gettext_lazy("Keluaran JSON."))
        check.add_argument("--lang", choices=["id", "en"],
                           help=gettext_lazy("Bahasa pesan (bawaan: --lang umum, lalu Indonesia)."))

    def handle(self, *args, action, **options):
        if options["lang"]:  # given to call_command; on the command line `jamsosdesa --lang` has taken it
            translation.activate(options["lang"])
        birth_date = _date(options["birth_date"]) if options["birth_date"] else None
        result = check_nik(options["nik"], birth_date=birth_date, sex=options["sex"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_("SAH") if result.valid else _("TIDAK SAH"))
            rows = [(_("galat"), f"{issue.code}: {issue.message}") for issue in result.errors]
            rows += [(_("peringatan"), f"{issue.code}: {issue.message}") for issue in result.warnings]
            if result.region_code:
                name = _region_name(result.region_code)
                status = REGION_STATUS.get(result.region_status or "")
                rows.append((_("wilayah"), " ".join(part for part in (
                    result.region_code, name, f"({_(status)})" if status else "") if part)))
            if result.birth_date:
                rows.append((_("lahir"), result.birth_date.isoformat()))
            if result.sex:
                rows.append((_("kelamin"), f"{result.sex} ({Sex(result.sex).label})"))
            width = max((len(label) for label, _value in rows), default=0)
            for label, value in rows:
                self.stdout.write(f"  {label:<{width}} {value}")
        if not result.valid:
            raise SystemExit(1)
