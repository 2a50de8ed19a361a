"""`jamsosdesa import statement FILE [--mapping NAME] [--format mt940] [--apply] [--as USER] [--json]`: the same
preview and recording as the statement import page (imports.statement_import), for the command line."""

import json

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.core.commands import actor_for
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.progress import progress_bar
from jamsosdesa.imports.models import MappingKind
from jamsosdesa.imports.report import write_report
from jamsosdesa.imports.selectors import mapping_resolve
from jamsosdesa.imports.statement_import import (
    OUTCOME_LABELS,
    OUTCOMES,
    REASON_LABELS,
    StatementOptions,
    statement_audit,
    statement_import,
)

PROBLEMS_SHOWN = 20


def add_statement_parser(sub) -> None:
    p = sub.add_parser("statement", help=gettext_lazy(
        "Impor pembayaran dari daftar CSV/XLSX atau rekening koran MT940 (pratinjau; --apply untuk mencatat)."))
    p.add_argument("file", help=gettext_lazy("Berkas .csv, .xlsx, .xls atau MT940"))
    p.add_argument("--format", choices=["auto", "csv", "mt940"], default="auto")
    p.add_argument("--mapping", help=gettext_lazy("Nama pemetaan kolom pembayaran yang tersimpan."))
    p.add_argument("--channel", default="bank", choices=["bank", "agent", "ppob", "branch"],
                   help=gettext_lazy("Saluran untuk baris yang tidak menyebutnya (bawaan: bank)."))
    p.add_argument("--apply", action="store_true", help=gettext_lazy("Catat pembayarannya (bawaan: pratinjau saja)."))
    p.add_argument("--as", "--user", dest="as_user", help=gettext_lazy(
        "Impor atas nama pengguna ini (petugas cabang atau admin nasional; bawaan: admin nasional pertama)."))
    p.add_argument("--report", help=gettext_lazy("Tulis laporan baris bermasalah ke berkas .xlsx ini."))
    p.add_argument("--json", action="store_true", help=gettext_lazy("Keluaran JSON."))
    p.add_argument("--quiet", action="store_true", help=gettext_lazy("Tanpa bilah kemajuan."))


def handle_statement(command, o) -> None:
    actor = actor_for(o["as_user"])
    mapping = None
    if o["mapping"]:
        saved = mapping_resolve(actor, o["mapping"], MappingKind.PAYMENTS)
        if saved is None:
            raise CommandError(_("Pemetaan '%(name)s' tidak ada.") % {"name": o["mapping"]})
        mapping = saved.columns
    options = StatementOptions(format=o["format"], mapping=mapping, channel=o["channel"], dry_run=not o["apply"],
                               note=(_("rekening koran %(f)s") % {"f": o["file"]})[:200])
    try:
        with open(o["file"], "rb") as source, transaction.atomic(), \
                progress_bar(_("Impor"), None, enabled=not (o["quiet"] or o["json"])) as bar:
            outcome = statement_import(actor=actor, source=source, options=options, progress=bar.to)
            if o["apply"] and not outcome.file_error:
                statement_audit(actor=actor, job=None, outcome=outcome, file_name=str(o["file"])[:200])
    except FileNotFoundError:
        raise CommandError(_("Berkas %(file)s tidak ada.") % {"file": o["file"]}) from None
    except ServiceError as exc:
        raise CommandError(exc.message) from None
    if outcome.file_error:
        raise CommandError(outcome.file_error)
    if o["report"]:
        write_report(outcome, o["report"])
    if o["json"]:
        command.stdout.write(json.dumps({
            "applied": outcome.applied, "format": outcome.format, "rows": outcome.rows_total,
            "counts": outcome.counts, "amounts": outcome.amounts, "queued": dict(outcome.reasons),
            "problems": [{"row": p.row, "status": p.group, "message": p.message} for p in outcome.problems]},
            ensure_ascii=False, indent=2))
        return
    out = command.stdout
    out.write(_("%(rows)s baris (%(format)s):") % {"rows": outcome.rows_total, "format": outcome.format})
    width = max(len(str(OUTCOME_LABELS[o_])) for o_ in OUTCOMES) + 2
    for key in OUTCOMES:
        out.write(f"  {str(OUTCOME_LABELS[key]):<{width}} {outcome.counts[key]:>7}  {rupiah(outcome.amounts[key])}")
    for reason, n in sorted(outcome.reasons.items()):
        out.write(f"    - {REASON_LABELS.get(reason, reason)}: {n}")
    for problem in outcome.problems[:PROBLEMS_SHOWN]:
        out.write(f"  {problem.message}")
    if len(outcome.problems) > PROBLEMS_SHOWN:
        out.write(_("  … dan %(n)s baris bermasalah lainnya (pakai --report atau --json)") % {
            "n": len(outcome.problems) - PROBLEMS_SHOWN})
    out.write(_("Selesai dicatat.") if outcome.applied else _("Pratinjau: tidak ada yang dicatat (pakai --apply)."))
