import json

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/"


class JsonApiErrorsMiddleware:
    """Errors under /api/ that never reach the API's handlers (no such route, method not allowed)
    still answer in the API's error shape."""

    MESSAGES = {404: ("not_found", _("Tidak ditemukan.")), 405: ("method_not_allowed", _("Metode tidak diizinkan."))}

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
