"""The OpenAPI document declares the errors each operation can answer, with the one error body (issue 11): a
client generated from it, or a fuzzer checking statuses against it (tests/fuzz/run_schemathesis.py), meets no
status the document does not list. An operation added without its errors fails here."""

import json
from collections import Counter

import pytest
from django.test import Client
from ninja import Schema

from jamsosdesa.core.apierrors import ErrorOut, answers
from jamsosdesa.core.errors import ErrorCode
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

WRITES = {"post", "put", "patch", "delete"}
ERROR_REF = "#/components/schemas/ErrorOut"


@pytest.fixture
def document():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", method, operation


def errors_of(operation) -> dict[int, dict]:
    return {int(status): answer for status, answer in operation["responses"].items() if int(status) >= 400}


def test_the_document_has_operations(document):
    assert len(list(operations(document))) >= 16


def test_every_operation_declares_the_errors_any_request_can_meet(document):
    """401 without a login or token; 422 for a request the schema refuses or holding a NUL byte (the middleware
    refuses one in any query string, so even an operation without parameters can answer it)."""
    missing = {name: sorted({422, *([401] if op.get("security") else [])} - set(errors_of(op)))
               for name, _m, op in operations(document)}
    assert {name: gaps for name, gaps in missing.items() if gaps} == {}
    assert all(op.get("security") for _n, _m, op in operations(document))  # every operation asks for a login


def test_operations_with_a_path_parameter_declare_404(document):
    missing = [name for name, _m, op in operations(document)
               if any(p["in"] == "path" for p in op.get("parameters", [])) and 404 not in errors_of(op)]
    assert missing == []
    assert "GET /api/v1/participants/{nik}" in {name for name, _m, op in operations(document)
                                               if 404 in errors_of(op)}


def test_writes_declare_403(document):
    """A browser session's write without its CSRF token is refused with 403, whatever the operation."""
    missing = [name for name, method, op in operations(document) if method in WRITES and 403 not in errors_of(op)]
    assert missing == []


def test_every_error_answer_has_the_shared_error_body_and_names_its_codes(document):
    for name, _method, operation in operations(document):
        for status, answer in errors_of(operation).items():
            assert answer["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}, (name, status)
            assert "error.code: " in answer["description"], (name, status)
    body = document["components"]["schemas"]["ErrorDetailOut"]
    assert set(body["required"]) == {"code", "message", "fields"}


def test_the_codes_an_operation_raises_are_declared_under_their_status(document):
    ops = {name: op for name, _m, op in operations(document)}
    conflict = errors_of(ops["POST /api/v1/participants"])[409]["description"]
    assert all(code in conflict for code in ("nik_taken", "nik_refused", "kpj_taken", "confirmation_required"))
    assert "already_inactive" in errors_of(ops["POST /api/v1/participants/{nik}/deactivate"])[409]["description"]
    assert "no_rate" in errors_of(ops["GET /api/v1/contributions/quote"])[422]["description"]


def test_answers_maps_each_code_to_its_status():
    built = answers({200: dict}, ErrorCode.NOT_FOUND, ErrorCode.NIK_TAKEN, ErrorCode.INVALID)
    assert sorted(built["response"]) == [200, 401, 404, 409, 422]
    assert all(built["response"][s] is ErrorOut for s in (401, 404, 409, 422))
    assert built["openapi_extra"]["responses"][422]["description"].endswith(
        "; error.code: validation_error, bad_chars, invalid")


def test_no_two_api_schemas_share_a_name():
    """The document keeps one schema per name: the budget's months (MonthOut) replaced the quote's, so every
    quote answer broke its own documented shape (it has no per_person nor people)."""
    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    names = Counter(cls.__name__ for cls in set(every(Schema)) if cls.__module__.startswith("jamsosdesa."))
    assert [name for name, n in names.items() if n > 1] == []


def test_the_quote_months_are_documented_as_they_are_answered(document, admin_user):
    quote = api_client(admin_user)("get", "/contributions/quote?segment=BPU&income=1000000&months=2")
    assert quote.status_code == 200
    monthly = document["paths"]["/api/v1/contributions/quote"]["get"]["responses"]["200"]
    ref = monthly["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    item = document["components"]["schemas"][ref]["properties"]["monthly"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(document["components"]["schemas"][item]["required"]) == set(quote.json()["monthly"][0])


@pytest.mark.parametrize("call,status", [
    (("get", "/participants/3311110505900003"), 404),
    (("post", "/participants", {"nik": "1"}), 422),
    (("get", "/participants?q=%00"), 422),
])
def test_real_error_answers_match_the_documented_body(admin_user, call, status):
    response = api_client(admin_user)(*call)
    assert response.status_code == status
    ErrorOut.model_validate(json.loads(response.content))
