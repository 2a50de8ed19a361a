from django.urls import path  # noqa: F401

app_name = "agents"
# One block per part of issue 14 (wadah and agents, collections and deposits, incentives, the offline field app,
# the branch dashboards), each with its own views module.
urlpatterns = [
]

# --- H-A wadah and agents
# --- end H-A
# --- H-B collections and deposits
# --- end H-B
# --- H-C incentives
# --- end H-C
# --- H-D offline field app
# --- end H-D
