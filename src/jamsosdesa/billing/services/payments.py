"""Recording money received: the one door for the page, the API, the CLI and the statement import
(docs/design/ledger.md §3).

`payment_record` cleans the request, finds its target in the actor's scope (an unknown NIK or invoice and one
outside the actor's region get the same answer), recognises a request it has seen (the idempotency key, or the
same channel and reference), locks the holder and allocates: oldest month first, whole dues only, the rest is
credit. `payment_record_queued` records a statement line that matched nothing: a payment with no holder and an
open item in the reconciliation queue.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.access import refuse_actor
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, FieldErrors, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.text import has_bad_chars

from ..access import (
    can_collect_payment,
    can_pay_invoice,
    can_record_payment,
    collection_door_message,
    collects_cash,
    scope_invoices,
)
from ..live import live
from ..models import (
    HolderType,
    Invoice,
    Payment,
    PaymentChannel,
    PaymentSource,
    QueueReason,
    ReconciliationItem,
    ReversalTarget,
    TargetKind,
)
from .allocation import allocate, credit_balance, lock_holder

OLDEST_PAYMENT_YEARS = 5  # a payment dated further back is a typing mistake (2006 for 2026), not a late receipt


@dataclass
class PaymentRequest:
    """One payment as a clerk, a program or a statement line gives it. The target is a person (`nik`, or
    `participant_id` from a page that already holds the row) or a collective invoice (`invoice`: its number)."""

    amount: object
    paid_on: object
    reference: str
    channel: str = PaymentChannel.BANK  # `agent` only for an agent's collection (payment_record's as_collection)
    nik: str = ""
    participant_id: int | None = None
    invoice: str = ""
    source: str = PaymentSource.ENTRY
    idempotency_key: str | None = None
    note: str = ""
    agent: object = None
    statement_id: int | None = None
    statement_row: int | None = None

    def target(self) -> dict:
        if self.invoice:
            return {"invoice": self.invoice.strip()}
        if self.participant_id is not None and not self.nik:
            return {"participant": int(self.participant_id)}
        return {"nik": (self.nik or "").strip()}


@dataclass
class PaymentOutcome:
    payment: Payment
    duplicate: bool = False
    months: list = field(default_factory=list)  # the months this payment paid (first-of-month dates)
    credit: int = 0  # the holder's credit balance afterwards

    def as_dict(self) -> dict:
        return {"id": self.payment.pk, "duplicate": self.duplicate,
                "months": [f"{m:%Y-%m}" for m in self.months], "credit": self.credit}


# --- cleaning ------------------------------------------------------------------------------------------------

def amount_problem(maximum: int | None = None) -> str:
    return _("Jumlah harus bilangan bulat rupiah antara 1 dan %(max)s.") % {
        "max": rupiah(settings.PAYMENT_MAX_AMOUNT if maximum is None else maximum)}


def _clean_amount(value, errors: FieldErrors, maximum: int) -> int | None:
    if isinstance(value, bool):
        value = None
    if isinstance(value, str):  # a form's or a file's text: digits only (no '1.000,00' read as Rp1)
        text = value.strip()
        value = int(text) if text.isascii() and text.isdigit() and len(text) <= 15 else None
    if not isinstance(value, int) or not 1 <= value <= maximum:
        errors.add("amount", amount_problem(maximum))
        return None
    return value


def oldest_paid_on(today: date) -> date:
    """The earliest payment date accepted: the first of the month OLDEST_PAYMENT_YEARS years back."""
    return today.replace(year=today.year - OLDEST_PAYMENT_YEARS, day=1)


def _clean_date(value, errors: FieldErrors) -> date | None:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            errors.add("paid_on", _("Tanggal bayar ditulis YYYY-MM-DD, mis. 2026-10-03."))
            return None
    if not isinstance(value, date):
        errors.add("paid_on", _("Isi tanggal bayar."))
        return None
    today = clock.today()
    if value > today:
        errors.add("paid_on", _("Tanggal bayar tidak boleh sesudah hari ini (%(d)s).") % {"d": f"{today:%d-%m-%Y}"})
        return None
    oldest = oldest_paid_on(today)
    if value < oldest:
        errors.add("paid_on", _("Tanggal bayar terlalu lama: paling awal %(d)s.") % {"d": f"{oldest:%d-%m-%Y}"})
        return None
    return value


def _clean_reference(value, errors: FieldErrors) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text or len(text) > 64 or has_bad_chars(text) or any(ord(c) < 32 or ord(c) == 127 for c in text):
        errors.add("reference", _("Referensi wajib, 1 sampai 64 karakter, tanpa karakter kendali."))
    return text


def _clean(request: PaymentRequest, *, target: bool = True) -> tuple[int, date, str, str, str]:
    errors = FieldErrors(_("Pembayaran belum dapat dicatat: %(first)s"))
    # One person's money is capped as a typing mistake would be; a payer's (a collective invoice, or a statement
    # line not matched yet, which may be one) by the payer's own ceiling.
    person = target and not request.invoice
    amount = _clean_amount(request.amount, errors,
                           settings.PAYMENT_MAX_AMOUNT if person else settings.PAYMENT_MAX_PAYER_AMOUNT)
    paid_on = _clean_date(request.paid_on, errors)
    reference = _clean_reference(request.reference, errors)
    if request.channel not in PaymentChannel.values:
        errors.add("channel", _("Saluran harus salah satu dari: %(c)s.") % {"c": ", ".join(PaymentChannel.values)})
    if request.source not in PaymentSource.values:
        errors.add("source", _("Sumber pencatatan tidak dikenal."))
    note = (request.note or "").strip()
    if len(note) > 200 or has_bad_chars(note):
        errors.add("note", _("Catatan paling banyak %(n)d karakter.") % {"n": 200})
    key = request.idempotency_key
    if key is not None and (not isinstance(key, str) or not key.strip() or len(key) > 64 or has_bad_chars(key)):
        errors.add("Idempotency-Key", _("Idempotency-Key 1 sampai 64 karakter."))
    if target and not (request.nik or request.invoice or request.participant_id):
        errors.add("nik", _("Isi NIK peserta atau nomor tagihan kolektif."))
    if target and request.invoice and (request.nik or request.participant_id):
        errors.add("invoice", _("Isi salah satu saja: NIK peserta atau nomor tagihan kolektif."))
    errors.raise_if_any()
    return amount, paid_on, reference, note, key.strip() if key else ""


def request_hash(request: PaymentRequest, amount: int, paid_on: date, reference: str) -> str:
    """sha256 of the canonical JSON of what makes two requests the same payment."""
    body = {"target": request.target(), "amount": amount, "paid_on": paid_on.isoformat(), "reference": reference,
            "channel": str(request.channel)}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def own_key(actor, key: str) -> str:
    """The key as stored: hashed with the user's id, so one user's key never meets another's payment."""
    return hashlib.sha256(f"{getattr(actor, 'pk', None)}:{key}".encode()).hexdigest()


def cli_key(channel: str, reference: str) -> str:
    """The command line's idempotency key: the same channel and reference is the same payment."""
    return hashlib.sha256(f"{channel}|{reference}".encode()).hexdigest()


# --- the target ----------------------------------------------------------------------------------------------

def _not_found(field_name: str, value: str) -> ServiceError:
    # The number is not repeated: the answer is the same whoever holds it, and says nothing a page could leak.
    if field_name == "invoice":
        message = _("Tagihan dengan nomor itu tidak ada (atau di luar wilayah Anda).")
    else:
        message = _("Peserta dengan NIK itu tidak ada (atau di luar wilayah Anda).")
    return ServiceError(code=ErrorCode.NOT_FOUND, message=message, fields={field_name: [message]})


def _person(actor, request: PaymentRequest, *, as_collection: bool = False):
    from jamsosdesa.participants.access import scope_participants
    from jamsosdesa.participants.models import Participant

    wanted = request.target()
    if "participant" in wanted:
        shown = str(wanted["participant"])
        person = scope_participants(actor).filter(pk=wanted["participant"]).first()
    else:
        shown = wanted["nik"][:16]
        is_nik = len(wanted["nik"]) == 16 and wanted["nik"].isascii() and wanted["nik"].isdigit()
        person = scope_participants(actor).filter(nik=wanted["nik"]).first() if is_nik else None
    if person is None:
        raise _not_found("nik", shown)
    if as_collection:
        if not can_collect_payment(actor, person):
            raise ServiceError(code=ErrorCode.FORBIDDEN, message=_("Hanya agen PERISAI yang mencatat penagihan tunai."))
    elif not can_record_payment(actor, person):
        raise _forbidden(actor, _("Anda tidak berhak mencatat pembayaran peserta ini."))
    return Participant.objects.select_related("desa").get(pk=person.pk)


def _forbidden(actor, message: str) -> ServiceError:
    """A payment the actor may not record; an agent is told where its cash is recorded (its collection page)."""
    if collects_cash(actor):
        message = collection_door_message()
    return ServiceError(code=ErrorCode.FORBIDDEN, message=message)


def _agent_channel_refused() -> ServiceError:
    message = _("Saluran agen hanya untuk penagihan tunai yang dicatat agen PERISAI sendiri (halaman Penagihan), "
                "dengan kuitansi dan setorannya. Pilih saluran bank, PPOB atau kantor cabang.")
    return ServiceError(code=ErrorCode.INVALID, message=message, fields={"channel": [message]})


def _invoice(actor, number: str) -> Invoice:
    invoice = scope_invoices(actor).filter(number=number).first() if len(number) <= 40 else None
    if invoice is None:
        raise _not_found("invoice", number[:40])
    if not can_pay_invoice(actor, invoice):
        raise _forbidden(actor, _("Anda tidak berhak mencatat pembayaran tagihan ini."))
    return invoice


# --- idempotency ---------------------------------------------------------------------------------------------

def _conflict_key() -> ServiceError:
    message = _("Idempotency-Key ini sudah dipakai untuk pembayaran lain (jumlah, tanggal, tujuan atau referensi "
                "berbeda). Pakai kunci baru untuk pembayaran baru.")
    return ServiceError(code=ErrorCode.IDEMPOTENCY_CONFLICT, message=message, fields={"Idempotency-Key": [message]})


def _conflict_reference(payment: Payment) -> ServiceError:
    message = _("Referensi %(r)s lewat saluran ini sudah tercatat untuk pembayaran lain (%(a)s, %(d)s). Periksa "
                "referensinya.") % {"r": payment.external_reference, "a": rupiah(payment.amount),
                                    "d": f"{payment.paid_on:%d-%m-%Y}"}
    return ServiceError(code=ErrorCode.REFERENCE_CONFLICT, message=message, fields={"reference": [message]})


def _same_target(payment: Payment, request: PaymentRequest, person, invoice) -> bool:
    if invoice is not None:
        return payment.invoice_id == invoice.pk
    if person is not None:
        return payment.participant_id == person.pk
    return payment.target_kind == TargetKind.NONE


def _seen(*, key: str, digest: str, channel: str, reference: str, amount: int, request, person, invoice):
    """The payment this request already recorded (or a conflict); None when it is new. Also returns the
    reinstatement number a new payment takes (one more than a reversed one's with the same reference)."""
    if key:
        earlier = Payment.objects.filter(idempotency_key=key).first()
        if earlier is not None:
            if earlier.request_hash != digest:
                raise _conflict_key()
            return earlier, 0
    same_ref = list(Payment.objects.filter(channel=channel, external_reference=reference)
                    .order_by("-reinstatement_no"))
    if not same_ref:
        return None, 0
    latest = same_ref[0]
    if live(Payment.objects.filter(pk=latest.pk), ReversalTarget.PAYMENT).exists():
        if latest.amount == amount and _same_target(latest, request, person, invoice):
            return latest, 0
        raise _conflict_reference(latest)
    return None, latest.reinstatement_no + 1  # reversed: recording it again reinstates it


# --- recording -----------------------------------------------------------------------------------------------

def _outcome(payment: Payment, *, duplicate: bool) -> PaymentOutcome:
    from ..models import Allocation

    months = sorted({a.due.month for a in live(Allocation.objects.filter(payment_id=payment.pk), "allocation")
                     .select_related("due")})
    balance = credit_balance(payment.holder_type, payment.holder_id) if payment.holder_type else 0
    return PaymentOutcome(payment=payment, duplicate=duplicate, months=months, credit=balance)


@transaction.atomic
def payment_record(*, actor, request: PaymentRequest, book=None, as_collection: bool = False) -> PaymentOutcome:
    """Record one payment for a person or a collective invoice and allocate it (see the module's docstring).
    `book`: the rate book for months billed ahead (a statement import passes one for all its lines).
    `as_collection`: only from an agent's collection (agents.cash.collection_record), the one way an agent's cash
    enters the ledger (channel agent, the actor the agent); billing's page, API, CLI and imports refuse an agent and
    the agent channel."""
    amount, paid_on, reference, note, raw_key = _clean(request)
    if as_collection and (request.invoice or request.channel != PaymentChannel.AGENT):
        raise ValueError("a collection is a person's payment on the agent channel")
    person = invoice = None
    if request.invoice:
        invoice = _invoice(actor, request.invoice.strip())
        holder = (HolderType.SCHEME, invoice.scheme_id)
        kab_code, desa_code = invoice.kab_code, ""
    else:
        person = _person(actor, request, as_collection=as_collection)
        holder = (HolderType.PARTICIPANT, person.pk)
        kab_code, desa_code = person.kab_code, person.desa_id
    if request.channel == PaymentChannel.AGENT and not as_collection:
        raise _agent_channel_refused()
    key = own_key(actor, raw_key) if raw_key else ""
    digest = request_hash(request, amount, paid_on, reference)
    lock_holder(*holder)  # a second clerk's same payment waits here, then finds the first one's
    seen, reinstatement = _seen(key=key, digest=digest, channel=request.channel, reference=reference, amount=amount,
                                request=request, person=person, invoice=invoice)
    if seen is not None:
        return _outcome(seen, duplicate=True)
    # e.g. an inactive agent, or its wadah's PKS not in force on the day the money was paid (core.access.actor_refusals)
    refuse_actor(actor, paid_on)
    payment = Payment(channel=request.channel, source=request.source, external_reference=reference,
                      reinstatement_no=reinstatement, idempotency_key=key or None, request_hash=digest, amount=amount,
                      paid_on=paid_on, received_at=clock.now(),
                      target_kind=TargetKind.INVOICE if invoice else TargetKind.PERSON,
                      participant_id=person.pk if person else None, invoice=invoice, holder_type=holder[0],
                      holder_id=holder[1], kab_code=kab_code, desa_code=desa_code,
                      statement_id=request.statement_id, statement_row=request.statement_row,
                      agent=request.agent, recorded_by=actor if getattr(actor, "pk", None) else None, note=note)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        # Two clerks at once, past the lock (another holder's row, or no lock on this database): the loser
        # re-reads and answers as if it had come second.
        seen, _reinstated = _seen(key=key, digest=digest, channel=request.channel, reference=reference,
                                  amount=amount, request=request, person=person, invoice=invoice)
        if seen is not None:
            return _outcome(seen, duplicate=True)
        raise
    done = allocate(holder[0], holder[1], payment=payment, actor=actor, book=book)
    months = done.months
    audit_record(actor=actor, event=AuditEventType.PAYMENT_RECORDED, obj=payment,
                 region_code=desa_code or kab_code, old=None,
                 new={"amount": amount, "paid_on": paid_on, "channel": str(request.channel),
                      "reference": reference, "reinstatement_no": reinstatement,
                      "target": invoice.number if invoice else person.pk,
                      "months": [f"{m:%Y-%m}" for m in months],
                      "allocated": done.total, "credit": done.credit_row.amount if done.credit_row else 0},
                 note=note)
    return PaymentOutcome(payment=payment, duplicate=False, months=months, credit=done.balance)


@transaction.atomic
def payment_record_queued(*, actor, request: PaymentRequest, reason: str, candidates=(), raw: dict | None = None,
                          kab_code: str = "", row_no: int | None = None) -> PaymentOutcome:
    """A statement line that matched nothing (or several things): the money was received, so it is a payment,
    with no holder and an open reconciliation item saying why. Nothing is allocated or guessed."""
    amount, paid_on, reference, note, raw_key = _clean(request, target=False)
    if request.channel == PaymentChannel.AGENT:  # an agent's cash is its collection, never a statement line
        raise _agent_channel_refused()
    if reason not in QueueReason.values:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Alasan antrean tidak dikenal."),
                           fields={"reason": [_("Alasan antrean tidak dikenal.")]})
    key = own_key(actor, raw_key) if raw_key else ""
    queued = PaymentRequest(amount=amount, paid_on=paid_on, reference=reference, channel=request.channel,
                            nik=request.nik, invoice="", participant_id=None)
    digest = request_hash(queued, amount, paid_on, reference)
    seen, reinstatement = _seen(key=key, digest=digest, channel=request.channel, reference=reference, amount=amount,
                                request=queued, person=None, invoice=None)
    if seen is not None:
        return _outcome(seen, duplicate=True)
    payment = Payment(channel=request.channel, source=request.source, external_reference=reference,
                      reinstatement_no=reinstatement, idempotency_key=key or None, request_hash=digest, amount=amount,
                      paid_on=paid_on, received_at=clock.now(), target_kind=TargetKind.NONE, holder_type="",
                      holder_id=None, kab_code=kab_code, statement_id=request.statement_id,
                      statement_row=request.statement_row, agent=request.agent,
                      recorded_by=actor if getattr(actor, "pk", None) else None, note=note)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        seen, _reinstated = _seen(key=key, digest=digest, channel=request.channel, reference=reference,
                                  amount=amount, request=queued, person=None, invoice=None)
        if seen is not None:
            return _outcome(seen, duplicate=True)
        raise
    ReconciliationItem.objects.create(payment=payment, statement_id=request.statement_id,
                                      row_no=row_no if row_no is not None else request.statement_row, reason=reason,
                                      candidates=[int(c) for c in candidates], raw=raw or {}, kab_code=kab_code)
    audit_record(actor=actor, event=AuditEventType.PAYMENT_RECORDED, obj=payment, region_code=kab_code,
                 new={"amount": amount, "paid_on": paid_on, "channel": str(request.channel), "reference": reference,
                      "queued": reason}, note=note)
    return PaymentOutcome(payment=payment, duplicate=False, months=[], credit=0)


def payment_get(*, user, pk: int) -> Payment | None:
    """A payment the user may see, or None (callers answer 404)."""
    from ..access import scope_payments

    return scope_payments(user).filter(pk=pk).first()


__all__ = ["PaymentOutcome", "PaymentRequest", "amount_problem", "cli_key", "payment_get", "payment_record",
           "payment_record_queued"]
