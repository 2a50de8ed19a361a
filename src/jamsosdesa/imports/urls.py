from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_start, name="start"),
    path("templat.xlsx", views.import_template, name="template"),
    path("<int:pk>/", views.import_job, name="job"),
    path("<int:pk>/muat/", views.import_apply, name="apply"),
    path("<int:pk>/pemetaan/", views.import_mapping, name="mapping"),
    path("<int:pk>/ulang/", views.import_retry, name="retry"),
    path("<int:pk>/batal/", views.import_cancel, name="cancel"),
    path("<int:pk>/laporan.xlsx", views.import_report, name="report"),
]
