"""A claim that ends the participation (a death, a total permanent disability) settles its refund with billing when
it is approved (claims.services.settle_refund, called by decision.approve in the same transaction): the worker's own
months paid after the event month are voided and their money handed back as the claim's refund part, the package
ends in the event month so the next billing run bills nothing, a scheme's month after the event goes back to the
scheme (never to the heirs), and a refund that changed since preparation refuses the approval with nothing changed.
The ledger invariants hold and every step is in the audit trail."""

import pytest

from jamsosdesa.billing.live import live
from jamsosdesa.billing.models import Credit, Due, HolderType, Membership, Reversal, ReversalTarget
from jamsosdesa.billing.services.allocation import credit_balance
from jamsosdesa.billing.services.reversals import payment_reverse
from jamsosdesa.billing.services.run import billing_run
from jamsosdesa.claims import decision
from jamsosdesa.claims.models import ClaimKind, ClaimStatus
from jamsosdesa.claims.services import refund_part
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.jobs import JobStatus
from jamsosdesa.core.models import AuditEvent
from tests.billing.conftest import enrol, month, package, scheme_data
from tests.billing.payment_fixtures import assert_ledger_ok, due, invoice, pay
from tests.claims.decision_world import claim, officers, participant
from tests.claims.engine_fixtures import fresh_param_cache  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
DUE = 16_800


def live_dues(person, after=None):
    dues = live(Due.objects.filter(participant_id=person.pk), ReversalTarget.DUE)
    return dues.filter(month__gt=after) if after is not None else dues


def paid_ahead(operator, admin):
    """A Krajan worker whose own package billed last month to two months ahead, all four paid in one payment."""
    person = participant(admin)
    pkg = package(person, first=month(-1))
    for k in (-1, 0, 1, 2):
        due(person, month(k), membership=pkg)
    outcome = pay(operator, nik=person.nik, amount=4 * DUE)
    assert outcome.months == [month(k) for k in (-1, 0, 1, 2)]
    return person, pkg, outcome.payment


def prepared(admin, preparer, person, kind=ClaimKind.JKM):
    """The person's claim for an event today, prepared by `preparer` (the refund part computed by prepare)."""
    c = claim(admin, kind=kind, participant_row=person, event_days_ago=0)
    return decision.prepare(preparer, c)


def test_approving_a_death_claim_voids_the_months_paid_ahead_ends_the_package_and_hands_the_refund_back(
        admin_user, operator_a):
    one, two, _far = officers()
    person, pkg, _payment = paid_ahead(operator_a, admin_user)
    c = prepared(admin_user, one, person)
    assert refund_part(c) == 2 * DUE  # months +1 and +2, the worker's own
    assert [p["code"] for p in c.benefit_parts][-1] == "refund"

    decision.approve(two, c)

    assert not live_dues(person, after=month(0)).exists()  # both months after the event month voided
    pkg.refresh_from_db()
    assert (pkg.last_month, pkg.end_reason, pkg.ended_by) == (month(0), "died", two)
    assert credit_balance(HolderType.PARTICIPANT, person.pk) == 0  # nothing re-applied, nothing left
    refunded = Credit.objects.get(holder_type=HolderType.PARTICIPANT, holder_id=person.pk, kind="refunded")
    assert refunded.amount == -refund_part(c)
    assert_ledger_ok()
    run = billing_run(actor=admin_user, month=month(3))
    assert run.status == JobStatus.DONE, run.message
    assert not live_dues(person, after=month(0)).exists()  # the next run bills nothing for the dead
    assert_ledger_ok()

    trail = AuditEvent.objects.filter(actor=two)
    assert sorted(trail.filter(event_type="due.voided").values_list("new__released_to_credit", flat=True)) == [
        DUE, DUE]
    assert trail.filter(event_type="membership.ended", object_id=str(pkg.pk)).exists()
    assert trail.get(event_type="payment.reversed", object_type="credit", object_id=str(refunded.pk)).new[
        "amount"] == 2 * DUE
    settled = trail.get(event_type="claim.updated", object_id=str(c.pk)).new
    assert settled["refund_settled"] == [f"{month(1):%Y-%m}", f"{month(2):%Y-%m}"]
    assert (settled["amount"], settled["released"], settled["membership"]["last_month"]) == (
        2 * DUE, 2 * DUE, f"{month(0):%Y-%m}")


def test_a_scheme_paid_month_after_the_event_goes_back_to_the_scheme_not_into_the_refund(
        admin_user, operator_a):
    from jamsosdesa.core.roles import Role
    from jamsosdesa.funding.services import scheme_create
    from tests.conftest import make_user

    one, two, _far = officers()
    person = participant(admin_user)
    official = make_user("pemkab_skh", Role.DISTRICT_OFFICIAL, ["33.11"])
    scheme = scheme_create(actor=official, data=scheme_data(start_month=month(-1)))
    (enrolment,) = enrol(scheme, [person], start=month(-1))
    assert enrolment.end_month > month(1)
    for k in (-1, 0, 1):  # the scheme paid three months, the last one after the event month
        bill = invoice(scheme, month(k), [due(person, month(k), enrolment=enrolment)])
        pay(one, invoice_number=bill.number, amount=DUE)
    from jamsosdesa.claims.eligibility import eligibility_on

    found = eligibility_on(person, clock.today(), "jkm")
    assert (found.refund, found.refund_months) == (0, ())  # a scheme's month is not the heirs' refund
    c = prepared(admin_user, one, person)
    assert refund_part(c) == 0 and "refund" not in [p["code"] for p in c.benefit_parts]

    decision.approve(two, c)

    enrolment.refresh_from_db()
    assert (enrolment.end_month, enrolment.end_reason) == (month(0), "died")
    assert not live_dues(person, after=month(0)).exists()
    assert credit_balance(HolderType.SCHEME, scheme.pk) == DUE  # the scheme's month back to the scheme
    assert credit_balance(HolderType.PARTICIPANT, person.pk) == 0
    assert not Credit.objects.filter(kind="refunded").exists()  # the heirs receive no scheme money
    assert_ledger_ok()
    settled = AuditEvent.objects.get(event_type="claim.updated", object_id=str(c.pk)).new
    assert (settled["amount"], settled["enrolments"]) == (0, {str(enrolment.pk): f"{month(0):%Y-%m}"})


def _snapshot(person):
    return (sorted(Reversal.objects.values_list("target_type", "target_id")), list(Credit.objects.values_list("pk")),
            list(Membership.objects.filter(participant=person).values_list("last_month", "end_reason")),
            AuditEvent.objects.count())


def test_a_refund_that_changed_since_preparation_refuses_the_approval_and_changes_nothing(
        admin_user, operator_a):
    one, two, _far = officers()
    person, pkg, payment = paid_ahead(operator_a, admin_user)
    c = prepared(admin_user, one, person)
    assert refund_part(c) == 2 * DUE
    payment_reverse(actor=one, payment=payment, reason="bounced")  # the months ahead are no longer paid
    before = _snapshot(person)

    with pytest.raises(ServiceError) as refused:
        decision.approve(two, c)

    message = refused.value.message
    assert "pengembalian iuran berubah sejak klaim disiapkan" in message and "siapkan ulang" in message
    assert c.number in message and "Rp33.600" in message and "Rp0" in message
    c.refresh_from_db()
    assert (c.status, c.decided_by) == (ClaimStatus.PREPARED, None)
    assert _snapshot(person) == before  # no due voided, the package open, no credit row, no audit row
    assert live_dues(person, after=month(0)).count() == 2
    assert_ledger_ok()

    # "siapkan ulang" is a way out, not a dead end: prepared again from the ledger as it stands (no refund now),
    # by the second officer, it is approved by the first (four eyes follow the last preparer).
    decision.prepare(two, c)
    c.refresh_from_db()
    assert (c.status, c.prepared_by, refund_part(c)) == (ClaimStatus.PREPARED, two, 0)
    with pytest.raises(ServiceError):
        decision.approve(two, c)
    decision.approve(one, c)
    c.refresh_from_db()
    assert (c.status, c.decided_by) == (ClaimStatus.APPROVED, one)
    assert_ledger_ok()


def test_total_disability_ends_the_package_as_other_naming_the_claim_and_is_settled_once(admin_user, operator_a):
    from jamsosdesa.claims.services import settle_refund

    one, two, _far = officers()
    person, pkg, _payment = paid_ahead(operator_a, admin_user)
    c = claim(admin_user, kind=ClaimKind.JKK_DISABILITY_TOTAL, participant_row=person, event_days_ago=0,
              status=ClaimStatus.PREPARED, prepared_by=one)
    c.benefit_parts = [*c.benefit_parts, {"code": "refund", "name": "Pengembalian iuran", "amount": 2 * DUE,
                                          "rule": "PROBIS"}]
    c.save(update_fields=["benefit_parts"])
    decision.approve(two, c)
    pkg.refresh_from_db()
    assert (pkg.last_month, pkg.end_reason) == (month(0), "other")
    ended = AuditEvent.objects.get(event_type="membership.ended", object_id=str(pkg.pk))
    assert ended.new["end_reason"] == "other" and ended.note == f"klaim {c.number}"
    event = AuditEvent.objects.get(event_type="claim.updated", object_id=str(c.pk))
    assert event.new["amount"] == 2 * DUE and c.number in event.note
    assert settle_refund(two, c) is None  # once per claim
    assert Credit.objects.filter(kind="refunded").count() == 1
    assert_ledger_ok()
