"""A due's and an invoice line's keys have no database constraint (billing migration 0005: the run writes them
from joins of the rows they name, and the per-row checks cost most of the run), so `ledger check` is what finds
a row that names something missing, or a scheme that is not its enrolment's (H3)."""

import pytest

from jamsosdesa.billing.check import ledger_check
from jamsosdesa.billing.models import Due, InvoiceLine
from jamsosdesa.billing.services.run import billing_run
from jamsosdesa.core.jobs import JobStatus
from tests.billing.conftest import DESA_A, DESA_B, enrol, month, package, people
from tests.billing.payment_fixtures import assert_ledger_ok

pytestmark = pytest.mark.django_db


@pytest.fixture
def billed(admin_user, make_scheme):
    scheme = make_scheme()
    enrol(scheme, people(2, DESA_A) + people(1, DESA_B))
    package(people(1, DESA_B)[0])
    run = billing_run(actor=admin_user, month=month(0))
    assert run.status == JobStatus.DONE, run.message
    assert_ledger_ok()
    return scheme


def problems(number: int) -> dict:
    found = {f.invariant: f for f in ledger_check()}
    assert number in found, f"invariant {number} did not fail: {[f.as_dict() for f in found.values()]}"
    return found[number]


def test_a_due_naming_a_participant_or_payer_row_that_does_not_exist_is_found(billed):
    scheme_due = Due.objects.filter(enrolment__isnull=False).order_by("pk").first()
    own_due = Due.objects.get(membership__isnull=False)
    Due.objects.filter(pk=scheme_due.pk).update(participant_id=987_654_321)  # direct writes: the app never does
    Due.objects.filter(pk=own_due.pk).update(membership_id=987_654_321)

    rows = {row["due_id"]: row["problem"] for row in problems(7).rows}

    assert rows == {scheme_due.pk: "missing_participant", own_due.pk: "missing_payer"}


def test_a_due_whose_scheme_is_not_its_enrolment_s_or_whose_run_is_missing_is_found(billed, make_scheme):
    other = make_scheme(name="Skema lain")
    first, second = Due.objects.filter(enrolment__isnull=False).order_by("pk")[:2]
    Due.objects.filter(pk=first.pk).update(scheme_id=other.pk)
    Due.objects.filter(pk=second.pk).update(run_id=987_654_321)

    rows = {row["due_id"]: row["problem"] for row in problems(7).rows}

    assert rows == {first.pk: "scheme", second.pk: "missing_run"}


def test_an_invoice_line_naming_an_invoice_or_due_that_does_not_exist_is_found(billed):
    first, second = InvoiceLine.objects.order_by("pk")[:2]
    InvoiceLine.objects.filter(pk=first.pk).update(invoice_id=987_654_321)
    InvoiceLine.objects.filter(pk=second.pk).update(due_id=987_654_322)

    failure = problems(4)

    assert {row["invoice_id"] for row in failure.rows} == {987_654_321, second.invoice_id}


def test_the_run_counts_everyone_in_force_it_could_not_bill_once_by_reason(admin_user, make_scheme):
    """The skipped counts (found from the rows that fail, not by joining everyone again): each reason once, for
    scheme-paid people and packages alike, and nobody billed counted."""
    from datetime import timedelta

    from jamsosdesa.core import clock
    from jamsosdesa.participants.models import Participant

    scheme = make_scheme()
    ok, later, gone, odd = people(4, DESA_A)
    enrol(scheme, [ok, later, gone, odd])
    own_ok, own_gone, own_odd_income = people(3, DESA_B)
    for p in (own_ok, own_gone):
        package(p)
    package(own_odd_income, income=1_234_567)  # an income no longer on the list (written directly)
    Participant.objects.filter(pk=later.pk).update(created_at=clock.now() + timedelta(days=400))
    Participant.objects.filter(pk__in=[gone.pk, own_gone.pk]).update(  # before this month began
        is_active=False, deactivated_at=clock.now() - timedelta(days=70))
    Participant.objects.filter(pk=odd.pk).update(sector="tidak_dikenal")  # a sector the rates do not know

    run = billing_run(actor=admin_user, month=month(0))

    assert run.status == JobStatus.DONE, run.message
    assert set(Due.objects.values_list("participant_id", flat=True)) == {ok.pk, own_ok.pk}
    assert run.skipped == {"registered_later": 1, "inactive": 2, "no_rate": 1, "income_not_allowed": 1}
