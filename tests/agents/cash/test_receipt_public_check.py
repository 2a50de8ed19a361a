"""The worker checks a receipt's verification code on the public status page: whether it exists, its months and
amount, and whether the money reached BPJS or is still with the agent; rate-limited like the NIK check."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from jamsosdesa.core import clock
from jamsosdesa.core.money import rupiah
from tests.agents.cash.conftest import collect, deposit, worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def answer(code: str, client=None, **extra) -> tuple[int, str]:
    response = (client or Client()).post("/cek-perlindungan/", {"code": code}, **extra)
    found = re.search(r'id="receipt-answer">(.*?)</p>', response.content.decode(), re.S)
    return response.status_code, found.group(1).strip() if found else ""


def test_a_receipt_code_tells_months_amount_and_where_the_money_is(agent, branch):
    person = worker(agent)
    c = collect(agent, person, 2, collected_on=clock.today() - timedelta(days=3)).collection
    status, text = answer(c.verification_code.lower())
    assert status == 200 and "Kuitansi sah" in text and rupiah(c.amount) in text
    assert "Berisiko" in text and person.full_name not in text and person.nik not in text
    deposit(branch, agent, c.amount)
    assert "sudah disetor" in answer(c.verification_code)[1]


def test_a_fresh_receipt_is_with_the_agent_but_not_yet_at_risk(agent):
    c = collect(agent, worker(agent), 1).collection
    text = answer(c.verification_code)[1]
    assert "masih di agen" in text and "Berisiko" not in text


def test_an_unknown_or_malformed_code(agent):
    assert "Tidak ada kuitansi" in answer("ACDEFGHJ")[1]
    response = Client().post("/cek-perlindungan/", {"code": "12"})
    assert response.status_code == 200 and "8 huruf" in response.content.decode()


def test_too_many_code_checks_get_429(settings, agent):
    settings.STATUS_PUBLIC_RATE = 3
    client = Client()
    codes = [answer("ACDEFGHJ", client)[0] for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
