from django.utils import translation


class UserLanguageMiddleware:
    """Activate the language a user chose: the session's choice, else Indonesian."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get("language") or "id"
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
