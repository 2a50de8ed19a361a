"""The receipt page: number, name with a masked NIK, months, amount in figures and words, agent, date, code; a
share button and a WhatsApp link; scoped to the agent, its wadah and its branch (404 for anyone else)."""

import pytest
from django.test import Client

from jamsosdesa.core.money import rupiah, terbilang
from jamsosdesa.core.roles import Role
from tests.agents.cash.conftest import collect, make_agent, worker
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _get(user, number):
    client = Client()
    client.force_login(user)
    return client.get(f"/agen/kuitansi/{number}/")


def test_the_receipt_shows_what_the_worker_keeps(agent):
    person = worker(agent)
    c = collect(agent, person, 3).collection
    response = _get(agent.user, c.receipt_number)
    page = response.content.decode()
    assert response.status_code == 200
    for text in (c.receipt_number, person.full_name, person.nik[:4] + "••••••••" + person.nik[12:], rupiah(c.amount),
                 terbilang(c.amount), c.verification_code, "data-share", "https://wa.me/?text=", "data-print",
                 "agents_cash.css"):
        assert text in page, text
    assert person.nik not in page


def test_the_wadah_and_the_branch_see_it_and_no_one_else(agent, branch):
    c = collect(agent, worker(agent), 1).collection
    manager = make_user("pengelola", Role.WADAH_MANAGER)
    agent.wadah.managers.add(manager)
    other_manager = make_user("pengelola_lain", Role.WADAH_MANAGER)
    other = make_agent("agen_lain", wadah=agent.wadah)
    klaten = make_user("cabang_klaten", Role.BRANCH_OFFICER, ["33.10"])
    operator = make_user("op_krajan", Role.VILLAGE_OPERATOR, ["33.11.11.2004"])
    codes = {name: _get(user, c.receipt_number).status_code for name, user in (
        ("manager", manager), ("branch", branch), ("other manager", other_manager), ("other agent", other.user),
        ("klaten", klaten), ("operator", operator))}
    assert codes == {"manager": 200, "branch": 200, "other manager": 404, "other agent": 404, "klaten": 404,
                     "operator": 404}
    assert _get(agent.user, "KW-3311-000000-99999").status_code == 404
