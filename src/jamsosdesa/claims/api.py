"""The claims API: one router that the project's API mounts; each part of issue 15 adds its own router."""

from ninja import Router

router = Router()

# --- C1 benefit engine
from .api_quote import router as quote_router  # noqa: E402

router.add_router("", quote_router)
# --- end C1
# --- C2 claim file
from .api_file import router as file_router  # noqa: E402

router.add_router("", file_router)
# --- end C2
# --- C3 decision, payment and clock
from .api_decision import router as decision_router  # noqa: E402

router.add_router("", decision_router)
# --- end C3
# --- scholarships (proposal, four-eyes decision, payment)
from .api_scholarship import router as scholarship_router  # noqa: E402

router.add_router("", scholarship_router)
# --- end scholarships
