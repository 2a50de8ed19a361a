"""An agent's cash (design §3): collections from workers, deposits to BPJS, and the cash in between.

- `collection_record`: one cash collection for whole months of the worker's own package. It is a billing payment
  (`billing.services.payments.payment_record`, channel agent, the agent as `agent`), so allocation, credit and
  standing stay billing's; the collection adds the receipt (number, verification code) and the cash the agent now
  owes BPJS. An amount that is not the exact price of the months asked is refused (the receipt names months and an
  amount; money left over as credit would make the two disagree).
- `deposit_record`: money an agent handed to BPJS settles its unsettled collections, oldest first; a deposit
  larger than the agent's undeposited cash is refused. `deposit_reverse` cancels one with negative settlement rows.
- `cash_in_transit` and `at_risk`: what each agent still holds and since when; the participants whose money is
  older than the rules' `deposit_due_days` and still with the agent.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, IntegerField, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.access import refuse_actor
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, FieldErrors, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.roles import Role
from jamsosdesa.core.text import has_bad_chars

from .access import agent_user_ids, scope_agents
from .models_cash import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Collection,
    Deposit,
    DepositChannel,
    DepositReversal,
    DepositSettlement,
)
from .models_wadah import Agent
from .rules import agent_of, rules_on

MOST_MONTHS = 24  # one collection: arrears plus a year ahead at most (billing refuses beyond its own limit)
RECEIPT_LOCK = 4_242_014  # pg_advisory_xact_lock key: receipt numbers of one kabupaten and month, one at a time


class CashRefusal(StrEnum):
    """Why a collection or a deposit is refused (the API answers 422 with the code)."""

    NOT_WHOLE_MONTHS = "not_whole_months"  # an amount that is not the price of the months asked
    DEPOSIT_TOO_LARGE = "deposit_too_large"  # more than the agent's undeposited cash


# --- collections ---------------------------------------------------------------------------------------------

@dataclass
class CollectionRequest:
    """One cash collection as the agent's page, the offline app, the API or the CLI gives it."""

    participant: object  # a Participant, or a NIK
    months: int
    amount: int | None = None  # None: the exact price of those months
    collected_on: date | None = None  # None: today
    client_token: str = ""  # the phone's UUID (offline app) or the form's one-time token: a resend is the same
    source: str = "entry"  # billing.PaymentSource: entry | api | cli


@dataclass
class CollectionOutcome:
    collection: Collection
    duplicate: bool = False

    def as_dict(self) -> dict:
        c = self.collection
        return {"id": c.pk, "duplicate": self.duplicate, "receipt_number": c.receipt_number,
                "verification_code": c.verification_code, "participant_id": c.participant_id, "months": c.months,
                "first_month": f"{c.first_month:%Y-%m}", "last_month": f"{c.last_month:%Y-%m}", "amount": c.amount,
                "collected_on": c.collected_on.isoformat(), "payment_id": c.payment_id}


def _not_found() -> ServiceError:
    message = _("Peserta dengan NIK itu tidak ada (atau di luar wilayah Anda).")
    return ServiceError(code=ErrorCode.NOT_FOUND, message=message, fields={"participant": [message]})


def _clean_day(value, errors: FieldErrors, name: str, label: str) -> date | None:
    from jamsosdesa.billing.services.payments import oldest_paid_on

    today = clock.today()
    if value is None or value == "":
        return today
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            errors.add(name, _("%(what)s ditulis YYYY-MM-DD, mis. %(example)s.") % {
                "what": label, "example": f"{today:%Y-%m-%d}"})
            return None
    if not isinstance(value, date):
        errors.add(name, _("%(what)s ditulis YYYY-MM-DD, mis. %(example)s.") % {
            "what": label, "example": f"{today:%Y-%m-%d}"})
        return None
    if value > today:
        errors.add(name, _("%(what)s tidak boleh sesudah hari ini (%(d)s).") % {
            "what": label, "d": f"{today:%d-%m-%Y}"})
        return None
    if value < oldest_paid_on(today):
        errors.add(name, _("%(what)s terlalu lama: paling awal %(d)s.") % {
            "what": label, "d": f"{oldest_paid_on(today):%d-%m-%Y}"})
        return None
    return value


def _clean_whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("-") and text[1:].isdigit():
            return -int(text[1:]) if len(text) <= 16 else None
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 15 else None
    return value if isinstance(value, int) else None


def _clean_token(value, errors: FieldErrors) -> str:
    token = value.strip() if isinstance(value, str) else ""
    if value not in (None, "") and (not token or len(token) > 64 or has_bad_chars(token)
                                    or any(ord(c) < 33 or ord(c) == 127 for c in token)):
        errors.add("client_token", _("Token klien 1 sampai 64 karakter tanpa spasi atau karakter kendali."))
    return token


def _clean_collection(request: CollectionRequest) -> tuple[int, int | None, date, str]:
    errors = FieldErrors(_("Penagihan belum dapat dicatat: %(first)s"))
    months = _clean_whole(request.months)
    if months is None or not 1 <= months <= MOST_MONTHS:
        errors.add("months", _("Jumlah bulan harus bilangan bulat 1 sampai %(n)d.") % {"n": MOST_MONTHS})
    amount = None
    if request.amount not in (None, ""):
        amount = _clean_whole(request.amount)
        if amount is None or amount <= 0:
            errors.add("amount", _("Jumlah uang harus lebih dari nol (rupiah bulat, tanpa titik atau koma)."))
        elif amount > settings.PAYMENT_MAX_AMOUNT:
            errors.add("amount", _("Jumlah uang paling banyak %(max)s.") % {"max": rupiah(settings.PAYMENT_MAX_AMOUNT)})
    collected_on = _clean_day(request.collected_on, errors, "collected_on", _("Tanggal terima"))
    token = _clean_token(request.client_token, errors)
    if request.participant in (None, ""):
        errors.add("participant", _("Isi NIK peserta."))
    errors.raise_if_any()
    return months, amount, collected_on, token


def _person(actor, participant):
    from jamsosdesa.billing.access import billing_participant
    from jamsosdesa.participants.models import Participant

    if isinstance(participant, Participant):
        found = billing_participant(actor, pk=participant.pk)
    elif isinstance(participant, str):
        found = billing_participant(actor, nik=participant.strip())
    else:
        found = None
    if found is None:
        raise _not_found()
    return found


def collection_hash(participant_id: int, request: CollectionRequest, months: int, amount: int | None) -> str:
    """What makes a resend the same collection: the person, the months, the amount and the day as sent (an
    omitted amount or day stays omitted, so a resend the next day is still the same request)."""
    day = request.collected_on
    body = {"participant": participant_id, "months": months, "amount": amount,
            "collected_on": day.isoformat() if isinstance(day, date) else (day or None)}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _conflict_token() -> ServiceError:
    message = _("Token klien ini sudah dipakai untuk penagihan lain (peserta, bulan, jumlah atau tanggal berbeda). "
                "Penagihan baru memakai token baru.")
    return ServiceError(code=ErrorCode.IDEMPOTENCY_CONFLICT, message=message, fields={"client_token": [message]})


def _seen_token(actor, token: str, digest: str) -> Collection | None:
    if not token:
        return None
    earlier = Collection.objects.filter(agent_id=actor.pk, client_token=token).first()
    if earlier is not None and earlier.request_hash != digest:
        raise _conflict_token()
    return earlier


def _who_may_collect(actor) -> None:
    if not (actor and getattr(actor, "is_authenticated", False) and actor.is_active
            and actor.role == Role.PERISAI_AGENT):
        raise ServiceError(code=ErrorCode.FORBIDDEN,
                           message=_("Hanya agen PERISAI yang mencatat penagihan tunai."))


def _collects_for(actor, person):
    """The person's open package, when the agent collects for it: a package collected by another agent answers as a
    person the agent does not see."""
    from jamsosdesa.billing.models import Membership

    package = (Membership.objects.filter(participant_id=person.pk, last_month__isnull=True)
               .order_by("-first_month").first())
    if package is not None and package.agent_id and package.agent_id != actor.pk:
        raise _not_found()
    if package is None:
        message = _("Peserta ini tidak punya paket iuran mandiri yang berjalan; mulai paketnya dulu.")
        raise ServiceError(code=ErrorCode.NO_PACKAGE, message=message, fields={"participant": [message]})
    return package


def _price(person, months: int, book) -> list[tuple[date, int]]:
    from jamsosdesa.billing.services.allocation import months_to_pay

    found = months_to_pay(person.pk, months, book=book)
    if not found:
        message = _("Tidak ada bulan yang belum dibayar pada paket peserta ini: semua bulan sampai batas bayar di muka "
                    "sudah lunas.")
        raise ServiceError(code=ErrorCode.MONTH_PAID, message=message, fields={"months": [message]})
    if len(found) < months:
        message = _("Hanya %(k)d bulan yang dapat dibayar sekarang (%(first)s s.d. %(last)s); bulan lain sudah lunas "
                    "atau di luar batas bayar di muka.") % {
            "k": len(found), "first": f"{found[0][0]:%m/%Y}", "last": f"{found[-1][0]:%m/%Y}"}
        raise ServiceError(code=ErrorCode.MONTH_PAID, message=message, fields={"months": [message]})
    return found


def _lock(key: str) -> None:
    if connection.vendor == "postgresql":
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [RECEIPT_LOCK % 2**31, number % 2**31])


def receipt_number(kab_code: str, day: date) -> str:
    """The next receipt number of the kabupaten and month, e.g. KW-3311-202612-00017 (the caller holds the
    transaction; numbers of one kabupaten and month are handed out one at a time)."""
    prefix = f"KW-{kab_code.replace('.', '')}-{day:%Y%m}-"
    _lock(prefix)
    taken = Collection.objects.filter(receipt_number__startswith=prefix).count()
    return f"{prefix}{taken + 1:05d}"


def verification_code() -> str:
    """A fresh 8-character code from an alphabet without look-alike characters."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Collection.objects.filter(verification_code=code).exists():
            return code


@transaction.atomic
def collection_record(*, actor, request: CollectionRequest) -> CollectionOutcome:
    """Record one cash collection (see the module's docstring). A resend with the same client token returns the
    first outcome (`duplicate`); the same token with another body is a conflict."""
    from jamsosdesa.billing.models import HolderType, PaymentChannel, PaymentSource
    from jamsosdesa.billing.services.allocation import lock_holder
    from jamsosdesa.billing.services.payments import PaymentRequest, payment_record

    _who_may_collect(actor)
    months, amount, collected_on, token = _clean_collection(request)
    person = _person(actor, request.participant)
    digest = collection_hash(person.pk, request, months, amount)
    lock_holder(HolderType.PARTICIPANT, person.pk)
    earlier = _seen_token(actor, token, digest)
    if earlier is not None:
        return CollectionOutcome(collection=earlier, duplicate=True)
    refuse_actor(actor, collected_on)  # the one check (core.access.actor_refusals), on the day the cash was taken
    _collects_for(actor, person)
    from jamsosdesa.contributions.book import rate_book

    book = rate_book()  # read once: for the price of the months and for billing's allocation of them
    priced = _price(person, months, book)
    exact = sum(total for _month, total in priced)
    if amount is not None and amount != exact:
        message = _("Jumlah %(amount)s bukan harga %(n)d bulan penuh: %(n)d bulan (%(first)s s.d. %(last)s) "
                    "harganya %(exact)s.") % {
            "amount": rupiah(amount), "n": months, "first": f"{priced[0][0]:%m/%Y}",
            "last": f"{priced[-1][0]:%m/%Y}", "exact": rupiah(exact)}
        raise ServiceError(code=CashRefusal.NOT_WHOLE_MONTHS, message=message, fields={"amount": [message]})
    number = receipt_number(person.kab_code, collected_on)
    source = request.source if request.source in PaymentSource.values else PaymentSource.ENTRY
    try:
        with transaction.atomic():
            paid = payment_record(actor=actor, request=PaymentRequest(
                amount=exact, paid_on=collected_on, reference=number, channel=PaymentChannel.AGENT,
                participant_id=person.pk, source=source, agent=actor,
                idempotency_key=f"collection:{token}" if token else None), book=book, as_collection=True)
            if paid.duplicate:  # the receipt number or the key names another payment: never two for one receipt
                raise _conflict_token()
            covered = paid.months or [m for m, _total in priced]
            collection = Collection.objects.create(
                agent=actor, participant_id=person.pk, kab_code=person.kab_code, desa_code=person.desa_id,
                # the months the receipt covers: with credit of earlier money, billing may pay more than were priced
                months=len(covered), first_month=min(covered), last_month=max(covered), amount=exact,
                payment=paid.payment, receipt_number=number, verification_code=verification_code(),
                client_token=token, request_hash=digest, collected_on=collected_on, created_at=clock.now())
    except IntegrityError:
        earlier = _seen_token(actor, token, digest)  # the same token sent twice at once: the first one won
        if earlier is not None:
            return CollectionOutcome(collection=earlier, duplicate=True)
        raise
    audit_record(actor=actor, event=AuditEventType.COLLECTION_RECORDED, obj=collection,
                 region_code=collection.desa_code,
                 new={"receipt_number": number, "participant": person.pk, "months": collection.months,
                      "first_month": f"{collection.first_month:%Y-%m}", "last_month": f"{collection.last_month:%Y-%m}",
                      "amount": exact, "collected_on": collected_on, "payment": paid.payment.pk})
    return CollectionOutcome(collection=collection, duplicate=False)


def collection_payment_reversed(*, actor, payment, reversal) -> None:
    """Billing reversed a payment (billing.overlays.payment_reversed_hooks): the collection that was it is marked
    reversed (audited), so it no longer counts as cash the agent owes and `ledger check` accepts its dead payment.
    What was already settled of it stays settled."""
    agent_id = Collection.objects.filter(payment_id=payment.pk).values_list("agent_id", flat=True).first()
    if agent_id is None:
        return
    # the agent's lock first, as deposits take it: a deposit settling at this moment waits, then sees it reversed
    list(Agent.objects.select_for_update().filter(user_id=agent_id).values_list("pk", flat=True))
    collection = Collection.objects.select_for_update().filter(payment_id=payment.pk, reversed_at__isnull=True).first()
    if collection is None:
        return
    collection.reversed_at = clock.now()
    collection.save(update_fields=["reversed_at"])
    audit_record(actor=actor, event=AuditEventType.COLLECTION_REVERSED, obj=collection,
                 region_code=collection.desa_code, old={"reversed_at": None},
                 new={"reversed_at": collection.reversed_at, "payment": payment.pk, "reversal": reversal.pk,
                      "reason": reversal.reason}, note=reversal.note)


# --- what is unsettled ---------------------------------------------------------------------------------------

def settled_sq():
    return Coalesce(Subquery(DepositSettlement.objects.filter(collection_id=OuterRef("pk"))
                             .values("collection_id").annotate(s=Sum("amount")).values("s")[:1]),
                    Value(0), output_field=IntegerField())


def unsettled(qs=None):
    """Collections (not reversed) with money still with the agent, annotated `remaining`."""
    qs = Collection.objects.all() if qs is None else qs
    return (qs.filter(reversed_at__isnull=True).annotate(settled=settled_sq())
            .annotate(remaining=F("amount") - F("settled")).filter(remaining__gt=0))


def undeposited(agent_user_id: int) -> int:
    return int(unsettled(Collection.objects.filter(agent_id=agent_user_id))
               .aggregate(s=Sum("remaining"))["s"] or 0)


# --- deposits ------------------------------------------------------------------------------------------------

# Who records that money reached BPJS: the branch (from its statement or the PERISAI channel's report) and national
# admins; never the agent whose cash it is, nor its wadah (a wadah manager only reads, agents.services_wadah).
DEPOSIT_ROLES = (Role.BRANCH_OFFICER, Role.NATIONAL_ADMIN)


@dataclass
class DepositRequest:
    """A deposit as a page, the API, the CLI or a statement row gives it. `agent`: an Agent, its id, or the agent's
    username."""

    agent: object
    channel: str
    reference: str
    amount: object
    deposited_on: object = None  # None: today
    note: str = ""
    statement_name: str = ""
    statement_sha256: str = ""
    statement_row: int | None = None


@dataclass
class DepositOutcome:
    deposit: Deposit
    duplicate: bool = False
    settlements: list = field(default_factory=list)

    def as_dict(self) -> dict:
        d = self.deposit
        return {"id": d.pk, "duplicate": self.duplicate, "agent": d.agent.username, "channel": d.channel,
                "reference": d.reference, "amount": d.amount, "deposited_on": d.deposited_on.isoformat(),
                "settled": [{"collection": s.collection.receipt_number, "amount": s.amount} for s in self.settlements]}


def _may_record_deposit(actor) -> None:
    from jamsosdesa.core.access import sees_everything

    if not (actor and getattr(actor, "is_authenticated", False) and actor.is_active
            and (sees_everything(actor) or actor.role in DEPOSIT_ROLES)):
        raise ServiceError(code=ErrorCode.FORBIDDEN, message=_(
            "Penyetoran agen dicatat oleh kantor cabang, bukan oleh agen atau wadahnya."))


def agent_lookup(actor, value) -> Agent | None:
    """An agent the actor sees, by the Agent row, its id, or its username (None: not found or out of scope)."""
    qs = scope_agents(actor, Agent.objects.select_related("user", "wadah"))
    if isinstance(value, Agent):
        return qs.filter(pk=value.pk).first()
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text or len(text) > 150:
        return None
    if text.isdigit():
        found = qs.filter(pk=int(text)).first()
        if found is not None:
            return found
    return qs.filter(user__username=text).first()


def _clean_deposit(request: DepositRequest) -> tuple[str, str, int, date, str]:
    errors = FieldErrors(_("Setoran belum dapat dicatat: %(first)s"))
    channel = request.channel.strip() if isinstance(request.channel, str) else ""
    if channel not in DepositChannel.values:
        errors.add("channel", _("Saluran setoran harus salah satu dari: %(c)s.") % {
            "c": ", ".join(DepositChannel.values)})
    reference = request.reference.strip() if isinstance(request.reference, str) else ""
    if not reference or len(reference) > 64 or has_bad_chars(reference) or any(ord(c) < 32 for c in reference):
        errors.add("reference", _("Referensi wajib, 1 sampai 64 karakter, tanpa karakter kendali."))
    amount = _clean_whole(request.amount)
    if amount is None or amount <= 0:
        errors.add("amount", _("Jumlah setoran harus lebih dari nol (rupiah bulat, tanpa titik atau koma)."))
    day = _clean_day(request.deposited_on, errors, "deposited_on", _("Tanggal setor"))
    note = (request.note or "").strip() if isinstance(request.note, str) else ""
    if len(note) > 200 or has_bad_chars(note):
        errors.add("note", _("Catatan paling banyak %(n)d karakter.") % {"n": 200})
    errors.raise_if_any()
    return channel, reference, amount, day, note


def _reference_conflict(deposit: Deposit) -> ServiceError:
    message = _("Referensi %(r)s lewat saluran ini sudah tercatat untuk setoran lain (%(who)s, %(a)s, %(d)s).") % {
        "r": deposit.reference, "who": deposit.agent.username, "a": rupiah(deposit.amount),
        "d": f"{deposit.deposited_on:%d-%m-%Y}"}
    return ServiceError(code=ErrorCode.REFERENCE_CONFLICT, message=message, fields={"reference": [message]})


def _seen_deposit(channel: str, reference: str, agent: Agent, amount: int, day: date) -> Deposit | None:
    earlier = Deposit.objects.select_related("agent").filter(channel=channel, reference=reference).first()
    if earlier is None:
        return None
    if earlier.agent_id == agent.user_id and earlier.amount == amount and earlier.deposited_on == day:
        return earlier
    raise _reference_conflict(earlier)


@transaction.atomic
def deposit_record(*, actor, request: DepositRequest) -> DepositOutcome:
    """Record money an agent handed to BPJS and settle its collections oldest first (see the module's docstring).
    The same channel and reference again is the same deposit (`duplicate`); with another agent, amount or date it
    is a conflict."""
    _may_record_deposit(actor)
    channel, reference, amount, day, note = _clean_deposit(request)
    agent = agent_lookup(actor, request.agent)
    if agent is None:
        message = _("Agen itu tidak ada (atau di luar wilayah Anda).")
        raise ServiceError(code=ErrorCode.NOT_FOUND, message=message, fields={"agent": [message]})
    list(Agent.objects.select_for_update().filter(pk=agent.pk).values_list("pk", flat=True))  # one at a time
    earlier = _seen_deposit(channel, reference, agent, amount, day)
    if earlier is not None:
        return DepositOutcome(deposit=earlier, duplicate=True,
                              settlements=list(earlier.settlements.select_related("collection")))
    open_rows = list(unsettled(Collection.objects.filter(agent_id=agent.user_id))
                     .order_by("collected_on", "id"))
    held = sum(c.remaining for c in open_rows)
    if amount > held:
        message = _("Setoran %(amount)s lebih besar dari uang yang belum disetor agen %(agent)s: %(held)s.") % {
            "amount": rupiah(amount), "agent": agent.user.username, "held": rupiah(held)}
        raise ServiceError(code=CashRefusal.DEPOSIT_TOO_LARGE, message=message, fields={"amount": [message]})
    deposit = Deposit(agent_id=agent.user_id, kab_code=agent.kab_code, channel=channel, reference=reference,
                      amount=amount, deposited_on=day, recorded_by=actor, note=note,
                      statement_name=(request.statement_name or "")[:200],
                      statement_sha256=(request.statement_sha256 or "")[:64], statement_row=request.statement_row,
                      created_at=clock.now())
    try:
        with transaction.atomic():
            deposit.save()
    except IntegrityError:
        earlier = _seen_deposit(channel, reference, agent, amount, day)
        if earlier is not None:
            return DepositOutcome(deposit=earlier, duplicate=True)
        raise
    rows, left = [], amount
    for collection in open_rows:
        if left <= 0:
            break
        part = min(left, collection.remaining)
        rows.append(DepositSettlement(deposit=deposit, collection=collection, amount=part,
                                      created_at=deposit.created_at))
        left -= part
    DepositSettlement.objects.bulk_create(rows)
    audit_record(actor=actor, event=AuditEventType.DEPOSIT_RECORDED, obj=deposit, region_code=agent.kab_code,
                 new={"agent": agent.user.username, "channel": channel, "reference": reference, "amount": amount,
                      "deposited_on": day, "settled": [[r.collection.receipt_number, r.amount] for r in rows],
                      "statement": request.statement_name or None, "row": request.statement_row},
                 note=note)
    deposit.agent = agent.user
    return DepositOutcome(deposit=deposit, duplicate=False, settlements=rows)


def can_reverse_deposit(user, deposit: Deposit) -> bool:
    from jamsosdesa.core.access import code_in_scope, sees_everything

    if sees_everything(user):
        return True
    return (user.is_authenticated and user.is_active and user.role == Role.BRANCH_OFFICER
            and code_in_scope(user, deposit.kab_code))


@transaction.atomic
def deposit_reverse(*, actor, deposit: Deposit, reason: str) -> DepositReversal:
    """Cancel a deposit recorded by mistake (or bounced): a reversal row and, for each of its settlements, a negative
    row naming it; the collections are unsettled again. Nothing is edited. A branch officer of its kabupaten."""
    if not can_reverse_deposit(actor, deposit):
        raise ServiceError(code=ErrorCode.FORBIDDEN, message=_("Hanya kantor cabang yang membatalkan setoran agen."))
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > 200 or has_bad_chars(reason):
        message = _("Tulis alasan pembatalan (1 sampai 200 karakter).")
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"reason": [message]})
    list(Agent.objects.select_for_update().filter(user_id=deposit.agent_id).values_list("pk", flat=True))
    if DepositReversal.objects.filter(deposit_id=deposit.pk).exists():
        raise ServiceError(code=ErrorCode.ALREADY_REVERSED, message=_("Setoran ini sudah dibatalkan."))
    reversal = DepositReversal.objects.create(deposit=deposit, reason=reason, created_by=actor, created_at=clock.now())
    originals = list(DepositSettlement.objects.filter(deposit_id=deposit.pk, reverses__isnull=True))
    DepositSettlement.objects.bulk_create([
        DepositSettlement(deposit_id=deposit.pk, collection_id=s.collection_id, amount=-s.amount, reverses=s,
                          created_at=reversal.created_at) for s in originals])
    audit_record(actor=actor, event=AuditEventType.DEPOSIT_REVERSED, obj=deposit, region_code=deposit.kab_code,
                 old={"amount": deposit.amount, "settled": sum(s.amount for s in originals)},
                 new={"reversed": True}, note=reason)
    return reversal


# --- cash in transit and at risk -----------------------------------------------------------------------------

@dataclass
class TransitRow:
    agent: Agent
    undeposited: int
    oldest: date
    age_days: int
    flagged: bool


def cash_in_transit(user, *, on: date | None = None, kab: str = "",
                    agent_user_id: int | None = None) -> list[TransitRow]:
    """Per agent the user sees (optionally of one kabupaten, or one agent): the undeposited total, the oldest
    unsettled collection's day and its age; flagged when older than the rules' `deposit_due_days`. Oldest first."""
    on = on or clock.today()
    due_days = rules_on(on).deposit_due_days
    qs = Collection.objects.filter(agent_id__in=agent_user_ids(user), collected_on__lte=on)
    if kab:
        qs = qs.filter(agent_id__in=Agent.objects.filter(kab_code=kab).values("user_id"))
    if agent_user_id is not None:
        qs = qs.filter(agent_id=agent_user_id)
    totals = list(unsettled(qs).values("agent_id").annotate(total=Sum("remaining"), oldest=Min("collected_on"))
                  .order_by())
    agents = {a.user_id: a for a in Agent.objects.select_related("user", "wadah")
              .filter(user_id__in=[t["agent_id"] for t in totals])}
    rows = []
    for t in totals:
        agent = agents.get(t["agent_id"])
        if agent is None:
            continue
        age = (on - t["oldest"]).days
        rows.append(TransitRow(agent=agent, undeposited=int(t["total"]), oldest=t["oldest"], age_days=age,
                               flagged=age > due_days))
    rows.sort(key=lambda r: (-r.age_days, -r.undeposited, r.agent.user.username))
    return rows


def at_risk(participant_ids, *, on: date | None = None) -> dict[int, date]:
    """The participants (of `participant_ids`: ids or a values('pk') queryset) with money collected by an agent more
    than `deposit_due_days` ago and not yet deposited: {participant id: the oldest such collection's day}. One
    query, set-based."""
    on = on or clock.today()
    cutoff = on - timedelta(days=rules_on(on).deposit_due_days)
    qs = unsettled(Collection.objects.filter(participant_id__in=participant_ids, collected_on__lt=cutoff))
    return {row["participant_id"]: row["oldest"]
            for row in qs.values("participant_id").annotate(oldest=Min("collected_on")).order_by()}


def collections_for(user):
    """Collections the user sees: an agent its own, a wadah its agents', a branch its kabupaten's."""
    return Collection.objects.filter(agent_id__in=agent_user_ids(user))


def deposits_for(user):
    return Deposit.objects.filter(agent_id__in=agent_user_ids(user))


def get_collection_by_receipt(user, number: str) -> Collection:
    from django.http import Http404

    if not isinstance(number, str) or len(number) > 40:
        raise Http404
    found = (collections_for(user).select_related("participant", "agent", "payment").filter(receipt_number=number)
             .first())
    if found is None:
        raise Http404
    return found


__all__ = ["CashRefusal", "CollectionOutcome", "CollectionRequest", "DepositOutcome", "DepositRequest", "TransitRow",
           "agent_lookup", "agent_of", "at_risk", "cash_in_transit", "collection_record", "collections_for",
           "deposit_record", "deposit_reverse", "deposits_for", "get_collection_by_receipt", "undeposited",
           "unsettled"]
