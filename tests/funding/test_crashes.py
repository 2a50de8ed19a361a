"""Input the outside review's fuzzing turned into 500s (issue 11, "Crashes"): each now gets a 422 with a message
in the user's language, on SQLite and PostgreSQL."""

import io
from unittest import mock

import pytest

from jamsosdesa.funding.lists import parse_quotas
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


NUL_NIK = "33111105059000\x003"


@pytest.mark.parametrize("path,body,field", [
    ("/schemes", dict(scheme_json(), quotas={"33.11.11.2004\x00": 3}), "quotas"),
    ("/schemes", dict(scheme_json(), name="Skema\x00"), "name"),
    ("/schemes", dict(scheme_json(), welfare_niks=[NUL_NIK], requires_welfare_list=True), "welfare_niks[0]"),
])
def test_a_nul_byte_anywhere_in_an_api_body_names_the_field(official, path, body, field):
    answer = api_client(official)("post", path, body)
    assert answer.status_code == 422, answer.content
    error = answer.json()["error"]
    assert error["code"] == "bad_chars" and f"Isian '{field}' berisi karakter yang tidak sah" in error["message"]
    assert not Scheme.objects.exists()


def test_a_nul_byte_in_a_nik_list_or_a_query_is_refused_before_any_query(official):
    api = api_client(official)
    pk = api("post", "/schemes", scheme_json()).json()["id"]
    for method, path, body, field in [("post", f"/schemes/{pk}/enrolments", {"niks": [NUL_NIK]}, "niks[0]"),
                                      ("post", f"/schemes/{pk}/enrolments", {"region": "33.11\x00"}, "region"),
                                      ("get", f"/schemes/{pk}/enrolments?desa=33.11%00", None, "desa"),
                                      ("get", "/participants?q=ab%00c", None, "q"),
                                      ("get", "/regions/33%00", None, "path")]:
        answer = api(method, path, body)
        assert answer.status_code == 422 and answer.json()["error"]["fields"] == {field: mock.ANY}, answer.content


def test_a_nul_byte_in_a_nik_list_file_is_refused_as_no_nik_and_the_rest_enrols(official):
    from jamsosdesa.funding import services
    from jamsosdesa.funding.models import Candidate

    api = api_client(official)
    scheme = Scheme.objects.get(pk=api("post", "/schemes", scheme_json()).json()["id"])
    worker = people(1)[0]
    # blank lines first: a NUL in the first 4 KB makes the file "no spreadsheet" (a message, no crash, already)
    upload = io.BytesIO(("NIK" + "\n" * 5000 + f"{NUL_NIK}\n{worker.nik}\n").encode())
    upload.name = "dtks.csv"
    batch = services.enrolment_submit(actor=official, scheme=scheme, request=services.EnrolmentRequest(file=upload))
    assert batch.enrolled == 1 and batch.refused == 1
    assert Candidate.objects.get(batch=batch, participant__isnull=True).nik == "331111050590003?"


def test_a_nul_byte_in_a_quota_line_names_the_line():
    with pytest.raises(ValueError, match="Baris 2"):
        parse_quotas(["33.11.11.2004=5", "33.11.11.2001\x00=3"])


def test_a_nul_byte_in_a_page_form_is_refused_with_a_message(official, client):
    client.force_login(official)
    answer = client.get("/peserta/?q=ab%00c")
    assert answer.status_code == 400 and "berisi karakter yang tidak sah" in answer.content.decode()
    answer = client.post("/skema/baru/", {"name": "Skema\x00"})
    assert answer.status_code == 400 and "Isian &#x27;name&#x27;" in answer.content.decode()


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])  # a date field reads these; 120 months on is year 10000
def test_a_month_out_of_range_on_the_quote_and_scheme_pages_is_a_message(operator_a, official, client, month):
    from .test_scheme_pages import form, logged_in

    client.force_login(operator_a)
    query = {"segment": "BPU", "programmes": ["JKK", "JKM"], "income": "1000000", "month": month, "payer": "self",
             "sector": "umum", "people": "1", "months": "120"}
    page = client.get("/iuran/simulasi/", query)
    assert page.status_code == 200 and f"Bulan &#x27;{month}&#x27; tidak dikenal" in page.content.decode()
    for field in ("start_month", "end_month"):
        page = logged_in(official).post("/skema/baru/", form(**{field: month}))
        assert page.status_code == 200 and f"Bulan &#x27;{month}&#x27; tidak dikenal" in page.content.decode()
    assert not Scheme.objects.exists()


def test_a_month_of_year_zero_is_a_message_on_the_command_line():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="0000-01"):
        call_command("contribution", "quote", "--segment", "bpu", "--month", YEAR_ZERO)
    with pytest.raises(CommandError, match="9999-12"):
        call_command("contribution", "quote", "--segment", "bpu", "--month", "9999-12", "--months", "120")
    with pytest.raises(CommandError, match="--months harus 1 sampai 120"):
        call_command("contribution", "quote", "--segment", "bpu", "--month", "2199-12", "--months", "100000")
