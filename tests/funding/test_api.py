"""Schemes, enrolments and budget figures through /api/v1."""

import pytest

from jamsosdesa.funding.models import Enrolment, Scheme
from tests.conftest import DESA_A, DESA_B, api_client

from .conftest import month_text, people

pytestmark = pytest.mark.django_db


def scheme_json() -> dict:
    """The scheme of tests/funding/conftest.py as the API takes it: six months from this one."""
    return {"name": "Satu Desa 100 Pekerja Rentan", "payer_type": "apbd", "owner_code": "33.11",
            "legal_basis_number": "Perbup Sukoharjo 12/2026", "legal_basis_date": "2026-10-01",
            "start_month": month_text(0), "end_month": month_text(5), "budget_ceiling": 2_000_000_000,
            "quota_per_desa": 100}


def test_a_district_runs_its_scheme_through_the_api(official, operator_a):
    api = api_client(official)
    created = api("post", "/schemes", scheme_json())
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["programmes"] == ["JKK", "JKM"] and created.json()["start_month"] == month_text(0)
    people(3, DESA_A)
    people(1, DESA_B, village_role="rt_head")
    batch = api("post", f"/schemes/{pk}/enrolments", {"region": "33.11.11", "village_role": "vulnerable_worker",
                                                       "start_month": month_text(0)})
    assert batch.status_code == 201 and batch.json()["enrolled"] == 3, batch.content
    budget = api("get", f"/schemes/{pk}/budget").json()
    assert budget["committed"] == 3 * 100_800 and budget["remaining"] == 2_000_000_000 - 302_400
    assert next(d for d in budget["desa"] if d["code"] == DESA_A)["room"] == 97
    listed = api("get", f"/schemes/{pk}/enrolments").json()
    assert len(listed) == 3 and listed[0]["cost"] == 100_800
    ended = api("post", f"/enrolments/{listed[0]['id']}/end", {"last_month": month_text(0), "reason": "died"})
    assert ended.status_code == 200 and ended.json()["ended"] and ended.json()["cost"] == 16_800
    # the village operator sees the district scheme and its own desa's figures only
    mine = api_client(operator_a)("get", f"/schemes/{pk}/budget").json()
    assert [d["code"] for d in mine["desa"]] == [DESA_A] and mine["whole_scheme"] is False


def test_refusals_and_bad_input_answer_with_codes(official, official_gianyar):
    api = api_client(official)
    too_big = api("post", "/schemes", scheme_json() | {"budget_ceiling": 1_000_000})
    assert too_big.status_code == 422 and "budget_ceiling" in too_big.json()["error"]["fields"]
    bad_month = api("post", "/schemes", scheme_json() | {"end_month": f"{month_text(5)[:4]}-13"})
    assert bad_month.status_code == 422 and "end_month" in bad_month.json()["error"]["fields"]
    assert not Scheme.objects.exists()
    pk = api("post", "/schemes", scheme_json()).json()["id"]
    old = people(1, DESA_A, born=__import__("datetime").date(1950, 1, 1))[0]
    refused = api("post", f"/schemes/{pk}/enrolments", {"nik": old.nik, "start_month": month_text(0)})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "too_old"
    assert api("post", f"/schemes/{pk}/enrolments", {"nik": "3311110101010001"}).status_code == 404
    listed = api("post", f"/schemes/{pk}/enrolments", {"niks": [old.nik, "3311110101010001"]}).json()
    assert sorted(r["reason"] for r in listed["refusals"]) == ["not_registered", "too_old"]
    assert not Enrolment.objects.exists()
    outside = api("post", f"/schemes/{pk}/enrolments", {"region": "51.04"})
    assert outside.status_code == 422 and outside.json()["error"]["fields"]["region"]
    other = api_client(official_gianyar)
    assert other("get", f"/schemes/{pk}").status_code == 404
    assert other("get", f"/schemes/{pk}/budget").status_code == 404
    assert other("post", f"/schemes/{pk}/enrolments", {"niks": [old.nik]}).status_code == 404
