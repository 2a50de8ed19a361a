from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("<int:pk>/", views.scheme_detail, name="detail"),
    path("<int:pk>/daftarkan/", views.scheme_enrol, name="enrol"),
    path("<int:pk>/lembar-anggaran/", views.budget_sheet, name="sheet"),
    path("daftar/<int:pk>/", views.batch_report, name="batch"),
]
