"""The coverage API: one router that the project's API mounts; each part of coverage adds its own router here."""

from ninja import Router

router = Router()

# --- H3 outreach events -------------------------------------------------------------------------------------------
from .api_events import router as events_router  # noqa: E402

router.add_router("", events_router)
# --- end H3 outreach events ---------------------------------------------------------------------------------------

# --- H2 targets and denominators -------------------------------------------------------------------------------------
from .api_denominators import router as denominators_router  # noqa: E402
from .api_targets import router as targets_router  # noqa: E402

router.add_router("", targets_router)
router.add_router("", denominators_router)
# --- end H2 targets and denominators -------------------------------------------------------------------------------

# --- H4 prospects -----------------------------------------------------------------------------------------------------
from .api_prospects import router as prospects_router  # noqa: E402

router.add_router("", prospects_router)
from .api_rules import router as rules_router  # noqa: E402

router.add_router("", rules_router)
# --- end H4 prospects -------------------------------------------------------------------------------------------------

# --- H-dashboard: a region's figures --------------------------------------------------------------------------------
from .api_figures import router as figures_router  # noqa: E402

router.add_router("", figures_router)
# --- end H-dashboard -------------------------------------------------------------------------------------------------

# --- H-refresh: the snapshot refresh job ------------------------------------------------------------------------------
from .api_refresh import router as refresh_router  # noqa: E402

router.add_router("", refresh_router)
# --- end H-refresh ---------------------------------------------------------------------------------------------------
