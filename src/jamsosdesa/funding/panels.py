"""Funding's panel on the participant page: the schemes that pay (or paid) for the person, each with a link to
end the enrolment for whoever may end it."""

from .access import can_end_enrolment
from .selectors import participant_enrolments


def participant_schemes(*, user, participant) -> dict:
    return {"enrolments": [(e, can_end_enrolment(user, e))
                           for e in participant_enrolments(user=user, participant=participant)]}
