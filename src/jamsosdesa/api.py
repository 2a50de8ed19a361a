"""The JSON API under /api/v1/ (django-ninja). Errors always have the shape
{"error": {"code": ..., "message": ..., "fields": {field: [messages]}}}; a service's field errors also come
with their codes in "field_errors": [{"field": ..., "code": ..., "message": ...}]."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer, django_auth

from jamsosdesa.accounts.models import ApiToken
from jamsosdesa.core.apierrors import status_for, unreadable_body  # each code's HTTP status: core.apierrors.STATUS
from jamsosdesa.core.errors import ErrorCode, ServiceError


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="jamsosdesa API",
    version="1",
    description="Registri peserta jaminan sosial ketenagakerjaan desa.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    # Swagger UI from ninja's own static files ("ninja" in INSTALLED_APPS), within the site's CSP; without the
    # validator badge, which would send the schema's address to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


def error_response(request, status: int, code: str, message: str, fields=None, **extra):
    body = {"code": str(code), "message": message, "fields": fields or {}}
    body.update(extra)
    return api.create_response(request, {"error": body}, status=status)


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "header")]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        raised = (err.get("ctx") or {}).get("error") if err.get("type") == "value_error" else None
        message = str(raised) if raised is not None else err.get("msg", "")  # our own message, no "Value error, "
        fields.setdefault(_field_name(err.get("loc", ())), []).append(message)
    return error_response(request, 422, ErrorCode.VALIDATION_ERROR,
                          _("Isian tidak valid: %(f)s.") % {"f": ", ".join(fields)}, fields)


@api.exception_handler(ServiceError)
def on_service_error(request, exc: ServiceError):
    extra = {"warnings": exc.warnings} if exc.warnings else {}
    if getattr(exc, "field_errors", None):  # each field's message with its code (participants.fields.Code)
        extra["field_errors"] = exc.field_errors
    return error_response(request, status_for(exc.code), exc.code, exc.message, exc.fields, **extra)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error_response(request, 401, ErrorCode.UNAUTHENTICATED,
                          _("Masuk dulu atau sertakan token API yang berlaku."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, ErrorCode.NOT_FOUND, _("Tidak ditemukan."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400:  # django-ninja could not parse the body: a refused input (422), as documented
        return api.create_response(request, unreadable_body(), status=422)
    if exc.status_code == 403:  # django-ninja's only one: a session's write without its CSRF token
        return error_response(request, 403, ErrorCode.FORBIDDEN, _(
            "Permintaan ditolak: penulisan lewat sesi browser perlu header X-CSRFToken (nilai cookie csrftoken). "
            "Program lain memakai token API (Authorization: Bearer <token>)."))
    return error_response(request, exc.status_code, ErrorCode.HTTP_ERROR, str(exc))


from jamsosdesa.billing.api_packages import router as billing_packages_router  # noqa: E402
from jamsosdesa.billing.api_payments import router as billing_payments_router  # noqa: E402
from jamsosdesa.billing.api_runs import router as billing_runs_router  # noqa: E402
from jamsosdesa.billing.api_status import router as billing_status_router  # noqa: E402
from jamsosdesa.contributions.api import router as contributions_router  # noqa: E402
from jamsosdesa.funding.api import router as funding_router  # noqa: E402
from jamsosdesa.participants.api import router as participants_router  # noqa: E402
from jamsosdesa.regions.api import router as regions_router  # noqa: E402

api.add_router("/regions", regions_router, tags=["wilayah"])
api.add_router("/contributions", contributions_router, tags=["iuran"])
api.add_router("/", funding_router, tags=["skema pembiayaan"])
api.add_router("/", participants_router, tags=["peserta"])
api.add_router("/", billing_packages_router, tags=["iuran mandiri"])
api.add_router("/", billing_runs_router, tags=["penagihan"])
api.add_router("/", billing_payments_router, tags=["pembayaran"])
api.add_router("/", billing_status_router, tags=["status perlindungan"])
from jamsosdesa.billing.api_bpjs import router as billing_bpjs_router  # noqa: E402 (H8)

api.add_router("/", billing_bpjs_router, tags=["pencocokan BPJS"])
from jamsosdesa.coverage.api import router as coverage_router  # noqa: E402

api.add_router("/", coverage_router, tags=["cakupan"])

from jamsosdesa.agents.api import router as agents_router  # noqa: E402

api.add_router("/", agents_router, tags=["agen PERISAI"])

from jamsosdesa.claims.api import router as claims_router  # noqa: E402

api.add_router("/", claims_router, tags=["klaim"])
