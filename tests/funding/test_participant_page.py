"""Funding's panel on the participant page (registered from funding's app, participants does not import
funding): the schemes paying for the person, with the link to end an enrolment for those who may end it."""

import pytest
from django.test import Client

from jamsosdesa.core.roles import Role
from jamsosdesa.funding.models import Enrolment
from tests.conftest import DESA_A, make_user

from .conftest import month, people

pytestmark = pytest.mark.django_db


def _page(user, person) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/peserta/{person.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_lists_the_paying_schemes_and_offers_to_end_only_to_who_may(make_scheme, operator_a):
    scheme = make_scheme(quota_per_desa=None)
    paid, unpaid = people(2, DESA_A)
    enrolment = Enrolment.objects.create(scheme=scheme, participant=paid, desa_code=DESA_A, kab_code=paid.kab_code,
                                         start_month=month(0), end_month=month(5), cost=6 * 16_800)
    end_link = f"/skema/kepesertaan/{enrolment.pk}/akhiri/"
    shown = _page(operator_a, paid)
    assert "Dibiayai skema" in shown and scheme.name in shown and end_link in shown
    agent = make_user("agen_a", Role.PERISAI_AGENT, [DESA_A])  # sees the person, does not end enrolments
    shown = _page(agent, paid)
    assert scheme.name in shown and end_link not in shown
    assert "Belum dibiayai skema mana pun." in _page(operator_a, unpaid)
