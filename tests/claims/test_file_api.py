"""The claim file API (part C2): report, list, one claim, heirs and documents, with the documented errors and 404
outside the user's scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamsosdesa.accounts.models import ApiToken
from tests.claims.file_world import (  # noqa: F401 (fresh_param_cache: a fixture)
    PARENT_NIK,
    PDF,
    SPOUSE_NIK,
    branch_officer,
    day,
    fresh_param_cache,
    lapsed,
    protected,
    report,
)
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def test_reporting_through_the_api_answers_the_claim_with_its_message(operator_a):
    person = protected()
    call = api_client(operator_a)
    answer = call("post", "/claims", {"nik": person.nik, "kind": "jkm", "event_date": day(-1, 10).isoformat()})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "reported" and body["eligibility"]["eligible"] is True
    assert body["participant"]["nik"] == person.nik  # one person's record: whole
    assert [h["nik"] for h in body["heirs"]] == ["3311••••••••0001", "3311••••••••0002"]
    assert "marriage_book" in [i["kind"] for i in body["checklist"]] and body["complete"] is False


def test_a_refused_report_is_422_naming_the_field_and_not_protected_is_201_rejected(operator_a):
    call = api_client(operator_a)
    person = protected()
    future = call("post", "/claims", {"nik": person.nik, "kind": "jkm", "event_date": "2999-01-01"})
    assert future.status_code == 422 and "event_date" in future.json()["error"]["fields"]
    gone = lapsed()
    answer = call("post", "/claims", {"nik": gone.nik, "kind": "jkm", "event_date": day(-1, 10).isoformat()})
    assert answer.status_code == 201
    assert answer.json()["status"] == "rejected" and answer.json()["rejection_code"] == "not_protected"
    assert "tidak aktif" in answer.json()["message"]


def test_the_list_is_scoped_and_paged_with_masked_niks(operator_a, operator_b):
    claims = [report(operator_a, protected(heirs=False), "jkm") for _ in range(3)]
    page = api_client(operator_a)("get", "/claims?limit=2").json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["next_offset"] == 2
    assert all("••" in item["participant"]["nik"] for item in page["items"])
    assert api_client(branch_officer())("get", "/claims?limit=2").json()["items"][0]["participant"]["nik"] in {
        c.participant.nik for c in claims}
    assert api_client(operator_b)("get", "/claims").json()["total"] == 0


def test_a_claim_outside_the_scope_is_404_on_every_route(operator_a, operator_b):
    claim = report(operator_a, protected(), "jkm")
    call = api_client(operator_b)
    assert call("get", f"/claims/{claim.number}").status_code == 404
    assert call("post", f"/claims/{claim.number}/heirs", {"name": "X", "relation": "parent",
                                                          "nik": PARENT_NIK}).status_code == 404
    assert api_client(operator_a)("get", f"/claims/{claim.number}").status_code == 200


def test_an_heir_with_an_invalid_nik_is_422_and_a_valid_one_201_masked_for_the_operator(operator_a):
    claim = report(operator_a, protected(), "jkm")
    call = api_client(operator_a)
    bad = call("post", f"/claims/{claim.number}/heirs", {"name": "Mbok Sarmi", "relation": "parent", "nik": ""})
    assert bad.status_code == 422 and list(bad.json()["error"]["fields"]) == ["nik"]
    good = call("post", f"/claims/{claim.number}/heirs", {"name": "Mbok Sarmi", "relation": "parent",
                                                          "nik": PARENT_NIK, "bank_name": "BRI",
                                                          "account_number": "001201001234567"})
    assert good.status_code == 201 and good.json()["nik"] == "3311••••••••0003"
    assert good.json()["account_number"].endswith("4567") and "0012" not in good.json()["account_number"]
    fixed = api_client(branch_officer())("put", f"/claims/{claim.number}/heirs/{good.json()['id']}", {
        "name": "Sarmi", "relation": "parent", "nik": PARENT_NIK})
    assert fixed.status_code == 200 and fixed.json()["nik"] == PARENT_NIK and fixed.json()["name"] == "Sarmi"


def test_documents_are_posted_as_multipart_and_checked_by_content(operator_a, settings):
    claim = report(operator_a, protected(), "jkm")
    _token, raw = ApiToken.issue(user=operator_a, name="test")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    url = f"/api/v1/claims/{claim.number}/documents"
    ok = client.post(url, {"kind": "death_certificate", "file": SimpleUploadedFile("akta.png", PDF)})
    assert ok.status_code == 201 and ok.json()["content_type"] == "application/pdf"
    bad = client.post(url, {"kind": "kk", "file": SimpleUploadedFile("kk.pdf", b"<html>no</html>")})
    assert bad.status_code == 422 and "file" in bad.json()["error"]["fields"]
    settings.CLAIM_DOCUMENT_MAX_BYTES = 10
    big = client.post(url, {"kind": "kk", "file": SimpleUploadedFile("kk.pdf", PDF)})
    assert big.status_code == 422 and big.json()["error"]["code"] == "file_too_large"
    seen = client.post(url, {"kind": "kk", "seen": "true"})
    assert seen.status_code == 201 and seen.json()["seen_in_original"] is True
    assert claim.documents.count() == 2


def test_an_heir_corrected_on_a_prepared_claim_answers_that_it_must_be_prepared_again():
    from jamsosdesa.claims.models import ClaimStatus
    from tests.claims.decision_world import claim as decided_claim

    branch = branch_officer()
    c = decided_claim(branch, status=ClaimStatus.PREPARED)
    spouse = c.heirs.get(nik=SPOUSE_NIK)
    answer = api_client(branch)("put", f"/claims/{c.number}/heirs/{spouse.pk}", {
        "name": "Siti Aminah", "relation": "spouse", "nik": SPOUSE_NIK, "bank_name": "BNI",
        "account_number": "999999999"})
    assert answer.status_code == 200 and "siapkan ulang" in answer.json()["message"]
    assert answer.json()["share"] == 0
    assert api_client(branch)("get", f"/claims/{c.number}").json()["status"] == "reported"


def test_a_document_is_withdrawn_through_the_api_by_post_or_delete_and_kept(operator_a, operator_b):
    from jamsosdesa.claims.documents import add_document

    claim = report(operator_a, protected(), "jkm")
    call = api_client(operator_a)
    assert call("post", f"/claims/{claim.number}/documents/999999/withdraw", {"note": "x"}).status_code == 404
    kk = add_document(operator_a, claim, "kk", seen_in_original=True)
    kpj = add_document(operator_a, claim, "kpj", seen_in_original=True)
    assert api_client(operator_b)("post", f"/claims/{claim.number}/documents/{kk.pk}/withdraw",
                                  {"note": "x"}).status_code == 404
    answer = call("post", f"/claims/{claim.number}/documents/{kk.pk}/withdraw", {"note": "salah orang"})
    assert answer.status_code == 200 and answer.json()["id"] == kk.pk
    _token, raw = ApiToken.issue(user=operator_a, name="del")
    gone = Client(headers={"Authorization": f"Bearer {raw}"}).delete(
        f"/api/v1/claims/{claim.number}/documents/{kpj.pk}?note=buram")
    assert gone.status_code == 200, gone.content
    assert not claim.documents.filter(withdrawn_at=None).exists() and claim.documents.count() == 2
    assert call("post", f"/claims/{claim.number}/documents/{kk.pk}/withdraw", {"note": ""}).status_code == 404
