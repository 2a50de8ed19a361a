from django.urls import path

from . import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("baru/", views.participant_register, name="register"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/ubah/", views.participant_edit, name="edit"),
    path("<int:pk>/nonaktifkan/", views.participant_deactivate, name="deactivate"),
    path("cek-nik/", views.nik_check_partial, name="nik_check"),
]
