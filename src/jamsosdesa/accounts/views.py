from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsosdesa.core.access import user_region_codes
from jamsosdesa.regions.models import Region

from .models import ApiToken


@require_POST
def set_language(request):
    language = request.POST.get("language", "id")
    if language not in ("id", "en"):
        language = "id"
    request.session["language"] = language
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)


@login_required
def profile(request):
    new_token = request.session.pop("new_token", None)
    regions = Region.objects.filter(code__in=user_region_codes(request.user))
    return render(request, "accounts/profile.html", {
        "tokens": request.user.api_tokens.all(), "new_token": new_token, "regions": regions,
    })


@login_required
@require_POST
def token_create(request):
    name = " ".join(request.POST.get("name", "").split())[:60] or _("Token tanpa nama")
    _token, raw = ApiToken.issue(user=request.user, name=name)
    request.session["new_token"] = raw
    messages.success(request, _("Token dibuat. Salin sekarang: token ini tidak akan ditampilkan lagi."))
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    token.revoke(actor=request.user)
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("accounts:profile")
