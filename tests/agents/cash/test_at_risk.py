"""A worker whose money an agent collected more than the rules' days ago and has not deposited is at risk: on the
participant's status panel, in the status API and on the public check; billing's derived status is unchanged."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from jamsosdesa.agents.cash import at_risk
from jamsosdesa.billing.status import status_of
from jamsosdesa.core import clock
from tests.agents.cash.conftest import collect, deposit, worker
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

RISK = "Berisiko: iuran diterima agen"


@pytest.fixture(autouse=True)
def fresh_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _late(agent, days=3):
    person = worker(agent)
    c = collect(agent, person, 2, collected_on=clock.today() - timedelta(days=days)).collection
    return person, c


def test_at_risk_only_past_the_days_and_until_deposited(agent, branch):
    late, late_c = _late(agent, 3)
    fresh, _c = _late(agent, 2)  # two days: not yet past the default 2
    assert at_risk([late.pk, fresh.pk]) == {late.pk: late_c.collected_on}
    deposit(branch, agent, late_c.amount - 1)
    assert late.pk in at_risk([late.pk])  # a rupiah still with the agent
    deposit(branch, agent, 1)
    assert at_risk([late.pk]) == {}


def test_billings_status_is_unchanged_and_the_panel_says_at_risk(agent):
    person, c = _late(agent)
    assert status_of(person).status == "active"
    client = Client()
    client.force_login(agent.user)
    page = client.get(f"/peserta/{person.pk}/").content.decode()
    assert 'id="protection-at_risk"' in page and RISK in page


def test_the_status_api_names_the_overlay(agent):
    person, c = _late(agent)
    body = api_client(agent.user)("get", f"/participants/{person.pk}/status").json()
    assert body["status"] == "active"
    assert [(o["kind"], o["protected"], o["since"]) for o in body["overlays"]] == [
        ("at_risk", False, c.collected_on.isoformat())]


def test_the_public_check_says_at_risk_instead_of_protected(agent, branch):
    person, c = _late(agent)
    page = Client().post("/cek-perlindungan/", {"nik": person.nik, "birth_date": person.birth_date.isoformat()})
    answer = re.search(r'id="answer">(.*?)</p>', page.content.decode(), re.S).group(1)
    assert RISK in answer and "belum disetor ke BPJS" in answer and "Terlindungi" not in answer
    deposit(branch, agent, c.amount)
    page = Client().post("/cek-perlindungan/", {"nik": person.nik, "birth_date": person.birth_date.isoformat()})
    assert "Terlindungi sampai" in page.content.decode()


def test_the_public_check_of_someone_else_at_risk_tells_nothing(agent):
    person, _c = _late(agent)
    wrong = person.birth_date.replace(day=person.birth_date.day % 28 + 1)
    page = Client().post("/cek-perlindungan/", {"nik": person.nik, "birth_date": wrong.isoformat()})
    assert RISK not in page.content.decode()
