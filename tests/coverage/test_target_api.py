"""/api/v1/coverage/targets: the same service through the API, its refusals with their codes and statuses."""

import pytest

from jamsosdesa.coverage.models import Target
from tests.conftest import api_client

from .region_fixtures import DESA_A, DESA_B, this_year

pytestmark = pytest.mark.django_db


def test_set_list_and_history_through_the_api(operator_a):
    call = api_client(operator_a)
    body = {"region": DESA_A, "year": this_year(), "count": 1000, "village_role": "rt_head"}
    answer = call("post", "/coverage/targets", body)
    assert answer.status_code == 200, answer.content
    made = answer.json()
    assert made["changed"] and made["region_name"] == "Krajan" and made["village_role"] == "rt_head"
    assert call("post", "/coverage/targets", {**body, "count": 1100}).json()["count"] == 1100
    listed = call("get", f"/coverage/targets?region={DESA_A}").json()
    assert [(t["count"], t["set_by"]) for t in listed] == [(1100, "op_a")]
    call("post", "/coverage/targets", {"region": DESA_A, "year": this_year() + 1, "count": 1500})
    pages = [call("get", f"/coverage/targets?limit=1&offset={n}").json() for n in (0, 1, 2)]
    assert [[t["year"] for t in page] for page in pages] == [[this_year() + 1], [this_year()], []]
    history = call("get", f"/coverage/targets/{made['id']}/history").json()
    assert [(h["old"] and h["old"]["count"], h["new"]["count"], h["actor"]) for h in history] == [
        (None, 1000, "op_a"), (1000, 1100, "op_a")]


def test_the_api_refuses_bad_input_with_its_code(operator_a, official):
    call = api_client(operator_a)
    cases = [
        ({"region": "33.99", "year": this_year(), "count": 1}, 422, "invalid", "region"),
        ({"region": DESA_A, "year": this_year() - 1, "count": 1}, 422, "bad_period", "year"),
        ({"region": DESA_A, "year": this_year(), "count": -1}, 422, "invalid", "count"),
        ({"region": DESA_B, "year": this_year(), "count": 1}, 404, "not_found", None),
        ({"region": "33.11", "year": this_year(), "count": 1}, 403, "forbidden", None),  # its kabupaten: seen
    ]
    for body, status, code, field in cases:
        answer = call("post", "/coverage/targets", body)
        assert answer.status_code == status, (body, answer.content)
        error = answer.json()["error"]
        assert error["code"] == code and (field is None or field in error["fields"]), body
    assert call("get", f"/coverage/targets?region={DESA_B}").status_code == 404
    theirs = Target.objects.create(region_code=DESA_B, year=this_year(), due_date=f"{this_year()}-12-31", count=5)
    assert call("get", f"/coverage/targets/{theirs.pk}/history").status_code == 404
    assert Target.objects.count() == 1
