"""Many person payments at once: the statement import's bulk path (docs/design/ledger.md §3 step 4).

`person_payments_bulk` records a chunk of statement lines, each for a different person, with a fixed number of
queries for the whole chunk: the holders locked together, their credit balances, open packages and unpaid dues read
together, each pool walked over its dues oldest first (whole dues only: the running sum of the dues' amounts stays
within the pool, which is the window sum of §2 step 5), then the payments, allocations, remainder credit rows and
`payment.recorded` events written in bulk. The result is what `payment_record` would have written line by line.

A line whose recording needs more than that is left out of the answer, and the caller sends it through
`payment_record` (which then gives its own answer, in file order): a request that does not clean (its message comes
from the one-payment path), a package with a month missing between this month and its latest billed one (the
one-payment path bills it first), and a pool that still has money after every unpaid due of a person with an open
package (it would bill and pay months ahead, or be refused as too far ahead).

The caller guarantees: one line per person in the whole file, no two lines with the same channel and reference,
and no earlier payment with a line's channel and reference (so none is a repeat and each is reinstatement 0). The
unique keys stand behind that: a payment written meanwhile by someone else makes the insert fail, and the caller
falls back to the one-payment path for the chunk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Sum

from jamsosdesa.core import clock
from jamsosdesa.core.audit import AuditBatch
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.months import add_months

from ..live import live
from ..models import (
    Allocation,
    AllocationOrigin,
    Credit,
    CreditKind,
    Due,
    HolderType,
    Membership,
    Payment,
    PaymentChannel,
    ReversalTarget,
    TargetKind,
)
from ..standing import standing_widen
from .payments import PaymentOutcome, PaymentRequest, _clean, oldest_paid_on, request_hash


@dataclass
class PersonLine:
    """One line for the bulk path: the request as `payment_record` would get it, and the person it names (matched
    in the actor's scope by the caller)."""

    request: PaymentRequest
    participant_id: int


def among(qs, field: str, values: list):
    """`qs.filter(<field>__in=values)`, written on PostgreSQL as `= ANY(%s)` with one array parameter: a chunk's
    thousands of ids then cost one parameter instead of thousands to send and plan."""
    if connection.vendor != "postgresql":
        return qs.filter(**{f"{field}__in": values})
    quote, meta = connection.ops.quote_name, qs.model._meta
    column = f"{quote(meta.db_table)}.{quote(meta.get_field(field).column)}"
    return qs.extra(where=[f"{column} = ANY(%s)"], params=[list(values)])


def _lock(ids: list[int]) -> None:
    """`lock_holder` for many people at once, in id order (two imports never wait on each other in a circle)."""
    from jamsosdesa.participants.models import Participant

    if connection.vendor == "postgresql":
        from .run import BILLING_LOCK

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [BILLING_LOCK])
    list(among(Participant.objects.select_for_update(), "id", ids).order_by("pk").values_list("pk", flat=True))


def _balances(ids: list[int]) -> dict[int, int]:
    rows = (among(Credit.objects.filter(holder_type=HolderType.PARTICIPANT), "holder_id", ids)
            .values("holder_id").annotate(s=Sum("amount")).values_list("holder_id", "s"))
    return {holder: int(total or 0) for holder, total in rows}


def _open_packages(ids: list[int]) -> dict[int, tuple[int, date]]:
    """Each person's open package (the newest first month, as `allocation._open_package` picks): (id, first month)."""
    found: dict[int, tuple[int, date]] = {}
    for participant_id, pk, first in (among(Membership.objects.filter(last_month__isnull=True), "participant", ids)
                                      .order_by("participant_id", "-first_month")
                                      .values_list("participant_id", "pk", "first_month")):
        found.setdefault(participant_id, (pk, first))
    return found


def _with_gaps(packages: dict[int, tuple[int, date]]) -> set[int]:
    """The people `allocation._bill_gaps` would bill a month for: a month of the open package missing between this
    month (or its first) and its latest month billed."""
    if not packages:
        return set()
    this_month = clock.this_month()
    billed: dict[int, set[date]] = {}
    # by person (the index of a package's dues starts with the person), then kept for the open package
    rows = (among(Due.objects.filter(month__gte=this_month, membership__isnull=False), "participant", list(packages))
            .values_list("participant_id", "membership_id", "month"))
    for participant_id, membership_id, month in rows:
        if packages[participant_id][0] == membership_id:
            billed.setdefault(participant_id, set()).add(month)
    gaps = set()
    for participant_id, months in billed.items():
        start = max(packages[participant_id][1], this_month)
        later = [m for m in months if m > start]
        if not later:
            continue
        month, latest = start, max(later)
        while month < latest:
            if month not in months:
                gaps.add(participant_id)
                break
            month = add_months(month, 1)
    return gaps


@dataclass
class _Due:
    pk: int
    month: date
    amount: int
    kab_code: str


def _unpaid(ids: list[int]) -> dict[int, list[_Due]]:
    """`allocation.unpaid_dues` for many people: live dues of their packages with no live allocation, by month."""
    paid = live(Allocation.objects.filter(due_id=OuterRef("pk")), ReversalTarget.ALLOCATION)
    qs = live(among(Due.objects.filter(membership__isnull=False), "participant", ids), ReversalTarget.DUE)
    found: dict[int, list[_Due]] = {}
    for participant_id, pk, month, amount, kab in (qs.filter(~Exists(paid)).order_by("participant_id", "month", "id")
                                                   .values_list("participant_id", "pk", "month", "amount", "kab_code")):
        found.setdefault(participant_id, []).append(_Due(pk, month, amount, kab))
    return found


def _plain(lines: list[PersonLine]) -> dict[int, tuple[int, date, str, str]]:
    """The lines `payments._clean` would take as they are, found without building its messages line by line:
    {index: (amount, paid_on, reference, note)}. A line left out is not wrong, only for `payment_record` to judge."""
    if not lines:
        return {}
    try:  # what all the lines share (note, source, the target's presence) is judged once, by `_clean` itself
        _clean(lines[0].request)
    except ServiceError:
        return {}
    first = lines[0].request
    note = (first.note or "").strip()
    today = clock.today()
    oldest = oldest_paid_on(today)
    maximum = settings.PAYMENT_MAX_AMOUNT
    channels = set(PaymentChannel.values)
    found = {}
    for index, line in enumerate(lines):
        request = line.request
        amount, paid_on, reference = request.amount, request.paid_on, request.reference
        if (type(amount) is int and 1 <= amount <= maximum and type(paid_on) is date and oldest <= paid_on <= today
                and isinstance(reference, str) and 1 <= len(reference) <= 64 and reference.isascii()
                and reference.isprintable() and reference == reference.strip() and request.channel in channels
                and request.source == first.source and request.note == first.note and request.nik
                and not request.invoice and request.idempotency_key is None):
            found[index] = (amount, paid_on, reference, note)
    return found


def _insert(model, rows: list[dict], returning: tuple[str, ...] = ()) -> list[tuple]:
    """INSERT `rows` ({attname: value}; missing fields take their defaults) in one statement per table on
    PostgreSQL (one array per column, unnested), through `bulk_create` elsewhere. Returns the `returning` columns of
    each row written (in no particular order on PostgreSQL: callers match them by a unique key)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    if connection.vendor != "postgresql":
        objs = [model(**{**defaults, **row}) for row in rows]
        model.objects.bulk_create(objs, batch_size=1000)
        return [tuple(getattr(obj, name) for name in returning) for obj in objs]
    if not rows:
        return []
    columns = [[row.get(f.attname, defaults[f.attname]) for row in rows] for f in fields]
    arrays = ", ".join(f"%s::{f.rel_db_type(connection) if f.is_relation else f.db_type(connection)}[]"
                       for f in fields)
    sql = (f"INSERT INTO {model._meta.db_table} ({', '.join(connection.ops.quote_name(f.column) for f in fields)}) "
           f"SELECT * FROM unnest({arrays})")
    if returning:
        sql += " RETURNING " + ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, columns)
        return cursor.fetchall() if returning else []


def _now_fully_paid(paid: list[tuple[int, list[_Due]]]) -> list[tuple[int, date, date, int]]:
    """For the standing cache: each person's first and last month among those just paid that are now fully paid, and
    how many there are (each is newly fully paid: the due just paid was unpaid before).
    A person has one package due a month and every unpaid one up to the pool was chosen, so a paid month can only
    stay unpaid through a scheme's due of the same month (a scheme paying some programmes): those are looked up,
    few, by the (participant, month) index; nothing else is read."""
    months = {person: sorted({d.month for d in chosen}) for person, chosen in paid if chosen}
    if not months:
        return []
    low, high = min(m[0] for m in months.values()), max(m[-1] for m in months.values())
    unpaid_scheme = set(
        live(among(Due.objects.filter(enrolment__isnull=False, month__gte=low, month__lte=high), "participant",
                   list(months)), ReversalTarget.DUE)
        .filter(~Exists(live(Allocation.objects.filter(due_id=OuterRef("pk")), ReversalTarget.ALLOCATION)))
        .values_list("participant_id", "month"))
    rows = []
    for person, paid_months in months.items():
        full = [m for m in paid_months if (person, m) not in unpaid_scheme]
        if full:
            rows.append((person, full[0], full[-1], len(full)))
    return rows


def person_payments_bulk(*, actor, lines: list[PersonLine]) -> dict[int, PaymentOutcome]:
    """Record `lines` (see the module's docstring). Returns {index in `lines`: outcome} for the lines recorded
    (their months and credit; `payment` is not loaded: None), the others are for `payment_record`. Runs inside the
    caller's transaction."""
    from jamsosdesa.participants.models import Participant

    cleaned = _plain(lines)
    if not cleaned:
        return {}
    ids = sorted({lines[i].participant_id for i in cleaned})
    _lock(ids)
    places = {pk: (kab, desa) for pk, kab, desa in
              among(Participant.objects.all(), "id", ids).values_list("pk", "kab_code", "desa_id")}
    balances = _balances(ids)
    packages = _open_packages(ids)
    gaps = _with_gaps(packages)
    unpaid = _unpaid(ids)

    plans = []  # (index, chosen dues, balance before)
    for index in cleaned:
        person = lines[index].participant_id
        if person not in places or person in gaps:
            continue
        balance = balances.get(person, 0)
        pool = balance + cleaned[index][0]
        dues = unpaid.get(person, ())
        chosen = []
        for due in dues:  # whole dues while the running sum stays within the pool
            if due.amount > pool:
                break
            chosen.append(due)
            pool -= due.amount
        if len(chosen) == len(dues) and pool > 0 and person in packages:
            continue  # months ahead: the one-payment path bills and pays them (or refuses too far ahead)
        plans.append((index, chosen, balance))
    if not plans:
        return {}

    seqs = dict(among(Allocation.objects.all(), "due", [d.pk for _i, chosen, _b in plans for d in chosen])
                .values("due_id").annotate(n=Count("id")).values_list("due_id", "n"))
    now = clock.now()
    recorder = getattr(actor, "pk", None)
    rows = []
    for index, _chosen, _balance in plans:
        request, person = lines[index].request, lines[index].participant_id
        amount, paid_on, reference, note = cleaned[index]
        kab, desa = places[person]
        rows.append({
            "channel": request.channel, "source": request.source, "external_reference": reference,
            "reinstatement_no": 0, "idempotency_key": None,
            "request_hash": request_hash(request, amount, paid_on, reference), "amount": amount, "paid_on": paid_on,
            "received_at": now, "target_kind": TargetKind.PERSON.value, "participant_id": person, "invoice_id": None,
            "holder_type": HolderType.PARTICIPANT.value, "holder_id": person, "kab_code": kab, "desa_code": desa,
            "statement_id": request.statement_id, "statement_row": request.statement_row,
            "agent_id": getattr(request.agent, "pk", request.agent), "recorded_by_id": recorder, "note": note})
    written = {(channel, reference): pk for pk, channel, reference in
               _insert(Payment, rows, ("id", "channel", "external_reference"))}

    allocations, credits, events, answers = [], [], {}, {}
    for row, (index, chosen, balance) in zip(rows, plans, strict=True):
        payment_id, person = written[(row["channel"], row["external_reference"])], row["holder_id"]
        for due in chosen:
            allocations.append({"due_id": due.pk, "seq": seqs.get(due.pk, 0), "amount": due.amount,
                                "payment_id": payment_id, "holder_type": HolderType.PARTICIPANT.value,
                                "holder_id": person, "kab_code": due.kab_code,
                                "origin": AllocationOrigin.PAYMENT.value, "run_id": None, "created_by_id": recorder,
                                "created_at": now})
        spent = sum(d.amount for d in chosen)
        remainder = row["amount"] - spent
        if remainder:
            credits.append({"holder_type": HolderType.PARTICIPANT.value, "holder_id": person,
                            "kab_code": row["kab_code"], "amount": remainder, "kind": CreditKind.REMAINDER.value,
                            "payment_id": payment_id, "created_by_id": recorder, "created_at": now})
        months = sorted({d.month for d in chosen})
        events.setdefault(row["note"], []).append((payment_id, row["desa_code"] or row["kab_code"], None, {
            "amount": row["amount"], "paid_on": row["paid_on"].isoformat(), "channel": str(row["channel"]),
            "reference": row["external_reference"], "reinstatement_no": 0, "target": person,
            "months": [f"{m:%Y-%m}" for m in months], "allocated": spent, "credit": remainder}))
        answers[index] = PaymentOutcome(payment=None, duplicate=False, months=months,
                                        credit=balance + row["amount"] - spent)
    _insert(Allocation, allocations)
    _insert(Credit, credits)
    standing_widen(_now_fully_paid([(lines[index].participant_id, chosen) for index, chosen, _b in plans]))
    for note, batch in events.items():  # one note per statement: one batch
        AuditBatch(actor=actor, event=AuditEventType.PAYMENT_RECORDED, note=note, at=now).write(batch)
    return answers


__all__ = ["PersonLine", "among", "person_payments_bulk"]
