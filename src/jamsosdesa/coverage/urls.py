from django.urls import path  # noqa: F401

app_name = "coverage"
# One block per part of coverage (targets, denominators, outreach events, counting rules, dashboards), each with
# its own views module.
urlpatterns = [
]

# --- H3 outreach events -------------------------------------------------------------------------------------------
from . import views_events  # noqa: E402

urlpatterns += [
    path("sosialisasi/", views_events.event_list, name="events"),
    path("sosialisasi/baru/", views_events.event_new, name="event_new"),
    path("sosialisasi/<int:pk>/", views_events.event_detail, name="event"),
    path("sosialisasi/<int:pk>/ubah/", views_events.event_edit, name="event_edit"),
]
# --- end H3 outreach events ---------------------------------------------------------------------------------------

# --- H2 targets and denominators -------------------------------------------------------------------------------------
from . import views_denominators, views_targets  # noqa: E402

urlpatterns += [
    path("target/", views_targets.target_index, name="targets"),
    path("target/riwayat/<int:pk>/", views_targets.target_history, name="target_history"),
    path("target/<str:region>/", views_targets.region_targets, name="region_targets"),
    path("penduduk-bekerja/", views_denominators.denominator_index, name="denominators"),
    path("penduduk-bekerja/impor/", views_denominators.denominator_import, name="denominator_import"),
    path("penduduk-bekerja/<str:region>/", views_denominators.region_denominators, name="region_denominators"),
]
# --- end H2 targets and denominators -------------------------------------------------------------------------------

# --- H4 prospects ---------------------------------------------------------------------------------------------------
from . import views_prospects  # noqa: E402

urlpatterns += [
    path("prospek/", views_prospects.prospect_list, name="prospects"),
    path("prospek/ekspor.xlsx", views_prospects.prospect_export, name="prospects_export"),
]
# --- end H4 prospects -----------------------------------------------------------------------------------------------

# --- H-refresh: the snapshot refresh job (progress page, admin button) -----------------------------------------------
from . import views_refresh  # noqa: E402

urlpatterns += [
    path("potret/", views_refresh.refresh_list, name="refreshes"),
    path("potret/perbarui/", views_refresh.refresh_start, name="refresh_start"),
    path("potret/<int:pk>/", views_refresh.refresh_detail, name="refresh"),
]
# --- end H-refresh ---------------------------------------------------------------------------------------------------

# --- H-public: the public coverage page (no login) -------------------------------------------------------------------
from . import views_public  # noqa: E402

urlpatterns += [
    path("publik/", views_public.public_nation, name="public"),
    path("publik/<str:province>/", views_public.public_province, name="public_province"),
]
# --- end H-public ----------------------------------------------------------------------------------------------------

# --- H-dashboard: the coverage dashboard (keep last: its region pages catch codes) -----------------------------------
from . import views_dashboard  # noqa: E402

urlpatterns += [
    path("", views_dashboard.dashboard_home, name="dashboard_home"),
    path("wilayah/<str:region>/", views_dashboard.dashboard, name="dashboard"),
    path("wilayah/<str:region>/cetak/", views_dashboard.dashboard_print, name="dashboard_print"),
    path("wilayah/<str:region>/ekspor.xlsx", views_dashboard.dashboard_export, name="dashboard_export"),
]
# --- end H-dashboard -------------------------------------------------------------------------------------------------
