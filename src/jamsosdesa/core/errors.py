"""Errors a service raises for bad input: a stable code, a message, and messages per field.

The code says what went wrong (`ErrorCode`, or a domain's own code enum such as funding's `Refusal`, whose
values are the reasons a person cannot be enrolled); the API layer chooses the HTTP status for it
(`jamsosdesa.api`), pages and the command line show the message."""

from dataclasses import dataclass, field
from enum import Enum, StrEnum


class ErrorCode(StrEnum):
    """The `error.code` values of the API (and of every ServiceError not carrying a domain code)."""

    # any request
    INVALID = "invalid"  # a service refused the input; `fields` says where
    VALIDATION_ERROR = "validation_error"  # the request does not match the API schema
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"  # core.middleware: the route has no such method
    BAD_CHARS = "bad_chars"  # core.middleware: a NUL byte or a lone surrogate anywhere in the request
    HTTP_ERROR = "http_error"
    ACTOR_REFUSED = "actor_refused"  # core.access.actor_refusals: e.g. an inactive agent, a PKS not in force
    # participants
    NIK_TAKEN = "nik_taken"
    NIK_REFUSED = "nik_refused"  # a NIK this user may not register here (says nothing of whether it exists elsewhere)
    KPJ_TAKEN = "kpj_taken"
    KPJ_REFUSED = "kpj_refused"  # a KPJ this user may not register here (as NIK_REFUSED: says nothing of its holder)
    CONFIRMATION_REQUIRED = "confirmation_required"  # warnings to confirm (`warnings`), then send again
    ALREADY_INACTIVE = "already_inactive"
    # files and background jobs
    FILE_TOO_LARGE = "file_too_large"
    FILE_EMPTY = "file_empty"
    FILE_GONE = "file_gone"
    NOT_READY = "not_ready"
    JOB_ACTIVE = "job_active"
    # funding schemes and enrolments (a person refused by a scheme carries funding's Refusal code instead)
    OUTSIDE_REGION = "outside_region"
    SCHEME_ENDED = "scheme_ended"
    BAD_PERIOD = "bad_period"
    ALREADY_ENDED = "already_ended"
    NOT_REGISTERED = "not_registered"
    # contribution quotes
    BAD_SEGMENT = "bad_segment"
    PROGRAMME_REQUIRED = "programme_required"
    PROGRAMME_NOT_ALLOWED = "programme_not_allowed"
    NO_RATE = "no_rate"
    BAD_RISK_CLASS = "bad_risk_class"
    BAD_CONTRACT_VALUE = "bad_contract_value"
    BAD_CONTRACT_MONTHS = "bad_contract_months"
    BAD_INCOME = "bad_income"
    INCOME_NOT_ALLOWED = "income_not_allowed"
    BAD_COUNT = "bad_count"
    # billing: payments, reversals (H3)
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"  # the same Idempotency-Key with another request
    REFERENCE_CONFLICT = "reference_conflict"  # the same channel and reference with another amount or target
    TOO_FAR_AHEAD = "too_far_ahead"  # a payment that would pay beyond BILLING_MAX_MONTHS_AHEAD
    ALREADY_REVERSED = "already_reversed"
    REVERSAL_OF_REVERSAL = "reversal_of_reversal"
    # billing: the worker's own package (H1)
    PACKAGE_OPEN = "package_open"  # the person has an open package already: change or end it
    NO_PACKAGE = "no_package"  # no open package to change or end
    MONTH_PAID = "month_paid"  # a change or end taking effect from a month already paid
    SEGMENT_NOT_ALLOWED = "segment_not_allowed"  # a package for PU, PMI or Jakon (BPU only for now)


@dataclass
class ServiceError(Exception):
    code: Enum  # an ErrorCode (a plain string is taken as one) or a domain's code enum
    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)

    def __post_init__(self):
        if not isinstance(self.code, Enum):
            try:
                self.code = ErrorCode(self.code)
            except ValueError:
                raise ValueError(f"Unknown error code {self.code!r}: add it to core.errors.ErrorCode.") from None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def as_dict(self) -> dict:
        body = {"code": str(self.code), "message": self.message, "fields": self.fields}
        if self.warnings:
            body["warnings"] = self.warnings
        return body


class NotFound(ServiceError):
    def __init__(self, message: str = "Tidak ditemukan."):
        super().__init__(code=ErrorCode.NOT_FOUND, message=message)


class PermissionDenied(ServiceError):
    def __init__(self, message: str):
        super().__init__(code=ErrorCode.FORBIDDEN, message=message)


def put_on_form(form, fields: dict[str, list[str]], *, aliases: dict[str, str] | None = None,
                otherwise: str = "") -> None:
    """Show a service's messages on a Django form: each on its field (named as `aliases` says where the form
    calls it differently), the ones for fields the form lacks above it; `otherwise` above it when no field
    is named."""
    for name, messages in fields.items():
        target = (aliases or {}).get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
    if not fields and otherwise:
        form.add_error(None, otherwise)


class FieldErrors:
    """Collects messages per field while a service checks its input; `raise_if_any` raises them together."""

    def __init__(self, message: str):
        self.message = message  # may name the first problem with %(first)s
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(str(message))

    def raise_if_any(self) -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise ServiceError(code=ErrorCode.INVALID, message=self.message % {"first": first} if "%(first)s" in
                               self.message else self.message, fields=self.fields)
