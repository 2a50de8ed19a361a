"""Heirs on a claim (issue 15 item 4, part C2): added or corrected with the NIK checked by the registry's validator,
audited with old and new values, ranked by relation, and not changed once the claim is decided."""

import pytest

from jamsosdesa.claims.heirs import HeirRequest, heir_set, pending_heirs
from jamsosdesa.claims.models import Claim, ClaimStatus
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.claims.file_world import (  # noqa: F401 (fresh_param_cache: a fixture)
    PARENT_NIK,
    SPOUSE_NIK,
    fresh_param_cache,
    protected,
    report,
)

pytestmark = pytest.mark.django_db


def parent(**more) -> HeirRequest:
    data = {"name": "Mbok Sarmi", "relation": "parent", "nik": PARENT_NIK, "bank_name": "BRI",
            "account_number": "0012-0100-1234-567", "account_holder": "Sarmi"}
    data.update(more)
    return HeirRequest(**data)


def test_the_registered_heir_without_a_nik_waits_to_be_added_and_is_added_with_one(operator_a):
    claim = report(operator_a, protected(), "jkm")
    assert [h.name for h in pending_heirs(claim)] == ["Mbok Sarmi"]
    heir = heir_set(operator_a, claim, parent())
    assert (heir.nik, heir.rank, heir.receives, heir.account_number) == (PARENT_NIK, 2, False, "001201001234567")
    assert pending_heirs(claim) == []  # the same NIK is on the claim now
    event = AuditEvent.objects.get(event_type="claim_heir.set", object_id=str(heir.pk))
    assert event.old is None and event.new["nik"] == PARENT_NIK and event.note == claim.number


@pytest.mark.parametrize("nik, problem", [("", "wajib"), ("33111112126000", "16 digit"),
                                          ("3311111299600003", "tanggal lahir"), ("33111112126O0003", "angka")])
def test_an_heir_with_an_invalid_nik_or_none_is_refused_naming_the_field(operator_a, nik, problem):
    claim = report(operator_a, protected(), "jkm")
    with pytest.raises(ServiceError) as exc:
        heir_set(operator_a, claim, parent(nik=nik))
    assert list(exc.value.fields) == ["nik"] and problem in exc.value.fields["nik"][0]
    assert claim.heirs.count() == 2 and not AuditEvent.objects.filter(event_type="claim_heir.set").exists()


def test_a_nik_already_on_the_claim_is_refused(operator_a):
    claim = report(operator_a, protected(), "jkm")
    with pytest.raises(ServiceError) as exc:
        heir_set(operator_a, claim, parent(nik=SPOUSE_NIK))
    assert "Siti Aminah" in exc.value.fields["nik"][0]


def test_a_correction_is_audited_with_old_and_new_values_and_the_order_follows_the_relation(operator_a):
    claim = report(operator_a, protected(), "jkm")
    spouse = claim.heirs.get(nik=SPOUSE_NIK)
    heir_set(operator_a, claim, HeirRequest(name="Siti Aminah", relation="spouse", nik=SPOUSE_NIK, bank_name="BRI",
                                            account_number="123456789"), heir_id=spouse.pk)
    event = AuditEvent.objects.filter(event_type="claim_heir.set", object_id=str(spouse.pk)).get()
    assert event.old == {"bank_name": "", "account_number": "", "account_holder": ""}
    assert event.new == {"bank_name": "BRI", "account_number": "123456789", "account_holder": "Siti Aminah"}
    only_parents = report(operator_a, protected(heirs=False), "jkk_temporary", event_date=claim.event_date)
    heir = heir_set(operator_a, only_parents, parent())
    assert heir.receives is True  # the first rank present receives


def test_heirs_are_not_changed_after_approval(operator_a):
    claim = report(operator_a, protected(), "jkm")
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.APPROVED)
    with pytest.raises(ServiceError) as exc:
        heir_set(operator_a, claim, parent())
    assert "disetujui" in exc.value.message and claim.heirs.count() == 2


def test_a_missing_name_and_an_unknown_relation_are_named(operator_a):
    claim = report(operator_a, protected(), "jkm")
    with pytest.raises(ServiceError) as exc:
        heir_set(operator_a, claim, parent(name=" ", relation="uncle"))
    assert {"name", "relation"} <= set(exc.value.fields)


def test_a_phone_or_account_in_other_scripts_digits_is_refused(operator_a):
    claim = report(operator_a, protected(), "jkm")
    with pytest.raises(ServiceError) as exc:
        heir_set(operator_a, claim, parent(phone="0812²³", account_number="١٢٣٤"))
    assert {"phone", "account_number"} <= set(exc.value.fields)


def test_once_prepared_only_a_processing_role_changes_an_heir_so_a_benefit_is_not_redirected(operator_a):
    """Between preparation and approval the approver is shown the preparer's heirs and accounts: a village operator
    (who sees accounts masked) can no longer replace one; the branch officer still can, audited."""
    from jamsosdesa.core.errors import PermissionDenied
    from tests.claims.decision_world import claim as decided_claim
    from tests.claims.file_world import branch_officer

    branch = branch_officer()
    c = decided_claim(branch, status=ClaimStatus.PREPARED)
    spouse = c.heirs.get(nik=SPOUSE_NIK)
    with pytest.raises(PermissionDenied, match="sudah disiapkan"):
        heir_set(operator_a, c, HeirRequest(name="Siti Aminah", relation="spouse", nik=SPOUSE_NIK, bank_name="BNI",
                                            account_number="999999999"), heir_id=spouse.pk)
    spouse.refresh_from_db()
    assert spouse.account_number == "001201000567"
    heir_set(branch, c, HeirRequest(name="Siti Aminah", relation="spouse", nik=SPOUSE_NIK, bank_name="BNI",
                                    account_number="999999999"), heir_id=spouse.pk)
    spouse.refresh_from_db()
    assert spouse.account_number == "999999999"


def test_a_role_shown_the_account_masked_keeps_it_when_it_leaves_it_empty_on_any_door(operator_a):
    """The API's correction as the page's: an empty account from a role that saw it masked is not a wipe."""
    from tests.conftest import api_client

    claim = report(operator_a, protected(), "jkm")
    spouse = claim.heirs.get(nik=SPOUSE_NIK)
    heir_set(operator_a, claim, HeirRequest(name="Siti Aminah", relation="spouse", nik=SPOUSE_NIK, bank_name="BRI",
                                            account_number="123456789"), heir_id=spouse.pk)
    answer = api_client(operator_a)("put", f"/claims/{claim.number}/heirs/{spouse.pk}",
                                    {"name": "Siti Aminah Putri", "relation": "spouse", "nik": SPOUSE_NIK})
    assert answer.status_code == 200, answer.content
    spouse.refresh_from_db()
    assert (spouse.name, spouse.bank_name, spouse.account_number) == ("Siti Aminah Putri", "BRI", "123456789")


def test_an_heir_changed_on_a_prepared_claim_sends_it_back_to_be_prepared_again(operator_a):
    """The split the approver is shown is the preparer's: after an heir changes it is cleared, the claim is REPORTED
    again (audited with the old and new status) and the user is told to prepare it again."""
    from tests.claims.decision_world import claim as decided_claim
    from tests.claims.file_world import branch_officer

    branch = branch_officer()
    c = decided_claim(branch, status=ClaimStatus.PREPARED)
    assert c.heirs.filter(share__gt=0).count() == 2
    heir = heir_set(branch, c, parent())
    c.refresh_from_db()
    assert (c.status, c.prepared_by_id, c.prepared_at, c.benefit_total) == (ClaimStatus.REPORTED, None, None, 0)
    assert not c.heirs.filter(share__gt=0).exists()
    assert "kembali ke tahap dilaporkan" in heir.notice and "siapkan ulang" in heir.notice
    event = AuditEvent.objects.get(event_type="claim.updated", object_id=str(c.pk), old__has_key="status")
    assert (event.old["status"], event.new["status"]) == ("prepared", "reported")
    assert event.old["benefit_total"] == 42_000_000 and event.actor_name == branch.username


@pytest.mark.parametrize("status", [ClaimStatus.APPROVED, ClaimStatus.PAID, ClaimStatus.REJECTED])
def test_heirs_of_a_decided_or_paid_claim_are_not_changed_even_by_the_branch(status):
    from tests.claims.decision_world import claim as decided_claim
    from tests.claims.file_world import branch_officer

    branch = branch_officer()
    c = decided_claim(branch, status=status)
    with pytest.raises(ServiceError, match="tidak dapat diubah lagi"):
        heir_set(branch, c, parent())
    c.refresh_from_db()
    assert c.status == status and c.heirs.count() == 2


def test_a_change_of_who_receives_is_audited_by_who_caused_it(operator_a):
    """A spouse added to a claim where only a parent received: the parent no longer receives, and the claim's own
    audit row says who received before and after (by name, no NIK), by the user who added the spouse."""
    claim = report(operator_a, protected(heirs=False), "jkm")
    mother = heir_set(operator_a, claim, parent())
    assert mother.receives is True
    spouse = heir_set(operator_a, claim, HeirRequest(name="Siti Aminah", relation="spouse", nik=SPOUSE_NIK))
    mother.refresh_from_db()
    assert spouse.receives and not mother.receives
    first, event = AuditEvent.objects.filter(event_type="claim.updated", object_id=str(claim.pk),
                                             old__has_key="receiving").order_by("id")
    assert (first.old, first.new) == ({"receiving": []}, {"receiving": [{"id": mother.pk, "name": "Mbok Sarmi"}]})
    assert event.old == {"receiving": [{"id": mother.pk, "name": "Mbok Sarmi"}]}
    assert event.new == {"receiving": [{"id": spouse.pk, "name": "Siti Aminah"}]}
    assert event.actor_name == operator_a.username and PARENT_NIK not in str(event.old)
