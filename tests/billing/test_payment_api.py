"""The payment API: Idempotency-Key, the same 404 inside and outside, conflicts as 409, reversal (H3)."""

import pytest

from jamsosdesa.billing.models import Payment
from jamsosdesa.core import clock
from tests.billing.conftest import DESA_C, month, package, people
from tests.billing.payment_fixtures import assert_ledger_ok, due
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def body(nik, **more):
    return {"nik": nik, "amount": 16_800, "paid_on": clock.today().isoformat(), "reference": "TRF-1",
            "channel": "bank", **more}


def test_post_then_resend_with_the_same_key_gives_the_same_payment(operator_a):
    [p] = people(1)
    pkg = package(p, first=month(-1), last=month(-1))
    due(p, month(-1), membership=pkg)
    call = api_client(operator_a)
    first = call("post", "/payments", body(p.nik), **{"Idempotency-Key": "abc"})
    assert first.status_code == 201, first.json()
    assert first.json()["months"] == [f"{month(-1):%Y-%m}"] and first.json()["duplicate"] is False
    again = call("post", "/payments", body(p.nik), **{"Idempotency-Key": "abc"})
    assert again.status_code == 200 and again.json()["duplicate"] is True and again.json()["id"] == first.json()["id"]
    conflict = call("post", "/payments", body(p.nik, amount=20_000), **{"Idempotency-Key": "abc"})
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "idempotency_conflict"
    other_ref = call("post", "/payments", body(p.nik, amount=20_000))
    assert other_ref.status_code == 409 and other_ref.json()["error"]["code"] == "reference_conflict"
    assert Payment.objects.count() == 1
    assert_ledger_ok()


@pytest.mark.parametrize("amount", [0, -5, 25_000_001])
def test_a_bad_amount_is_422_naming_the_field(operator_a, amount):
    [p] = people(1)
    answer = api_client(operator_a)("post", "/payments", body(p.nik, amount=amount))
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"]["amount"][0].startswith("Jumlah harus bilangan bulat rupiah antara 1")


def test_a_non_integer_amount_is_refused_by_the_schema(operator_a):
    [p] = people(1)
    answer = api_client(operator_a)("post", "/payments", body(p.nik, amount="16800.5"))
    assert answer.status_code == 422 and "amount" in answer.json()["error"]["fields"]


def test_unknown_and_outside_the_region_answer_the_same_404(operator_a):
    [outside] = people(1, DESA_C)
    call = api_client(operator_a)
    unknown = call("post", "/payments", body("3311110101900999"))
    elsewhere = call("post", "/payments", body(outside.nik))
    assert unknown.status_code == elsewhere.status_code == 404
    strip = lambda r, n: r.json()["error"]["message"].replace(n, "N")  # noqa: E731
    assert strip(unknown, "3311110101900999") == strip(elsewhere, outside.nik)
    assert not Payment.objects.exists()


def test_list_masks_niks_and_detail_shows_allocations(operator_a, agent, branch):
    [p] = people(1)
    pkg = package(p, first=month(-1), last=month(-1))
    due(p, month(-1), membership=pkg)
    created = api_client(operator_a)("post", "/payments", body(p.nik, amount=20_000)).json()
    listed = api_client(agent)("get", "/payments").json()["items"]  # a list: NIKs masked as in other lists
    assert [item["id"] for item in listed] == [created["id"]] and listed[0]["nik"] != p.nik
    assert listed[0]["nik"][:4] == p.nik[:4] and listed[0]["nik"][-4:] == p.nik[-4:]
    detail = api_client(branch)("get", f"/payments/{created['id']}").json()
    assert [(a["month"], a["amount"], a["reversed"]) for a in detail["allocations"]] == [
        (f"{month(-1):%Y-%m}", 16_800, False)]
    assert detail["credits"] == [{"kind": "remainder", "amount": 3_200}]


def test_reverse_then_reverse_again_then_reverse_the_reversal(operator_a, branch):
    [p] = people(1)
    created = api_client(operator_a)("post", "/payments", body(p.nik)).json()
    call = api_client(branch)
    by_operator = api_client(operator_a)("post", f"/payments/{created['id']}/reverse", {"reason": "mistake"})
    assert by_operator.status_code == 403
    done = call("post", f"/payments/{created['id']}/reverse", {"reason": "bounced", "note": "ditolak bank"})
    assert done.status_code == 200
    twice = call("post", f"/payments/{created['id']}/reverse", {"reason": "bounced"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_reversed"
    of_reversal = call("post", f"/reversals/{done.json()['id']}/reverse")
    assert of_reversal.status_code == 409 and of_reversal.json()["error"]["code"] == "reversal_of_reversal"
    assert call("get", f"/payments/{created['id']}").json()["reversed"] is True
    assert_ledger_ok()


def test_a_nik_and_an_invoice_together_or_neither_are_refused_naming_the_field(operator_a):
    [p] = people(1)
    call = api_client(operator_a)
    both = call("post", "/payments", body(p.nik, invoice="INV/2026-12/S1-1"))
    assert both.status_code == 422 and "invoice" in both.json()["error"]["fields"]
    neither = call("post", "/payments", body(""))
    assert neither.status_code == 422 and "nik" in neither.json()["error"]["fields"]
    assert not Payment.objects.exists()
