"""The claim page stands when one of its parts cannot be worked out: a JKM claim whose event day has no scholarship
rule in force (an administrator removed it, or the day is before the rule began) shows the claim and says why the
scholarships are missing, instead of an error page."""

import pytest
from django.test import Client

from jamsosdesa.claims.models import BenefitParameter, Claim
from jamsosdesa.claims.parameters import param_cache_clear
from tests.claims.file_world import day, fresh_param_cache, protected  # noqa: F401 (fresh_param_cache: a fixture)

pytestmark = pytest.mark.django_db


def test_a_claim_without_a_scholarship_rule_on_its_day_still_opens_and_says_why(operator_a):
    person = protected()
    client = Client()
    client.force_login(operator_a)
    client.post("/klaim/lapor/", {"nik": person.nik, "kind": "jkm", "event_date": day(-1, 10).isoformat(),
                                  "event_place": "Krajan"})
    claim = Claim.objects.get()
    BenefitParameter.objects.filter(code__startswith="scholarship").delete()
    param_cache_clear()
    page = client.get(f"/klaim/{claim.number}/")
    body = page.content.decode()
    assert page.status_code == 200 and claim.number in body
    assert 'id="scholarship-problem"' in body and "scholarship_cap_per_child" in body
