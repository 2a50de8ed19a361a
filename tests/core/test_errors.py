"""Error codes are one enum in core; the API layer, not the domain error, chooses the HTTP status."""

import dataclasses
import re
from pathlib import Path

import pytest

from jamsosdesa.api import status_for
from jamsosdesa.core.errors import ErrorCode, NotFound, PermissionDenied, ServiceError
from jamsosdesa.funding.models import Refusal

SRC = Path(__file__).resolve().parents[2] / "src" / "jamsosdesa"


def test_a_service_error_carries_an_error_code_and_no_http_status():
    assert "status" not in {f.name for f in dataclasses.fields(ServiceError)}
    error = ServiceError(code="nik_taken", message="NIK sudah terdaftar.")
    assert error.code is ErrorCode.NIK_TAKEN and error.as_dict()["code"] == "nik_taken"
    assert NotFound().code is ErrorCode.NOT_FOUND and PermissionDenied("x").code is ErrorCode.FORBIDDEN
    with pytest.raises(ValueError, match="ErrorCode"):
        ServiceError(code="nik_takne", message="typo")


def test_a_domain_keeps_its_own_code_enum():
    error = ServiceError(code=Refusal.TOO_OLD, message="Terlalu tua.")
    assert error.code is Refusal.TOO_OLD and error.as_dict()["code"] == "too_old"


def test_the_api_chooses_the_status_of_each_code():
    assert [status_for(c) for c in (ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND)] == [
        401, 403, 404]
    assert {status_for(c) for c in (ErrorCode.NIK_TAKEN, ErrorCode.KPJ_TAKEN, ErrorCode.CONFIRMATION_REQUIRED,
                                    ErrorCode.ALREADY_INACTIVE, ErrorCode.NOT_READY)} == {409}
    assert {status_for(c) for c in (ErrorCode.INVALID, ErrorCode.FILE_TOO_LARGE, ErrorCode.NO_RATE,
                                    ErrorCode.ALREADY_ENDED, Refusal.QUOTA)} == {422}


def test_every_code_written_in_the_source_is_in_the_enum():
    written = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'(?:ServiceError|Invalid|QuoteError)\((?:code=)?"([a-z_]+)"', text))
        assert "status=" not in "".join(re.findall(r"ServiceError\([^)]*\)", text)), path
    assert written <= set(ErrorCode), written - set(ErrorCode)


@pytest.mark.django_db
def test_the_errors_answered_before_the_api_are_coded_from_the_enum_too(operator_a):
    """No route, a method the route lacks, a NUL byte: the middleware answers these, with codes from ErrorCode."""
    from django.test import Client

    client = Client()
    client.force_login(operator_a)
    answers = [client.get("/api/v1/nope"), client.delete("/api/v1/participants"),
               client.get("/api/v1/participants?q=%00")]
    assert [a.status_code for a in answers] == [404, 405, 422]
    codes = [a.json()["error"]["code"] for a in answers]
    assert codes == ["not_found", "method_not_allowed", "bad_chars"]
    assert set(codes) <= set(ErrorCode)
