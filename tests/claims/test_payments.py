"""Paying an approved claim: each heir's share once (a second form or a double submit is refused in words), the
claim PAID with its last share, every payment audited."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connections, transaction

from jamsosdesa.claims import payments
from jamsosdesa.claims.clock import local_date
from jamsosdesa.claims.models import ClaimPayment, ClaimStatus
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.browser.conftest import reference_data  # noqa: F401 (regions and occupations after a flush)

from .decision_world import claim, officers

pytestmark = pytest.mark.django_db


def _approved(admin_user, one, two, **kw):
    c = claim(admin_user, status=ClaimStatus.APPROVED, prepared_by=one, **kw)
    c.decided_by, c.decided_at = two, clock.now()
    c.save()
    return c


def test_each_heir_paid_once_then_the_claim_is_paid(admin_user):
    one, two, _far = officers()
    c = _approved(admin_user, one, two, heirs=2, total=42_000_001)
    spouse, child = c.heirs.order_by("id")
    today = clock.today()
    first = payments.record_payment(two, c, spouse, today, "BRI", "001201000567", "TRF-001")
    assert first.amount == 21_000_001
    c.refresh_from_db()
    assert c.status == ClaimStatus.APPROVED and c.paid_at is None

    with pytest.raises(ServiceError) as twice:
        payments.record_payment(two, c, spouse, today, "BRI", "001201000567", "TRF-002")
    assert "sudah dibayar" in twice.value.message and "Siti Aminah" in twice.value.message
    with pytest.raises(ServiceError) as same_reference:
        payments.record_payment(two, c, child, today, "BRI", "001201001567", "TRF-001")
    assert "reference" in same_reference.value.fields

    payments.record_payment(one, c, child, today, "", "", "TRF-003")  # bank and account from the heir's record
    c.refresh_from_db()
    assert c.status == ClaimStatus.PAID and local_date(c.paid_at) == today
    assert sum(ClaimPayment.objects.filter(claim=c).values_list("amount", flat=True)) == c.benefit_total
    events = AuditEvent.objects.filter(event_type="claim_payment.recorded").order_by("id")
    assert [e.new["amount"] for e in events] == [21_000_001, 21_000_000]
    assert events.last().new["claim_status"] == "paid"
    paid = AuditEvent.objects.get(event_type="claim.updated", object_id=str(c.pk))
    assert (paid.actor_id, paid.old["status"], paid.new["status"]) == (one.pk, "approved", "paid")
    assert paid.new["paid_at"] and paid.old["paid_at"] is None
    with pytest.raises(ServiceError) as done:
        payments.record_payment(two, c, child, today, "BRI", "1", "TRF-004")
    assert "lunas" in done.value.message


def test_only_an_approved_claim_is_paid_and_not_ahead(admin_user):
    one, two, _far = officers()
    prepared = claim(admin_user, status=ClaimStatus.PREPARED, prepared_by=one)
    heir = prepared.heirs.first()
    with pytest.raises(ServiceError) as early:
        payments.record_payment(two, prepared, heir, clock.today(), "BRI", "123", "TRF-9")
    assert "disetujui" in early.value.message
    c = _approved(admin_user, one, two)
    with pytest.raises(ServiceError) as ahead:
        payments.record_payment(two, c, c.heirs.first(), clock.today() + timedelta(days=1), "BRI", "123", "TRF-9")
    assert "paid_on" in ahead.value.fields
    assert not ClaimPayment.objects.exists()


def test_the_database_refuses_a_second_payment_of_a_share(admin_user):
    """Whatever door a second payment comes through, the constraint refuses it."""
    one, two, _far = officers()
    c = _approved(admin_user, one, two, heirs=1)
    heir = c.heirs.get()
    payments.record_payment(two, c, heir, clock.today(), "BRI", "001201000567", "TRF-A")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimPayment.objects.create(claim=c, heir=heir, purpose="benefit", amount=1, paid_on=clock.today(),
                                    bank_name="BRI", account_number="1", reference="TRF-B", recorded_by=two)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_double_submit_pays_once(reference_data, admin_user):  # noqa: F811
    """Two requests for the same heir at once (PostgreSQL: each thread its own connection): one payment, the other
    refused in words."""
    one, two, _far = officers()
    c = _approved(admin_user, one, two, heirs=1)
    heir = c.heirs.get()
    results, barrier = [], threading.Barrier(2)

    def submit(reference):
        try:
            barrier.wait()
            payments.record_payment(two, c, heir, clock.today(), "BRI", "001201000567", reference)
            results.append("paid")
        except ServiceError as exc:
            results.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(ref,)) for ref in ("TRF-A", "TRF-B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("paid") == 1, results
    assert any("sudah dibayar" in r for r in results if r != "paid")
    assert ClaimPayment.objects.filter(heir=heir).count() == 1
    c.refresh_from_db()
    assert c.status == ClaimStatus.PAID


def test_a_share_is_paid_only_to_the_account_approved(admin_user):
    """The approver approves a share and an account: an account corrected on the claim afterwards, or typed
    differently on the payment form, does not move the money."""
    from jamsosdesa.claims import decision
    from jamsosdesa.claims.heirs import HeirRequest, heir_set
    from jamsosdesa.claims.models import ClaimHeir

    one, two, _far = officers()
    c = claim(admin_user, status=ClaimStatus.PREPARED, prepared_by=one, heirs=1)
    decision.approve(two, c)
    heir = c.heirs.get()
    approved = heir.account_number
    assert (heir.approved_share, heir.approved_bank_name, heir.approved_account_number) == (
        42_000_000, "BRI", approved)
    event = AuditEvent.objects.get(event_type="claim.approved", object_id=str(c.pk))
    assert event.new["accounts"][str(heir.pk)]["account"] == approved

    with pytest.raises(ServiceError):  # heirs are not edited once the claim is approved (claims.heirs)
        heir_set(one, c, HeirRequest(name=heir.name, relation=heir.relation, nik=heir.nik, bank_name="BNI",
                                     account_number="999900001111"), heir_id=heir.pk)
    ClaimHeir.objects.filter(pk=heir.pk).update(bank_name="BNI", account_number="999900001111")  # however it came
    heir.refresh_from_db()

    with pytest.raises(ServiceError) as elsewhere:
        payments.record_payment(two, c, heir, clock.today(), "BNI", "999900001111", "TRF-X1")
    assert "account" in elsewhere.value.fields and "disetujui" in elsewhere.value.message
    assert approved in elsewhere.value.message
    with pytest.raises(ServiceError) as other_bank:
        payments.record_payment(two, c, heir, clock.today(), "BNI", "", "TRF-X2")
    assert "bank" in other_bank.value.fields
    assert not ClaimPayment.objects.exists()

    paid = payments.record_payment(two, c, heir, clock.today(), "", "", "TRF-X3")  # the form left it empty
    assert (paid.bank_name, paid.account_number, paid.amount) == ("BRI", approved, 42_000_000)
    c.refresh_from_db()
    assert c.status == ClaimStatus.PAID


def test_the_same_account_written_with_spaces_or_dashes_is_accepted(admin_user):
    one, two, _far = officers()
    c = _approved(admin_user, one, two, heirs=1)
    heir = c.heirs.get()
    spaced = "0012-0100 0567"
    paid = payments.record_payment(two, c, heir, clock.today(), " bri ", spaced, "TRF-S1")
    assert paid.account_number == "001201000567"


def test_a_claim_is_not_approved_while_a_receiving_heir_has_no_account(admin_user):
    from jamsosdesa.claims import decision

    one, two, _far = officers()
    c = claim(admin_user, status=ClaimStatus.PREPARED, prepared_by=one, heirs=2)
    c.heirs.filter(name="Bagus").update(bank_name="", account_number="")
    with pytest.raises(ServiceError) as refused:
        decision.approve(two, c)
    assert "Bagus" in refused.value.message and "rekening" in refused.value.message
    c.refresh_from_db()
    assert c.status == ClaimStatus.PREPARED
