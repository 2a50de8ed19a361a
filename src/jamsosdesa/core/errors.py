"""Errors a service raises for bad input: a stable code, a message, and messages per field."""

from dataclasses import dataclass, field


@dataclass
class ServiceError(Exception):
    code: str
    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)
    status: int = 422

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": self.message, "fields": self.fields}
        if self.warnings:
            body["warnings"] = self.warnings
        return body


class NotFound(ServiceError):
    def __init__(self, message: str = "Tidak ditemukan."):
        super().__init__(code="not_found", message=message, status=404)


class PermissionDenied(ServiceError):
    def __init__(self, message: str):
        super().__init__(code="forbidden", message=message, status=403)


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
            raise ServiceError(code="invalid", message=self.message % {"first": first} if "%(first)s" in
                               self.message else self.message, fields=self.fields)
