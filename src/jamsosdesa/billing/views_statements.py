"""Statements (H6): a participant's (months, dues per payer, payments, credit, balance) and a scheme payer's (its
invoices, or one, billed/paid/outstanding by desa), each a page that prints on A4 with the amount in words, and an
.xlsx export (both audited: opening the printable page as STATEMENT_PRINTED, the file as STATEMENT_EXPORTED).
Outside the user's area: 404."""

import tempfile
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from jamsosdesa.core import clock

from .statements import (
    participant_statement,
    participant_statement_export_record,
    participant_statement_print_record,
    participant_statement_xlsx,
    scheme_invoice_get,
    scheme_statement,
    scheme_statement_export_record,
    scheme_statement_print_record,
    scheme_statement_xlsx,
    statement_participant_get,
    statement_scheme_get,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(write: Callable, record: Callable[[int], None], filename: str) -> StreamingHttpResponse:
    """An .xlsx file written by `write(target) -> rows`, sent in chunks; `record(rows)` (the audit event) runs once
    the whole file has gone out, as the participant export does."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (closed by the generator)
    rows = write(spool)
    spool.seek(0)

    def chunks():
        try:
            while chunk := spool.read(64 * 1024):
                yield chunk
            record(rows)
        finally:
            spool.close()

    response = StreamingHttpResponse(chunks(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _participant_statement(request, pk: int):
    person = statement_participant_get(user=request.user, pk=pk)
    if person is None:
        raise Http404
    return participant_statement(user=request.user, participant=person, on=clock.today())


def _scheme_statement(request, pk: int):
    scheme = statement_scheme_get(user=request.user, pk=pk)
    if scheme is None:
        raise Http404
    invoice = None
    if request.GET.get("tagihan"):
        invoice = scheme_invoice_get(user=request.user, scheme=scheme, pk=request.GET["tagihan"])
        if invoice is None:
            raise Http404
    return scheme_statement(user=request.user, scheme=scheme, invoice=invoice)


@login_required
def participant_statement_page(request, pk: int):
    statement = _participant_statement(request, pk)
    page = render(request, "billing/statement_participant.html", {
        "s": statement, "words": statement.words(_lang()), "today": clock.today()})
    participant_statement_print_record(actor=request.user, statement=statement)
    return page


@login_required
def participant_statement_export(request, pk: int):
    statement = _participant_statement(request, pk)
    return xlsx_download(
        lambda target: participant_statement_xlsx(statement=statement, target=target),
        lambda rows: participant_statement_export_record(actor=request.user, statement=statement, rows=rows),
        f"rekening-iuran-{statement.participant.pk}.xlsx")


@login_required
def scheme_statement_page(request, pk: int):
    statement = _scheme_statement(request, pk)
    page = render(request, "billing/statement_scheme.html", {
        "s": statement, "words": statement.words(_lang()), "today": clock.today()})
    scheme_statement_print_record(actor=request.user, statement=statement)
    return page


@login_required
def scheme_statement_export(request, pk: int):
    statement = _scheme_statement(request, pk)
    suffix = f"-{statement.invoice.pk}" if statement.invoice else ""
    return xlsx_download(
        lambda target: scheme_statement_xlsx(statement=statement, target=target),
        lambda rows: scheme_statement_export_record(actor=request.user, statement=statement, rows=rows),
        f"rekening-skema-{statement.scheme.pk}{suffix}.xlsx")
