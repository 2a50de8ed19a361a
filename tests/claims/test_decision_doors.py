"""The decision's doors: the claim page's panel offers what the user may do (prepare, approve, reject, pay), the
forms and the API go through the services (nobody approves their own claim there either), the printed decision
shows every part with its rule, the total in words, the heirs' shares and who prepared and decided, with the
participant's NIK masked for a role that sees NIKs masked; outside the scope: 404."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jamsosdesa.claims.models import ClaimPayment, ClaimStatus
from jamsosdesa.core import clock
from jamsosdesa.core.models import AuditEvent
from tests.conftest import api_client

from .decision_world import claim, officers

pytestmark = pytest.mark.django_db


def _browser(user):
    client = Client()
    client.force_login(user)
    return client


def test_pages_prepare_approve_pay_and_print(admin_user, operator_a):
    one, two, far = officers()
    c = claim(admin_user, heirs=2)
    page = _browser(one).get(f"/klaim/{c.number}/")
    assert page.status_code == 200 and f"/klaim/{c.number}/siapkan/" in page.content.decode()
    assert "/siapkan/" not in _browser(operator_a).get(f"/klaim/{c.number}/").content.decode()  # reads only

    assert _browser(one).post(f"/klaim/{c.number}/siapkan/").status_code == 302
    c.refresh_from_db()
    assert c.status == ClaimStatus.PREPARED
    own = _browser(one).get(f"/klaim/{c.number}/").content.decode()
    assert 'id="four-eyes"' in own and "/setujui/" not in own
    _browser(one).post(f"/klaim/{c.number}/setujui/")  # refused with a message, nothing changes
    c.refresh_from_db()
    assert c.status == ClaimStatus.PREPARED
    assert "/setujui/" in _browser(two).get(f"/klaim/{c.number}/").content.decode()
    _browser(two).post(f"/klaim/{c.number}/setujui/")
    c.refresh_from_db()
    assert (c.status, c.decided_by) == (ClaimStatus.APPROVED, two)

    spouse, child = c.heirs.order_by("id")
    elsewhere = _browser(two).post(f"/klaim/{c.number}/bayar/{spouse.pk}/", {  # not the account approved
        "paid_on": clock.today().isoformat(), "bank": "BRI", "account": "0012", "reference": "TRF-P0"}, follow=True)
    assert "bukan rekening" in elsewhere.content.decode() and not ClaimPayment.objects.filter(claim=c).exists()
    for heir, ref in ((spouse, "TRF-P1"), (child, "TRF-P2")):
        _browser(two).post(f"/klaim/{c.number}/bayar/{heir.pk}/", {
            "paid_on": clock.today().isoformat(), "bank": "BRI", "account": heir.account_number, "reference": ref})
    _browser(two).post(f"/klaim/{c.number}/bayar/{spouse.pk}/", {
        "paid_on": clock.today().isoformat(), "bank": "", "account": "", "reference": "TRF-P3"})
    assert ClaimPayment.objects.filter(claim=c).count() == 2
    c.refresh_from_db()
    assert c.status == ClaimStatus.PAID

    printed = _browser(operator_a).get(f"/klaim/{c.number}/putusan/")
    text = printed.content.decode()
    assert printed.status_code == 200
    assert "Rp42.000.000" in text and "Empat puluh dua juta rupiah" in text
    assert "Rp21.000.000" in text and "cabang.satu" in text and "cabang.dua" in text
    assert "PP 44/2015 jo. PP 82/2019" in text  # each part with its rule
    nik = c.participant.nik
    assert nik not in text and nik[:4] + "••••••••" + nik[12:] in text  # a printout: masked for the operator
    assert nik in _browser(one).get(f"/klaim/{c.number}/putusan/").content.decode()  # whole for the branch
    assert _browser(far).get(f"/klaim/{c.number}/putusan/").status_code == 404
    assert _browser(far).post(f"/klaim/{c.number}/siapkan/").status_code == 404


def test_api_and_cli_doors(admin_user):
    one, two, far = officers()
    c = claim(admin_user, heirs=1)
    first = api_client(one)
    answer = first("post", f"/claims/{c.number}/prepare")
    assert answer.status_code == 200 and answer.json()["benefit_total"] == 42_000_000
    assert answer.json()["benefit_words"] == "Empat puluh dua juta rupiah"
    refused = first("post", f"/claims/{c.number}/approve")
    assert refused.status_code == 403 and "orang lain" in refused.json()["error"]["message"]
    assert api_client(far)("post", f"/claims/{c.number}/approve").status_code == 404
    out = StringIO()
    call_command("claim", "approve", c.number, "--user", two.username, "--json", stdout=out)
    assert json.loads(out.getvalue())["status"] == "approved"
    heir = c.heirs.get()
    body = {"heir": heir.pk, "paid_on": clock.today().isoformat(), "bank": "BRI", "account": "0012",
            "reference": "TRF-API"}
    elsewhere = api_client(two)("post", f"/claims/{c.number}/payments", body)
    assert elsewhere.status_code == 422 and "account" in elsewhere.json()["error"]["fields"]
    body["account"] = ""  # the account approved
    paid = api_client(two)("post", f"/claims/{c.number}/payments", body)
    assert paid.status_code == 201 and paid.json()["claim_status"] == "paid"
    again = api_client(two)("post", f"/claims/{c.number}/payments", {**body, "reference": "TRF-API-2"})
    assert again.status_code == 422 and "sudah dibayar" in again.json()["error"]["message"]
    decision = api_client(two)("get", f"/claims/{c.number}/decision").json()
    assert decision["shares"][0]["reference"] == "TRF-API" and decision["clock"]["working_days"] is not None
    with pytest.raises(CommandError):
        call_command("claim", "pay", c.number, "--heir", str(heir.pk), "--paid-on", clock.today().isoformat(),
                     "--reference", "TRF-CLI", "--user", two.username, stdout=StringIO())
    assert AuditEvent.objects.filter(event_type="claim_payment.recorded").count() == 1


def test_reject_through_the_page_with_a_reason(admin_user):
    one, two, _far = officers()
    c = claim(admin_user)
    _browser(two).post(f"/klaim/{c.number}/tolak/", {"code": "incomplete_documents", "note": "KK belum ada"})
    c.refresh_from_db()
    assert (c.status, c.rejection_code, c.rejection_note) == (ClaimStatus.REJECTED, "incomplete_documents",
                                                              "KK belum ada")
    printed = _browser(one).get(f"/klaim/{c.number}/putusan/").content.decode()
    assert "dokumen tidak lengkap" in printed


def test_cli_words(admin_user):
    one, two, _far = officers()
    c = claim(admin_user, heirs=2)
    out = StringIO()
    call_command("claim", "prepare", c.number, "--user", one.username, stdout=out)
    text = out.getvalue()
    assert "Rp42.000.000" in text and "Rp21.000.000" in text and "PP 44/2015 jo. PP 82/2019" in text
    with pytest.raises(CommandError, match="orang lain"):
        call_command("claim", "approve", c.number, "--user", one.username, stdout=StringIO())
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("claim", "approve", "KLM-0000-2000-00001", "--user", two.username, stdout=StringIO())
    out = StringIO()
    call_command("claim", "overdue", "--user", two.username, stdout=out)
    assert "Tidak ada klaim" in out.getvalue()


def test_who_may_not_decide_or_pay_is_told_so_first(admin_user, operator_a):
    """A village operator sending an incomplete rejection or payment meets the refusal of their role (403, the page's
    message), as with a complete one, not a remark on the input; an officer gets the remark on the field."""
    one, two, _far = officers()
    c = claim(admin_user, status=ClaimStatus.APPROVED, prepared_by=one, heirs=1)
    heir = c.heirs.get()
    village = api_client(operator_a)
    rejected = village("post", f"/claims/{c.number}/reject", {"code": "other", "note": " "})
    assert rejected.status_code == 403
    body = {"heir": heir.pk, "paid_on": clock.today().isoformat(), "reference": "  "}
    assert village("post", f"/claims/{c.number}/payments", body).status_code == 403
    page = _browser(operator_a).post(f"/klaim/{c.number}/bayar/{heir.pk}/", {
        "paid_on": clock.today().isoformat(), "reference": ""}, follow=True).content.decode()
    assert "Hanya petugas" in page
    bad = api_client(two)("post", f"/claims/{c.number}/payments", {**body, "bank": "BRI\u0007", "reference": "T-1"})
    assert bad.status_code == 422 and "bank" in bad.json()["error"]["fields"]
    assert not ClaimPayment.objects.exists()
