"""A plain reference model of the ledger (issue 12; docs/design/ledger.md §6), for the state machine in
test_ledger_machine.py. Dicts, lists and loops only: no SQL, no ORM, no window functions. Amounts come from the
contribution engine itself (`contributions.calculator.quote`), never from billing's pricing or rate table.

The model knows only what the machine tells it (participant, scheme, enrolment and membership ids of the rows
the machine made) and computes what the ledger should hold after each step.

Assumptions (each one a reading of docs/design/ledger.md; where the design leaves a choice open, the choice
the services made is named, so a disagreement shows up as a failing step rather than a silent guess):

- Months are first-of-month dates. "This month" is the month of the day the machine's clock says.
- Pricing: a scheme due is quote(segment, scheme programmes, month, scheme income, the person's sector, the
  scheme's payer type); a package due is quote(..., payer "self") less the programmes an enrolment in force
  that month pays. A quote that refuses (no rate) bills nothing for that month.
- Billing a month bills every enrolment and package in force in it that has no due (live or voided) for that
  month yet; a due is never billed twice (the unique key). Then each self-payer holder with credit pays their
  unpaid dues; then the month's new scheme dues go on a new invoice of the scheme (seq 1, 2, …) with its lines
  ordered by desa code, then name, then participant id; then each scheme holder's credit pays unpaid lines.
- "Pay with a pool" (payment, credit re-applied): the pool is the holder's credit plus the new money; unpaid live
  dues of the holder are taken oldest first (person: month, then due order; scheme: month, desa, name, line
  order), whole dues only, and the first due the pool cannot cover stops the walk. What is left is credit.
- A person's payment pays only dues of the person's own package (holder P); a scheme's dues belong to the
  scheme's payer (holder S), so a person's money never pays them.
- Paying ahead: when a person's pool has paid every billed due and the person has an open package, its months
  from this one (or its first) up to this month + MAX_AHEAD - 1 are walked in order: a month already paid or
  voided is passed, a month not billed yet is billed and paid while the pool covers it (no unpaid due is billed
  ahead). Before any of that, the open package's months from this one (or its first) up to the latest month
  already billed are billed where missing, so a month billed early (a run for next month before this month's) is
  never paid before this month. A payment whose pool would still cover the month after the last one allowed is
  refused (TOO_FAR_AHEAD) and changes nothing.
- Reversing a payment: each live allocation it made is reversed (its due is unpaid again) and the rest of its
  money is withdrawn from the credit (its remainder, and what its allocations released earlier, e.g. when an
  ended enrolment voided a due it paid); if the holder's credit would go below zero, the holder's newest live
  allocations (latest month first) are reversed, their money back to credit, until it is not; then the credit
  is re-applied (pay with a pool, no new money, no paying ahead).
- Ending an enrolment at month L: its live dues after L are voided; a paid one's allocation is reversed first
  and its money goes to the scheme payer's credit, and that credit is then re-applied.
- Deactivation (the registry's participant_deactivate, on day D): the person's status is `ended`; a run bills a
  month only when D falls in that month or later (the run's PERSON_OK); packages, enrolments, dues and credit stay.
  A payment for the person (recorded directly, or a queued one assigned to them) bills and pays no month of their
  package after D's month, and is never refused as too far ahead: the rest is credit, to be refunded.
- Packages (billing/services/membership.py): a start, change or end is refused (with the service's code, checked in
  its order) for an inactive person (start, change), an open package (start) or none (change, end), a month past
  this month + max_ahead or before the person's registration, a change not after the package's first month or
  changing nothing, an end before the month before the first (ending there cancels the package: it covers no
  month), a paid due from the month it takes effect (change) or after the last month (end), a scheme paying the
  same programmes then, or (start) an earlier package (not a cancelled one) still running then.
  A change closes the open package at the month before and opens the new one; a change or end voids the closed
  package's (unpaid) dues after its last month.
- A statement import (imports/statement_import.py), lines in file order: a reference met earlier in the file is a
  `duplicate`; one already recorded on the channel (any payment, reversed or queued too) is `already` with the same
  amount, else `invalid`, and records nothing; an invoice line pays as pay_invoice, a person's line as pay_person
  (no key); an unknown NIK, a deactivated person, or a person's payment refused as too far ahead is queued (a
  payment without holder). A queue decision assigns it (it then pays as a payment of that holder made that day;
  refused as too far ahead, nothing changes and the item stays open), or refunds / rejects it (reversed).
- Status on a day (design §4), for one participant: `ended` if the person is inactive; `not_started` if no month up
  to the day's month is paid (a month is paid when it has live dues and each has a live allocation); else k = the
  months after the latest paid month up to the cut-off c (the latest month whose deadline, day DUE_DAY of the
  month DUE_MONTH_OFFSET later, is on or before the day), whether or not they have dues: active if k == 0,
  arrears if 1-2, non_active if >= 3. paid_through = the month before the oldest unpaid live due (none when no
  month before it is paid: nothing is paid through), or with no unpaid due the latest paid month. owed = the
  unpaid live dues up to the day's month. covered: active; or arrears under a lenient policy with k <= grace
  months.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jamsosdesa.contributions.calculator import QuoteError, QuoteRequest, RateBook, quote
from jamsosdesa.core.months import add_months

SELF = "self"


@dataclass
class Person:
    id: int
    desa: str
    name: str  # the search name (upper case), as invoices order lines
    sector: str
    active: bool = True
    ended_on: date | None = None  # the day the registry deactivated the person
    registered: date | None = None  # the month the person was registered (a package starts no earlier)

    def billable(self, month: date) -> bool:
        """The billing run bills a month of a person still active, or deactivated during or after that month."""
        return self.ended_on is None or self.ended_on >= month


@dataclass
class Scheme:
    id: int
    payer: str  # payer type: apbd, apbdes, ...
    segment: str
    programmes: tuple[str, ...]
    income: int


@dataclass
class Enrolment:
    id: int
    scheme: int
    person: int
    start: date
    end: date


@dataclass
class Package:
    id: int
    person: int
    programmes: tuple[str, ...]
    income: int
    first: date
    last: date | None = None
    segment: str = "BPU"


@dataclass
class Due:
    n: int  # creation order (the model's id)
    person: int
    month: date
    payer: tuple[str, int]  # ("E", enrolment id) or ("M", package id)
    holder: tuple[str, int]  # ("S", scheme id) or ("P", person id)
    amount: int
    voided: bool = False
    paid: int | None = None  # the live allocation's number

    @property
    def live(self) -> bool:
        return not self.voided


@dataclass
class Allocation:
    n: int
    due: int
    amount: int
    holder: tuple[str, int]
    payment: int | None  # None: from credit
    live: bool = True


@dataclass
class Payment:
    n: int
    holder: tuple[str, int] | None  # None: queued, until a decision assigns it
    amount: int
    channel: str
    reference: str
    key: str
    body: tuple  # what the request hash covers
    remainder: int = 0  # the signed credit row it wrote
    allocations: list[int] = field(default_factory=list)
    live: bool = True
    queued: str = ""  # the reconciliation queue's reason ('' = it had a holder from the start)
    decision: str = ""  # a queued payment's decision: '' (open) | assign | refund | reject


@dataclass
class Invoice:
    scheme: int
    month: date
    seq: int
    lines: list[int]  # due numbers, in line order


@dataclass
class StatementLine:
    """One line of a statement as the machine writes it: a known person's NIK (`person`), an invoice of `scheme`
    (`invoice_no`), or neither (a NIK nobody has)."""

    reference: str
    amount: int
    person: int | None = None
    scheme: int | None = None
    invoice_no: int | None = None
    ambiguous: bool = False  # names two people (in its description): queued, nothing guessed


@dataclass
class Refused:
    code: str


class Ledger:
    """The reference. Every method either changes the model and returns what it did, or returns `Refused`
    and changes nothing."""

    def __init__(self, book: RateBook, *, max_ahead: int = 12, max_amount: int = 25_000_000, due_day: int = 15,
                 due_month_offset: int = 0):
        self.book = book
        self.max_ahead = max_ahead
        self.max_amount = max_amount
        self.due_day = due_day
        self.due_month_offset = due_month_offset
        self.people: dict[int, Person] = {}
        self.schemes: dict[int, Scheme] = {}
        self.enrolments: dict[int, Enrolment] = {}
        self.packages: dict[int, Package] = {}
        self.dues: list[Due] = []  # index = Due.n
        self.allocations: list[Allocation] = []
        self.payments: list[Payment] = []
        self.invoices: list[Invoice] = []
        self.credit: dict[tuple[str, int], int] = {}
        self.keys: dict[str, int] = {}  # idempotency key -> payment number
        self.references: dict[tuple[str, str], int] = {}  # (channel, reference) -> payment number
        self.policy = ("strict", 3)

    # --- prices --------------------------------------------------------------------------------------------

    def price(self, *, segment: str, programmes: tuple[str, ...], month: date, income: int, sector: str,
              payer: str) -> dict[str, int] | None:
        """Per-programme amounts of one month, or None when the engine refuses."""
        try:
            q = quote(self.book, QuoteRequest(segment=segment, programmes=tuple(programmes), month=month,
                                              income=income, sector=sector, payer=payer))
        except QuoteError:
            return None
        return {line.programme: line.total for line in q.lines}

    def package_price(self, pkg: Package, month: date) -> int:
        """A package's due for a month: its programmes less those an enrolment pays that month (0: nothing)."""
        person = self.people[pkg.person]
        amounts = self.price(segment=pkg.segment, programmes=pkg.programmes, month=month, income=pkg.income,
                             sector=person.sector, payer=SELF)
        if amounts is None:
            return 0
        covered = set()
        for e in self.enrolments.values():
            if e.person == pkg.person and e.start <= month <= e.end:
                covered.update(self.schemes[e.scheme].programmes)
        return sum(amount for programme, amount in amounts.items() if programme not in covered)

    def scheme_price(self, e: Enrolment, month: date) -> int:
        s = self.schemes[e.scheme]
        amounts = self.price(segment=s.segment, programmes=s.programmes, month=month, income=s.income,
                             sector=self.people[e.person].sector, payer=s.payer)
        return sum(amounts.values()) if amounts else 0

    # --- small reads ---------------------------------------------------------------------------------------

    def balance(self, holder) -> int:
        return self.credit.get(holder, 0)

    def due_of(self, person: int, month: date, payer: tuple[str, int]) -> Due | None:
        for d in self.dues:
            if d.person == person and d.month == month and d.payer == payer:
                return d
        return None

    def invoice_position(self) -> dict[int, tuple]:
        """due number -> its place in the scheme payer's allocation order (month, desa, name, line order)."""
        places = {}
        line_no = 0
        for inv in self.invoices:
            for n in inv.lines:
                d = self.dues[n]
                person = self.people[d.person]
                line_no += 1
                places[n] = (d.month, person.desa, person.name, line_no)
        return places

    def unpaid(self, holder) -> list[Due]:
        """The holder's unpaid live dues in the order money pays them."""
        if holder[0] == "S":
            places = self.invoice_position()
            rows = [self.dues[n] for n in places if self.dues[n].holder == holder]
            rows = [d for d in rows if d.live and d.paid is None]
            return sorted(rows, key=lambda d: places[d.n])
        rows = [d for d in self.dues if d.holder == holder and d.live and d.paid is None]
        return sorted(rows, key=lambda d: (d.month, d.n))

    def open_package(self, person: int, month: date) -> Package | None:
        for pkg in self.packages.values():
            if pkg.person == person and pkg.first <= month and (pkg.last is None or month <= pkg.last):
                return pkg
        return None

    # --- writes --------------------------------------------------------------------------------------------

    def _new_due(self, person: int, month: date, payer, holder, amount: int) -> Due:
        d = Due(len(self.dues), person, month, payer, holder, amount)
        self.dues.append(d)
        return d

    def _allocate(self, d: Due, payment: int | None) -> Allocation:
        assert d.paid is None and d.live
        a = Allocation(len(self.allocations), d.n, d.amount, d.holder, payment)
        self.allocations.append(a)
        d.paid = a.n
        return a

    def _unallocate(self, a: Allocation) -> None:
        assert a.live
        a.live = False
        self.dues[a.due].paid = None

    def _spend(self, holder, pool: int, payment: int | None) -> int:
        """Pay the holder's unpaid dues from `pool`, oldest first, whole dues, stopping at the first that does
        not fit. Returns what is left."""
        for d in self.unpaid(holder):
            if d.amount > pool:
                break
            a = self._allocate(d, payment)
            pool -= d.amount
            if payment is not None:
                self.payments[payment].allocations.append(a.n)
        return pool

    def reapply_credit(self, holder) -> None:
        left = self._spend(holder, self.balance(holder), None)
        self.credit[holder] = left

    def bill(self, month: date) -> int:
        """The billing run for `month`; returns how many dues it created."""
        created = []
        for e in self.enrolments.values():
            person = self.people[e.person]
            if not (e.start <= month <= e.end) or not person.billable(month):
                continue
            if self.due_of(e.person, month, ("E", e.id)) is not None:
                continue
            amount = self.scheme_price(e, month)
            if amount > 0:
                created.append(self._new_due(e.person, month, ("E", e.id), ("S", e.scheme), amount))
        for pkg in self.packages.values():
            person = self.people[pkg.person]
            if not (pkg.first <= month and (pkg.last is None or month <= pkg.last)) or not person.billable(month):
                continue
            if self.due_of(pkg.person, month, ("M", pkg.id)) is not None:
                continue
            amount = self.package_price(pkg, month)
            if amount > 0:
                created.append(self._new_due(pkg.person, month, ("M", pkg.id), ("P", pkg.person), amount))
        for holder in sorted({d.holder for d in created if d.holder[0] == "P"}):
            if self.balance(holder) > 0:
                self.reapply_credit(holder)
        for scheme_id in sorted({d.holder[1] for d in created if d.holder[0] == "S"}):
            new = [d for d in created if d.holder == ("S", scheme_id)]
            new.sort(key=lambda d: (self.people[d.person].desa, self.people[d.person].name, d.person))
            seq = 1 + max((i.seq for i in self.invoices if i.scheme == scheme_id and i.month == month), default=0)
            self.invoices.append(Invoice(scheme_id, month, seq, [d.n for d in new]))
            if self.balance(("S", scheme_id)) > 0:
                self.reapply_credit(("S", scheme_id))
        return len(created)

    def _check_payment(self, *, holder, amount, channel, reference, key, body) -> Refused | int | None:
        """Refused, the number of the payment this request repeats, or None (a new payment)."""
        if not isinstance(amount, int) or not 1 <= amount <= self.max_amount:
            return Refused("invalid")
        if key and key in self.keys:
            n = self.keys[key]
            return n if self.payments[n].body == body else Refused("idempotency_conflict")
        if (channel, reference) in self.references:
            n = self.references[(channel, reference)]
            if self.payments[n].live:
                return n if self.payments[n].body == body else Refused("reference_conflict")
        return None

    def pay_person(self, person: int, amount, *, today: date, channel: str, reference: str, key: str | None):
        """A payment for a person. Returns (payment number, duplicate) or Refused."""
        holder = ("P", person)
        body = ("person", person, amount, channel, reference)
        found = self._check_payment(holder=holder, amount=amount, channel=channel, reference=reference, key=key,
                                    body=body)
        if isinstance(found, Refused):
            return found
        if found is not None:
            return found, True
        plan = self._plan_person(person, amount, today)
        if isinstance(plan, Refused):
            return plan
        n = self._new_payment(holder, amount, channel, reference, key, body)
        self._pay_person(n, person, plan)
        return n, False

    def _new_payment(self, holder, amount: int, channel: str, reference: str, key: str | None, body,
                     queued: str = "") -> int:
        n = len(self.payments)
        self.payments.append(Payment(n, holder, amount, channel, reference, key or "", body, queued=queued))
        if key:
            self.keys[key] = n
        self.references[(channel, reference)] = n
        return n

    def _plan_person(self, person: int, amount: int, today: date):
        """What a person's pool (credit + `amount`) would pay, worked out before anything is written: (months billed
        ahead, pool left), or Refused("too_far_ahead"), which changes nothing (the gap months it billed go too)."""
        holder = ("P", person)
        this_month = today.replace(day=1)
        pool = self.balance(holder) + amount
        gaps = self._bill_gaps(person, this_month)
        plan_pool, stopped, taken = pool, False, set()
        for d in self.unpaid(holder):
            if d.amount > plan_pool:
                stopped = True
                break
            plan_pool -= d.amount
            taken.add(d.n)
        ahead = []
        if not stopped:
            ahead, plan_pool = self._ahead(person, this_month, plan_pool, taken)
            if ahead is None:
                for _gap in gaps:  # the months billed for this payment go with its refusal
                    self.dues.pop()
                return Refused("too_far_ahead")
        return ahead, plan_pool

    def _pay_person(self, n: int, person: int, plan) -> None:
        """Payment n (its holder the person) pays as planned: unpaid dues oldest first, then the months ahead."""
        ahead, plan_pool = plan
        holder = ("P", person)
        p = self.payments[n]
        before = self.balance(holder)
        pool = self._spend(holder, before + p.amount, n)
        for month, pkg, price in ahead:
            d = self._new_due(person, month, ("M", pkg.id), holder, price)
            a = self._allocate(d, n)
            p.allocations.append(a.n)
            pool -= price
        assert pool == plan_pool
        p.remainder = pool - before
        self.credit[holder] = pool

    def _left(self, person: int) -> date | None:
        """The month a deactivated person left (the last month they may be billed for); None while registered."""
        ended = self.people[person].ended_on
        return ended.replace(day=1) if ended is not None else None

    def _bill_gaps(self, person: int, this_month: date) -> list[Due]:
        """Before a payment walks the dues: the open package's months from this one (or its first) up to the latest
        month already billed that have no due are billed, so a month billed early is never paid before this one."""
        pkg = next((p for p in self.packages.values() if p.person == person and p.last is None), None)
        if pkg is None:
            return []
        start = max(pkg.first, this_month)
        billed = [d.month for d in self.dues if d.person == person and d.payer == ("M", pkg.id) and d.month > start]
        if not billed:
            return []
        end = max(billed)
        left = self._left(person)
        if left is not None and left < end:
            end = add_months(left, 1)  # a person who left is billed no month after the month they left
        created, month = [], start
        while month < end:
            if self.due_of(person, month, ("M", pkg.id)) is None:
                price = self.package_price(pkg, month)
                if price > 0:
                    created.append(self._new_due(person, month, ("M", pkg.id), ("P", person), price))
            month = add_months(month, 1)
        return created

    def _ahead(self, person: int, this_month: date, pool: int, taken: set[int]):
        """The months a pool pays ahead, as [(month, package, price)], and what is left; None when the pool would
        pay past the last month allowed ahead. Only the person's open package pays ahead. Its months from this
        one (or its first) to this month + max_ahead - 1 are walked in order: a month already settled (paid or
        voided) is passed, a month billed but unpaid stops the walk, a month not billed yet is billed and paid
        while the pool covers it."""
        months = []
        limit = add_months(this_month, self.max_ahead - 1)
        left = self._left(person)
        if left is not None and left < limit:
            limit = left  # a person who left pays no month after it (as the run bills none): the rest is credit
        pkg = next((p for p in self.packages.values() if p.person == person and p.last is None), None)
        if pkg is None:
            return months, pool
        month = max(pkg.first, this_month)
        while month <= limit:
            d = self.due_of(person, month, ("M", pkg.id))
            if d is not None:
                if d.live and d.paid is None and d.n not in taken:
                    return months, pool
                month = add_months(month, 1)
                continue
            price = self.package_price(pkg, month)
            if price > pool:
                return months, pool
            if price > 0:
                months.append((month, pkg, price))
                pool -= price
            month = add_months(month, 1)
        if left is not None and left == limit:
            return months, pool  # never too far ahead: what is left is credit, to be refunded
        beyond = self.package_price(pkg, month)
        if beyond and pool >= beyond:
            return None, pool
        return months, pool

    def pay_invoice(self, scheme: int, amount, *, channel: str, reference: str, key: str | None, invoice_no: int):
        holder = ("S", scheme)
        body = ("invoice", invoice_no, amount, channel, reference)
        found = self._check_payment(holder=holder, amount=amount, channel=channel, reference=reference, key=key,
                                    body=body)
        if isinstance(found, Refused):
            return found
        if found is not None:
            return found, True
        n = self._new_payment(holder, amount, channel, reference, key, body)
        self._pay_scheme(n, scheme)
        return n, False

    def _pay_scheme(self, n: int, scheme: int) -> None:
        holder = ("S", scheme)
        p = self.payments[n]
        before = self.balance(holder)
        left = self._spend(holder, before + p.amount, n)
        p.remainder = left - before
        self.credit[holder] = left

    def reverse_payment(self, n: int):
        p = self.payments[n]
        if not p.live:
            return Refused("already_reversed")
        p.live = False
        holder = p.holder
        taken_back = 0  # what its still-live allocations return; the rest of its money is in the credit now
        for a_n in p.allocations:
            a = self.allocations[a_n]
            if a.live:
                self._unallocate(a)
                taken_back += a.amount
        balance = self.balance(holder) - (p.amount - taken_back)
        if balance < 0:
            newest = [a for a in self.allocations if a.live and a.holder == holder]
            newest.sort(key=lambda a: (self.dues[a.due].month, a.n), reverse=True)
            for a in newest:
                if balance >= 0:
                    break
                self._unallocate(a)
                balance += a.amount
        self.credit[holder] = balance
        self.reapply_credit(holder)
        return n

    def end_enrolment(self, enrolment: int, last: date) -> int:
        e = self.enrolments[enrolment]
        e.end = last
        holder = ("S", e.scheme)
        voided = 0
        for d in self.dues:
            if d.payer == ("E", e.id) and d.month > last and d.live:
                if d.paid is not None:
                    a = self.allocations[d.paid]
                    self._unallocate(a)
                    self.credit[holder] = self.balance(holder) + a.amount
                d.voided = True
                voided += 1
        if voided:
            self.reapply_credit(holder)
        return voided

    # --- packages (billing/services/membership.py) --------------------------------------------------------

    def open_package_of(self, person: int) -> Package | None:
        return next((p for p in self.packages.values() if p.person == person and p.last is None), None)

    def _month_refused(self, person: int, month: date, today: date) -> Refused | None:
        """A package's first month, or the month a change takes effect: not past this month + max_ahead, not before
        the month the person was registered."""
        if month > add_months(today.replace(day=1), self.max_ahead):
            return Refused("invalid")
        registered = self.people[person].registered
        if registered is not None and month < registered:
            return Refused("invalid")
        return None

    def _covered_from(self, person: int, programmes, month: date) -> bool:
        """An enrolment pays any of these programmes in `month` or later (one ended before its start pays none)."""
        return any(e.person == person and e.end >= month and e.start <= e.end
                   and set(self.schemes[e.scheme].programmes) & set(programmes) for e in self.enrolments.values())

    def _paid_from(self, pkg: Package, month: date) -> bool:
        return any(d.payer == ("M", pkg.id) and d.month >= month and d.live and d.paid is not None for d in self.dues)

    def _void_package_dues_after(self, pkg: Package) -> None:
        """A package's live dues after its last month are voided; none is paid (a paid month refuses the change)."""
        for d in self.dues:
            if d.payer == ("M", pkg.id) and d.month > pkg.last and d.live:
                assert d.paid is None, d
                d.voided = True

    def check_start_package(self, pkg: Package, today: date) -> Refused | None:
        """membership_start's refusals, in its order."""
        if not self.people[pkg.person].active:
            return Refused("already_inactive")
        if self.open_package_of(pkg.person) is not None:
            return Refused("package_open")
        refused = self._month_refused(pkg.person, pkg.first, today)
        if refused:
            return refused
        if self._covered_from(pkg.person, pkg.programmes, pkg.first):
            return Refused("covered")
        if any(p.person == pkg.person and p.last is not None and p.first <= p.last and p.last >= pkg.first
               for p in self.packages.values()):
            return Refused("invalid")  # a new package starts after every earlier one has ended (a cancelled one aside)
        return None

    def start_package(self, pkg: Package, today: date | None = None):
        refused = self.check_start_package(pkg, today) if today is not None else None
        if refused:
            return refused
        self.packages[pkg.id] = pkg
        return pkg.id

    def check_change_package(self, person: int, start: date, programmes, income: int, today: date) -> Refused | None:
        """membership_change's refusals, in its order: the new programmes and/or income from month `start`."""
        old = self.open_package_of(person)
        if old is None:
            return Refused("no_package")
        if not self.people[person].active:
            return Refused("already_inactive")
        refused = self._month_refused(person, start, today)
        if refused:
            return refused
        if start <= old.first:
            return Refused("invalid")
        if tuple(programmes) == tuple(old.programmes) and income == old.income:
            return Refused("invalid")
        if self._paid_from(old, start):
            return Refused("month_paid")
        if self._covered_from(person, programmes, start):
            return Refused("covered")
        return None

    def change_package(self, person: int, new: Package) -> None:
        """The open package closes the month before `new.first`; its dues after that are voided; `new` opens."""
        old = self.open_package_of(person)
        old.last = add_months(new.first, -1)
        self._void_package_dues_after(old)
        self.packages[new.id] = new

    def check_end_package(self, person: int, last: date, today: date) -> Refused | None:
        """membership_end's refusals, in its order (an inactive person's package may still be ended)."""
        pkg = self.open_package_of(person)
        if pkg is None:
            return Refused("no_package")
        if last < add_months(pkg.first, -1) or last > add_months(today.replace(day=1), self.max_ahead):
            return Refused("invalid")  # ending in the month before its first cancels it: it covers no month
        if self._paid_from(pkg, add_months(last, 1)):
            return Refused("month_paid")
        return None

    def end_package(self, person: int, last: date) -> None:
        pkg = self.open_package_of(person)
        pkg.last = last
        self._void_package_dues_after(pkg)

    # --- the registry -------------------------------------------------------------------------------------------

    def deactivate(self, person: int, today: date):
        """The registry ends the person (participant_deactivate): status `ended` from that day; the run no longer
        bills months that begin after it. Packages, enrolments, dues and credit stay as they are."""
        p = self.people[person]
        if not p.active:
            return Refused("already_inactive")
        p.active, p.ended_on = False, today
        return person

    # --- statements and the reconciliation queue ---------------------------------------------------------------

    def import_statement(self, lines: list[StatementLine], *, today: date, channel: str = "bank"):
        """A statement import (imports/statement_import.py) applied, line by line in file order. Returns (counts of
        each outcome, [(payment number, outcome, queue reason)]) for the payments it recorded.

        - A reference met earlier in the same file: `duplicate`, not counted again.
        - A reference already recorded (any payment on the channel, reversed or queued ones too): `already` with
          the same amount, else `invalid`; nothing is recorded.
        - An invoice line pays the scheme (as pay_invoice); a person's line pays as pay_person would (no key).
        - Queued (a payment without a holder, and an open queue item): a line naming two people (`ambiguous`), an
          unknown NIK (`unknown_nik`), a deactivated person (`participant_ended`), or a person's payment refused as
          too far ahead (`too_far_ahead`)."""
        counts: dict[str, int] = {}
        made: list[tuple[int, str, str]] = []

        def count(outcome):
            counts[outcome] = counts.get(outcome, 0) + 1

        first: dict[str, StatementLine] = {}
        for line in lines:
            if line.reference in first:
                count("duplicate")
            else:
                first[line.reference] = line
        for line in first.values():
            earlier = self.references.get((channel, line.reference))
            if earlier is not None:
                count("already" if self.payments[earlier].amount == line.amount else "invalid")
                continue
            if line.scheme is not None:
                n, _duplicate = self.pay_invoice(line.scheme, line.amount, channel=channel, reference=line.reference,
                                                 key=None, invoice_no=line.invoice_no)
                count("invoice")
                made.append((n, "invoice", ""))
                continue
            reason = ""
            if line.ambiguous:
                reason = "ambiguous"
            elif line.person is None:
                reason = "unknown_nik"
            elif not self.people[line.person].active:
                reason = "participant_ended"
            else:
                done = self.pay_person(line.person, line.amount, today=today, channel=channel,
                                       reference=line.reference, key=None)
                if isinstance(done, Refused):
                    assert done.code == "too_far_ahead", done
                    reason = "too_far_ahead"
                else:
                    count("person")
                    made.append((done[0], "person", ""))
            if reason:
                n = self._new_payment(None, line.amount, channel, line.reference, None, ("queue", line.reference),
                                      queued=reason)
                count("queued")
                made.append((n, "queued", reason))
        return counts, made

    def open_queue(self) -> list[int]:
        return [p.n for p in self.payments if p.queued and not p.decision]

    def decide(self, n: int, decision: str, *, holder=None, today: date | None = None):
        """A queue decision (billing/services/queue.py): assign to a holder (the money pays as a payment of that
        holder would, from the day of the decision; a person's may be refused as too far ahead, changing nothing),
        or refund / reject (the payment is reversed; it never was anyone's credit)."""
        p = self.payments[n]
        assert p.queued, p
        if p.decision:
            return Refused("not_ready")
        if decision == "assign":
            if holder[0] == "P":
                plan = self._plan_person(holder[1], p.amount, today)
                if isinstance(plan, Refused):
                    return plan
                p.holder = holder
                self._pay_person(n, holder[1], plan)
            else:
                p.holder = holder
                self._pay_scheme(n, holder[1])
        else:
            p.live = False
        p.decision = decision
        return n

    # --- what the machine compares -------------------------------------------------------------------------

    def live_dues(self) -> dict[tuple[int, date, tuple[str, int]], int]:
        return {(d.person, d.month, d.payer): d.amount for d in self.dues if d.live}

    def credits(self) -> dict[tuple[str, int], int]:
        return {holder: amount for holder, amount in self.credit.items() if amount}

    def self_check(self) -> list[str]:
        """The model's own bookkeeping (a bug in the model, not in the system): credit = live payments − live
        allocations, per holder; a paid due has exactly one live allocation."""
        problems = []
        holders = ({p.holder for p in self.payments if p.holder} | {a.holder for a in self.allocations}
                   | set(self.credit))
        for h in holders:
            paid = sum(p.amount for p in self.payments if p.live and p.holder == h)
            used = sum(a.amount for a in self.allocations if a.live and a.holder == h)
            if paid - used != self.balance(h) or self.balance(h) < 0:
                problems.append(f"{h}: payments {paid} - allocations {used} != credit {self.balance(h)}")
        for d in self.dues:
            live = [a for a in self.allocations if a.live and a.due == d.n]
            if len(live) != (d.paid is not None) or (live and live[0].n != d.paid):
                problems.append(f"due {d.n}: live allocations {[a.n for a in live]} but paid={d.paid}")
            if live and d.voided:
                problems.append(f"due {d.n}: voided but paid")
        return problems

    def deadline(self, month: date) -> date:
        return add_months(month, self.due_month_offset).replace(day=self.due_day)

    def status(self, person: int, on: date) -> dict:
        """Design §4, for one person on one day, written from its definition."""
        this_month = on.replace(day=1)
        mine = [d for d in self.dues if d.person == person and d.live]
        by_month: dict[date, list[Due]] = {}
        for d in mine:
            by_month.setdefault(d.month, []).append(d)
        paid_months = sorted(m for m, rows in by_month.items() if all(d.paid is not None for d in rows))
        unpaid = sorted(d.month for d in mine if d.paid is None)
        owed = sum(d.amount for d in mine if d.paid is None and d.month <= this_month)
        if unpaid:  # the month before the oldest unpaid due, when a month before it was paid
            paid_through = add_months(unpaid[0], -1) if paid_months and paid_months[0] < unpaid[0] else None
        else:
            paid_through = paid_months[-1] if paid_months else None
        if not self.people[person].active:
            return {"status": "ended", "paid_through": paid_through, "owed": owed, "covered": False}
        if not [m for m in paid_months if m <= this_month]:
            return {"status": "not_started", "paid_through": paid_through, "owed": owed, "covered": False}
        cutoff = this_month
        while self.deadline(cutoff) > on:
            cutoff = add_months(cutoff, -1)
        last_paid = paid_months[-1]
        k = 0
        month = add_months(last_paid, 1)
        while month <= cutoff:
            k += 1
            month = add_months(month, 1)
        mode, grace = self.policy
        if k == 0:
            status, covered = "active", True
        elif k <= 2:
            status, covered = "arrears", mode == "lenient" and k <= grace
        else:
            status, covered = "non_active", False
        return {"status": status, "paid_through": paid_through, "owed": owed, "covered": covered}

    def table_row(self, person: int, on: date) -> dict:
        """What the region's status table (billing.status.status_table) says of the person: the status word, the
        latest and the earliest fully paid month, the earliest month with an unpaid due, and the amount owed."""
        mine = [d for d in self.dues if d.person == person and d.live]
        months = sorted({d.month for d in mine})
        paid = [m for m in months if all(d.paid is not None for d in mine if d.month == m)]
        unpaid = [m for m in months if m not in paid]
        shown = self.status(person, on)
        return {"status": shown["status"], "last_paid": paid[-1] if paid else None,
                "first_paid": paid[0] if paid else None, "first_unpaid": unpaid[0] if unpaid else None,
                "owed": shown["owed"]}
