"""A claim held for arrears (lenient policy) looked at again (issue 15): once the heirs pay the arrears before the
pay-by day the claim goes on (REPORTED, with the eligibility found now, from which the benefit is prepared); the day
passed unpaid, or paid too late, it is refused `lapsed` with the reason in words; still within the day and unpaid,
nothing changes. Each step audited; the page's button, the API and the CLI are doors onto the same service."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
from jamsosdesa.claims import decision
from jamsosdesa.claims.models import ClaimStatus
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.claims.file_world import (  # noqa: F401 (fresh_param_cache: a fixture)
    MONTH_DUE,
    branch_officer,
    day,
    fresh_param_cache,
    lenient_policy,
    month,
    report,
    worker,
)
from tests.conftest import api_client

pytestmark = pytest.mark.django_db
DUE = MONTH_DUE


def pay_arrears(officer, person, months: int, paid_on=None, reference="TRF-TUNGGAKAN-1"):
    return payment_record(actor=officer, request=PaymentRequest(
        amount=months * DUE, paid_on=paid_on or clock.today(), reference=reference, participant_id=person.pk))


def held_claim(operator_a, *, overdue=False):
    """A death while two months were unpaid (within the lenient grace): HELD. `overdue`: the event long enough ago
    that the pay-by day has passed."""
    lenient_policy()
    if overdue:
        person = worker(paid=[month(-8), month(-7)], unpaid=[month(n) for n in range(-6, 0)])
        claim = report(operator_a, person, "jkm", event_date=day(-5, 20))
    else:
        person = worker(paid=[month(-4), month(-3)], unpaid=[month(-2), month(-1)])
        claim = report(operator_a, person, "jkm", event_date=day(-1, 20))
    assert claim.status == ClaimStatus.HELD, claim.eligibility
    return claim


def test_arrears_paid_in_time_release_the_claim_to_be_prepared(operator_a, officer):
    claim = held_claim(operator_a)
    with pytest.raises(ServiceError) as waiting:  # nothing paid yet, still in time: nothing changes
        decision.recheck_held(officer, claim)
    assert "masih ditahan" in waiting.value.message and "Rp33.600" in waiting.value.message
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.HELD

    pay_arrears(officer, claim.participant, 2)
    decision.recheck_held(officer, claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REPORTED
    assert claim.eligibility["eligible"] is True and claim.eligibility["held"] is False
    assert claim.eligibility["wage"] > 0  # the facts prepare computes the benefit from
    event = AuditEvent.objects.get(event_type="claim.updated", object_id=str(claim.pk))
    assert (event.actor_id, event.old["status"], event.new["status"]) == (officer.pk, "held", "reported")
    with pytest.raises(ServiceError) as again:
        decision.recheck_held(officer, claim)
    assert "ditahan" in again.value.message


def test_a_file_complete_while_held_starts_its_service_clock_at_the_release(operator_a, officer):
    """The three working days run from when the claim can be paid: a file completed during the hold is not overdue
    the moment the arrears are paid."""
    from datetime import timedelta

    from jamsosdesa.claims import worklist

    claim = held_claim(operator_a)
    long_ago = clock.now() - timedelta(days=20)
    type(claim).objects.filter(pk=claim.pk).update(complete_at=long_ago, first_complete_at=long_ago)
    pay_arrears(officer, claim.participant, 2)
    decision.recheck_held(officer, claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REPORTED
    assert clock.now() - timedelta(minutes=1) < worklist.clock_start(claim) <= clock.now()
    assert not worklist.is_overdue(claim)
    event = AuditEvent.objects.get(event_type="claim.updated", object_id=str(claim.pk))
    assert event.old["first_complete_at"] == long_ago.isoformat()


def test_the_pay_by_day_passed_unpaid_refuses_the_claim_as_lapsed(operator_a, officer):
    claim = held_claim(operator_a, overdue=True)
    decision.recheck_held(officer, claim)
    claim.refresh_from_db()
    assert (claim.status, claim.rejection_code, claim.decided_by) == (ClaimStatus.REJECTED, "lapsed", officer)
    assert "tidak dilunasi sebelum" in claim.rejection_note
    event = AuditEvent.objects.get(event_type="claim.rejected", object_id=str(claim.pk))
    assert (event.old["status"], event.new["status"], event.new["rejection_code"]) == ("held", "rejected", "lapsed")


def test_arrears_paid_after_the_pay_by_day_do_not_release_the_claim(operator_a, officer):
    claim = held_claim(operator_a, overdue=True)
    pay_arrears(officer, claim.participant, 6)  # today: too late
    decision.recheck_held(officer, claim)
    claim.refresh_from_db()
    assert (claim.status, claim.rejection_code) == (ClaimStatus.REJECTED, "lapsed")


def test_only_who_processes_claims_rechecks_and_only_in_scope(operator_a, officer):
    claim = held_claim(operator_a)
    pay_arrears(officer, claim.participant, 2)
    with pytest.raises(ServiceError) as village:
        decision.recheck_held(operator_a, claim)
    assert village.value.code == ErrorCode.FORBIDDEN
    with pytest.raises(NotFound):
        decision.recheck_held(branch_officer("33.10", "cabang_klaten"), claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.HELD


def test_the_page_button_releases_a_paid_claim(operator_a, officer):
    claim = held_claim(operator_a)
    browser = Client()
    browser.force_login(officer)
    page = browser.get(f"/klaim/{claim.number}/").content.decode()
    assert f"/klaim/{claim.number}/periksa-tunggakan/" in page
    village = Client()
    village.force_login(operator_a)
    assert "/periksa-tunggakan/" not in village.get(f"/klaim/{claim.number}/").content.decode()
    refused = village.post(f"/klaim/{claim.number}/periksa-tunggakan/", follow=True)
    assert refused.status_code == 200 and "Hanya petugas" in refused.content.decode()
    waiting = browser.post(f"/klaim/{claim.number}/periksa-tunggakan/", follow=True)
    assert "masih ditahan" in waiting.content.decode()
    pay_arrears(officer, claim.participant, 2)
    done = browser.post(f"/klaim/{claim.number}/periksa-tunggakan/")
    assert done.status_code == 302 and done["Location"] == f"/klaim/{claim.number}/"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REPORTED
    assert browser.get(f"/klaim/{claim.number}/periksa-tunggakan/").status_code == 405


def test_the_page_tells_the_lapse(operator_a, officer):
    claim = held_claim(operator_a, overdue=True)
    browser = Client()
    browser.force_login(officer)
    text = browser.post(f"/klaim/{claim.number}/periksa-tunggakan/", follow=True).content.decode()
    assert "ditolak" in text and "tidak dilunasi sebelum" in text


def test_the_api_and_cli_doors(operator_a, officer):
    claim = held_claim(operator_a)
    call = api_client(officer)
    waiting = call("post", f"/claims/{claim.number}/recheck")
    assert waiting.status_code == 422 and "masih ditahan" in waiting.json()["error"]["message"]
    assert api_client(operator_a)("post", f"/claims/{claim.number}/recheck").status_code == 403
    far = branch_officer("33.10", "cabang_klaten")
    assert api_client(far)("post", f"/claims/{claim.number}/recheck").status_code == 404
    with pytest.raises(CommandError, match="masih ditahan"):
        call_command("claim", "recheck", claim.number, "--user", officer.username, stdout=StringIO())
    pay_arrears(officer, claim.participant, 2)
    out = StringIO()
    call_command("claim", "recheck", claim.number, "--user", officer.username, "--json", stdout=out)
    assert json.loads(out.getvalue())["status"] == "reported"
    again = call("post", f"/claims/{claim.number}/recheck")
    assert again.status_code == 422


def test_the_api_answers_the_lapse(operator_a, officer):
    claim = held_claim(operator_a, overdue=True)
    answer = api_client(officer)("post", f"/claims/{claim.number}/recheck")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["status"], body["rejection_code"]) == ("rejected", "lapsed") and body["rejection_note"]
