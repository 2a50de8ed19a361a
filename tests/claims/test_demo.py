"""The claims of the demo (DOMAIN.md's field example): Krajan's two deaths paid Rp42,000,000 each, Rp84,000,000 in
all, prepared by the branch and approved by another person; a Sanggung worker who had lapsed refused; the registry
records the two deaths; running the demo again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from jamsosdesa.claims import dashboard
from jamsosdesa.claims.demo import demo_claims
from jamsosdesa.claims.models import Claim, ClaimPayment, ClaimStatus
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.participants.models import Participant

pytestmark = pytest.mark.django_db

KRAJAN = "33.11.11.2004"


def test_krajan_heirs_received_84_million_with_four_eyes():
    call_command("demo", stdout=StringIO())
    paid = Claim.objects.filter(desa_code=KRAJAN, status=ClaimStatus.PAID).select_related(
        "prepared_by", "decided_by", "participant")
    assert paid.count() == 2
    assert [c.benefit_total for c in paid] == [42_000_000, 42_000_000]
    assert ClaimPayment.objects.filter(claim__desa_code=KRAJAN).aggregate(s=Sum("amount"))["s"] == 84_000_000
    for c in paid:
        assert (c.prepared_by.username, c.decided_by.username) == ("cabang.solo", "admin")
        assert c.participant.deactivation_reason == "died" and not c.participant.is_active
        assert AuditEvent.objects.filter(object_id=str(c.pk), event_type__in=(
            "claim.reported", "claim.prepared", "claim.approved")).count() == 3
    assert Participant.objects.filter(desa_id=KRAJAN, deactivation_reason="died").count() == 2
    [refused] = Claim.objects.filter(status=ClaimStatus.REJECTED)
    assert refused.rejection_code == "not_protected" and "tidak aktif" in refused.rejection_note
    from jamsosdesa.accounts.models import User

    branch = User.objects.get(username="cabang.solo")
    f = dashboard.figures(branch, region=KRAJAN)
    assert (f["paid"], f["paid_amount"]) == (2, 84_000_000)
    assert dashboard.figures(branch, region="33.11")["refusals"][0]["code"] == "not_protected"

    claims, events = Claim.objects.count(), AuditEvent.objects.count()
    assert demo_claims() == 0
    call_command("demo", stdout=StringIO())
    assert (Claim.objects.count(), AuditEvent.objects.count()) >= (claims, events)
    assert Claim.objects.count() == claims
