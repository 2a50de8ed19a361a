from django.urls import path

from . import views

app_name = "contributions"
urlpatterns = [
    path("simulasi/", views.quote_page, name="quote"),
]
