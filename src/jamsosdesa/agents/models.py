"""PERISAI agents (issue 14; design in docs/design/agents.md). The models live in one module per part and are
gathered here so Django finds them."""

from .models_wadah import Agent, AgentRules, AgentStatus, DeactivationReason, Wadah, WadahKind  # noqa: F401

# --- H-B collections and deposits
# isort: split
from .models_cash import Collection, Deposit, DepositChannel, DepositReversal, DepositSettlement  # noqa: F401

# isort: split
# --- end H-B
# --- H-C incentives
# isort: split
from .models_incentives import IncentiveKind, IncentiveLine, IncentiveRule, IncentiveRun  # noqa: F401, E402

# isort: split
# --- end H-C
# --- H-D offline field app
from .models_offline import ClientSubmission, SubmissionKind, SubmissionOutcome  # noqa: F401, E402
# --- end H-D
