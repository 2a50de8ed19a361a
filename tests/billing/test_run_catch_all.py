"""Design §2.7's catch-all (H3): each billing run voids the live, unpaid dues of months after their enrolment's
end or their package's last month, whatever path recorded the end (here a direct write, as the admin or an
import might: no ending hook runs), through the due voiding service, audited as due.voided."""

import pytest

from jamsosdesa.billing.check import ledger_check
from jamsosdesa.billing.models import Due, Invoice, Membership, Reversal, ReversalTarget
from jamsosdesa.billing.services.run import billing_run
from jamsosdesa.core.jobs import JobStatus
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.funding.models import Enrolment
from tests.billing.conftest import DESA_A, DESA_B, enrol, month, package, people

pytestmark = pytest.mark.django_db


def _run(admin, offset):
    run = billing_run(actor=admin, month=month(offset))
    assert run.status == JobStatus.DONE, run.message
    return run


def test_a_run_voids_the_unpaid_dues_after_an_end_no_hook_saw(admin_user, make_scheme):
    scheme = make_scheme()
    leaving, staying = people(2, DESA_A)
    enrol(scheme, [leaving, staying])
    own = people(1, DESA_B)[0]
    pkg = package(own)
    _run(admin_user, 0)
    _run(admin_user, 1)
    late_scheme_due = Due.objects.get(participant=leaving, month=month(1))
    late_own_due = Due.objects.get(participant=own, month=month(1))
    # The ends, written directly: no ending service, so no hook voided anything.
    Enrolment.objects.filter(participant=leaving).update(end_month=month(0))
    Membership.objects.filter(pk=pkg.pk).update(last_month=month(0), end_reason="stopped")

    run = _run(admin_user, 2)

    voided = dict(Reversal.objects.filter(target_type=ReversalTarget.DUE).values_list("target_id", "reason"))
    assert voided == {late_scheme_due.pk: "enrolment_ended", late_own_due.pk: "membership_ended"}
    events = AuditEvent.objects.filter(event_type="due.voided")
    assert sorted(int(e.object_id) for e in events) == sorted(voided)
    assert {e.actor_name for e in events} == {admin_user.username}
    assert run.summary["voided_after_end"] == 2
    assert list(Due.objects.filter(month=month(2)).values_list("participant_id", flat=True)) == [staying.pk]
    assert not ledger_check()  # no live due outside its payer's period is left
    assert _run(admin_user, 2).summary["voided_after_end"] == 0  # and a run again finds nothing more


def test_an_invoiced_due_voided_by_the_catch_all_leaves_its_invoice_as_it_was(admin_user, make_scheme):
    scheme = make_scheme()
    leaving = people(1, DESA_A)[0]
    enrol(scheme, [leaving])
    _run(admin_user, 0)
    _run(admin_user, 1)
    Enrolment.objects.filter(participant=leaving).update(end_month=month(0))

    _run(admin_user, 2)

    assert Invoice.objects.count() == 2  # invoices are never changed; the voided line is cancelled by its reversal
    assert Reversal.objects.get().target_id == Due.objects.get(month=month(1)).pk
