"""The ledger against a plain reference model, step by step (issue 12; docs/design/ledger.md §6).

Hypothesis draws random sequences of billing runs, payments (good, odd and bad amounts), repeated requests,
reversals, scheme endings, packages started, changed and ended, deactivations in the registry, statement imports
(through the import service's public entry point, so its bulk path is checked too) and the reconciliation queue's
decisions, on a clock that moves a month (or a deadline) at a time. After every step the machine compares the
system with `tests/billing/model.py`: `ledger_check()` finds nothing, the live dues, which of them are paid and
every holder's credit balance are the model's, and so is each participant's status, both from `status_of`
(status, paid-through month, amount owed, covered) and from the region's `status_table` (status, last and first
paid month, first unpaid month, amount owed).

Profiles: `ci` (the default, and with env CI): a fixed number of examples, derandomized and without the example
database, so a CI run is reproducible (20 examples: about 40 s of CPU on SQLite); `dev` (HYPOTHESIS_PROFILE=dev)
runs more; `explore` (with H7_EXAMPLES) runs new random examples each time, to look for bugs. A failing sequence is
printed by hypothesis as plain calls; paste it into tests/billing/test_machine_findings.py as a regression test.
"""

from __future__ import annotations

import io
import logging
import os
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, time
from itertools import count
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from jamsosdesa.billing.check import ledger_check
from jamsosdesa.billing.live import live
from jamsosdesa.billing.models import (
    Allocation,
    ArrearsPolicy,
    Due,
    HolderType,
    Invoice,
    Membership,
    Payment,
    ReconciliationItem,
    ReversalTarget,
)
from jamsosdesa.billing.policy import policy_cache_clear
from jamsosdesa.billing.services.allocation import credit_balance
from jamsosdesa.billing.services.membership import membership_change, membership_end, membership_start
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
from jamsosdesa.billing.services.queue import queue_decide
from jamsosdesa.billing.services.reversals import payment_reverse
from jamsosdesa.billing.services.run import billing_run
from jamsosdesa.billing.status import status_of, status_rows
from jamsosdesa.contributions.book import rate_book
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.jobs.models import JobStatus
from jamsosdesa.core.months import add_months
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.models import Enrolment
from jamsosdesa.funding.services import scheme_create
from jamsosdesa.funding.services.ending import enrolment_end
from jamsosdesa.imports.statement_import import StatementOptions, statement_import
from jamsosdesa.participants.models import Participant, SectorSource
from jamsosdesa.participants.services import participant_deactivate
from tests.billing import model as m
from tests.billing.conftest import enrol, package
from tests.conftest import DESA_A, DESA_B, make_user
from tests.funding.conftest import scheme_data

JAKARTA = ZoneInfo("Asia/Jakarta")

settings.register_profile("ci", max_examples=20, stateful_step_count=25, derandomize=True, database=None,
                          deadline=None, print_blob=False,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("dev", parent=settings.get_profile("ci"), max_examples=200, derandomize=False)
# while changing the machine: H7_EXAMPLES examples, no shrinking
settings.register_profile("quick", parent=settings.get_profile("ci"),
                          max_examples=int(os.environ.get("H7_EXAMPLES", 8)), phases=[Phase.explicit, Phase.generate])
# looking for bugs: H7_EXAMPLES new random examples each run, shrunk when one fails
settings.register_profile("explore", parent=settings.get_profile("ci"),
                          max_examples=int(os.environ.get("H7_EXAMPLES", 100)), derandomize=False)




def _profile() -> settings:
    name = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    return settings.get_profile(name if name in ("ci", "dev", "quick", "explore") else "ci")


class _Killed(Exception):
    """What kill_run_midway's progress hook raises inside a run."""


SEEN: Counter[str] = Counter()  # what the examples went through, printed at the end (pytest -s)


def note(what: str) -> None:
    SEEN[what] += 1


# The first three are paid by the scheme: by id Agus, Sutinah, Bejo; on the invoice (desa B 2001 before desa A 2004,
# then name) Bejo, Sutinah, Agus; by name alone Agus, Bejo, Sutinah. The last two pay their own package.
WORLD = [(DESA_A, "Agus", "umum"), (DESA_B, "Sutinah", "umum"), (DESA_B, "Bejo", "transportasi"),
         (DESA_A, "Wagiman", "umum"), (DESA_B, "Yanti", "transportasi")]
_nik_serial = count(1)

AMOUNTS = st.one_of(
    st.integers(1, 14).map(lambda k: k * 16_800),
    st.integers(1, 14).map(lambda k: k * 8_400),
    st.integers(1, 60_000),  # odd amounts: part of a month, a month and a bit
)
# A statement line: what it names (a person's NIK, an invoice, a NIK nobody has, an earlier payment's reference, the
# line before it again, two people in its description), whose / which, the amount, and for an earlier reference
# whether the amount is the same.
STATEMENT_LINE = st.tuples(st.sampled_from(["person", "person", "unknown", "unknown", "invoice", "earlier", "again",
                                            "ambiguous"]),
                           st.integers(0, len(WORLD) - 1), AMOUNTS, st.booleans())
# The bank's own column titles, read through a saved mapping as the import page offers it.
STATEMENT_MAPPING = {"nik": "No KTP", "amount": "Nominal", "date": "Tgl Bayar", "reference": "No Ref",
                     "name": "Uraian", "invoice": "No Tagihan"}
BAD_AMOUNTS = st.sampled_from([0, -16_800, django_settings.PAYMENT_MAX_AMOUNT + 1, 10**15])


def _people(rows) -> list[Participant]:
    made = []
    for desa, name, sector in rows:
        serial = next(_nik_serial)
        nik = f"{desa[:2]}{desa[3:5]}{desa[6:8]}070385{serial:04d}"
        p = Participant(nik=nik, full_name=name, birth_date=date(1985, 3, 7), sex="L", desa_id=desa, segment="BPU",
                        village_role="vulnerable_worker").fill_derived()
        p.sector, p.sector_source = sector, SectorSource.MANUAL
        made.append(p)
    return Participant.objects.bulk_create(made)


class LedgerMachine(RuleBasedStateMachine):
    start: datetime  # the suite's day at 10:00 WIB, set by the test
    admin: object  # a national admin and the district official of Kab. Sukoharjo, made once by the test (hashing
    official: object  # a password per example would take most of the time)

    payments = Bundle("payments")

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._travel = None
        self._go(self.start)
        self.refs = count(1)
        self.sent: dict[int, dict] = {}  # model payment number -> the request as sent (to send again)
        self.db_payment: dict[int, int] = {}  # model payment number -> Payment id
        self.reversed: list[int] = []

    def teardown(self):
        try:
            if self._travel is not None:
                self._travel.stop()
        finally:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    def _go(self, moment: datetime) -> None:
        if self._travel is not None:
            self._travel.stop()
        self._travel = time_machine.travel(moment, tick=False)
        self._travel.start()

    # --- the world ---------------------------------------------------------------------------------------------

    @initialize(scheme_months=st.integers(2, 4), mode=st.sampled_from(["strict", "lenient"]),
                grace=st.integers(1, 3), opening=st.booleans())
    def world(self, scheme_months, mode, grace, opening):
        self.people = _people(WORLD)
        this = clock.this_month()
        self.scheme = scheme_create(actor=self.official, data=scheme_data(
            start_month=this, end_month=add_months(this, scheme_months - 1)))
        self.enrolments = enrol(self.scheme, self.people[:3])
        self.packages = [package(p, first=this) for p in self.people[3:]]
        policy_cache_clear()
        ArrearsPolicy.objects.create(kab_code="33.11", valid_from=add_months(this, -24), mode=mode, grace_months=grace,
                                     source="uji mesin keadaan")
        self.model = ledger = m.Ledger(rate_book(), max_ahead=django_settings.BILLING_MAX_MONTHS_AHEAD,
                                       max_amount=django_settings.PAYMENT_MAX_AMOUNT,
                                       due_day=django_settings.BILLING_DUE_DAY,
                                       due_month_offset=django_settings.BILLING_DUE_MONTH_OFFSET)
        ledger.policy = (mode, grace)
        for p in self.people:
            ledger.people[p.pk] = m.Person(p.pk, p.desa_id, p.search_name, p.sector, registered=this)
        s = self.scheme
        ledger.schemes[s.pk] = m.Scheme(s.pk, s.payer_type, s.segment, tuple(s.programmes), s.income_nominal)
        for e in self.enrolments:
            ledger.enrolments[e.pk] = m.Enrolment(e.pk, s.pk, e.participant_id, e.start_month, e.end_month)
        for pkg in self.packages:
            ledger.packages[pkg.pk] = m.Package(pkg.pk, pkg.participant_id, tuple(pkg.programmes), pkg.income,
                                                pkg.first_month, pkg.last_month)
        if opening:  # half the examples start with this month billed, so invoices are there to pay
            self.run_billing(0)

    # --- the clock -----------------------------------------------------------------------------------------

    @rule(where=st.sampled_from(["next_1", "next_20", "this_20", "third_20"]))
    def advance_clock(self, where):
        note("rule advance_clock")
        today = clock.today()
        if where == "this_20" and today.day < 20:
            day = today.replace(day=20)
        elif where == "third_20":  # three deadlines pass at once: the quickest way to non-active
            day = add_months(today.replace(day=1), 3).replace(day=20)
        else:
            day = add_months(today.replace(day=1), 1).replace(day=20 if where == "next_20" else 1)
        self._go(datetime.combine(day, time(10, 0), tzinfo=JAKARTA))

    # --- billing -------------------------------------------------------------------------------------------

    @rule(ahead=st.integers(0, 1))
    def run_billing(self, ahead):
        note("rule run_billing")
        month = add_months(clock.this_month(), ahead)
        billing_run(actor=self.admin, month=month, trigger="cli")
        self.model.bill(month)

    @rule(ahead=st.integers(0, 1))
    def kill_run_midway(self, ahead):
        """A run that dies after its first kabupaten's chunk (here: the only one) keeps that chunk and fails; run
        again, it issues the invoices and the end is what one clean run gives."""
        note("rule kill_run_midway")
        month = add_months(clock.this_month(), ahead)

        died = []

        def die_after_a_chunk(done, total, stage=None):
            if 1 <= done < total:
                died.append(done)
                raise _Killed

        quiet = logging.getLogger("jamsosdesa.billing.services.run")
        quiet.disabled = True  # the run logs the failure with its traceback: expected here
        try:
            killed = billing_run(actor=self.admin, month=month, trigger="cli", progress=die_after_a_chunk)
        finally:
            quiet.disabled = False
        # With every package ended and the scheme over, no kabupaten has anything to bill: no chunk to die after.
        assert killed.status == (JobStatus.FAILED if died else JobStatus.DONE), killed.status
        note("kill_run_midway killed a run" if died else "kill_run_midway: nothing in force to kill")
        billing_run(actor=self.admin, month=month, trigger="cli")
        self.model.bill(month)

    # --- payments ------------------------------------------------------------------------------------------

    def _request(self, *, amount, person=None, invoice=None, reference=None, key=None):
        n = next(self.refs)
        return PaymentRequest(amount=amount, paid_on=clock.today(), reference=reference or f"H7-{n}", channel="bank",
                              nik=person.nik if person is not None else "",
                              invoice=invoice.number if invoice is not None else "",
                              idempotency_key=key or f"h7-key-{n}")

    def _record(self, request):
        return payment_record(actor=self.admin, request=request)

    @rule(target=payments, who=st.integers(0, len(WORLD) - 1), amount=AMOUNTS)
    def pay_person(self, who, amount):
        note("rule pay_person")
        person = self.people[who]
        request = self._request(amount=amount, person=person)
        before = len(self.model.dues)
        expected = self.model.pay_person(person.pk, amount, today=clock.today(), channel=request.channel,
                                         reference=request.reference, key=request.idempotency_key)
        if isinstance(expected, m.Refused):
            note(f"pay_person refused: {expected.code}")
            with pytest.raises(ServiceError) as refused:
                self._record(request)
            assert str(refused.value.code) == expected.code, refused.value
            return multiple()
        outcome = self._record(request)
        n, duplicate = expected
        note("pay_person billed months ahead" if len(self.model.dues) > before else "pay_person")
        if not self.model.people[person.pk].active:
            note("pay_person for a person who left")
        assert outcome.duplicate is duplicate
        self.db_payment[n] = outcome.payment.pk
        self.sent[n] = request
        return n

    # Twins of the rules that move money: hypothesis picks among rules evenly, and most of what can go wrong
    # happens after several payments.
    @rule(target=payments, who=st.integers(0, len(WORLD) - 1), amount=AMOUNTS)
    def pay_person_again(self, who, amount):
        return self.pay_person(who, amount)

    @precondition(lambda self: self.model.invoices)
    @rule(target=payments, which=st.integers(0, 20), amount=AMOUNTS)
    def pay_invoice_again(self, which, amount):
        return self.pay_invoice(which, amount)

    @rule(n=consumes(payments))
    def reverse_payment_again(self, n):
        return self.reverse_payment(n)

    @rule(who=st.integers(0, len(WORLD) - 1), amount=BAD_AMOUNTS)
    def pay_person_bad_amount(self, who, amount):
        note("rule pay_person_bad_amount")
        request = self._request(amount=amount, person=self.people[who])
        assert isinstance(self.model.pay_person(self.people[who].pk, amount, today=clock.today(),
                                                channel=request.channel, reference=request.reference,
                                                key=request.idempotency_key), m.Refused)
        with pytest.raises(ServiceError):
            self._record(request)

    @precondition(lambda self: self.model.invoices)
    @rule(target=payments, which=st.integers(0, 20), amount=AMOUNTS)
    def pay_invoice(self, which, amount):
        note("rule pay_invoice")
        invoices = list(Invoice.objects.filter(scheme=self.scheme).order_by("month", "seq"))
        invoice = invoices[which % len(invoices)]
        request = self._request(amount=amount, invoice=invoice)
        expected = self.model.pay_invoice(self.scheme.pk, amount, channel=request.channel,
                                          reference=request.reference, key=request.idempotency_key,
                                          invoice_no=invoice.pk)
        if isinstance(expected, m.Refused):
            with pytest.raises(ServiceError):
                self._record(request)
            return multiple()
        outcome = self._record(request)
        n, duplicate = expected
        assert outcome.duplicate is duplicate
        self.db_payment[n] = outcome.payment.pk
        self.sent[n] = request
        return n

    @precondition(lambda self: self.sent)
    @rule(which=st.integers(0, 100))
    def resend_same_key(self, which):
        note("rule resend_same_key")
        n = sorted(self.sent)[which % len(self.sent)]
        outcome = self._record(self.sent[n])
        assert outcome.duplicate is True
        assert outcome.payment.pk == self.db_payment[n]

    @precondition(lambda self: self.sent)
    @rule(which=st.integers(0, 100), more=st.integers(1, 50_000))
    def same_key_other_amount(self, which, more):
        note("rule same_key_other_amount")
        n = sorted(self.sent)[which % len(self.sent)]
        request = replace(self.sent[n], amount=self.sent[n].amount + more)
        with pytest.raises(ServiceError) as refused:
            self._record(request)
        assert "conflict" in str(refused.value.code)

    # --- reversals and endings -----------------------------------------------------------------------------

    @rule(n=consumes(payments))
    def reverse_payment(self, n):
        note("rule reverse_payment")
        live_before = {a.n for a in self.model.allocations if a.live}
        assert not isinstance(self.model.reverse_payment(n), m.Refused)
        own = set(self.model.payments[n].allocations)
        released = live_before - {a.n for a in self.model.allocations if a.live} - own
        note("reverse_payment released later allocations" if released else "reverse_payment")
        if self.model.payments[n].queued:
            note("reverse_payment of a queued payment assigned later")
        payment_reverse(actor=self.admin, payment=Payment.objects.get(pk=self.db_payment[n]), reason="mistake")
        self.reversed.append(n)

    @rule(target=payments, specs=st.lists(STATEMENT_LINE, min_size=1, max_size=3), pair=st.booleans())
    def import_statement_again(self, specs, pair):
        return self.import_statement(specs, pair)

    @precondition(lambda self: hasattr(self, "model") and self.model.open_queue())
    @rule(target=payments, which=st.integers(0, 20),
          decision=st.sampled_from(["assign", "assign", "assign", "refund", "reject"]),
          who=st.integers(0, len(WORLD) - 1), to_invoice=st.booleans())
    def decide_queue_item_again(self, which, decision, who, to_invoice):
        return self.decide_queue_item(which, decision, who, to_invoice)

    @precondition(lambda self: self.reversed)
    @rule(which=st.integers(0, 100))
    def reverse_again(self, which):
        note("rule reverse_again")
        n = self.reversed[which % len(self.reversed)]
        assert isinstance(self.model.reverse_payment(n), m.Refused)
        with pytest.raises(ServiceError) as refused:
            payment_reverse(actor=self.admin, payment=Payment.objects.get(pk=self.db_payment[n]), reason="mistake")
        assert str(refused.value.code) in ("already_reversed", "reversal_of_reversal")

    @rule(which=st.integers(0, 2), back=st.integers(-1, 3))
    def end_enrolment(self, which, back):
        note("rule end_enrolment")
        e = Enrolment.objects.get(pk=self.enrolments[which].pk)
        if e.ended_at is not None:
            return
        last = add_months(e.start_month, back)  # from "never paid" (the month before the start) on
        if last > e.end_month:
            last = e.end_month
        enrolment_end(actor=self.official, enrolment=e, last_month=last, reason="withdrew")
        paid_before = {d.n for d in self.model.dues if d.paid is not None}
        if self.model.end_enrolment(e.pk, last):
            released = paid_before - {d.n for d in self.model.dues if d.paid is not None}
            note("end_enrolment voided a paid due" if released else "end_enrolment voided dues")

    # --- packages and the registry ------------------------------------------------------------------------

    def _refused_alike(self, expected: m.Refused, call) -> None:
        with pytest.raises(ServiceError) as refused:
            call()
        assert str(refused.value.code) == expected.code, (expected, refused.value)

    @rule(who=st.integers(0, len(WORLD) - 1), after=st.integers(0, 2), jht=st.booleans())
    def start_package(self, who, after, jht):
        """A new package: for a scheme's worker after the scheme's end, for a self-payer after the last one ended."""
        note("rule start_package")
        person = self.people[who]
        this = clock.this_month()
        if who < len(self.enrolments):
            first = max(add_months(self.model.enrolments[self.enrolments[who].pk].end, 1 + after), this)
        else:
            first = add_months(this, after)
        programmes = ("JKK", "JKM", "JHT") if jht else ("JKK", "JKM")
        pkg = m.Package(-1, person.pk, programmes, 1_000_000, first)

        def call():
            return membership_start(actor=self.admin, participant=person, programmes=list(programmes),
                                    income=1_000_000, first_month=first, channel="cli")

        expected = self.model.check_start_package(pkg, clock.today())
        if expected is not None:
            note(f"start_package refused: {expected.code}")
            return self._refused_alike(expected, call)
        pkg.id = call().pk
        assert self.model.start_package(pkg, clock.today()) == pkg.id

    @rule(who=st.integers(0, len(WORLD) - 1), offset=st.integers(-1, 2), what=st.sampled_from(["income", "jht"]))
    def change_package(self, who, offset, what):
        """Other programmes or another income from a month: the package's first or this month (whichever is later),
        the month before (a change back-dated), or a later one."""
        note("rule change_package")
        person = self.people[who]
        old = self.model.open_package_of(person.pk)
        if old is None:
            return
        start = add_months(max(old.first, clock.this_month()), offset)
        programmes, income = tuple(old.programmes), old.income
        if what == "jht":
            programmes = ("JKK", "JKM") if "JHT" in programmes else ("JKK", "JKM", "JHT")
        else:
            income = 1_500_000 if income == 1_000_000 else 1_000_000

        def call():
            return membership_change(actor=self.admin, membership=Membership.objects.get(pk=old.id),
                                     from_month=start, programmes=list(programmes), income=income)

        expected = self.model.check_change_package(person.pk, start, programmes, income, clock.today())
        if expected is not None:
            note(f"change_package refused: {expected.code}")
            return self._refused_alike(expected, call)
        new = call()
        note("change_package voided dues" if any(d.payer == ("M", old.id) and d.month >= start
                                                 for d in self.model.dues) else "change_package")
        self.model.change_package(person.pk, m.Package(new.pk, person.pk, tuple(new.programmes), new.income,
                                                       new.first_month))

    @rule(who=st.integers(0, len(WORLD) - 1), offset=st.integers(-2, 2))
    def end_package(self, who, offset):
        """The worker stops paying after a month (also one already past)."""
        note("rule end_package")
        person = self.people[who]
        pkg = self.model.open_package_of(person.pk)
        if pkg is None:
            return
        last = add_months(clock.this_month(), offset)

        def call():
            return membership_end(actor=self.admin, membership=Membership.objects.get(pk=pkg.id), last_month=last,
                                  reason="stopped")

        expected = self.model.check_end_package(person.pk, last, clock.today())
        if expected is not None:
            note(f"end_package refused: {expected.code}")
            return self._refused_alike(expected, call)
        call()
        note("end_package voided dues" if any(d.payer == ("M", pkg.id) and d.month > last and d.live
                                              for d in self.model.dues) else "end_package")
        self.model.end_package(person.pk, last)

    @rule(who=st.integers(0, len(WORLD) - 1))
    def deactivate(self, who):
        """The registry ends the person (died, moved, withdrew): status `ended`; later months are not billed."""
        note("rule deactivate")
        person = Participant.objects.get(pk=self.people[who].pk)
        expected = self.model.deactivate(person.pk, clock.today())
        if isinstance(expected, m.Refused):
            return self._refused_alike(expected, lambda: participant_deactivate(
                actor=self.admin, participant=person, reason="withdrew"))
        participant_deactivate(actor=self.admin, participant=person, reason="withdrew")

    # --- statements and the queue --------------------------------------------------------------------------

    @rule(target=payments, specs=st.lists(STATEMENT_LINE, min_size=1, max_size=3), pair=st.booleans())
    def import_statement(self, specs, pair):
        """A small statement (CSV with its own column titles, read through a mapping) applied through the import
        service: people's NIKs, an invoice number, a NIK nobody has (queued), a reference recorded earlier (not
        counted again), a line repeated in the file, and with `pair` a second line for one person."""
        note("rule import_statement")
        today = clock.today()
        lines: list[tuple[m.StatementLine, str, str, str]] = []  # (the model's line, NIK, invoice, description)
        invoices = list(Invoice.objects.filter(scheme=self.scheme).order_by("month", "seq"))
        for kind, who, amount, same in specs:
            person = self.people[who]
            ref = f"ST-{next(self.refs)}"
            if kind == "again" and lines:
                lines.append(lines[-1])
                note("import_statement line repeated in the file")
                continue
            if kind == "earlier" and self.model.payments:
                earlier = self.model.payments[(who * 7 + amount) % len(self.model.payments)]
                ref, amount = earlier.reference, earlier.amount if same else amount
                note("import_statement line with an earlier reference")
            if kind == "unknown":
                lines.append((m.StatementLine(ref, amount), f"33110101019{next(_nik_serial):05d}", "", "iuran"))
            elif kind == "ambiguous":
                other = self.people[(who + 1) % len(WORLD)]
                lines.append((m.StatementLine(ref, amount, ambiguous=True), "", "",
                              f"iuran {person.nik} dan {other.nik}"))
            elif kind == "invoice" and invoices:
                invoice = invoices[who % len(invoices)]
                lines.append((m.StatementLine(ref, amount, scheme=self.scheme.pk, invoice_no=invoice.pk), "",
                              invoice.number, "iuran desa"))
            else:
                lines.append((m.StatementLine(ref, amount, person=person.pk), person.nik, "", "iuran"))
        if pair:
            mine = [line for line in lines if line[0].person is not None]
            if mine:
                lines.append((replace(mine[0][0], reference=f"ST-{next(self.refs)}", amount=mine[0][0].amount + 8_400),
                              mine[0][1], "", "iuran"))
                note("import_statement two lines for one person")
        rows = ["No KTP;Nominal;Tgl Bayar;No Ref;Uraian;No Tagihan"]
        for line, nik, number, text in lines:
            rows.append(f"{nik};{line.amount};{today:%d/%m/%Y};{line.reference};{text};{number}")
        data = ("\n".join(rows) + "\n").encode()
        counts, made = self.model.import_statement([line[0] for line in lines], today=today)
        outcome = statement_import(actor=self.admin, source=io.BytesIO(data), options=StatementOptions(
            mapping=STATEMENT_MAPPING, channel="bank", dry_run=False))
        assert outcome.file_error == "", outcome.file_error
        assert {k: v for k, v in outcome.counts.items() if v} == counts, (outcome.counts, outcome.problems)
        recorded = []
        for n, kind, reason in made:
            payment = Payment.objects.get(channel="bank", external_reference=self.model.payments[n].reference)
            self.db_payment[n] = payment.pk
            if kind == "queued":
                note(f"import_statement queued: {reason}")
                assert payment.holder_type == "" and payment.queue_item.reason == reason
            else:
                note(f"import_statement paid: {kind}")
                recorded.append(n)
        return multiple(*recorded)

    @precondition(lambda self: hasattr(self, "model") and self.model.open_queue())
    @rule(target=payments, which=st.integers(0, 20),
          decision=st.sampled_from(["assign", "assign", "assign", "refund", "reject"]),
          who=st.integers(0, len(WORLD) - 1), to_invoice=st.booleans())
    def decide_queue_item(self, which, decision, who, to_invoice):
        """A branch officer decides a queued payment: assign it to a person or (`to_invoice`, when there is one) to a
        collective invoice, refund it or reject it. An assigned one is a payment of its holder from then on (it may
        be reversed)."""
        note("rule decide_queue_item")
        queued = self.model.open_queue()
        n = queued[which % len(queued)]
        item = ReconciliationItem.objects.get(payment_id=self.db_payment[n])
        target = holder = None
        if decision == "assign":
            invoices = list(Invoice.objects.filter(scheme=self.scheme).order_by("month", "seq"))
            if not (to_invoice and invoices):
                target = Participant.objects.get(pk=self.people[who].pk)
                holder = ("P", target.pk)
            else:
                target = invoices[which % len(invoices)]
                holder = ("S", self.scheme.pk)
        expected = self.model.decide(n, decision, holder=holder, today=clock.today())

        def call():
            return queue_decide(actor=self.admin, item=item, decision=decision, holder=target,
                                note="bukan iuran" if decision == "reject" else "")

        if isinstance(expected, m.Refused):
            note(f"decide_queue_item refused: {expected.code}")
            self._refused_alike(expected, call)
            return multiple()
        decided = call()
        note(f"decide_queue_item {decision} {holder[0] if holder else ''}".strip())
        assert decided.status == {"assign": "assigned", "refund": "refunded", "reject": "rejected"}[decision]
        if decision != "assign":
            self.reversed.append(n)
        return n if decision == "assign" else multiple()

    @precondition(lambda self: hasattr(self, "model") and self.model.open_queue())
    @rule(which=st.integers(0, 20), refund=st.booleans())
    def reverse_queued_payment(self, which, refund):
        """A queued payment reversed on the payment page instead of the queue: it leaves the open queue too."""
        note("rule reverse_queued_payment")
        queued = self.model.open_queue()
        n = queued[which % len(queued)]
        assert self.model.decide(n, "refund" if refund else "reject") == n
        payment_reverse(actor=self.admin, payment=Payment.objects.get(pk=self.db_payment[n]),
                        reason="refund" if refund else "bounced")
        item = ReconciliationItem.objects.get(payment_id=self.db_payment[n])
        assert item.status == ("refunded" if refund else "rejected"), item.status
        self.reversed.append(n)

    # --- after every step ----------------------------------------------------------------------------------

    @invariant()
    def model_is_consistent(self):
        if hasattr(self, "model"):
            assert self.model.self_check() == []

    @invariant()
    def ledger_check_passes(self):
        if hasattr(self, "model"):
            assert ledger_check() == []

    @invariant()
    def dues_agree(self):
        if not hasattr(self, "model"):
            return
        rows = live(Due.objects.all(), ReversalTarget.DUE).values_list(
            "participant_id", "month", "enrolment_id", "membership_id", "amount", "id")
        found = {(p, month, ("E", e) if e else ("M", mb)): amount for p, month, e, mb, amount, _ in rows}
        assert found == self.model.live_dues()
        paid_ids = set(live(Allocation.objects.all(), ReversalTarget.ALLOCATION).values_list("due_id", flat=True))
        paid = {(p, month, ("E", e) if e else ("M", mb)) for p, month, e, mb, _, pk in rows if pk in paid_ids}
        assert paid == {(d.person, d.month, d.payer) for d in self.model.dues if d.live and d.paid is not None}

    @invariant()
    def credit_agrees(self):
        if not hasattr(self, "model"):
            return
        holders = {("P", p.pk) for p in self.people} | {("S", self.scheme.pk)}
        found = {h: credit_balance(HolderType(h[0]), h[1]) for h in holders}
        assert {h: v for h, v in found.items() if v} == self.model.credits()

    @invariant()
    def status_agrees(self):
        if not hasattr(self, "model"):
            return
        today = clock.today()
        table = {row["participant_id"]: row for row in status_rows("33.11", today)}
        assert set(table) == {p.pk for p in self.people}
        for p in self.people:
            got = status_of(Participant.objects.get(pk=p.pk), today)
            expected = self.model.status(p.pk, today)
            note(f"status {expected['status']}, covered {expected['covered']}")
            assert {"status": str(got.status), "paid_through": got.paid_through, "owed": got.owed,
                    "covered": got.covered} == expected, (p.full_name, today)
            row = table[p.pk]
            assert {"status": str(row["status"]), "last_paid": row["last_paid"], "first_paid": row["first_paid"],
                    "first_unpaid": row["first_unpaid"], "owed": row["owed"]} == self.model.table_row(p.pk, today), (
                p.full_name, today, "status_table")


@pytest.mark.django_db
def test_the_ledger_agrees_with_a_plain_model_after_every_step():
    LedgerMachine.start = clock.now().astimezone(JAKARTA).replace(microsecond=0)
    LedgerMachine.admin = make_user("h7_admin", Role.NATIONAL_ADMIN)
    LedgerMachine.official = make_user("h7_pemkab", Role.DISTRICT_OFFICIAL, ["33.11"])
    SEEN.clear()
    run_state_machine_as_test(LedgerMachine, settings=_profile())
    print("\n".join(f"{n:6} {what}" for what, n in sorted(SEEN.items())))
