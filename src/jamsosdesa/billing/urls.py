from django.urls import path  # noqa: F401

app_name = "billing"
# One block per part of billing (packages, runs and invoices, payments and the queue, status, worklists,
# statements), each with its own views module.
urlpatterns = [
]
