"""The PERISAI agents API: one router that the project's API mounts; each part of issue 14 adds its own router."""

from ninja import Router

router = Router()

# --- H-A wadah and agents
from .api_wadah import router as wadah_router  # noqa: E402

router.add_router("", wadah_router)
# --- end H-A
# --- H-B collections and deposits
from .api_cash import router as cash_router  # noqa: E402

router.add_router("", cash_router)
# --- end H-B
# --- H-C incentives
from .api_incentives import router as incentives_router  # noqa: E402

router.add_router("", incentives_router)
# --- end H-C
# --- H-D offline field app
from .api_field import router as field_router  # noqa: E402

router.add_router("", field_router)
# --- end H-D
# --- H-E rankings
from .api_rankings import router as rankings_router  # noqa: E402

router.add_router("", rankings_router)
# --- end H-E
