"""A cash collection entered on the phone (issue 14 part D): sent through the agents' collection service with the
phone's token; a resend never records a second payment."""

import pytest

from jamsosdesa.agents.models import Collection
from jamsosdesa.billing.models import Payment
from tests.billing.conftest import package
from tests.conftest import DESA_C
from tests.funding.conftest import month, people

pytestmark = pytest.mark.django_db
TOKEN = "0a3c4e52-7b11-4c55-9d61-5e2f0b7d9c33"


@pytest.fixture
def person(agent):
    (someone,) = people(1)
    package(someone, first=month(0), agent=agent.user)
    return someone


def test_a_collection_sent_twice_is_one_payment(send, person):
    data = {"nik": person.nik, "months": "1"}
    first = send(TOKEN, data, kind="collection")
    again = send(TOKEN, data, kind="collection")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["outcome"] == "done", body
    assert again.status_code == 200 and again.json()["object_id"] == body["object_id"]
    collection = Collection.objects.get()
    assert Payment.objects.filter(participant_id=person.pk).count() == 1
    assert collection.receipt_number in body["label"]
    assert body["object_url"].endswith(f"/{collection.receipt_number}/")


def test_a_collection_with_another_body_under_the_same_token_is_a_conflict(send, person):
    assert send(TOKEN, {"nik": person.nik, "months": "1"}, kind="collection").json()["outcome"] == "done"
    answer = send(TOKEN, {"nik": person.nik, "months": "2"}, kind="collection")
    assert answer.status_code == 409
    assert Collection.objects.count() == 1 and Payment.objects.filter(participant_id=person.pk).count() == 1


def test_a_collection_for_someone_the_agent_does_not_collect_for_is_refused(send, agent):
    (stranger,) = people(1, DESA_C)  # outside the agent's desa, and its package is not the agent's
    package(stranger, first=month(0))
    body = send(TOKEN, {"nik": stranger.nik, "months": "1"}, kind="collection").json()
    assert body["outcome"] == "refused" and body["code"] == "not_found"
    assert not Collection.objects.exists() and not Payment.objects.filter(participant_id=stranger.pk).exists()


def test_a_collection_with_a_wrong_number_of_months_says_which_field(send, person):
    body = send(TOKEN, {"nik": person.nik, "months": "dua"}, kind="collection").json()
    assert body["outcome"] == "refused" and "months" in body["fields"]
    assert not Collection.objects.exists()


def test_the_outbox_links_the_receipt_of_a_collection(send, person, agent):
    from django.test import Client

    send(TOKEN, {"nik": person.nik, "months": "1"}, kind="collection")
    browser = Client(raise_request_exception=True)
    browser.force_login(agent.user)
    page = browser.get("/agen/lapangan/kiriman/").content.decode()
    assert f"/{Collection.objects.get().receipt_number}/" in page
