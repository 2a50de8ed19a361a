from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("baru/", views.scheme_new, name="new"),
    path("<int:pk>/", views.scheme_detail, name="detail"),
    path("<int:pk>/ubah/", views.scheme_edit, name="edit"),
    path("<int:pk>/peserta/", views.scheme_enrolments, name="enrolments"),
    path("kepesertaan/<int:pk>/akhiri/", views.enrolment_end, name="end"),
    path("<int:pk>/daftarkan/", views.scheme_enrol, name="enrol"),
    path("<int:pk>/lembar-anggaran/", views.budget_sheet, name="sheet"),
    path("daftar/<int:pk>/", views.batch_report, name="batch"),
    path("daftar/<int:pk>/ulang/", views.batch_retry, name="batch_retry"),
    path("daftar/<int:pk>/batal/", views.batch_cancel, name="batch_cancel"),
]
