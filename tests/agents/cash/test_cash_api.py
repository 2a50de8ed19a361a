"""The cash API: a collection recorded with a client token (a resend answers 200 with the same receipt), the lists,
a deposit and the cash in transit, each scoped."""

import pytest

from jamsosdesa.agents.models import Collection
from jamsosdesa.core import clock
from tests.agents.cash.conftest import worker
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def test_collect_resend_deposit_and_cash_through_the_api(agent, branch):
    person = worker(agent)
    call = api_client(agent.user)
    body = {"nik": person.nik, "months": 2, "client_token": "0f1e2d3c-aaaa"}
    first = call("post", "/agent-collections", body)
    assert first.status_code == 201, first.content
    again = call("post", "/agent-collections", body)
    assert again.status_code == 200 and again.json()["duplicate"] and again.json()["id"] == first.json()["id"]
    conflict = call("post", "/agent-collections", {**body, "months": 1})
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "idempotency_conflict"
    assert Collection.objects.count() == 1
    amount = first.json()["amount"]
    assert [c["receipt_number"] for c in call("get", "/agent-collections").json()["items"]] == [
        first.json()["receipt_number"]]
    office = api_client(branch)
    too_much = office("post", "/agent-deposits", {"agent": agent.user.username, "channel": "bank",
                                                  "reference": "TRF-9", "amount": amount + 1})
    assert too_much.status_code == 422 and too_much.json()["error"]["code"] == "deposit_too_large"
    made = office("post", "/agent-deposits", {"agent": agent.user.username, "channel": "bank", "reference": "TRF-9",
                                              "amount": amount - 100, "deposited_on": clock.today().isoformat()})
    assert made.status_code == 201 and made.json()["settlements"][0]["amount"] == amount - 100
    (row,) = office("get", "/agent-cash").json()
    assert (row["agent"], row["undeposited"], row["flagged"]) == (agent.user.username, 100, False)
    assert office("get", "/agent-deposits").json()["items"][0]["reference"] == "TRF-9"


def test_bad_collections_answer_with_their_codes(agent):
    call = api_client(agent.user)
    person = worker(agent)
    zero = call("post", "/agent-collections", {"nik": person.nik, "months": 1, "amount": 0})
    assert zero.status_code == 422 and "amount" in zero.json()["error"]["fields"]
    unknown = call("post", "/agent-collections", {"nik": "3311119999990001", "months": 1})
    assert unknown.status_code == 404
    wrong = call("post", "/agent-collections", {"nik": person.nik, "months": 1, "amount": 1000})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "not_whole_months"


def test_an_operator_has_no_cash_lists(db):
    from jamsosdesa.core.roles import Role
    from tests.conftest import make_user

    call = api_client(make_user("op", Role.VILLAGE_OPERATOR, ["33.11.11.2004"]))
    assert call("get", "/agent-collections").status_code == 404
    assert call("get", "/agent-cash").status_code == 404


def test_the_lists_read_settlements_once_for_the_page(agent, branch, django_assert_max_num_queries):
    """What was settled of each collection, and each deposit's settlements and reversal, come with the page's
    queries, not one query more per row."""
    from tests.agents.cash.conftest import collect, deposit

    amounts = [collect(agent, worker(agent), 1).collection.amount for _n in range(4)]
    for amount in amounts[:3]:  # oldest first: the first three collections
        deposit(branch, agent, amount)
    call, office = api_client(agent.user), api_client(branch)
    with django_assert_max_num_queries(4):
        collections = call("get", "/agent-collections").json()["items"]
    assert len(collections) == 4 and sorted(c["settled"] for c in collections) == sorted([0, *amounts[:3]])
    with django_assert_max_num_queries(5):
        deposits = office("get", "/agent-deposits").json()["items"]
    assert len(deposits) == 3 and all(len(d["settlements"]) == 1 and not d["reversed"] for d in deposits)
