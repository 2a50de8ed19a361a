from django.urls import path  # noqa: F401

app_name = "agents"
# One block per part of issue 14 (wadah and agents, collections and deposits, incentives, the offline field app,
# the branch dashboards), each with its own views module.
urlpatterns = [
]

# --- H-A wadah and agents
from . import views_wadah  # noqa: E402

urlpatterns += [
    path("", views_wadah.agent_index, name="agents"),
    path("wadah/", views_wadah.wadah_index, name="wadah_list"),
    path("wadah/baru/", views_wadah.wadah_new, name="wadah_new"),
    path("wadah/<int:pk>/", views_wadah.wadah_detail, name="wadah"),
    path("wadah/<int:pk>/ubah/", views_wadah.wadah_edit, name="wadah_edit"),
    path("wadah/<int:pk>/agen-baru/", views_wadah.agent_new, name="agent_new"),
    path("<int:pk>/", views_wadah.agent_detail, name="agent"),
    path("<int:pk>/ubah/", views_wadah.agent_edit, name="agent_edit"),
    path("<int:pk>/nonaktifkan/", views_wadah.agent_deactivate_view, name="agent_deactivate"),
    path("<int:pk>/aktifkan/", views_wadah.agent_reactivate_view, name="agent_reactivate"),
    path("aturan/", views_wadah.rules_page, name="rules"),
]
# --- end H-A
# --- H-B collections and deposits
from . import views_cash  # noqa: E402

urlpatterns += [
    path("penagihan/", views_cash.collections, name="collections"),
    path("kuitansi/<str:number>/", views_cash.receipt, name="receipt"),
    path("uang-belum-disetor/", views_cash.cash_list, name="cash_in_transit"),
    path("uang-belum-disetor/ekspor.xlsx", views_cash.cash_export, name="cash_export"),
]
# --- end H-B
# --- H-C incentives
from . import views_incentives as inc  # noqa: E402

urlpatterns += [
    path("insentif/", inc.incentive_runs, name="incentive_runs"),
    path("insentif/jalankan/", inc.incentive_run_start, name="incentive_run_start"),
    path("insentif/aturan/", inc.incentive_rules, name="incentive_rules"),
    path("insentif/<int:pk>/", inc.incentive_run, name="incentive_run"),
    path("<int:pk>/insentif/<str:month>/", inc.incentive_agent, name="incentive_agent"),
    path("<int:pk>/insentif/<str:month>.xlsx", inc.incentive_agent_export, name="incentive_agent_export"),
    path("wadah/<int:pk>/insentif/<str:month>/", inc.incentive_wadah, name="incentive_wadah"),
    path("wadah/<int:pk>/insentif/<str:month>.xlsx", inc.incentive_wadah_export, name="incentive_wadah_export"),
]
# --- end H-C
# --- H-D offline field app
from . import views_field  # noqa: E402

urlpatterns += [
    path("lapangan/", views_field.field_home, name="field_home"),
    path("lapangan/daftar/", views_field.field_register, name="field_register"),
    path("lapangan/tagih/", views_field.field_collect, name="field_collect"),
    path("lapangan/kiriman/", views_field.field_outbox, name="field_outbox"),
    path("lapangan/sw.js", views_field.field_service_worker, name="field_sw"),
    path("lapangan/manifest.webmanifest", views_field.field_manifest, name="field_manifest"),
]
# --- end H-D
# --- H-E rankings
from . import views_rankings  # noqa: E402

urlpatterns += [
    path("peringkat/", views_rankings.rankings, name="rankings"),
    path("peringkat/ekspor.xlsx", views_rankings.rankings_export, name="rankings_export"),
]
# --- end H-E
