"""The agent's collections page (its cash in transit on top, the form that records one and leads to the receipt),
and the wadah's and branch's undeposited-cash list with its audited .xlsx export."""

from datetime import timedelta

import pytest
from django.test import Client

from jamsosdesa.agents.models import Collection
from jamsosdesa.core import clock
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.roles import Role
from tests.agents.cash.conftest import collect, worker
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_agent_records_a_collection_and_lands_on_its_receipt(agent):
    person = worker(agent)
    client = client_of(agent.user)
    form = client.get("/agen/penagihan/").content.decode()
    assert 'name="token"' in form
    response = client.post("/agen/penagihan/", {"nik": person.nik, "months": "1", "token": "abc-1"})
    c = Collection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/agen/kuitansi/{c.receipt_number}/"
    again = client.post("/agen/penagihan/", {"nik": person.nik, "months": "1", "token": "abc-1"})
    assert again["Location"] == response["Location"] and Collection.objects.count() == 1  # a double tap
    page = client.get("/agen/penagihan/").content.decode()
    assert c.receipt_number in page and rupiah(c.amount) in page and 'id="cash-in-transit"' in page


def test_a_refused_collection_shows_the_message_on_the_form(agent):
    client = client_of(agent.user)
    response = client.post("/agen/penagihan/", {"nik": "3311119999990001", "months": "1", "token": "t"})
    assert response.status_code == 200 and "tidak ada (atau di luar wilayah Anda)" in response.content.decode()


def test_the_branch_list_flags_old_cash_and_exports_it(agent, branch):
    collect(agent, worker(agent), 1, collected_on=clock.today() - timedelta(days=4))
    client = client_of(branch)
    page = client.get("/agen/uang-belum-disetor/").content.decode()
    assert 'class="flagged"' in page and "lewat batas" in page
    response = client.get("/agen/uang-belum-disetor/ekspor.xlsx")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(event_type="agent.exported", object_type="cash_in_transit").count() == 1


def test_an_operator_does_not_reach_the_cash_pages(db):
    client = client_of(make_user("op", Role.VILLAGE_OPERATOR, ["33.11.11.2004"]))
    assert client.get("/agen/penagihan/").status_code == 404
    assert client.get("/agen/uang-belum-disetor/").status_code == 404


def test_the_agents_list_marks_receipts_not_deposited_and_at_risk(agent, branch):
    from tests.agents.cash.conftest import deposit

    today = clock.today()
    late = collect(agent, worker(agent), 1, collected_on=today - timedelta(days=3)).collection
    fresh = collect(agent, worker(agent), 1).collection
    page = client_of(agent.user).get("/agen/penagihan/").content.decode()
    rows = {number: page.split(number, 2)[2].split("</tr>", 1)[0] for number in (late.receipt_number,
                                                                                  fresh.receipt_number)}
    assert "berisiko" in rows[late.receipt_number] and "belum disetor" in rows[fresh.receipt_number]
    deposit(branch, agent, late.amount)
    page = client_of(agent.user).get("/agen/penagihan/").content.decode()
    assert "berisiko" not in page.split(late.receipt_number, 2)[2].split("</tr>", 1)[0]
