"""Coverage against targets (issue 13): targets, denominators, counting rules and outreach events per region."""

# --- H3 outreach events (issue 13 item 6): the model lives in models_events.py ------------------------------------
from .models_events import Audience, Organiser, OutreachEvent  # noqa: E402, F401
from .models_refresh import CoverageRefresh, RefreshTrigger, RefreshWatermark  # noqa: E402, F401  # H-refresh

# --- end H3 outreach events ---------------------------------------------------------------------------------------
# --- H4 counting rules (issue 13 item 3): the model lives in models_rules.py -------------------------------------
from .models_rules import CountingBasis, CountingRule  # noqa: E402, F401

# --- end H2 targets and denominators -------------------------------------------------------------------------------
# --- snapshots (coverage.snapshot) -----------------------------------------------------------------------------
from .models_snapshot import Snapshot  # noqa: E402, F401

# --- end H4 counting rules ---------------------------------------------------------------------------------------
# --- H2 targets and denominators: the models live in models_targets.py -------------------------------------------
from .models_targets import NATION, Denominator, DenominatorSource, Target  # noqa: E402, F401
