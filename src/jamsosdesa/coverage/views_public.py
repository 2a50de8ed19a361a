"""The public coverage pages (issue 13, item 7), without login: /cakupan/publik/ (the nation and one row per
province) and /cakupan/publik/<province>/ (the province and one row per kabupaten/kota).

They read only the snapshot through coverage.public (cached per snapshot day), may be kept by a proxy or browser
for PUBLIC_CACHE_SECONDS (`Cache-Control: public`; `private` on a first visit, see `_page`), and count requests
per client address (core.ratelimit; beyond settings.COVERAGE_PUBLIC_RATE an hour: 429). Any code that is not a
province: 404."""

from datetime import date

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from jamsosdesa.accounts.lockout import client_address
from jamsosdesa.core.ratelimit import over_limit

from .public import PUBLIC_CACHE_SECONDS, localized, public_figures


def _limited(request):
    if over_limit("coverage-public", client_address(request) or "-", limit=settings.COVERAGE_PUBLIC_RATE):
        response = render(request, "coverage/public_limited.html", status=429)
        response["Cache-Control"] = "no-store"
        response["Retry-After"] = "3600"
        return response
    return None


def _page(request, context: dict):
    """The page, cacheable for PUBLIC_CACHE_SECONDS. The layout's forms (language, logout) carry a CSRF token: a
    first visit's answer sets the visitor's new CSRF cookie, which a shared cache must never hand to everyone, so
    it is `private`; a visitor who has the cookie gets `public` and no refresh of the cookie (`Vary: Cookie` keeps
    a shared cache's copy for that cookie alone)."""
    response = render(request, "coverage/public.html", context)
    if settings.CSRF_COOKIE_NAME in request.COOKIES:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        response["Cache-Control"] = f"public, max-age={PUBLIC_CACHE_SECONDS}"
    else:
        response["Cache-Control"] = f"private, max-age={PUBLIC_CACHE_SECONDS}"
    return response


@require_safe
def public_nation(request):
    if (limited := _limited(request)) is not None:
        return limited
    tree = public_figures()
    if tree is None:
        return _page(request, {"tree": None, "region": None, "rows": []})
    return _page(request, {"tree": tree, "day": date.fromisoformat(tree["day"]), "region": localized(tree["nation"]),
                           "rows": [localized(r) for r in tree["provinces"]], "child_level": "provinsi"})


@require_safe
def public_province(request, province: str):
    if len(province) != 2 or not province.isascii() or not province.isdigit():
        raise Http404
    if (limited := _limited(request)) is not None:
        return limited
    tree = public_figures()
    if tree is None or province not in tree["kabupaten"]:
        from jamsosdesa.regions.models import Region

        if tree is None and Region.objects.filter(code=province, is_historical=False).exists():
            return _page(request, {"tree": None, "region": None, "rows": []})
        raise Http404
    region = next(r for r in tree["provinces"] if r["code"] == province)
    return _page(request, {"tree": tree, "day": date.fromisoformat(tree["day"]), "region": localized(region),
                           "rows": [localized(r) for r in tree["kabupaten"][province]], "child_level": "kabupaten",
                           "nation": tree["nation"]})
