"""Enrolment as a background job on core.jobs: queue a filter or an uploaded NIK list, and the worker's run."""

from __future__ import annotations

import logging
from datetime import date

from django.utils.translation import gettext as _

from jamsosdesa.core.access import code_in_scope, user_region_codes
from jamsosdesa.core.errors import ErrorCode, PermissionDenied, ServiceError
from jamsosdesa.core.jobs import JobEnded, job_claim, job_create, job_fail, job_reporter, store_upload
from jamsosdesa.core.sheets import FileProblem
from jamsosdesa.participants.models import VillageRole
from jamsosdesa.participants.selectors import ParticipantFilter, participant_filter_qs
from jamsosdesa.regions.models import Region

from ..access import can_enrol_into
from ..lists import read_niks
from ..models import ENROLMENT_STEPS, EnrolmentBatch, Scheme
from .enrolment import EnrolRequest, _period, enrol

logger = logging.getLogger(__name__)


def filter_request(*, actor, region: str = "", village_role: str = "", **fields) -> EnrolRequest:
    """An EnrolRequest for everyone in `region` (a kecamatan or desa code; empty: all the user sees) with the
    village role. A region that does not exist or lies outside the user's regions is said, not silently empty."""
    region = region.strip()
    if region:
        problem = ""
        if not Region.objects.filter(code=region).exists():
            problem = _("Wilayah %(c)s tidak dikenal.") % {"c": region}
        elif not (code_in_scope(actor, region)
                  or any(c.startswith(region + ".") for c in user_region_codes(actor))):
            problem = _("Wilayah %(c)s di luar wilayah kerja Anda.") % {"c": region}
        if problem:
            raise ServiceError(code=ErrorCode.OUTSIDE_REGION, message=problem, fields={"region": [problem]})
    if village_role and village_role not in VillageRole.values:
        message = _("Peran di desa tidak dikenal: %(r)s.") % {"r": village_role}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"village_role": [message]})
    chosen = participant_filter_qs(user=actor, filters=ParticipantFilter(region=region, village_role=village_role))
    return EnrolRequest(participants=chosen, description=f"filter {region} {village_role}".strip(), **fields)


def enrol_queue(*, actor, scheme: Scheme, start_month: date | None = None, all_or_nothing: bool = False,
                region: str = "", village_role: str = "", upload=None) -> EnrolmentBatch:
    """Queue the enrolment of everyone a filter (region, village role) selects, or of the NIK list in an
    uploaded file, as a background job; the batch page shows its progress and then its report. What can be
    said at once (no right to enrol, a period outside the scheme, an empty or too large file) is said here."""
    from ..tasks import run_enrolment_batch

    if not can_enrol_into(actor, scheme):
        raise PermissionDenied(_("Peran Anda tidak mendaftarkan peserta ke skema."))
    start, end = _period(scheme, EnrolRequest(start_month=start_month))
    path = ""
    if upload is None:
        filter_request(actor=actor, region=region, village_role=village_role)  # says a wrong region at once
        params = {"region": region, "village_role": village_role}
        how, description = "filter", f"filter {region} {village_role}".strip()
    else:
        path = store_upload(upload, "enrolments", command="jamsosdesa scheme enrol --file")
        params = {"name": path.name}
        how, description = "list", _("berkas %(f)s") % {"f": path.name}
    return job_create(EnrolmentBatch, run_enrolment_batch, scheme=scheme, how=how, description=description[:300],
                      start_month=start, end_month=end, all_or_nothing=all_or_nothing, created_by=actor,
                      params=params, file_path=str(path))


def enrol_run(batch_id: int) -> EnrolmentBatch:
    """Run a queued batch to its end (the worker calls this, and so do tests). A failure writes nothing but
    the batch's status and message; the uploaded list is deleted either way. A batch another worker took, or
    one that expired, is left as it is."""
    batch = job_claim(EnrolmentBatch.objects.select_related("scheme", "created_by"), batch_id)
    if batch is None:
        return EnrolmentBatch.objects.get(pk=batch_id)
    report = job_reporter(batch)
    try:
        report(0, len(ENROLMENT_STEPS), ENROLMENT_STEPS[0])
        if batch.how == "list":
            request = EnrolRequest(niks=read_niks(batch.file_path))
        else:
            request = filter_request(actor=batch.created_by, region=batch.params.get("region", ""),
                                     village_role=batch.params.get("village_role", ""))
        request.start_month, request.end_month = batch.start_month, batch.end_month
        request.all_or_nothing, request.description = batch.all_or_nothing, batch.description
        batch = enrol(actor=batch.created_by, scheme=batch.scheme, request=request, batch=batch, progress=report)
    except JobEnded:
        batch.refresh_from_db()
    except (ServiceError, FileProblem) as exc:
        job_fail(batch, getattr(exc, "message", "") or str(exc))
    except Exception:
        logger.exception("enrolment batch %s failed", batch.pk)
        job_fail(batch, _("Terjadi kesalahan di server; tidak ada yang didaftarkan. Coba lagi atau hubungi admin."))
    return batch
