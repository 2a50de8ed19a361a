"""The statement import's bulk path gives exactly what recording the lines one by one gives: the same payments,
allocations, credit, dues billed ahead, queue items, audit events, status and outcome (counts, samples, report), and a
clean ledger, on a random statement mixing exact, partial, over- and far-too-large payments, earlier credit, lines
already recorded, unknown and ended people, people outside the importer's area, invoices and several lines for one
person. Both runs start from the same world: the bulk run is rolled back before the one-by-one run."""

import io
import random
from datetime import timedelta

import pytest
from django.db import transaction

import jamsosdesa.billing.services.payments as payments_module
from jamsosdesa.billing.models import Allocation, Credit, Due, Payment, ReconciliationItem, Reversal
from jamsosdesa.billing.services.reversals import payment_reverse
from jamsosdesa.billing.status import status_of
from jamsosdesa.core import clock
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from jamsosdesa.imports.statement_import import StatementOptions, statement_import
from jamsosdesa.participants.models import Participant
from tests.billing.conftest import DESA_A, DESA_B, DESA_C, enrol, month, package, people, scheme_data
from tests.billing.payment_fixtures import assert_ledger_ok, due, invoice, pay
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

UNKNOWN = "3311110101800099"


def dmy(back: int) -> str:
    return f"{clock.today() - timedelta(days=back):%d/%m/%Y}"


def _world(rng: random.Random):
    """People of the importer's kabupaten with their own packages and dues of the last months (some paid, some with
    credit, one with a month billed ahead and a gap before it, one package closed), a scheme's invoice, an ended
    person and one outside the area. Returns what the statement is built from."""
    from jamsosdesa.funding.services import scheme_create

    clerk = make_user("loket", Role.BRANCH_OFFICER, ["33.11"])
    mine = people(24, DESA_A) + people(10, DESA_B)
    for i, person in enumerate(mine):
        closed = i % 7 == 3
        pkg = package(person, first=month(-3), last=month(0) if closed else None)
        for offset in range(-3, 1):
            if rng.random() < 0.8 or i == 10:
                due(person, month(offset), membership=pkg, amount=rng.choice([16_800, 16_800, 20_000, 9_100]))
        if i % 9 == 4 and not closed:
            due(person, month(2), membership=pkg)  # billed ahead, next month not yet: a gap to bill first
    for person in mine[:6]:
        pay(clerk, nik=person.nik, amount=rng.choice([5_000, 16_800, 40_000]), channel="bank",
            reference=f"OLD-{person.pk}")
    pay(clerk, nik=mine[10].nik, amount=5_000, channel="bank", reference=f"OLD-{mine[10].pk}")  # credit, closed
    reversed_one = pay(clerk, nik=mine[6].nik, amount=16_800, channel="bank", reference=f"OLD-{mine[6].pk}")
    payment_reverse(actor=clerk, payment=reversed_one.payment, reason="mistake", note="salah ketik")
    official = make_user("pemkab_skh", Role.DISTRICT_OFFICIAL, ["33.11"])
    scheme = scheme_create(actor=official, data=scheme_data(start_month=month(-1)))
    covered = people(3, DESA_B)
    enrolments = {e.participant_id: e for e in enrol(scheme, covered, start=month(-1))}
    bill = invoice(scheme, month(0), [due(p, month(0), enrolment=enrolments[p.pk]) for p in covered])
    [ended] = people(1, DESA_A, is_active=False)
    [far] = people(1, DESA_C)
    return clerk, mine, bill, ended, far


def _unpaid_total(person) -> list[int]:
    from jamsosdesa.billing.services.allocation import unpaid_dues

    return [d.amount for d in unpaid_dues("P", person.pk)]


def _statement(rng: random.Random, mine, bill, ended, far) -> bytes:
    rows = []
    for i, person in enumerate(mine):
        amounts = _unpaid_total(person)
        if i == 10:  # its credit and this line pay every due of its closed package, Rp1 left
            rows.append(f"{person.nik};{sum(amounts) - 5_000 + 1};{dmy(5)};TRX-{i}-0;iuran")
            continue
        for _n in range(rng.choice([1, 1, 1, 1, 2, 3])):
            kind = rng.choice(["exact", "exact", "all", "all", "partial", "over", "huge", "none"])
            amount = {"exact": amounts[0] if amounts else 16_800, "all": sum(amounts) or 16_800,
                      "partial": rng.randint(1_000, 9_000), "over": sum(amounts) + rng.randint(1, 30_000),
                      "huge": 24_000_000, "none": 0}[kind]
            if amount:
                rows.append(f"{person.nik};{amount};{dmy(rng.randint(1, 20))};TRX-{i}-{_n};iuran")
    for person in mine[:3]:  # already recorded: the same amount (skipped) and another amount (refused)
        rows.append(f"{person.nik};1;{dmy(2)};OLD-{person.pk};iuran lagi")
    rows.append(f"{mine[3].nik};{Payment.objects.get(external_reference=f'OLD-{mine[3].pk}').amount};{dmy(2)};"
                f"OLD-{mine[3].pk};iuran lagi")
    rows.append(f"{mine[6].nik};16800;{dmy(2)};OLD-{mine[6].pk};dibalik sebelumnya")
    rows += [f"{UNKNOWN};16800;{dmy(3)};U-1;iuran", f";16800;{dmy(3)};U-2;{mine[7].nik} dan {mine[8].nik}",
             f"{ended.nik};16800;{dmy(3)};U-3;iuran", f"{far.nik};16800;{dmy(3)};U-4;iuran",
             f";{bill.total};{dmy(4)};SP2D-1;BAYAR {bill.number}", f";16800;{dmy(4)};SP2D-2;BAYAR {bill.number}",
             f"{mine[9].nik};16800,50;{dmy(3)};U-5;pecahan", f";16800;{dmy(3)};U-6;tanpa tujuan"]
    rows.append(rows[0])  # the same line twice in the file
    rng.shuffle(rows)
    return ("nik;jumlah;tanggal;referensi;keterangan\n" + "\n".join(rows) + "\n").encode()


def _snapshot(people_ids) -> dict:
    """Everything the import wrote, keyed by what does not depend on row ids."""
    pay_key = {p.pk: (p.channel, p.external_reference, p.reinstatement_no) for p in Payment.objects.all()}
    dues = {d.pk: (d.participant_id, d.month, d.membership_id, d.enrolment_id) for d in Due.objects.all()}
    return {
        "payments": sorted((pay_key[p.pk], p.source, p.amount, p.paid_on, p.target_kind, p.participant_id,
                            p.invoice_id, p.holder_type, p.holder_id, p.kab_code, p.desa_code, p.statement_id,
                            p.statement_row, p.recorded_by_id, p.note, p.request_hash, p.idempotency_key)
                           for p in Payment.objects.all()),
        "dues": sorted((dues[d.pk], d.amount, d.jkk, d.jkm, d.jht, d.jp, d.discount, d.run_id, d.kab_code)
                       for d in Due.objects.all()),
        "allocations": sorted((dues[a.due_id], a.seq, a.amount, pay_key.get(a.payment_id), a.holder_type,
                               a.holder_id, a.kab_code, a.origin, a.created_by_id) for a in Allocation.objects.all()),
        "credits": sorted((c.holder_type, c.holder_id, c.kab_code, c.amount, c.kind, pay_key.get(c.payment_id),
                           c.created_by_id) for c in Credit.objects.all()),
        "reversals": Reversal.objects.count(),
        "queue": sorted((pay_key[q.payment_id], q.statement_id, q.row_no, q.reason, q.candidates, q.raw, q.kab_code,
                         q.status) for q in ReconciliationItem.objects.all()),
        "audit": sorted((e.actor_id, e.actor_name, e.event_type, e.object_type, pay_key.get(int(e.object_id)),
                         e.region_code, e.old, e.new, e.note)
                        for e in AuditEvent.objects.filter(event_type=AuditEventType.PAYMENT_RECORDED)),
        "status": [(pk, status_of(p)) for pk in people_ids for p in [Participant.objects.get(pk=pk)]],
    }


def _import(clerk, data: bytes, *, bulk: bool):
    calls = []
    real = payments_module.payment_record

    def counted(**kwargs):
        calls.append(kwargs["request"].reference)
        return real(**kwargs)

    payments_module.payment_record = counted
    try:
        outcome = statement_import(actor=clerk, source=io.BytesIO(data), options=StatementOptions(
            dry_run=False, statement_id=41, note="rekening koran #41", bulk=bulk))
    finally:
        payments_module.payment_record = real
    summary = outcome.summary()
    summary["queue_items"] = len(summary["queue_items"])
    return summary, [(p.row, p.group, p.message, p.cells) for p in outcome.problems], calls


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_bulk_path_records_a_statement_exactly_as_one_by_one(seed):
    rng = random.Random(seed)
    clerk, mine, bill, ended, far = _world(rng)
    data = _statement(rng, mine, bill, ended, far)
    ids = [p.pk for p in mine]
    with transaction.atomic():
        bulk_outcome, bulk_report, bulk_calls = _import(clerk, data, bulk=True)
        bulk_written = _snapshot(ids)
        assert_ledger_ok()
        transaction.set_rollback(True)
    one_outcome, one_report, one_calls = _import(clerk, data, bulk=False)
    one_written = _snapshot(ids)
    assert_ledger_ok()

    assert bulk_outcome == one_outcome
    assert bulk_report == one_report
    for part in one_written:
        assert bulk_written[part] == one_written[part], part
    # the bulk path did take most plain lines, and the one-by-one run did record something of each kind
    assert len(one_calls) - len(bulk_calls) >= 5
    counts = one_outcome["counts"]
    assert counts["person"] > 10 and counts["invoice"] and counts["queued"] and counts["already"] and \
        counts["invalid"] and counts["duplicate"]
    assert any(kind == "remainder" and amount < 0 for _h, _i, _k, amount, kind, _p, _c in one_written["credits"])
    assert any(a[0][1] > month(0) and a[3] is not None for a in one_written["allocations"])  # paid ahead
