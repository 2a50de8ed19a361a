"""A claim's documents (issue 15 item 5, part C2): the checklist per kind, uploads told by their content and held to
the size limit, stored outside the web root, replaced documents withdrawn (never deleted), the file complete when its
checklist is, and every step audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsosdesa.claims.documents import add_document, checklist, document_path, required_kinds, withdraw_document
from jamsosdesa.claims.models import ClaimDocument
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from tests.claims.file_world import (  # noqa: F401 (fresh_param_cache: a fixture)
    PDF,
    PNG,
    fresh_param_cache,
    protected,
    report,
)

pytestmark = pytest.mark.django_db

DEATH = ["kpj", "ktp_participant", "ktp_heir", "death_certificate", "kk", "heir_statement", "bank_account"]


def upload(content=PNG, name="foto.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")  # what the browser says counts for nothing


def test_the_checklist_of_a_death_asks_the_marriage_book_only_when_a_spouse_receives(operator_a):
    with_spouse = report(operator_a, protected(), "jkm")
    assert required_kinds(with_spouse) == [*DEATH, "marriage_book"]
    no_heirs = report(operator_a, protected(heirs=False), "jkm")
    assert required_kinds(no_heirs) == DEATH
    accident = report(operator_a, protected(heirs=False), "jkk_death")
    assert required_kinds(accident) == [*DEATH[:-1], "jkk_report_1", "jkk_report_2", "medical_certificate",
                                        "bank_account"]
    hurt = report(operator_a, protected(heirs=False), "jkk_temporary", event_date=accident.event_date)
    assert required_kinds(hurt) == ["kpj", "ktp_participant", "jkk_report_1", "jkk_report_2", "medical_certificate",
                                    "bank_account"]


def test_an_upload_is_stored_outside_the_web_root_with_its_type_from_its_content(operator_a, settings):
    claim = report(operator_a, protected(), "jkm")
    doc = add_document(operator_a, claim, "kpj", upload=upload(PDF, "kpj.jpg"))
    assert doc.content_type == "application/pdf" and doc.size == len(PDF) and len(doc.sha256) == 64
    path = document_path(doc)
    assert path.read_bytes() == PDF and path.suffix == ".pdf"
    assert str(path).startswith(str(settings.VAR_DIR)) and not str(path).startswith(str(settings.STATIC_ROOT))
    event = AuditEvent.objects.get(event_type="claim_document.added", object_id=str(doc.pk))
    assert event.new["sha256"] == doc.sha256 and event.actor_name == operator_a.username


def test_a_document_in_an_unreadable_format_is_refused_whatever_its_name(operator_a, settings):
    claim = report(operator_a, protected(), "jkm")
    with pytest.raises(ServiceError) as exc:
        add_document(operator_a, claim, "kk", upload=upload(b"MZ\x90\x00 not a photo at all", "kk.jpg"))
    assert list(exc.value.fields) == ["file"] and "JPEG" in exc.value.message
    assert not ClaimDocument.objects.exists()
    assert not list((settings.VAR_DIR / "claims").rglob("*.*")) if (settings.VAR_DIR / "claims").exists() else True


def test_a_document_over_the_size_limit_is_refused_and_leaves_no_file(operator_a, settings):
    settings.CLAIM_DOCUMENT_MAX_BYTES = 1000
    claim = report(operator_a, protected(), "jkm")
    with pytest.raises(ServiceError) as exc:
        add_document(operator_a, claim, "kk", upload=upload(PNG + b"\x00" * 1000))
    assert exc.value.code == "file_too_large" and "file" in exc.value.fields
    big = upload(PNG + b"\x00" * 1000)
    big.size = None  # a stream that does not say its size is counted while written
    with pytest.raises(ServiceError):
        add_document(operator_a, claim, "kk", upload=big)
    assert not ClaimDocument.objects.exists() and not list((settings.VAR_DIR / "claims").rglob("*.png"))
    assert add_document(operator_a, claim, "kk", upload=upload(PNG)).size == len(PNG)


def test_an_empty_file_and_neither_file_nor_seen_are_refused(operator_a):
    claim = report(operator_a, protected(), "jkm")
    with pytest.raises(ServiceError) as exc:
        add_document(operator_a, claim, "kk", upload=upload(b""))
    assert exc.value.code == "file_empty"
    with pytest.raises(ServiceError) as exc:
        add_document(operator_a, claim, "kk")
    assert "file" in exc.value.fields
    with pytest.raises(ServiceError) as exc:
        add_document(operator_a, claim, "passport", seen_in_original=True)
    assert "kind" in exc.value.fields


def test_a_replaced_document_is_withdrawn_and_kept(operator_a):
    claim = report(operator_a, protected(), "jkm")
    first = add_document(operator_a, claim, "kk", upload=upload(PNG))
    second = add_document(operator_a, claim, "kk", seen_in_original=True)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and document_path(first).is_file()
    assert [i.document for i in checklist(claim) if i.kind == "kk"] == [second]
    assert AuditEvent.objects.filter(event_type="claim_document.withdrawn", object_id=str(first.pk)).exists()


def test_the_file_is_complete_when_its_checklist_is_and_not_when_a_required_document_is_withdrawn(operator_a):
    claim = report(operator_a, protected(heirs=False), "jkk_temporary", event_date=report_day())
    kinds = required_kinds(claim)
    docs = [add_document(operator_a, claim, kind, seen_in_original=True) for kind in kinds]
    claim.refresh_from_db()
    assert claim.complete_at is not None
    withdraw_document(operator_a, claim, docs[0].pk, note="salah orang")
    claim.refresh_from_db()
    assert claim.complete_at is None
    notes = list(AuditEvent.objects.filter(event_type="claim.updated", object_id=str(claim.pk)).order_by("id")
                 .values_list("note", flat=True))
    assert notes == ["berkas lengkap", "berkas belum lengkap lagi"]


def test_a_spouse_added_as_receiving_heir_makes_a_complete_death_file_incomplete(operator_a):
    from jamsosdesa.claims.heirs import HeirRequest, heir_set
    from tests.claims.file_world import SPOUSE_NIK

    claim = report(operator_a, protected(heirs=False), "jkm")
    for kind in required_kinds(claim):
        add_document(operator_a, claim, kind, seen_in_original=True)
    claim.refresh_from_db()
    assert claim.complete_at is not None
    heir_set(operator_a, claim, HeirRequest(name="Siti Aminah", relation="spouse", nik=SPOUSE_NIK))
    claim.refresh_from_db()
    assert claim.complete_at is None and "marriage_book" in required_kinds(claim)


def report_day():
    from jamsosdesa.core import clock

    return clock.today()


def test_a_document_added_or_withdrawn_on_a_prepared_claim_sends_it_back_to_be_prepared(operator_a):
    from jamsosdesa.claims.models import ClaimStatus
    from tests.claims.decision_world import claim as decided_claim
    from tests.claims.file_world import branch_officer

    branch = branch_officer()
    c = decided_claim(branch, status=ClaimStatus.PREPARED)
    doc = add_document(operator_a, c, "police_report", seen_in_original=True)
    c.refresh_from_db()
    assert c.status == ClaimStatus.REPORTED and c.prepared_by_id is None and c.benefit_parts == []
    assert not c.heirs.filter(share__gt=0).exists() and "siapkan ulang" in doc.notice
    again = decided_claim(branch, status=ClaimStatus.PREPARED)
    kept = ClaimDocument.objects.create(claim=again, kind="kk", seen_in_original=True, added_by=operator_a)
    withdrawn = withdraw_document(operator_a, again, kept.pk, note="salah")
    again.refresh_from_db()
    assert again.status == ClaimStatus.REPORTED and "ditarik" in withdrawn.notice
    rows = AuditEvent.objects.filter(event_type="claim.updated", old__status="prepared", new__status="reported")
    assert rows.count() == 2


@pytest.mark.parametrize("status", ["approved", "paid", "rejected"])
def test_documents_of_a_decided_or_paid_claim_are_not_added_nor_withdrawn(operator_a, status):
    from tests.claims.decision_world import claim as decided_claim
    from tests.claims.file_world import branch_officer

    c = decided_claim(branch_officer(), status=status)
    kept = ClaimDocument.objects.create(claim=c, kind="kk", seen_in_original=True, added_by=operator_a)
    before = c.documents.count()
    with pytest.raises(ServiceError, match="tidak dapat diubah lagi"):
        add_document(operator_a, c, "police_report", seen_in_original=True)
    with pytest.raises(ServiceError, match="tidak dapat diubah lagi"):
        withdraw_document(operator_a, c, kept.pk)
    kept.refresh_from_db()
    assert kept.withdrawn_at is None and c.documents.count() == before


def test_replacing_a_document_does_not_restart_the_service_clock(operator_a):
    """The clock runs from the first time the file was complete: withdrawing a document and adding it again (or
    replacing it) sets complete_at anew but the claim stays overdue on the worklist."""
    from datetime import timedelta

    from jamsosdesa.claims import worklist
    from jamsosdesa.claims.models import Claim
    from jamsosdesa.core import clock
    from tests.claims.file_world import branch_officer

    claim = report(operator_a, protected(heirs=False), "jkk_temporary", event_date=report_day())
    docs = [add_document(operator_a, claim, kind, seen_in_original=True) for kind in required_kinds(claim)]
    claim.refresh_from_db()
    assert claim.first_complete_at == claim.complete_at is not None
    long_ago = clock.now() - timedelta(days=30)
    Claim.objects.filter(pk=claim.pk).update(complete_at=long_ago, first_complete_at=long_ago)
    branch = branch_officer()
    assert [r.claim for r in worklist.overdue(branch)] == [claim]
    withdraw_document(operator_a, claim, docs[0].pk, note="buram")
    claim.refresh_from_db()
    assert claim.complete_at is None and claim.first_complete_at == long_ago
    assert [r.claim for r in worklist.overdue(branch)] == [claim]  # the office's clock still runs
    add_document(operator_a, claim, docs[0].kind, upload=upload(PNG))
    add_document(operator_a, claim, docs[1].kind, upload=upload(PNG))  # a replacement
    claim.refresh_from_db()
    assert claim.complete_at > long_ago and claim.first_complete_at == long_ago
    [row] = worklist.overdue(branch)
    from jamsosdesa.claims.clock import local_date

    assert row.claim == claim and row.complete_on == local_date(long_ago)
    assert worklist.is_overdue(claim)
