from django.urls import path  # noqa: F401

app_name = "coverage"
# One block per part of coverage (targets, denominators, outreach events, counting rules, dashboards), each with
# its own views module.
urlpatterns = [
]
