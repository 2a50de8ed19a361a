"""Billing's API: the monthly billing run (a national admin starts it; it runs in the background) and the schemes'
collective invoices, scoped as the pages are (billing.selectors_runs)."""

from typing import Annotated

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.months import checked_month_text, parse_month

from . import selectors_runs as sel
from .models import RunTrigger
from .services.run import billing_run_queue, run_as_json

router = Router()

Month = Annotated[str, AfterValidator(checked_month_text),
                  Field(description="YYYY-MM", json_schema_extra={"pattern": r"^\d{4}-(0[1-9]|1[0-2])$"})]


class BillingRunIn(Schema):
    month: Month


class BillingProgressOut(Schema):
    done: int
    total: int
    percent: int
    stage: str


class BillingRunOut(Schema):
    id: int
    month: str = Field(..., description="YYYY-MM")
    status: str = Field(..., description="queued, running, done, failed, cancelled")
    trigger: str
    message: str
    dues_created: int
    invoices_created: int
    amount_billed: int = Field(..., description="Rupiah billed by this run")
    credit_applied: int
    skipped: dict[str, int] = Field(..., description="People in force not billed, by reason: no_rate, "
                                                     "income_not_allowed, registered_later, inactive")
    kab_done: list[str]
    progress: BillingProgressOut | None
    created_at: str
    started_at: str | None
    finished_at: str | None


class InvoiceLineOut(Schema):
    position: int
    desa_code: str
    kab_code: str
    name: str
    amount: int
    due: int


class InvoiceOut(Schema):
    id: int
    number: str
    scheme: int
    month: str
    seq: int
    kab_code: str
    payer_type: str
    payer_name: str
    lines: int
    total: int
    run: int | None
    issued_at: str


class InvoiceDetailOut(InvoiceOut):
    items: list[InvoiceLineOut] = Field(..., description="The lines the caller sees (people in their area), in "
                                                         "the invoice's order: desa, then name")


class InvoiceFilter(Schema):
    month: Month | None = None
    scheme: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None


@router.post("/billing/runs", **answers({201: BillingRunOut}, E.FORBIDDEN, E.NO_RATE, E.BAD_PERIOD, E.JOB_ACTIVE),
             summary="Jalankan penagihan satu bulan (admin nasional; berjalan di latar)")
def run_create(request, body: BillingRunIn):
    run = billing_run_queue(actor=request.user, month=parse_month(body.month), trigger=RunTrigger.BUTTON)
    return Status(201, run_as_json(run))


@router.get("/billing/runs/{pk}", **answers({200: BillingRunOut}, E.NOT_FOUND),
            summary="Satu penagihan dan kemajuannya")
def run_read(request, pk: Annotated[int, Field(ge=1, le=2**63 - 1)]):
    run = sel.run_get(request.user, pk)
    if run is None:
        raise Http404
    return run_as_json(run)


@router.get("/invoices", **answers({200: list[InvoiceOut]}), summary="Tagihan kolektif yang boleh Anda lihat")
def invoice_list(request, filters: Query[InvoiceFilter]):
    month = parse_month(filters.month) if filters.month else None
    return [sel.invoice_as_json(i) for i in sel.invoice_list(request.user, month=month, scheme=filters.scheme)[:500]]


@router.get("/invoices/{pk}", **answers({200: InvoiceDetailOut}, E.NOT_FOUND),
            summary="Satu tagihan kolektif dengan barisnya")
def invoice_read(request, pk: Annotated[int, Field(ge=1, le=2**63 - 1)]):
    invoice = sel.invoice_get(request.user, pk)
    if invoice is None:
        raise Http404
    return sel.invoice_as_json(invoice, list(sel.invoice_lines(request.user, invoice)))
