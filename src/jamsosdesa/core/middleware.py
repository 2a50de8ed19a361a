import json

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jamsosdesa.core.apierrors import too_big_body, unreadable_body
from jamsosdesa.core.errors import ErrorCode
from jamsosdesa.core.text import has_bad_chars

API_PREFIX = "/api/"


class JsonApiErrorsMiddleware:
    """Errors under /api/ that never reach the API's handlers (no such route, method not allowed)
    still answer in the API's error shape."""

    MESSAGES = {404: (ErrorCode.NOT_FOUND, _("Tidak ditemukan.")),
                405: (ErrorCode.METHOD_NOT_ALLOWED, _("Metode tidak diizinkan."))}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith(API_PREFIX) and response.status_code in self.MESSAGES
                and not response.get("Content-Type", "").startswith("application/json")):
            code, message = self.MESSAGES[response.status_code]
            body = {"error": {"code": code, "message": str(message), "fields": {}}}
            new = HttpResponse(json.dumps(body), status=response.status_code, content_type="application/json")
            if response.has_header("Allow"):
                new["Allow"] = response["Allow"]
            return new
        return response


def _bad_in(value, name: str) -> str | None:
    """The name of the first place in a decoded JSON value holding a NUL or a lone surrogate (`heirs[0].name`, as
    the services name fields), or None."""
    if isinstance(value, str):
        return name if has_bad_chars(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{name}.{key}" if name else str(key)
            found = name or "body" if has_bad_chars(str(key)) else _bad_in(item, inner)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _bad_in(item, f"{name}[{index}]")
            if found:
                return found
    return None


def _bad_place(request) -> str | None:
    if has_bad_chars(request.path):
        return "path"
    for key, values in request.GET.lists():
        if has_bad_chars(key) or any(has_bad_chars(v) for v in values):
            return key
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    if request.content_type == "application/json":
        try:
            return _bad_in(json.loads(request.body), "")
        except ValueError:  # not JSON at all: the API says so itself
            return None
    for key, values in request.POST.lists():
        if has_bad_chars(key) or any(has_bad_chars(v) for v in values):
            return key
    return None


class RefuseBadCharactersMiddleware:
    """A NUL byte or a lone surrogate in the address, a query parameter, a form field or a JSON body is refused
    here, once for every page and API operation, with a message naming the field: PostgreSQL can neither store
    nor compare text holding a NUL, so such a value reaching any query ended in a 500 (issue 11)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            where = _bad_place(request)
        except MultiPartParserError:  # e.g. multipart without its boundary: Django answers 400 for a page
            if not request.path.startswith(API_PREFIX):
                raise
            return HttpResponse(json.dumps(unreadable_body()), status=422, content_type="application/json")
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):  # a page gets Django's (our) 400 page
            if not request.path.startswith(API_PREFIX):
                raise
            return HttpResponse(json.dumps(too_big_body()), status=422, content_type="application/json")
        except RecursionError:  # a JSON body nested deeper than Python can read or walk (`[[[…]]]`): was a 500
            if not request.path.startswith(API_PREFIX):
                return self.get_response(request)  # pages read no JSON body
            return HttpResponse(json.dumps(unreadable_body()), status=422, content_type="application/json")
        if where is None:
            return self.get_response(request)
        message = gettext("Isian '%(f)s' berisi karakter yang tidak sah (mis. byte NUL). Hapus karakter itu lalu "
                          "kirim lagi.") % {"f": where}
        if request.path.startswith(API_PREFIX):
            body = {"error": {"code": ErrorCode.BAD_CHARS, "message": message, "fields": {where: [message]}}}
            return HttpResponse(json.dumps(body), status=422, content_type="application/json")
        # A page gets the app's own error page (menu, language switch, a way back) in the user's language.
        return render(request, "400.html", {"message": message}, status=400)


# Only this site's own scripts, styles, images and forms; no inline script, style or event handler attribute
# (the templates use app.js listeners and app.css classes), no framing.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every answer that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class NoStoreMiddleware:
    """Pages, exports and API answers hold personal data: no browser or proxy keeps a copy (`Cache-Control:
    no-store`), unless a view chose its own caching. Static files (whitenoise) never reach this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
