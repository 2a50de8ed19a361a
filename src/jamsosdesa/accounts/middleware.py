from django.utils import translation


class UserLanguageMiddleware:
    """Activate the language a user chose: the session's choice, else Indonesian."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get("language") or "id"
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread serves the next request (or test) in the default language, not this user's.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
