from django.urls import path  # noqa: F401

app_name = "claims"
# One block per part of issue 15 (benefit engine, claim file, decision and payment), each with its own views module.
urlpatterns = [
]

# --- C1 benefit engine
from . import views_quote  # noqa: E402

urlpatterns += [path("hitung/", views_quote.quote_page, name="quote")]
# --- end C1
# --- C2 claim file
# --- end C2
# --- C3 decision, payment and clock
# --- end C3
