"""The four-eyes decision: approving or rejecting by someone other than the preparer, with a reason code; every
step audited with the old and new status; outside the officer's kabupaten the claim does not exist."""

import pytest

from jamsosdesa.claims import decision
from jamsosdesa.claims.models import Claim, ClaimStatus
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.models import AuditEvent

from .decision_world import claim, officers

pytestmark = pytest.mark.django_db


def test_nobody_approves_their_own_claim(admin_user):
    one, two, _far = officers()
    c = claim(admin_user, status=ClaimStatus.PREPARED, prepared_by=one)
    with pytest.raises(ServiceError) as refused:
        decision.approve(one, c)
    assert refused.value.code == ErrorCode.FORBIDDEN
    assert "orang lain" in refused.value.message and c.number in refused.value.message
    c.refresh_from_db()
    assert c.status == ClaimStatus.PREPARED and c.decided_by is None
    with pytest.raises(ServiceError):
        decision.reject(one, c, "other", "saya sendiri")

    decision.approve(two, c)
    c.refresh_from_db()
    assert (c.status, c.decided_by) == (ClaimStatus.APPROVED, two)
    event = AuditEvent.objects.get(event_type="claim.approved", object_id=str(c.pk))
    assert (event.actor_id, event.old, event.new["status"]) == (two.pk, {"status": "prepared"}, "approved")
    assert event.region_code == c.desa_code


def test_reject_with_a_reason_code_and_note(admin_user):
    one, two, _far = officers()
    c = claim(admin_user, status=ClaimStatus.PREPARED, prepared_by=one)
    with pytest.raises(ServiceError) as bad:
        decision.reject(two, c, "because", "")
    assert "code" in bad.value.fields
    with pytest.raises(ServiceError) as bare:
        decision.reject(two, c, "other", "  ")
    assert "note" in bare.value.fields
    decision.reject(two, c, "lapsed", "iuran tidak dibayar sejak tiga bulan")
    c.refresh_from_db()
    assert (c.status, c.rejection_code, c.decided_by) == (ClaimStatus.REJECTED, "lapsed", two)
    event = AuditEvent.objects.get(event_type="claim.rejected", object_id=str(c.pk))
    assert event.old["status"] == "prepared" and event.new["rejection_code"] == "lapsed"
    with pytest.raises(ServiceError) as again:
        decision.approve(admin_user, c)
    assert "ditolak" in again.value.message


def test_only_processing_roles_and_only_in_scope(admin_user, operator_a):
    one, _two, far = officers()
    c = claim(admin_user, status=ClaimStatus.PREPARED, prepared_by=one)
    with pytest.raises(ServiceError) as village:
        decision.approve(operator_a, c)  # sees the claim, may not decide it
    assert village.value.code == ErrorCode.FORBIDDEN
    with pytest.raises(NotFound):
        decision.approve(far, c)  # another kabupaten: no such claim
    assert not AuditEvent.objects.filter(event_type="claim.approved").exists()


def test_prepare_refuses_an_incomplete_or_held_file(admin_user):
    one, _two, _far = officers()
    incomplete = claim(admin_user, complete_days_ago=None)
    with pytest.raises(ServiceError) as refused:
        decision.prepare(one, incomplete)
    assert "belum lengkap" in refused.value.message and "documents" in refused.value.fields
    held = claim(admin_user, status=ClaimStatus.HELD)
    with pytest.raises(ServiceError) as waiting:
        decision.prepare(one, held)
    assert "ditahan" in waiting.value.message


def test_shares_equal_with_the_remainder_to_the_first(admin_user):
    c = claim(admin_user, heirs=3)
    heirs = list(c.heirs.order_by("id"))
    shares = decision.split_shares(42_000_001, heirs)
    assert [shares[h.pk] for h in heirs] == [14_000_001, 14_000_000, 14_000_000]
    assert sum(shares.values()) == 42_000_001
    heirs[0].rank = 2  # a later rank receives only when none of rank 1 does
    assert [decision.split_shares(100, heirs)[h.pk] for h in heirs] == [0, 50, 50]


def test_prepare_computes_the_benefit_and_the_shares(admin_user):
    one, two, _far = officers()
    c = claim(admin_user, heirs=2)  # JKM, complete, reported
    decision.prepare(one, c)
    c.refresh_from_db()
    assert (c.status, c.prepared_by, c.benefit_total) == (ClaimStatus.PREPARED, one, 42_000_000)
    assert [p["amount"] for p in c.benefit_parts] == [20_000_000, 12_000_000, 10_000_000]
    assert all("PP" in p["rule"] for p in c.benefit_parts)
    assert sorted(c.heirs.values_list("share", flat=True)) == [21_000_000, 21_000_000]
    event = AuditEvent.objects.get(event_type="claim.prepared", object_id=str(c.pk))
    assert event.actor_id == one.pk and event.old["status"] == "reported"
    assert event.new["benefit_total"] == 42_000_000 and sum(event.new["shares"].values()) == 42_000_000
    decision.prepare(two, c)  # prepared again (the facts may have moved): the same figures, the new preparer
    c.refresh_from_db()
    assert (c.status, c.prepared_by, c.benefit_total) == (ClaimStatus.PREPARED, two, 42_000_000)
    assert AuditEvent.objects.filter(event_type="claim.prepared", object_id=str(c.pk)).count() == 2
    decision.approve(one, c)
    with pytest.raises(ServiceError) as again:  # once decided, never prepared again
        decision.prepare(two, c)
    assert "disetujui" in again.value.message


def test_approve_looks_again_at_the_file_and_the_shares(admin_user):
    """Between preparing and approving, a document withdrawn or a share changed: the approver is refused in words
    and nothing is approved."""
    from jamsosdesa.claims.documents import withdraw_document

    one, two, _far = officers()
    c = claim(admin_user, status=ClaimStatus.PREPARED, prepared_by=one, heirs=2)
    kk = c.documents.get(kind="kk")
    withdraw_document(one, c, kk.pk, note="salah KK")  # (the file's part may also send the claim back)
    with pytest.raises(ServiceError):
        decision.approve(two, c)
    c.refresh_from_db()
    assert c.status != ClaimStatus.APPROVED

    cleared = claim(admin_user, status=ClaimStatus.PREPARED, prepared_by=one, heirs=2)
    Claim.objects.filter(pk=cleared.pk).update(complete_at=None)
    with pytest.raises(ServiceError) as incomplete:
        decision.approve(two, cleared)
    assert "tidak lengkap" in incomplete.value.message and "documents" in incomplete.value.fields

    other = claim(admin_user, status=ClaimStatus.PREPARED, prepared_by=one, heirs=2)
    other.documents.filter(kind="kk").update(withdrawn_at=clock.now())  # complete_at not (yet) cleared: still refused
    with pytest.raises(ServiceError) as still:
        decision.approve(two, other)
    assert "documents" in still.value.fields

    changed = claim(admin_user, status=ClaimStatus.PREPARED, prepared_by=one, heirs=2)
    spouse = changed.heirs.order_by("id").first()
    spouse.share += 1_000_000
    spouse.save()
    with pytest.raises(ServiceError) as shares:
        decision.approve(two, changed)
    assert "Rp43.000.000" in shares.value.message and "Rp42.000.000" in shares.value.message
    assert "heirs" in shares.value.fields
    for refused in (cleared, other, changed):
        refused.refresh_from_db()
        assert refused.status == ClaimStatus.PREPARED and refused.decided_by is None
    assert not AuditEvent.objects.filter(event_type="claim.approved").exists()


def test_prepare_waits_for_the_spouse_and_children_registered_without_a_valid_nik(admin_user):
    """A spouse or child registered with the participant but not on the claim would lose their share: preparing is
    refused naming them (NIK masked) until they are added with their NIK; a parent missing does not hold it up."""
    from jamsosdesa.claims.heirs import HeirRequest, heir_set
    from jamsosdesa.participants.models import Heir

    from .decision_world import CHILD_NIK, SPOUSE_NIK

    one, _two, _far = officers()
    c = claim(admin_user, heirs=0)
    person = c.participant
    Heir.objects.create(participant=person, name="Siti Aminah", relation="spouse", nik="")
    Heir.objects.create(participant=person, name="Bagus", relation="child", nik="3311113201159999")  # 32nd day
    Heir.objects.create(participant=person, name="Mbok Sarmi", relation="parent", nik="")
    with pytest.raises(ServiceError) as waiting:
        decision.prepare(one, c)
    text = waiting.value.message
    assert "Siti Aminah" in text and "Bagus" in text and "Mbok Sarmi" not in text
    assert "3311••••••••9999" in text and "3311113201159999" not in text and "NIK" in text
    assert "heirs" in waiting.value.fields
    c.refresh_from_db()
    assert c.status == ClaimStatus.REPORTED

    for name, relation, nik in (("Siti Aminah", "spouse", SPOUSE_NIK), ("Bagus", "child", CHILD_NIK)):
        heir_set(one, c, HeirRequest(name=name, relation=relation, nik=nik, bank_name="BRI",
                                     account_number="0012" + nik[-6:]))
    Claim.objects.filter(pk=c.pk).update(complete_at=clock.now())  # the checklist is the file part's test
    decision.prepare(one, c)
    c.refresh_from_db()
    assert c.status == ClaimStatus.PREPARED and c.heirs.filter(share__gt=0).count() == 2
