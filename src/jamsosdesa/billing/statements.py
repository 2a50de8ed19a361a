"""Statements (issue 12 item 6): what was billed, paid and is still owed, for one participant and for one scheme
(its payer: all its invoices, or one invoice), on a page, on A4 paper with the amount in words (terbilang), and as
an .xlsx file. Reads only; every export of one is audited (STATEMENT_EXPORTED), and so is opening its printable page
(STATEMENT_PRINTED).

"Live" rows only count (`billing.live`): a reversed payment is listed as reversed and adds nothing; a voided due
is left out of what is owed. Money is whole rupiah throughout.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import xlsxwriter
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils.translation import gettext as _

from jamsosdesa.core.access import code_in_scope, sees_everything
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.cells import XLSX_OPTIONS
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.money import terbilang
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.funding.access import can_manage_scheme
from jamsosdesa.funding.models import Scheme
from jamsosdesa.participants.access import scope_participants
from jamsosdesa.participants.models import Participant
from jamsosdesa.regions.selectors import region_names

from .access import scope_invoices, scope_memberships
from .live import live
from .models import Allocation, Credit, Due, HolderType, Invoice, InvoiceLine, Payment, Reversal, ReversalTarget

# --- who may read which statement ------------------------------------------------------------------------------


def statement_participant_get(*, user, pk: int) -> Participant | None:
    """A participant whose statement the user may read (whoever sees the person; an agent also the people whose
    package it collects), or None: the caller answers 404."""
    person = scope_participants(user).filter(pk=pk).select_related("desa").first()
    if person is None and scope_memberships(user).filter(participant_id=pk).exists():
        person = Participant.objects.select_related("desa").filter(pk=pk).first()
    return person


def statement_scheme_get(*, user, pk: int) -> Scheme | None:
    from jamsosdesa.funding.selectors import scheme_get

    return scheme_get(user=user, pk=pk)


# --- one participant -------------------------------------------------------------------------------------------


@dataclass
class DueLine:
    month: date
    payer: str  # the scheme's name, or "iuran mandiri"
    self_paid: bool
    amount: int
    paid: int
    paid_on: date | None

    @property
    def outstanding(self) -> int:
        return self.amount - self.paid


@dataclass
class PaymentLine:
    paid_on: date
    reference: str
    channel: str
    amount: int
    allocated: int
    reversed: bool
    months: list[date]


@dataclass
class ParticipantStatement:
    participant: Participant
    nik: str
    desa_name: str
    on: date
    dues: list[DueLine]
    payments: list[PaymentLine]
    credit: int

    @property
    def billed(self) -> int:
        return sum(d.amount for d in self.dues)

    @property
    def paid(self) -> int:
        return sum(d.paid for d in self.dues)

    @property
    def unpaid(self) -> int:
        """Every unpaid live due, months billed ahead included."""
        return self.billed - self.paid

    @property
    def owed(self) -> int:
        """Unpaid dues of months up to the statement's month (months billed ahead are not yet owed)."""
        month = self.on.replace(day=1)
        return sum(d.outstanding for d in self.dues if d.month <= month)

    @property
    def owed_self(self) -> int:
        month = self.on.replace(day=1)
        return sum(d.outstanding for d in self.dues if d.month <= month and d.self_paid)

    @property
    def owed_scheme(self) -> int:
        return self.owed - self.owed_self

    @property
    def received(self) -> int:
        return sum(p.amount for p in self.payments if not p.reversed)

    def by_payer(self) -> list[tuple[str, int, int, int]]:
        """(payer, billed, paid, outstanding) per payer."""
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for d in self.dues:
            totals[d.payer][0] += d.amount
            totals[d.payer][1] += d.paid
        return [(payer, b, p, b - p) for payer, (b, p) in sorted(totals.items())]

    def words(self, lang: str = "id") -> str:
        return terbilang(self.owed, lang)

    def received_words(self, lang: str = "id") -> str:
        return terbilang(self.received, lang)


def _live_allocations():
    return live(Allocation.objects.all(), ReversalTarget.ALLOCATION)


def participant_statement(*, user, participant: Participant, on: date) -> ParticipantStatement:
    """The participant's live dues (every payer), what paid each, the person's own payments and credit."""
    dues = (live(Due.objects.filter(participant_id=participant.pk), ReversalTarget.DUE)
            .select_related("scheme").order_by("month", "id"))
    paid = {a["due_id"]: (a["amount"], a["paid_on"]) for a in _live_allocations().filter(
        due__participant_id=participant.pk).values("due_id", "amount").annotate(paid_on=_paid_on())}
    lines = [DueLine(month=d.month, payer=d.scheme.name if d.scheme_id else str(_("iuran mandiri")),
                     self_paid=d.membership_id is not None, amount=d.amount, paid=paid.get(d.pk, (0, None))[0],
                     paid_on=paid.get(d.pk, (0, None))[1]) for d in dues]
    payments = _payments(Payment.objects.filter(holder_type=HolderType.PARTICIPANT, holder_id=participant.pk))
    credit = Credit.objects.filter(holder_type=HolderType.PARTICIPANT, holder_id=participant.pk).aggregate(
        s=Sum("amount"))["s"] or 0
    return ParticipantStatement(participant=participant, nik=personal_data(user, one_person=True).nik(participant.nik),
                                desa_name=participant.desa.name if participant.desa_id else "", on=on, dues=lines,
                                payments=payments, credit=credit)


def _paid_on():
    """When the allocation's money came in: its payment's date, or the day it was allocated from credit."""
    from django.db.models.functions import Coalesce, TruncDate

    return Coalesce("payment__paid_on", TruncDate("created_at"))


def _payments(qs) -> list[PaymentLine]:
    qs = qs.annotate(is_reversed=Exists(Reversal.objects.filter(target_type=ReversalTarget.PAYMENT,
                                                                target_id=OuterRef("pk")))).order_by("paid_on", "id")
    rows = list(qs)
    months: dict[int, list[date]] = defaultdict(list)
    allocated: dict[int, int] = defaultdict(int)
    for a in _live_allocations().filter(payment_id__in=[p.pk for p in rows]).values("payment_id", "due__month",
                                                                                      "amount"):
        months[a["payment_id"]].append(a["due__month"])
        allocated[a["payment_id"]] += a["amount"]
    return [PaymentLine(paid_on=p.paid_on, reference=p.external_reference, channel=p.get_channel_display(),
                        amount=p.amount, allocated=allocated[p.pk], reversed=p.is_reversed,
                        months=sorted(set(months[p.pk]))) for p in rows]


# --- one scheme (its payer) or one of its invoices ------------------------------------------------------------


@dataclass
class InvoiceRow:
    invoice: Invoice
    billed: int
    paid: int

    @property
    def outstanding(self) -> int:
        return self.billed - self.paid


@dataclass
class DesaRow:
    code: str
    name: str
    lines: int
    billed: int
    paid: int

    @property
    def outstanding(self) -> int:
        return self.billed - self.paid


@dataclass
class SchemeStatement:
    scheme: Scheme
    invoice: Invoice | None  # one invoice's statement, or the payer's (all invoices)
    invoices: list[InvoiceRow]
    desa: list[DesaRow]
    desa_partial: bool  # the user sees only its own desa's lines
    payments: list[PaymentLine] = field(default_factory=list)
    credit: int = 0

    @property
    def billed(self) -> int:
        return sum(i.billed for i in self.invoices)

    @property
    def paid(self) -> int:
        return sum(i.paid for i in self.invoices)

    @property
    def outstanding(self) -> int:
        return self.billed - self.paid

    @property
    def received(self) -> int:
        return sum(p.amount for p in self.payments if not p.reversed)

    def words(self, lang: str = "id") -> str:
        return terbilang(self.outstanding, lang)


def scheme_invoice_get(*, user, scheme: Scheme, pk) -> Invoice | None:
    """One of the scheme's invoices the user may see (a wrong number: None, so the caller answers 404)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return scope_invoices(user).filter(scheme_id=scheme.pk, pk=pk).first()


def scheme_statement(*, user, scheme: Scheme, invoice: Invoice | None = None) -> SchemeStatement:
    """Billed, paid and outstanding per invoice and per desa; the payer's payments and credit."""
    invoices = scope_invoices(user).filter(scheme_id=scheme.pk)
    if invoice is not None:
        invoices = invoices.filter(pk=invoice.pk)
    invoices = list(invoices.order_by("month", "seq"))
    lines = InvoiceLine.objects.filter(invoice_id__in=[i.pk for i in invoices]).annotate(
        paid=Exists(_live_allocations().filter(due_id=OuterRef("due_id"))),
        voided=Exists(Reversal.objects.filter(target_type=ReversalTarget.DUE, target_id=OuterRef("due_id"))))
    per_invoice: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_desa: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    whole = sees_everything(user) or can_manage_scheme(user, scheme)
    for row in lines.values("invoice_id", "desa_code", "amount", "paid", "voided").iterator(chunk_size=5000):
        if row["voided"]:
            continue  # a voided due is no longer owed
        per_invoice[row["invoice_id"]][0] += row["amount"]
        per_invoice[row["invoice_id"]][1] += row["amount"] if row["paid"] else 0
        if whole or code_in_scope(user, row["desa_code"]):
            d = per_desa[row["desa_code"]]
            d[0] += 1
            d[1] += row["amount"]
            d[2] += row["amount"] if row["paid"] else 0
    names = region_names(per_desa)
    payments = []
    credit = 0
    if invoice is None:
        payments = _payments(Payment.objects.filter(holder_type=HolderType.SCHEME, holder_id=scheme.pk))
        credit = Credit.objects.filter(holder_type=HolderType.SCHEME, holder_id=scheme.pk).aggregate(
            s=Sum("amount"))["s"] or 0
    return SchemeStatement(
        scheme=scheme, invoice=invoice,
        invoices=[InvoiceRow(i, *per_invoice[i.pk]) for i in invoices],
        desa=[DesaRow(code, names.get(code, code), n, b, p) for code, (n, b, p) in sorted(per_desa.items())],
        desa_partial=not whole, payments=payments, credit=credit)


# --- printing and exporting ------------------------------------------------------------------------------------


@transaction.atomic
def statement_export_record(*, actor, kind: str, obj, fmt: str, rows: int, region_code: str = "",
                            nik_masked: bool = False) -> None:
    """An exported (or printed) statement is an export of personal or payer data: one audit event."""
    audit_record(actor=actor, event=AuditEventType.STATEMENT_EXPORTED, object_type=f"statement_{kind}",
                 object_id=str(obj.pk), region_code=region_code,
                 new={"kind": kind, "format": fmt, "rows": rows, "nik_masked": nik_masked})


@transaction.atomic
def statement_print_record(*, actor, kind: str, obj, region_code: str = "", rows: int = 0) -> None:
    """A statement's printable page was opened (to read or print it): who opened which statement."""
    audit_record(actor=actor, event=AuditEventType.STATEMENT_PRINTED, object_type=f"statement_{kind}",
                 object_id=str(obj.pk), region_code=region_code, new={"kind": kind, "format": "page", "rows": rows})


def participant_statement_print_record(*, actor, statement: ParticipantStatement) -> None:
    p = statement.participant
    statement_print_record(actor=actor, kind="participant", obj=p, region_code=p.desa_id,
                           rows=len(statement.dues) + len(statement.payments))


def scheme_statement_print_record(*, actor, statement: SchemeStatement) -> None:
    statement_print_record(actor=actor, kind="invoice" if statement.invoice else "scheme",
                           obj=statement.invoice or statement.scheme, region_code=statement.scheme.owner_code,
                           rows=len(statement.invoices) + len(statement.desa) + len(statement.payments))


def _book(target):
    book = xlsxwriter.Workbook(target if hasattr(target, "write") else str(target), XLSX_OPTIONS)
    return book, book.add_format({"bold": True}), book.add_format({"num_format": "#,##0"})


def _write(sheet, r: int, values, money) -> None:
    for c, value in enumerate(values):
        if isinstance(value, bool):
            sheet.write_string(r, c, _("ya") if value else _("tidak"))
        elif isinstance(value, int):
            sheet.write_number(r, c, value, money)
        elif isinstance(value, date):
            sheet.write_string(r, c, value.strftime("%Y-%m-%d"))
        else:
            sheet.write_string(r, c, "" if value is None else str(value))  # text stays text, never a formula


def participant_statement_xlsx(*, statement: ParticipantStatement, target) -> int:
    book, bold, money = _book(target)
    sheet = book.add_worksheet(_("Iuran"))
    p = statement.participant
    _write(sheet, 0, [_("Nama"), p.full_name], money)
    _write(sheet, 1, ["NIK", statement.nik], money)
    _write(sheet, 2, [_("Desa"), statement.desa_name], money)
    _write(sheet, 3, [_("Per tanggal"), statement.on], money)
    head = [_("Bulan"), _("Pembayar"), _("Iuran (Rp)"), _("Dibayar (Rp)"), _("Sisa (Rp)"), _("Tanggal bayar")]
    sheet.write_row(5, 0, head, bold)
    r = 6
    for d in statement.dues:
        _write(sheet, r, [d.month.strftime("%Y-%m"), d.payer, d.amount, d.paid, d.outstanding, d.paid_on], money)
        r += 1
    _write(sheet, r + 1, [_("Tunggakan s.d. bulan ini"), "", statement.owed], money)
    _write(sheet, r + 2, [_("Terbilang"), statement.words()], money)
    _write(sheet, r + 3, [_("Saldo titipan"), "", statement.credit], money)
    pays = book.add_worksheet(_("Pembayaran"))
    pays.write_row(0, 0, [_("Tanggal"), _("Referensi"), _("Saluran"), _("Jumlah (Rp)"), _("Teralokasi (Rp)"),
                          _("Dibatalkan"), _("Bulan dibayar")], bold)
    for i, pay in enumerate(statement.payments, start=1):
        _write(pays, i, [pay.paid_on, pay.reference, pay.channel, pay.amount, pay.allocated, pay.reversed,
                         ", ".join(m.strftime("%Y-%m") for m in pay.months)], money)
    book.close()
    return len(statement.dues) + len(statement.payments)


def participant_statement_export_record(*, actor, statement: ParticipantStatement, rows: int) -> None:
    p = statement.participant
    statement_export_record(actor=actor, kind="participant", obj=p, fmt="xlsx", rows=rows, region_code=p.desa_id,
                            nik_masked=False)


def scheme_statement_xlsx(*, statement: SchemeStatement, target) -> int:
    book, bold, money = _book(target)
    sheet = book.add_worksheet(_("Tagihan"))
    _write(sheet, 0, [_("Skema"), statement.scheme.name], money)
    _write(sheet, 1, [_("Pembayar"), statement.scheme.payer_name or statement.scheme.get_payer_type_display()],
           money)
    sheet.write_row(3, 0, [_("Nomor tagihan"), _("Bulan"), _("Baris"), _("Ditagih (Rp)"), _("Dibayar (Rp)"),
                           _("Sisa (Rp)")], bold)
    r = 4
    for i in statement.invoices:
        _write(sheet, r, [i.invoice.number, i.invoice.month.strftime("%Y-%m"), i.invoice.lines, i.billed, i.paid,
                          i.outstanding], money)
        r += 1
    _write(sheet, r + 1, [_("Jumlah"), "", "", statement.billed, statement.paid, statement.outstanding], money)
    _write(sheet, r + 2, [_("Terbilang (sisa)"), statement.words()], money)
    desa = book.add_worksheet(_("Per desa"))
    desa.write_row(0, 0, [_("Kode desa"), _("Desa"), _("Baris"), _("Ditagih (Rp)"), _("Dibayar (Rp)"),
                          _("Sisa (Rp)")], bold)
    for n, d in enumerate(statement.desa, start=1):
        _write(desa, n, [d.code, d.name, d.lines, d.billed, d.paid, d.outstanding], money)
    if statement.payments:
        pays = book.add_worksheet(_("Pembayaran"))
        pays.write_row(0, 0, [_("Tanggal"), _("Referensi"), _("Saluran"), _("Jumlah (Rp)"), _("Teralokasi (Rp)"),
                              _("Dibatalkan")], bold)
        for n, pay in enumerate(statement.payments, start=1):
            _write(pays, n, [pay.paid_on, pay.reference, pay.channel, pay.amount, pay.allocated, pay.reversed], money)
    book.close()
    return len(statement.invoices) + len(statement.desa) + len(statement.payments)


def scheme_statement_export_record(*, actor, statement: SchemeStatement, rows: int) -> None:
    statement_export_record(actor=actor, kind="invoice" if statement.invoice else "scheme",
                            obj=statement.invoice or statement.scheme, fmt="xlsx", rows=rows,
                            region_code=statement.scheme.owner_code)


def participant_statement_panel(*, user, participant) -> dict:
    """The participant page's link to the statement (whoever sees the page may read it)."""
    return {"pk": participant.pk}
