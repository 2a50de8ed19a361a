"""The undeposited-cash list as an .xlsx file (XlsxWriter, text cells stay text) and its audit event."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.models import AuditEventType

from .cash import cash_in_transit


def cash_in_transit_xlsx(*, actor, on: date, kab: str, target) -> int:
    """Write the list the user sees on `on` to `target`; returns the number of rows."""
    import xlsxwriter

    from jamsosdesa.core.cells import XLSX_OPTIONS

    book = xlsxwriter.Workbook(target if hasattr(target, "write") else str(target),
                               {"constant_memory": True, **XLSX_OPTIONS})
    sheet = book.add_worksheet(_("Uang belum disetor"))
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    sheet.write_row(0, 0, [_("Agen"), _("Nama agen"), _("Wadah"), _("Kabupaten"), _("Belum disetor (Rp)"),
                           _("Penagihan tertua"), _("Umur (hari)"), _("Lewat batas")], bold)
    rows = cash_in_transit(actor, on=on, kab=kab)
    for i, row in enumerate(rows, start=1):
        user = row.agent.user
        for c, value in enumerate([user.username, user.get_full_name(), row.agent.wadah.name, row.agent.kab_code]):
            sheet.write_string(i, c, value)
        sheet.write_number(i, 4, row.undeposited, money)
        sheet.write_string(i, 5, row.oldest.isoformat())
        sheet.write_number(i, 6, row.age_days)
        sheet.write_string(i, 7, _("ya") if row.flagged else _("tidak"))
    book.close()
    return len(rows)


def cash_in_transit_export_record(*, actor, on: date, kab: str, rows: int) -> None:
    with transaction.atomic():
        audit_record(actor=actor, event=AuditEventType.AGENT_EXPORTED, object_type="cash_in_transit",
                     object_id=on.isoformat(), region_code=kab,
                     new={"what": "cash_in_transit", "on": on, "kab": kab or None, "format": "xlsx", "rows": rows})
