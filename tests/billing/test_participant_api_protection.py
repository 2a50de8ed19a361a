"""The participant API's list filters by protection status as the participant page does (the same registered
filter of participants.listfilters, the same values), within the user's scope, and the OpenAPI document names the
parameter and its values."""

import pytest

from jamsosdesa.billing.status_panel import PROTECTION_CHOICES
from tests.billing.conftest import DESA_B, month, people
from tests.billing.status_fixtures import fresh_policy_cache, history  # noqa: F401
from tests.conftest import api_client

pytestmark = pytest.mark.django_db


def test_the_api_list_filters_by_protection_status_within_the_users_scope(operator_a, operator_b):
    active, late, never = people(3)
    history(active, paid=[month(-1), month(0), month(1)])
    history(late, paid=[month(-3), month(-2)], unpaid=[month(-1)])
    other_desa, = people(1, DESA_B)
    history(other_desa, paid=[month(-3), month(-2)], unpaid=[month(-1)])
    call = api_client(operator_a)

    def listed(value: str) -> set[int]:
        answer = call("get", f"/participants?protection={value}&status=")
        assert answer.status_code == 200, answer.content
        return {item["id"] for item in answer.json()["items"]}

    assert listed("active") == {active.pk}
    assert listed("arrears") == {late.pk}
    assert listed("not_started") == {never.pk}
    assert listed("non_active") == set()
    assert listed("") == {active.pk, late.pk, never.pk}
    other = api_client(operator_b)("get", "/participants?protection=arrears").json()
    assert [i["id"] for i in other["items"]] == [other_desa.pk]


def test_an_unknown_protection_value_is_refused_with_422(operator_a):
    answer = api_client(operator_a)("get", "/participants?protection=bogus")
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "validation_error"
    assert "protection" in answer.json()["error"]["fields"]


def test_the_openapi_document_names_the_filter_and_its_values(client):
    schema = client.get("/api/v1/openapi.json").json()
    params = schema["paths"]["/api/v1/participants"]["get"]["parameters"]
    [protection] = [p for p in params if p["name"] == "protection"]
    assert protection["in"] == "query"
    assert set(protection["schema"]["enum"]) == {"", *(value for value, _label in PROTECTION_CHOICES)}
    assert "arrears" in protection["schema"]["description"] or "arrears" in protection.get("description", "")
