"""Writes for funding, one module per use case: schemes (create, change, welfare list), enrolment (the set-based
enrolment of candidates), batches (enrolment as a background job on core.jobs) and ending (an enrolment ends).
Reads (quotas, committed cost, refusals, progress) are in funding.selectors, which never imports this package.
Callers import the services from here."""

from .batches import enrol_queue, enrol_run, filter_request
from .ending import enrolment_end
from .enrolment import ENROL_LOCK, EnrolRequest, enrol, enrol_one
from .schemes import CHANGEABLE, SCHEME_SEGMENTS, SchemeData, scheme_create, scheme_update, welfare_list_replace

__all__ = [
    "CHANGEABLE", "ENROL_LOCK", "SCHEME_SEGMENTS", "EnrolRequest", "SchemeData", "enrol", "enrol_one", "enrol_queue",
    "enrol_run", "enrolment_end", "filter_request", "scheme_create", "scheme_update", "welfare_list_replace",
]
