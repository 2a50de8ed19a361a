"""The API's error answers, shared by every router: the body they all have (`ErrorOut`), the HTTP status of each
error code (`status_for`), and `answers()`, which builds an operation's documented responses from the error codes
it can raise, so that the OpenAPI document says every status an operation really gives (issue 11).

Every operation is behind a login (401), and every request may be refused for its input (422: the schema's
`validation_error`, the middleware's `bad_chars`); `answers()` adds these to what an operation names itself. A
write (POST, PATCH) names FORBIDDEN at least: a browser session without its CSRF token is refused with 403
(tests/core/test_openapi_errors.py checks this and the rest against each operation's path, method and inputs)."""

from enum import Enum
from http import HTTPStatus
from typing import Any

from django.utils.translation import gettext
from ninja import Field, Schema

from .errors import ErrorCode


class FieldErrorOut(Schema):
    field: str
    code: str
    message: str


class ErrorDetailOut(Schema):
    code: str = Field(..., description="ErrorCode, or a domain's own code (e.g. an enrolment refusal)")
    message: str
    fields: dict[str, list[str]] = Field(..., description="Messages per field (empty when none is to blame)")
    warnings: list[dict] | None = Field(None, description="confirmation_required: the warnings to confirm")
    field_errors: list[FieldErrorOut] | None = Field(None, description="Each field's message with its code")


class ErrorOut(Schema):
    error: ErrorDetailOut


# The HTTP status of each error code; any other code (a refused input, a domain's own code such as an enrolment
# refusal) is 422.
STATUS = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.ACTOR_REFUSED: 403,  # the user may not act today (core.access.actor_refusals)
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.NIK_TAKEN: 409,
    ErrorCode.NIK_REFUSED: 409,
    ErrorCode.KPJ_TAKEN: 409,
    ErrorCode.KPJ_REFUSED: 409,
    ErrorCode.CONFIRMATION_REQUIRED: 409,
    ErrorCode.ALREADY_INACTIVE: 409,
    ErrorCode.NOT_READY: 409,
    ErrorCode.FILE_GONE: 409,
    ErrorCode.JOB_ACTIVE: 409,
    # billing: payments, reversals (H3)
    ErrorCode.IDEMPOTENCY_CONFLICT: 409,
    ErrorCode.REFERENCE_CONFLICT: 409,
    ErrorCode.ALREADY_REVERSED: 409,
    ErrorCode.REVERSAL_OF_REVERSAL: 409,
    # billing: the worker's own package: the request is sound, the package's present state refuses it
    ErrorCode.PACKAGE_OPEN: 409,
    ErrorCode.NO_PACKAGE: 409,
    ErrorCode.MONTH_PAID: 409,
}

# What any operation of the API can answer, whatever it does.
ALWAYS = (ErrorCode.UNAUTHENTICATED, ErrorCode.VALIDATION_ERROR, ErrorCode.BAD_CHARS)


def status_for(code) -> int:
    return STATUS.get(code, 422)


def unreadable_body() -> dict:
    """The 422 body for a request whose body cannot be read at all (not JSON; a multipart without its boundary):
    a refused input like any other, where Django and django-ninja answered 400, which no operation documents."""
    message = gettext("Isi permintaan tidak dapat dibaca: kirim JSON yang sah.")
    return {"error": {"code": str(ErrorCode.VALIDATION_ERROR), "message": message, "fields": {"body": [message]}}}


def too_big_body() -> dict:
    """The 422 body for a request Django refuses to read (larger than DATA_UPLOAD_MAX_MEMORY_SIZE, or more fields
    or files than allowed), where Django answered its HTML 400 page under /api/ too."""
    message = gettext("Isi permintaan terlalu besar atau berisi terlalu banyak isian; kirim lebih sedikit data "
                      "sekaligus.")
    return {"error": {"code": str(ErrorCode.VALIDATION_ERROR), "message": message, "fields": {"body": [message]}}}


def answers(ok: dict[int, Any], *codes: Enum, more: str = "") -> dict:
    """The `response=` and `openapi_extra=` of an operation: its own answers (`{200: ParticipantOut}`) and one
    ErrorOut answer per status among ALWAYS and `codes`, each described with the `error.code` values it carries
    (`more`: a sentence added to the 422 description, e.g. "or a refusal code")."""
    by_status: dict[int, list[str]] = {}
    for code in (*ALWAYS, *codes):
        by_status.setdefault(status_for(code), [])
        if str(code) not in by_status[status_for(code)]:
            by_status[status_for(code)].append(str(code))
    if 403 in by_status and ErrorCode.HTTP_ERROR not in by_status[403]:
        by_status[403].append(f"{ErrorCode.HTTP_ERROR} (CSRF check of a browser session)")
    response = dict(ok)
    described = {}
    for status in sorted(by_status):
        response[status] = ErrorOut
        text = f"{HTTPStatus(status).phrase}; error.code: {', '.join(by_status[status])}"
        described[status] = {"description": text + (f" {more}" if more and status == 422 else "")}
    return {"response": response, "openapi_extra": {"responses": described}}
