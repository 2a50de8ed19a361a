
import pytest
from django.test import Client

from jamsosdesa.accounts.models import ApiToken
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.participants.models import Participant
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

BODY = {"nik": "3311110505900003", "full_name": "Sugeng Riyadi", "birth_date": "1990-05-05", "sex": "L",
        "desa": "33.11.11.2004", "rt": "2", "rw": "1", "occupation": 9, "declared_income": 1000000,
        "heirs": [{"name": "Sri", "relation": "spouse"}]}


@pytest.fixture
def api(operator_a):
    return api_client(operator_a)


def test_create_get_list_update_deactivate(api):
    created = api("post", "/participants", BODY)
    assert created.status_code == 201, created.content
    assert created.json()["kab_code"] == "33.11" and created.json()["heirs"][0]["name"] == "Sri"
    assert api("get", "/participants/3311110505900003").json()["full_name"] == "Sugeng Riyadi"
    listed = api("get", "/participants?region=33.11.11&segment=BPU&status=active").json()
    assert listed["total"] == 1 and listed["items"][0]["desa_name"] == "Krajan"
    updated = api("patch", "/participants/3311110505900003", {"phone": "0899"})
    assert updated.status_code == 200 and updated.json()["phone"] == "0899"
    gone = api("post", "/participants/3311110505900003/deactivate", {"reason": "moved"})
    assert gone.json()["is_active"] is False
    assert api("get", "/participants?status=active").json()["total"] == 0
    # the API token the client uses is audited too (api_token.issued); this test follows the participant
    assert [e.event_type for e in AuditEvent.objects.filter(object_type="participant").order_by("id")] == [
        "participant.registered", "participant.updated", "participant.deactivated"]


def test_paging_walks_every_row_once(api, operator_a, register):
    from datetime import date, timedelta

    for i in range(7):
        d = date(1980, 1, 1) + timedelta(days=i)
        register(operator_a, nik=f"331111{d:%d%m%y}0001", birth_date=d, full_name=f"Orang {i}")
    seen, after = [], None
    while True:
        page = api("get", "/participants?limit=3" + (f"&after={after}" if after else "")).json()
        seen += [item["id"] for item in page["items"]]
        after = page["next_after"]
        if after is None:
            break
    assert len(seen) == len(set(seen)) == 7 and seen == sorted(seen, reverse=True)


@pytest.mark.parametrize("body,field", [
    ({k: v for k, v in BODY.items() if k != "nik"}, "nik"),
    ({**BODY, "birth_date": "31-02-1990"}, "birth_date"),
    ({**BODY, "declared_income": "banyak"}, "declared_income"),
    ({**BODY, "sex": "X"}, "sex"),
    ({**BODY, "heirs": [{"name": "A", "relation": "tetangga"}]}, "heirs.0.relation"),
])
def test_missing_fields_and_wrong_types_are_422_naming_the_field(api, body, field):
    response = api("post", "/participants", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]
    assert Participant.objects.count() == 0


@pytest.mark.parametrize("override,field", [
    ({"nik": "3311113102900001"}, "nik"), ({"desa": "99.99.99.9999"}, "desa"), ({"kpj": "123"}, "kpj"),
    ({"heirs": [{"name": "A", "relation": "child", "nik": "12"}]}, "heirs[0].nik"),
])
def test_domain_errors_are_422_with_a_stable_code(api, override, field):
    response = api("post", "/participants", {**BODY, **override})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid" and field in response.json()["error"]["fields"]
    assert Participant.objects.count() == 0


def test_duplicate_nik_is_409(api):
    api("post", "/participants", BODY)
    response = api("post", "/participants", BODY)
    assert response.status_code == 409 and response.json()["error"]["code"] == "nik_taken"


def test_warnings_need_confirmation(api):
    response = api("post", "/participants", {**BODY, "sex": "P"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "confirmation_required"
    assert response.json()["error"]["warnings"][0]["code"] == "nik_sex_mismatch"
    assert api("post", "/participants", {**BODY, "sex": "P", "confirm_warnings": True}).status_code == 201


def test_idempotency_key_makes_a_retry_safe(api):
    first = api("post", "/participants", BODY, **{"Idempotency-Key": "k-1"})
    second = api("post", "/participants", BODY, **{"Idempotency-Key": "k-1"})
    assert first.json()["id"] == second.json()["id"] and Participant.objects.count() == 1


def test_malformed_json_is_a_4xx_not_a_500(api):
    response = api("post", "/participants", "{not json")
    assert 400 <= response.status_code < 500


def test_nik_check_and_regions_endpoints(api):
    check = api("get", "/nik/check?nik=3311114506900001&sex=L").json()
    assert check["valid"] and check["sex"] == "P" and check["warnings"][0]["code"] == "nik_sex_mismatch"
    hits = api("get", "/regions?q=krajan&level=4").json()
    assert any(h["code"] == "33.11.11.2004" and "Gatak" in h["path"] for h in hits)
    region = api("get", "/regions/33.11.11.2004").json()
    assert [a["code"] for a in region["ancestors"]] == ["33", "33.11", "33.11.11"]
    assert api("get", "/regions/99.99").status_code == 404


def test_revoked_tokens_stop_working(operator_a):
    token, raw = ApiToken.issue(user=operator_a, name="x")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/participants").status_code == 200
    from django.utils import timezone

    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/v1/participants").status_code == 401


def test_openapi_document_is_served():
    doc = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/participants" in doc["paths"] and "/api/v1/nik/check" in doc["paths"]


def test_an_idempotency_key_is_the_callers_own(api, operator_b):
    """Two users choosing the same Idempotency-Key register two people: the key was global, so the second got a 409
    about a KPJ it never sent when the first was outside its area, and the first user's participant back (their
    person not registered, without a word) when it was inside."""
    from jamsosdesa.core.roles import Role
    from tests.conftest import make_user

    assert api("post", "/participants", BODY, **{"Idempotency-Key": "k-1"}).status_code == 201
    other_desa = {**BODY, "nik": "3311110606910004", "full_name": "Budi Santoso", "birth_date": "1991-06-06",
                  "desa": "33.11.11.2001"}
    outside = api_client(operator_b)("post", "/participants", other_desa, **{"Idempotency-Key": "k-1"})
    assert outside.status_code == 201, outside.content
    branch = api_client(make_user("cabang", Role.BRANCH_OFFICER, ["33.11"]))
    third = {**other_desa, "nik": "3311110707920005", "full_name": "Sri Wahyuni", "birth_date": "1992-07-07"}
    inside = branch("post", "/participants", third, **{"Idempotency-Key": "k-1"})
    assert inside.status_code == 201 and inside.json()["full_name"] == "Sri Wahyuni"
    assert Participant.objects.count() == 3
    again = branch("post", "/participants", third, **{"Idempotency-Key": "k-1"})  # a retry still finds its own
    assert again.json()["id"] == inside.json()["id"] and Participant.objects.count() == 3
