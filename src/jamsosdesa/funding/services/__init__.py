"""Writes for funding, one module per use case: schemes (create, change, welfare list), requests (the one door to
enrolment that the page, the API and the command line call), enrolment (the set-based enrolment of candidates),
batches (enrolment as a background job on core.jobs) and ending (an enrolment ends). Reads (quotas, committed
cost, refusals, progress, the budget) are in funding.selectors, which never imports this package. Callers import
the services from here."""

from .batches import enrolment_batch_queue, enrolment_batch_retry, enrolment_batch_run_job
from .ending import enrolment_end
from .enrolment import ENROLMENT_LOCK, EnrolmentSelection, enrolment_batch_run, enrolment_create
from .requests import EnrolmentRequest, enrolment_submit
from .schemes import CHANGEABLE, SCHEME_SEGMENTS, SchemeData, scheme_create, scheme_update, welfare_list_replace

__all__ = [
    "CHANGEABLE", "ENROLMENT_LOCK", "SCHEME_SEGMENTS", "EnrolmentRequest", "EnrolmentSelection", "SchemeData",
    "enrolment_batch_queue", "enrolment_batch_retry", "enrolment_batch_run", "enrolment_batch_run_job",
    "enrolment_create", "enrolment_end", "enrolment_submit", "scheme_create", "scheme_update", "welfare_list_replace",
]
