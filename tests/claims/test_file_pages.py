"""The claim file's pages (part C2): the list, the report form, a claim with its heirs masked as the role says, the
checklist with a phone-camera upload, the decision partial's place, and 404 outside the user's scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamsosdesa.claims.models import Claim, ClaimStatus
from jamsosdesa.core.models import AuditEvent
from tests.claims.file_world import (  # noqa: F401 (fresh_param_cache: a fixture)
    PNG,
    SPOUSE_NIK,
    branch_officer,
    day,
    fresh_param_cache,
    lapsed,
    protected,
    report,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reporting_on_the_page_files_the_claim_and_shows_it(operator_a):
    person = protected()
    client = client_for(operator_a)
    page = client.get("/klaim/lapor/")
    assert page.status_code == 200 and 'name="nik"' in page.content.decode()
    answer = client.post("/klaim/lapor/", {"nik": person.nik, "kind": "jkm", "event_date": day(-1, 10).isoformat(),
                                           "event_place": "Krajan"}, follow=True)
    claim = Claim.objects.get()
    body = answer.content.decode()
    assert answer.redirect_chain[-1][0] == f"/klaim/{claim.number}/"
    assert claim.number in body and "aktif: iuran terbayar" in body
    assert 'accept="image/*,application/pdf"' in body and "capture" in body


def test_a_bad_report_keeps_the_form_with_the_message_on_its_field(operator_a):
    person = protected()
    answer = client_for(operator_a).post("/klaim/lapor/", {"nik": person.nik, "kind": "jkm",
                                                           "event_date": "2000-01-01"})
    assert answer.status_code == 200 and "sebelum peserta terdaftar" in answer.content.decode()
    assert not Claim.objects.exists()


def test_a_person_not_protected_is_told_the_reason(operator_a):
    person = lapsed()
    answer = client_for(operator_a).post("/klaim/lapor/", {
        "nik": person.nik, "kind": "jkm", "event_date": day(-1, 10).isoformat()}, follow=True)
    claim = Claim.objects.get()
    assert claim.status == ClaimStatus.REJECTED and "tidak aktif" in answer.content.decode()
    assert "DITOLAK" in answer.content.decode()


def test_the_detail_masks_heirs_for_the_village_operator_and_not_for_the_branch_officer(operator_a):
    claim = report(operator_a, protected(), "jkm")
    mine = client_for(operator_a).get(f"/klaim/{claim.number}/").content.decode()
    assert SPOUSE_NIK not in mine and "3311••••••••0001" in mine
    branch = client_for(branch_officer()).get(f"/klaim/{claim.number}/").content.decode()
    assert SPOUSE_NIK in branch
    listed = client_for(operator_a).get("/klaim/").content.decode()
    assert claim.number in listed and claim.participant.nik not in listed


def test_a_claim_outside_the_scope_is_404_on_every_page(operator_a, operator_b):
    claim = report(operator_a, protected(), "jkm")
    doc_client = client_for(operator_a)
    doc_client.post(f"/klaim/{claim.number}/dokumen/", {"kind": "kpj", "file": SimpleUploadedFile("kpj.jpg", PNG)})
    doc = claim.documents.get()
    outsider = client_for(operator_b)
    for path in (f"/klaim/{claim.number}/", f"/klaim/{claim.number}/ahli-waris/baru/",
                 f"/klaim/{claim.number}/dokumen/{doc.pk}/"):
        assert outsider.get(path).status_code == 404, path
    assert outsider.post(f"/klaim/{claim.number}/dokumen/", {"kind": "kk", "seen": "on"}).status_code == 404
    assert claim.number not in outsider.get("/klaim/").content.decode()
    served = doc_client.get(f"/klaim/{claim.number}/dokumen/{doc.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG
    assert served["Content-Type"] == "image/png"


def test_uploading_an_unreadable_file_on_the_page_says_why(operator_a):
    claim = report(operator_a, protected(), "jkm")
    answer = client_for(operator_a).post(f"/klaim/{claim.number}/dokumen/", {
        "kind": "kk", "file": SimpleUploadedFile("kk.jpg", b"just some text")})
    assert answer.status_code == 422 and "JPEG" in answer.content.decode()
    assert not claim.documents.exists()


def test_an_heir_is_added_on_the_page_and_an_invalid_nik_is_named(operator_a):
    claim = report(operator_a, protected(), "jkm")
    client = client_for(operator_a)
    registered = claim.participant.heirs.get(relation="parent")
    form = client.get(f"/klaim/{claim.number}/ahli-waris/baru/?from={registered.pk}")
    assert "Mbok Sarmi" in form.content.decode()
    bad = client.post(f"/klaim/{claim.number}/ahli-waris/baru/", {"name": "Mbok Sarmi", "relation": "parent",
                                                                   "nik": "123"})
    assert bad.status_code == 200 and "16 digit" in bad.content.decode()
    good = client.post(f"/klaim/{claim.number}/ahli-waris/baru/", {"name": "Mbok Sarmi", "relation": "parent",
                                                                    "nik": "3311111212600003"})
    assert good.status_code == 302 and claim.heirs.count() == 3
    assert AuditEvent.objects.filter(event_type="claim_heir.set").count() == 1


def test_the_menu_leads_to_the_claims_for_those_who_see_them(operator_a):
    from jamsosdesa.core.roles import Role
    from tests.conftest import make_user

    assert 'href="/klaim/"' in client_for(operator_a).get("/peserta/").content.decode()
    manager = make_user("pengelola", Role.WADAH_MANAGER, ["33.11.11.2004"])
    assert 'href="/klaim/"' not in client_for(manager).get("/agen/wadah/").content.decode()
    assert client_for(manager).get("/klaim/").status_code == 404


def test_a_held_claim_shows_the_arrears_in_rupiah_and_the_day_to_pay_by(operator_a):
    from tests.claims.file_world import in_arrears, lenient_policy

    lenient_policy()
    claim = report(operator_a, in_arrears(), "jkm", event_date=day(-1, 20))
    body = client_for(operator_a).get(f"/klaim/{claim.number}/").content.decode()
    assert claim.status == ClaimStatus.HELD and "Tunggakan Rp" in body and "perlu dilunasi sebelum" in body


def test_the_participant_page_lists_the_persons_claims_and_offers_to_report(operator_a):
    person = protected()
    claim = report(operator_a, person, "jkm")
    body = client_for(operator_a).get(f"/peserta/{person.pk}/").content.decode()
    assert claim.number in body and f"/klaim/lapor/?nik={person.nik}" in body


def test_an_operator_correcting_an_heir_retypes_the_nik_and_keeps_the_unseen_account(operator_a):
    from jamsosdesa.claims.heirs import HeirRequest, heir_set

    claim = report(operator_a, protected(), "jkm")
    spouse = claim.heirs.get(nik=SPOUSE_NIK)
    heir_set(operator_a, claim, HeirRequest(name=spouse.name, relation="spouse", nik=SPOUSE_NIK, bank_name="BRI",
                                            account_number="001201001234567"), heir_id=spouse.pk)
    client = client_for(operator_a)
    url = f"/klaim/{claim.number}/ahli-waris/{spouse.pk}/"
    form = client.get(url).content.decode()
    assert SPOUSE_NIK not in form and "001201001234567" not in form
    answer = client.post(url, {"name": "Siti Aminah Rahayu", "relation": "spouse", "nik": SPOUSE_NIK})
    assert answer.status_code == 302
    spouse.refresh_from_db()
    assert (spouse.name, spouse.account_number, spouse.bank_name) == ("Siti Aminah Rahayu", "001201001234567", "BRI")


def test_a_scan_of_personal_papers_opens_only_to_the_processors_and_its_uploader(operator_a, settings):
    """An e-KTP or a bank book is personal data: another user of the same village who sees the claim gets 404 for
    it (page and API), while the death certificate stays open to the claim's viewers; files are sandboxed."""
    from jamsosdesa.core.roles import Role
    from tests.claims.file_world import DESA_A, PDF
    from tests.conftest import api_client, make_user

    claim = report(operator_a, protected(), "jkm")
    uploader = client_for(operator_a)
    for kind, content in (("ktp_participant", PDF), ("death_certificate", PNG)):
        uploader.post(f"/klaim/{claim.number}/dokumen/", {"kind": kind, "file": SimpleUploadedFile("x.pdf", content)})
    ktp, death = claim.documents.get(kind="ktp_participant"), claim.documents.get(kind="death_certificate")
    colleague = make_user("op_krajan_dua", Role.VILLAGE_OPERATOR, [DESA_A])
    other = client_for(colleague)
    assert other.get(f"/klaim/{claim.number}/").status_code == 200
    assert other.get(f"/klaim/{claim.number}/dokumen/{ktp.pk}/").status_code == 404
    assert other.get(f"/klaim/{claim.number}/dokumen/{death.pk}/").status_code == 200
    assert f"/dokumen/{ktp.pk}/\"" not in other.get(f"/klaim/{claim.number}/").content.decode()
    assert api_client(colleague)("get", f"/claims/{claim.number}/documents/{ktp.pk}/file").status_code == 404
    for client in (uploader, client_for(branch_officer())):
        served = client.get(f"/klaim/{claim.number}/dokumen/{ktp.pk}/")
        assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
        assert served["Content-Security-Policy"] == "sandbox" and served["X-Content-Type-Options"] == "nosniff"
    from jamsosdesa.accounts.models import ApiToken

    _token, raw = ApiToken.issue(user=branch_officer(name="cabang_dua"), name="t")
    api = Client(headers={"Authorization": f"Bearer {raw}"}).get(
        f"/api/v1/claims/{claim.number}/documents/{ktp.pk}/file")
    assert api.status_code == 200 and b"".join(api.streaming_content) == PDF
    assert api["Content-Type"] == "application/pdf" and api["Content-Security-Policy"] == "sandbox"
    outsider = api_client(make_user("op_luar", Role.VILLAGE_OPERATOR, ["33.11.11.2001"]))
    assert outsider("get", f"/claims/{claim.number}/documents/{death.pk}/file").status_code == 404


def test_the_upload_form_chooses_whose_e_ktp_or_bank_book_it_is(operator_a):
    claim = report(operator_a, protected(), "jkm")
    spouse = claim.heirs.get(nik=SPOUSE_NIK)
    client = client_for(operator_a)
    page = client.get(f"/klaim/{claim.number}/").content.decode()
    assert 'name="heir"' in page and f'<option value="{spouse.pk}">Siti Aminah' in page
    assert "e-KTP ahli waris: Siti Aminah" in page and "e-KTP ahli waris: Bagus" in page
    assert f"?jenis=ktp_heir&amp;ahli_waris={spouse.pk}#document-form" in page
    chosen = client.get(f"/klaim/{claim.number}/?jenis=ktp_heir&ahli_waris={spouse.pk}").content.decode()
    assert f'<option value="{spouse.pk}" selected>' in chosen and '<option value="ktp_heir" selected>' in chosen
    refused = client.post(f"/klaim/{claim.number}/dokumen/", {"kind": "ktp_heir", "seen": "on"})
    assert refused.status_code == 422 and "pilih ahli warisnya" in refused.content.decode()
    added = client.post(f"/klaim/{claim.number}/dokumen/", {
        "kind": "ktp_heir", "heir": str(spouse.pk), "file": SimpleUploadedFile("ktp.jpg", PNG)})
    assert added.status_code == 302
    assert claim.documents.get().heir == spouse


def test_the_report_form_finds_the_person_by_name_with_the_nik_masked_and_reports_them(operator_a, operator_b):
    """A village operator searches by name (the participants' own search, in scope), sees the NIK masked, picks the
    person and reports without ever having the whole NIK in the page."""
    person = protected()
    client = client_for(operator_a)
    name = person.full_name.split()[0]
    found = client.get("/klaim/lapor/", {"cari": name}).content.decode()
    assert f"?peserta={person.pk}" in found and person.nik not in found and person.nik[-4:] in found
    assert f"?peserta={person.pk}" not in client_for(operator_b).get("/klaim/lapor/", {"cari": name}).content.decode()
    picked = client.get("/klaim/lapor/", {"peserta": person.pk}).content.decode()
    assert person.full_name in picked and person.nik not in picked and f'value="{person.pk}"' in picked
    answer = client.post("/klaim/lapor/", {"participant": person.pk, "nik": "", "kind": "jkm",
                                           "event_date": day(-1, 10).isoformat()})
    assert answer.status_code == 302 and Claim.objects.get().participant == person
    other = protected(desa="33.11.11.2001")
    refused = client.post("/klaim/lapor/", {"participant": other.pk, "kind": "jkm",
                                            "event_date": day(-1, 10).isoformat()})
    assert refused.status_code == 200 and "tidak ditemukan" in refused.content.decode()
    assert Claim.objects.count() == 1
