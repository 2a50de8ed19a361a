"""Enrolment as a background job on core.jobs: queue a filter or an uploaded NIK list, and the worker's run."""

from __future__ import annotations

import logging
from datetime import date

from django.utils.translation import gettext as _

from jamsosdesa.core.errors import PermissionDenied, ServiceError
from jamsosdesa.core.jobs import JobEnded, job_claim, job_create, job_fail, job_reporter, job_retry, store_upload
from jamsosdesa.core.sheets import FileProblem

from ..access import can_enrol_into
from ..lists import read_niks
from ..models import ENROLMENT_STEPS, EnrolmentBatch, Scheme
from .enrolment import (
    EnrolmentSelection,
    enrolment_batch_run,
    enrolment_filter_selection,
    enrolment_period,
    filter_description,
)

logger = logging.getLogger(__name__)


def labelled(via: str, description: str) -> str:
    """A batch's description with the door it came through, when that is worth keeping ("API: daftar NIK")."""
    return f"{via}: {description}" if via and description else via or description


def enrolment_batch_queue(*, actor, scheme: Scheme, start_month: date | None = None, end_month: date | None = None,
                          all_or_nothing: bool = False, region: str = "", village_role: str = "", upload=None,
                          via: str = "") -> EnrolmentBatch:
    """Queue the enrolment of everyone a filter (region, village role) selects, or of the NIK list in an
    uploaded file, as a background job; the batch page shows its progress and then its report. What can be
    said at once (no right to enrol, a period outside the scheme, an empty or too large file) is said here."""
    from ..tasks import run_enrolment_batch

    if not can_enrol_into(actor, scheme):
        raise PermissionDenied(_("Peran Anda tidak mendaftarkan peserta ke skema."))
    start, end = enrolment_period(scheme, start_month, end_month)
    path = ""
    if upload is None:
        enrolment_filter_selection(actor=actor, region=region, village_role=village_role)  # a wrong region: now
        params = {"region": region, "village_role": village_role}
        how, description = "filter", filter_description(region, village_role)
    else:
        path = store_upload(upload, "enrolments", command="jamsosdesa scheme enrol --file")
        params = {"name": path.name}
        how, description = "list", _("berkas %(f)s") % {"f": path.name}
    return job_create(EnrolmentBatch, run_enrolment_batch, scheme=scheme, how=how,
                      description=labelled(via, description)[:300],
                      start_month=start, end_month=end, all_or_nothing=all_or_nothing, created_by=actor,
                      params=params, file_path=str(path))


def enrolment_batch_retry(*, actor, batch: EnrolmentBatch) -> EnrolmentBatch:
    """Run a failed batch again as it was asked (the same filter or the uploaded list, still kept for it)."""
    from ..tasks import run_enrolment_batch

    if not can_enrol_into(actor, batch.scheme):
        raise PermissionDenied(_("Peran Anda tidak mendaftarkan peserta ke skema."))
    return job_retry(batch, run_enrolment_batch)


def enrolment_batch_run_job(batch_id: int) -> EnrolmentBatch:
    """Run a queued batch to its end (the worker calls this, and so do tests). A failure writes nothing but
    the batch's status and message; the uploaded list is deleted either way. A batch another worker took, or
    one that expired, is left as it is."""
    batch = job_claim(EnrolmentBatch.objects.select_related("scheme", "created_by"), batch_id)
    if batch is None:
        return EnrolmentBatch.objects.get(pk=batch_id)
    report = job_reporter(batch)
    try:
        report(0, len(ENROLMENT_STEPS), ENROLMENT_STEPS[0])
        period = {"start_month": batch.start_month, "end_month": batch.end_month,
                  "all_or_nothing": batch.all_or_nothing}
        if batch.how == "list":
            selection = EnrolmentSelection(niks=read_niks(batch.file_path), **period)
        else:
            selection = enrolment_filter_selection(actor=batch.created_by, region=batch.params.get("region", ""),
                                                   village_role=batch.params.get("village_role", ""), **period)
        selection.description = batch.description
        batch = enrolment_batch_run(actor=batch.created_by, scheme=batch.scheme, selection=selection, batch=batch,
                                    progress=report)
    except JobEnded:
        batch.refresh_from_db()
    except (ServiceError, FileProblem) as exc:
        job_fail(batch, getattr(exc, "message", "") or str(exc), keep_file=False)  # the same input would fail again
    except Exception:
        logger.exception("enrolment batch %s failed", batch.pk)
        job_fail(batch, _("Terjadi kesalahan di server; tidak ada yang didaftarkan. Coba lagi atau hubungi admin."))
    return batch
