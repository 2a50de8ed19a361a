"""The monthly billing run (H2): dues of every covered participant for a month, split by payer, then one invoice
per scheme. Months count from the suite's clock (`month(offset)`)."""

import pytest

from jamsosdesa.billing.models import BillingRun, Due, Invoice, InvoiceLine
from jamsosdesa.billing.services.run import billing_run, billing_run_queue, billing_schedule
from jamsosdesa.contributions.models import Discount
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.jobs import JobStatus
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.funding.models import Enrolment
from jamsosdesa.participants.models import Participant
from tests.billing.conftest import DESA_A, DESA_B, DESA_C, enrol, month, package, people

pytestmark = pytest.mark.django_db


def _run(admin, offset=0, **kw) -> BillingRun:
    run = billing_run(actor=admin, month=month(offset), **kw)
    assert run.status == JobStatus.DONE, run.message
    return run


def test_a_run_bills_each_covered_person_once_and_invoices_the_scheme(admin_user, make_scheme):
    scheme = make_scheme()
    covered = people(3, DESA_A) + people(2, DESA_B)
    enrol(scheme, covered)
    people(2, DESA_A)  # registered, not covered: no due

    run = _run(admin_user)

    dues = Due.objects.filter(month=month(0))
    assert sorted(dues.values_list("participant_id", flat=True)) == sorted(p.pk for p in covered)
    assert set(dues.values_list("amount", "payer_type", "scheme_id", "kab_code")) == {(16_800, "apbd", scheme.pk,
                                                                                       "33.11")}
    assert run.dues_created == 5 and run.amount_billed == 5 * 16_800 and run.invoices_created == 1
    invoice = Invoice.objects.get()
    assert (invoice.number, invoice.seq, invoice.lines, invoice.total) == (
        f"INV/{month(0):%Y-%m}/S{scheme.pk}-1", 1, 5, 5 * 16_800)
    assert invoice.kab_code == "33.11" and invoice.payer_type == "apbd"
    assert sorted(run.kab_done) == ["33.11"]


def test_a_second_run_of_the_month_creates_nothing(admin_user, make_scheme):
    scheme = make_scheme()
    enrol(scheme, people(4, DESA_A))
    package(people(1, DESA_B)[0])
    _run(admin_user)
    before = (Due.objects.count(), Invoice.objects.count(), InvoiceLine.objects.count())

    again = _run(admin_user)

    assert (again.dues_created, again.invoices_created, again.amount_billed) == (0, 0, 0)
    assert (Due.objects.count(), Invoice.objects.count(), InvoiceLine.objects.count()) == before == (5, 1, 4)


def test_the_run_is_audited_once_and_each_invoice_once(admin_user, make_scheme):
    one, two = make_scheme(), make_scheme(name="Skema kedua", programmes=("JKK", "JKM"))
    enrol(one, people(2, DESA_A))
    enrol(two, people(3, DESA_B))
    run = _run(admin_user)

    finished = AuditEvent.objects.filter(event_type="billing_run.finished")
    assert finished.count() == 1
    assert finished.get().object_id == str(run.pk) and finished.get().new["dues_created"] == 5
    issued = AuditEvent.objects.filter(event_type="invoice.issued")
    assert sorted(int(e.object_id) for e in issued) == sorted(Invoice.objects.values_list("pk", flat=True))
    assert {e.new["lines"] for e in issued} == {2, 3}
    assert {e.actor_name for e in issued} == {admin_user.username}


def test_a_month_without_rates_is_refused_naming_the_month(admin_user, make_scheme):
    old = month(-12 * 40)
    with pytest.raises(ServiceError) as refused:
        billing_run(actor=admin_user, month=old)
    assert refused.value.code == ErrorCode.NO_RATE
    assert refused.value.message == f"Belum ada tarif iuran untuk bulan {old:%m/%Y}."
    assert not BillingRun.objects.exists()


def test_a_month_too_far_ahead_is_refused(admin_user, settings):
    settings.BILLING_MAX_MONTHS_AHEAD = 12
    with pytest.raises(ServiceError) as refused:
        billing_run(actor=admin_user, month=month(13))
    assert refused.value.code == ErrorCode.BAD_PERIOD
    assert f"{month(13):%m/%Y}" in refused.value.message and "12 bulan" in refused.value.message
    assert _run(admin_user, 12).dues_created == 0  # the furthest month allowed runs (with nobody to bill)


def test_only_a_national_admin_runs_billing(official):
    with pytest.raises(ServiceError) as refused:
        billing_run(actor=official, month=month(0))
    assert refused.value.code == ErrorCode.FORBIDDEN
    assert not BillingRun.objects.exists()


def test_nobody_is_billed_for_a_month_before_they_were_registered(admin_user, make_scheme):
    scheme = make_scheme()
    person = people(1, DESA_A)[0]  # registered today, in month(0)
    enrol(scheme, [person], start=month(-1))

    earlier = _run(admin_user, -1)
    assert earlier.dues_created == 0 and earlier.skipped == {"registered_later": 1}
    assert not Invoice.objects.exists()
    assert _run(admin_user, 0).dues_created == 1


def test_a_participant_deactivated_before_the_month_is_not_billed(admin_user, make_scheme):
    scheme = make_scheme()
    gone, kept = people(2, DESA_A)
    enrol(scheme, [gone, kept])
    from jamsosdesa.core import clock
    from jamsosdesa.core.months import add_months

    Participant.objects.filter(pk=gone.pk).update(is_active=False, deactivated_at=clock.now())
    assert _run(admin_user, 0).dues_created == 2  # deactivated during the month: that month is still owed
    later = billing_run(actor=admin_user, month=add_months(month(0), 1))
    assert later.dues_created == 1 and later.skipped == {"inactive": 1}
    assert list(Due.objects.filter(month=month(1)).values_list("participant_id", flat=True)) == [kept.pk]


def test_an_ended_enrolment_stops_its_dues_from_the_next_month(admin_user, make_scheme, official):
    from jamsosdesa.funding.services import enrolment_end

    scheme = make_scheme()
    leaving, staying = people(2, DESA_A)
    enrol(scheme, [leaving, staying])
    enrolment_end(actor=official, enrolment=Enrolment.objects.get(participant=leaving), last_month=month(1),
                  reason="moved")

    _run(admin_user, 1)
    _run(admin_user, 2)
    assert set(Due.objects.filter(month=month(1)).values_list("participant_id", flat=True)) == {leaving.pk, staying.pk}
    assert list(Due.objects.filter(month=month(2)).values_list("participant_id", flat=True)) == [staying.pk]


def test_invoice_lines_go_by_desa_then_name_then_participant(admin_user, make_scheme):
    scheme = make_scheme()
    a_zul, a_ani, b_wati, a_ani2 = people(1, DESA_A) + people(1, DESA_A) + people(1, DESA_B) + people(1, DESA_A)
    for p, name in ((a_zul, "Zulkifli"), (a_ani, "Ani Lestari"), (b_wati, "Wati"), (a_ani2, "Ani Lestari")):
        p.full_name = name
        p.save()
    enrol(scheme, [a_zul, a_ani, b_wati, a_ani2])
    _run(admin_user)

    lines = list(InvoiceLine.objects.order_by("position").values_list("position", "desa_code", "name",
                                                                       "due__participant_id"))
    # DESA_B (…2001) sorts before DESA_A (…2004); within a desa by name; the same name by participant.
    assert lines == [(1, DESA_B, "Wati", b_wati.pk), (2, DESA_A, "Ani Lestari", a_ani.pk),
                     (3, DESA_A, "Ani Lestari", a_ani2.pk), (4, DESA_A, "Zulkifli", a_zul.pk)]


def test_dues_added_to_an_invoiced_month_go_on_a_supplementary_invoice(admin_user, make_scheme):
    scheme = make_scheme()
    enrol(scheme, people(2, DESA_A))
    _run(admin_user)
    late = people(1, DESA_B)
    enrol(scheme, late)

    run = _run(admin_user)

    assert run.dues_created == 1 and run.invoices_created == 1
    first, second = Invoice.objects.order_by("seq")
    assert (first.lines, first.total) == (2, 2 * 16_800)
    assert (second.seq, second.number, second.lines, second.total) == (
        2, f"INV/{month(0):%Y-%m}/S{scheme.pk}-2", 1, 16_800)
    assert InvoiceLine.objects.get(invoice=second).due.participant_id == late[0].pk


def test_a_transport_worker_paying_for_themselves_gets_the_discount_and_an_apbd_scheme_does_not(
        admin_user, make_scheme):
    # The rule is data: a PP 50/2025-shaped discount for transport workers in force this month (whatever the
    # suite's day), excluding state-budget payers.
    Discount.objects.create(name="Diskon transportasi (uji)", segment="BPU", programmes=["JKK", "JKM"], share="",
                            percent_off="50", sectors=["transportasi"], excluded_payers=["apbn", "apbd"],
                            valid_from=month(0), valid_until=month(1), regulation="PP 50/2025")
    driver_self, driver_apbd = people(2, DESA_A)
    Participant.objects.filter(pk__in=[driver_self.pk, driver_apbd.pk]).update(sector="transportasi")
    package(driver_self)
    enrol(make_scheme(), [driver_apbd])
    _run(admin_user)

    own = Due.objects.get(participant=driver_self)
    paid_by_district = Due.objects.get(participant=driver_apbd)
    assert (own.payer_type, own.sector, own.amount, own.discount) == ("self", "transportasi", 8_400, 8_400)
    assert (paid_by_district.payer_type, paid_by_district.amount, paid_by_district.discount) == ("apbd", 16_800, 0)
    assert own.jkk + own.jkm == own.amount and own.membership_id and not own.scheme_id


def test_a_package_is_billed_without_the_programmes_a_scheme_pays_that_month(admin_user, make_scheme):
    scheme = make_scheme()  # JKK + JKM
    with_jht, only_covered, alone = people(3, DESA_A)
    enrol(scheme, [with_jht, only_covered])
    package(with_jht, programmes=("JKK", "JKM", "JHT"))
    package(only_covered, programmes=("JKK", "JKM"))
    package(alone, programmes=("JKK", "JKM"))
    _run(admin_user)

    own = {d.participant_id: d for d in Due.objects.filter(payer_type="self")}
    assert set(own) == {with_jht.pk, alone.pk}  # fully covered by the scheme: nothing of their own to pay
    jht = own[with_jht.pk]
    assert (jht.jkk, jht.jkm, jht.jht, jht.programme_mask) == (0, 0, 20_000, 4)
    assert jht.amount == 20_000
    assert own[alone.pk].jkk + own[alone.pk].jkm == own[alone.pk].amount > 0
    assert Due.objects.filter(payer_type="apbd").count() == 2
    assert Invoice.objects.get().lines == 2  # self-paid dues are individual, never on a scheme's invoice


def test_a_closed_package_is_not_billed_after_its_last_month(admin_user):
    person = people(1, DESA_A)[0]
    package(person, first=month(0), last=month(0))
    assert _run(admin_user, 0).dues_created == 1
    assert _run(admin_user, 1).dues_created == 0


def test_each_kabupaten_is_recorded_as_done(admin_user, make_scheme):
    enrol(make_scheme(), people(1, DESA_A))
    package(people(1, DESA_C)[0])
    run = _run(admin_user)
    assert run.kab_done == ["33.11", "51.04"]
    assert set(Due.objects.values_list("kab_code", flat=True)) == {"33.11", "51.04"}


def test_a_second_run_of_a_month_cannot_start_while_one_waits(admin_user, make_scheme):
    enrol(make_scheme(), people(2, DESA_A))
    waiting = billing_run_queue(actor=admin_user, month=month(0))  # the worker has not taken it (no commit here)
    assert waiting.status == JobStatus.QUEUED
    with pytest.raises(ServiceError) as refused:
        billing_run(actor=admin_user, month=month(0))
    assert refused.value.code == ErrorCode.JOB_ACTIVE
    assert f"{month(0):%m/%Y}" in refused.value.message
    assert not Due.objects.exists()
    assert _run(admin_user, 1).status == JobStatus.DONE  # another month is free


def test_the_schedule_queues_this_month_once(admin_user, make_scheme):
    enrol(make_scheme(), people(1, DESA_A))
    queued = billing_schedule()
    assert queued is not None and queued.month == month(0) and queued.trigger == "schedule"
    assert billing_schedule() is None
    assert BillingRun.objects.count() == 1


def test_the_schedule_leaves_a_month_that_was_billed(admin_user, make_scheme):
    enrol(make_scheme(), people(1, DESA_A))
    _run(admin_user)
    assert billing_schedule() is None


def test_a_self_payer_s_credit_pays_the_due_the_run_creates(admin_user):
    from jamsosdesa.billing.models import Allocation, Credit

    person = people(1, DESA_A)[0]
    package(person)
    Credit.objects.create(holder_type="P", holder_id=person.pk, kab_code=person.kab_code, amount=50_000,
                          kind="remainder")
    run = _run(admin_user)
    due = Due.objects.get(participant=person)
    assert Allocation.objects.filter(due=due, origin="credit", run=run).count() == 1
    assert run.credit_applied == due.amount > 0
