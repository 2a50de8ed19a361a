from django.urls import path

from . import views, views_bpjs, views_statements

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
    # H5: statements (payment lists and MT940 bank statements)
    path("rekening/", views_statements.statement_start, name="statement_start"),
    path("rekening/<int:pk>/", views_statements.statement_job, name="statement"),
    path("rekening/<int:pk>/catat/", views_statements.statement_apply, name="statement_apply"),
    path("rekening/<int:pk>/pemetaan/", views_statements.statement_mapping, name="statement_mapping"),
    path("rekening/<int:pk>/ulang/", views_statements.statement_retry, name="statement_retry"),
    path("rekening/<int:pk>/laporan.xlsx", views_statements.statement_report, name="statement_report"),
    # H8: a BPJS list to cross-check (its result pages are billing's: billing:bpjs_list)
    path("bpjs/", views_bpjs.bpjs_start, name="bpjs_start"),
    path("bpjs/<int:pk>/pemetaan/", views_bpjs.bpjs_mapping, name="bpjs_mapping"),
]
