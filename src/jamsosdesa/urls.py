from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from jamsosdesa.accounts.views import set_language
from jamsosdesa.api import api
from jamsosdesa.billing.views_status import public_status
from jamsosdesa.imports.views import participants_export
from jamsosdesa.regions.views import region_search_partial


def favicon(request):
    """The icon's static address, asked when the page is (not at import: a hashed name needs the manifest)."""
    return HttpResponseRedirect(static("jamsosdesa/favicon.svg"))


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="participants:list", permanent=False)),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("bahasa/", set_language, name="set_language"),
    path("peserta/", include("jamsosdesa.participants.urls")),
    path("profil/", include("jamsosdesa.accounts.urls")),
    path("impor/", include("jamsosdesa.imports.urls")),
    path("iuran/", include("jamsosdesa.contributions.urls")),
    path("skema/", include("jamsosdesa.funding.urls")),
    path("tagihan/", include("jamsosdesa.billing.urls")),
    path("cakupan/", include("jamsosdesa.coverage.urls")),
    path("agen/", include("jamsosdesa.agents.urls")),
    path("klaim/", include("jamsosdesa.claims.urls")),
    path("peserta/ekspor.<str:fmt>", participants_export, name="participants_export"),
    path("wilayah/cari/", region_search_partial, name="region_search"),
    # A worker checks their own protection, without an account (billing: status on a date).
    path("cek-perlindungan/", public_status, name="public_status"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's, a PDF, an error): our icon, not a 404.
    path("favicon.ico", favicon),
]
