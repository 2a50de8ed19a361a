"""The outreach (sosialisasi) event code a registration carries: which event brought the person in.

The events themselves belong to coverage, which sits above participants in the layers (an event's page counts how
many of its registrations are still protected, which needs billing's status). So the registry stores the code as a
plain field (`Participant.outreach_code`) and asks, through `outreach_code_lookups`, which codes exist: coverage
registers its lookup from its `AppConfig.ready()`. With no lookup registered, no code is known and every code is
refused (never silently kept).

The registration form, the API and the file import all reach the check through the participant field cleaner
(`participants.fields`, `Facts.outreach_code_known`), so an unknown code gets the same code and words everywhere.
"""

from collections.abc import Callable, Iterable

from jamsosdesa.core.registry import Registry

# A lookup answers, for some normalised codes, the ones that name an existing event (one query for all of them).
OutreachLookup = Callable[[list[str]], set[str]]
outreach_code_lookups: Registry[OutreachLookup] = Registry("lookups of outreach event codes")

CODE_MAX_LENGTH = 12


def normalize_outreach_code(text: str) -> str:
    """A code as it is compared and stored: capitals, without spaces, dashes or dots ('sos-7k3p' -> 'SOS7K3P')."""
    return "".join(ch for ch in str(text or "").upper() if ch.isascii() and ch.isalnum())


def known_outreach_codes(codes: Iterable[str]) -> set[str]:
    """Which of these normalised codes exist (asked of every registered lookup)."""
    codes = sorted({c for c in codes if c})
    found: set[str] = set()
    if not codes:
        return found
    for lookup in outreach_code_lookups:
        found |= lookup(codes)
    return found


def outreach_code_checker() -> Callable[[str], bool]:
    """`known(code)` for one normalised code at a time, each code asked of the database once (an import of a
    million rows carrying a handful of codes asks a handful of times)."""
    answers: dict[str, bool] = {}

    def known(code: str) -> bool:
        if code not in answers:
            answers[code] = code in known_outreach_codes([code])
        return answers[code]

    return known
