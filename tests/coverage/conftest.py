"""Fixtures the coverage tests share; each part's ground lives in its own module, named here."""

# --- H2 targets and denominators -------------------------------------------------------------------------------------
from .region_fixtures import branch, official, official_gianyar  # noqa: F401
# --- end H2 targets and denominators -------------------------------------------------------------------------------
