"""Reading billing runs and collective invoices, for the pages, the API and the printout alike. Scoping goes
through billing.access: a run is seen by who may see runs, an invoice by who sees its scheme, and of an invoice's
lines only those of people the reader sees (a village operator sees its desa's part of a district's invoice)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet, Sum

from jamsosdesa.regions.selectors import region_names

from .access import can_see_billing_runs, scope_dues, scope_invoices
from .models import BillingRun, Invoice, InvoiceLine


def run_list(user) -> QuerySet[BillingRun]:
    return BillingRun.objects.order_by("-id") if can_see_billing_runs(user) else BillingRun.objects.none()


def run_get(user, pk: int) -> BillingRun | None:
    return run_list(user).filter(pk=pk).first()


def invoice_list(user, *, month: date | None = None, scheme: int | None = None) -> QuerySet[Invoice]:
    qs = scope_invoices(user).order_by("-month", "scheme_id", "seq")
    if month:
        qs = qs.filter(month=month)
    if scheme:
        qs = qs.filter(scheme_id=scheme)
    return qs


def invoice_get(user, pk: int) -> Invoice | None:
    return scope_invoices(user).filter(pk=pk).first()


def invoice_lines(user, invoice: Invoice) -> QuerySet[InvoiceLine]:
    """The invoice's lines the user may see, in the invoice's order (desa, name, participant)."""
    lines = InvoiceLine.objects.filter(invoice=invoice).order_by("position")
    seen = scope_dues(user)
    if seen.query.where:  # scoped: only the people the user sees
        lines = lines.filter(due_id__in=seen.values("pk"))
    return lines


@dataclass
class DesaGroup:
    code: str
    name: str
    lines: list = field(default_factory=list)
    count: int = 0
    subtotal: int = 0


@dataclass
class InvoiceView:
    invoice: Invoice
    groups: list[DesaGroup]
    shown_lines: int
    shown_total: int
    hidden_lines: int  # lines of people outside the user's area (not shown)
    listed: bool  # whether the lines themselves are listed (else only the per-desa subtotals)


def invoice_view(user, invoice: Invoice, *, desa: str = "", list_up_to: int = 500) -> InvoiceView:
    """Per-desa subtotals of the lines the user sees, and the lines themselves when there are at most
    `list_up_to` of them (or of the one `desa` asked)."""
    lines = invoice_lines(user, invoice)
    totals = list(lines.order_by().values("desa_code").annotate(n=Count("id"), amount=Sum("amount"))
                  .order_by("desa_code"))
    names = region_names(t["desa_code"] for t in totals)
    groups = {t["desa_code"]: DesaGroup(t["desa_code"], names.get(t["desa_code"], t["desa_code"]), [], t["n"],
                                        t["amount"] or 0) for t in totals}
    shown_lines = sum(g.count for g in groups.values())
    chosen = lines.filter(desa_code=desa) if desa else lines
    listed = (desa in groups if desa else True) and (groups[desa].count if desa else shown_lines) <= list_up_to
    if listed:
        for line in chosen:
            groups[line.desa_code].lines.append(line)
    return InvoiceView(invoice=invoice, groups=[g for g in groups.values() if not desa or g.code == desa],
                       shown_lines=shown_lines, shown_total=sum(g.subtotal for g in groups.values()),
                       hidden_lines=max(invoice.lines - shown_lines, 0), listed=listed)


def invoice_as_json(invoice: Invoice, lines: list[InvoiceLine] | None = None) -> dict:
    data = {"id": invoice.pk, "number": invoice.number, "scheme": invoice.scheme_id, "month": f"{invoice.month:%Y-%m}",
            "seq": invoice.seq, "kab_code": invoice.kab_code, "payer_type": invoice.payer_type,
            "payer_name": invoice.payer_name, "lines": invoice.lines, "total": invoice.total,
            "run": invoice.run_id, "issued_at": invoice.issued_at.isoformat()}
    if lines is not None:
        data["items"] = [{"position": line.position, "desa_code": line.desa_code, "kab_code": line.kab_code,
                          "name": line.name, "amount": line.amount, "due": line.due_id} for line in lines]
    return data
