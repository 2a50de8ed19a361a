"""Input the outside review's fuzzing turned into 500s (issue 11, "Crashes"): each now gets a 422 with a message
in the user's language, on SQLite and PostgreSQL."""

import pytest

from jamsosdesa.funding.models import Scheme
from tests.conftest import api_client

from .conftest import month_text, people
from .test_api import scheme_json

pytestmark = pytest.mark.django_db

YEAR_ZERO = "0000-01"


def _says_month_is_unknown(response, field: str):
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]
    assert "Bulan '0000-01' tidak dikenal" in error["fields"][field][0], error


def test_a_month_of_year_zero_is_refused_by_the_quote_api(admin_user):
    api = api_client(admin_user)
    _says_month_is_unknown(api("get", f"/contributions/quote?segment=BPU&month={YEAR_ZERO}"), "month")
    late = api("get", "/contributions/quote?segment=BPU&month=9999-12&months=120")  # would step past year 9999
    assert late.status_code == 422 and "month" in late.json()["error"]["fields"]


def test_a_month_of_year_zero_is_refused_when_creating_enrolling_and_ending(official):
    api = api_client(official)
    _says_month_is_unknown(api("post", "/schemes", dict(scheme_json(), start_month=YEAR_ZERO)), "start_month")
    _says_month_is_unknown(api("post", "/schemes", dict(scheme_json(), end_month=YEAR_ZERO)), "end_month")
    assert not Scheme.objects.exists()
    pk = api("post", "/schemes", scheme_json()).json()["id"]
    people(1)
    _says_month_is_unknown(api("post", f"/schemes/{pk}/enrolments", {"region": "33.11", "start_month": YEAR_ZERO}),
                           "start_month")
    enrolled = api("post", f"/schemes/{pk}/enrolments", {"region": "33.11"})
    assert enrolled.status_code == 201 and enrolled.json()["enrolled"] == 1
    enrolment = api("get", f"/schemes/{pk}/enrolments").json()[0]["id"]
    _says_month_is_unknown(api("post", f"/enrolments/{enrolment}/end", {"last_month": YEAR_ZERO, "reason": "died"}),
                           "last_month")
    ended = api("post", f"/enrolments/{enrolment}/end", {"last_month": month_text(0), "reason": "died"})
    assert ended.status_code == 200


def test_an_offset_beyond_bigint_is_refused_not_a_crash(official):
    api = api_client(official)
    pk = api("post", "/schemes", scheme_json()).json()["id"]
    listed = api("get", f"/schemes/{pk}/enrolments?offset=99999999999999999999")
    assert listed.status_code == 422 and "offset" in listed.json()["error"]["fields"], listed.content
    assert api("get", f"/schemes/{pk}/enrolments?offset={2**63 - 1}").json() == []
    people(2)
    assert api("get", "/participants?after=99999999999999999999").status_code == 200
