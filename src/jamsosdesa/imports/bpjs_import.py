"""The BPJS cross-check as a job (issue 12 item 7): upload a BPJS list for a region and a day, read it
(`imports.bpjs`), compare it (`billing.crosscheck`), keep the rows and counts, audit it. The page queues it for the
worker (`run_bpjs_list`); `jamsosdesa bpjs compare` runs the same at once (`bpjs_compare_now`)."""

import logging
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from jamsosdesa.billing.crosscheck import can_crosscheck, crosscheck_audit, crosscheck_compare
from jamsosdesa.billing.models import BpjsList
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.jobs import (
    JobEnded,
    JobStatus,
    Stage,
    job_claim,
    job_create,
    job_finish,
    job_reporter,
    job_requeue,
    job_run,
    remove_upload,
    store_upload,
)
from jamsosdesa.core.regioncodes import Level, level_of_code
from jamsosdesa.core.sheets import FileProblem
from jamsosdesa.regions.models import Region

from .bpjs import BpjsFile, read_bpjs_list
from .report import write_report
from .statements import ColumnsMissing

logger = logging.getLogger(__name__)
PROBLEMS_KEPT = 200  # in the summary, for the page; the report has them all


def _refuse(region_code: str) -> ServiceError:
    return ServiceError(code=ErrorCode.NOT_FOUND, message=_(
        "Wilayah %(c)s tidak ada (atau di luar wilayah Anda). Pilih kabupaten atau desa di wilayah Anda.")
        % {"c": region_code[:20]}, fields={"region": [_("Wilayah tidak ada atau di luar wilayah Anda.")]})


def check_request(actor, region_code: str, as_of: date | None) -> tuple[str, date]:
    """The region (a kabupaten or desa that exists, inside the actor's area) and the day (default today; not in the
    future). Raises ServiceError naming the field."""
    region_code = (region_code or "").strip()
    if (level_of_code(region_code) not in (Level.KABUPATEN, Level.DESA) or not can_crosscheck(actor, region_code)
            or not Region.objects.filter(code=region_code).exists()):
        if not can_crosscheck(actor):
            raise ServiceError(code=ErrorCode.FORBIDDEN, message=_(
                "Hanya petugas kantor cabang BPJS (atau admin nasional) yang dapat mencocokkan daftar BPJS."))
        raise _refuse(region_code)
    today = clock.today()
    as_of = as_of or today
    if as_of > today:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Tanggal daftar %(d)s masih di masa depan.") % {
            "d": f"{as_of:%d-%m-%Y}"}, fields={"as_of": [_("Tanggal tidak boleh di masa depan.")]})
    return region_code, as_of


def bpjs_list_create(*, actor, upload, region_code: str, as_of: date | None = None,
                     mapping=None) -> BpjsList:
    """Save the uploaded list and queue its comparison."""
    region_code, as_of = check_request(actor, region_code, as_of)
    path = store_upload(upload, "bpjs", command="jamsosdesa bpjs compare")
    try:
        return job_create(BpjsList, run_bpjs_list, created_by=actor, file_name=path.name, file_path=str(path),
                          file_size=upload.size, region_code=region_code, as_of=as_of,
                          mapping_name=mapping.name if mapping else "",
                          mapping_columns=mapping.columns if mapping else {})
    except BaseException:
        remove_upload(path)
        raise


def bpjs_list_again(*, job: BpjsList, mapping) -> BpjsList:
    """Compare the same file again with a column mapping (its columns were not known)."""
    if not job.file_path:
        raise ServiceError(code=ErrorCode.FILE_GONE, message=_("Berkas daftar ini sudah dihapus; unggah lagi."))
    return job_requeue(job, run_bpjs_list, mapping_name=mapping.name, mapping_columns=mapping.columns, summary={})


def _summary(read: BpjsFile | None, compared: dict | None, *, file_error: str = "", column_problem: bool = False,
             header=None) -> dict:
    summary = {"file_error": file_error, "column_problem": column_problem, "header": list(header or [])}
    if read is not None:
        summary.update({"rows_total": read.rows_total, "rows_read": len(read.rows), "notes": read.notes,
                        "problem_count": len(read.problems),
                        "problem_counts": {g: sum(1 for p in read.problems if p.group == g)
                                           for g in ("invalid", "duplicate")},
                        "problems": [{"row": p.row, "group": p.group, "message": p.message}
                                     for p in read.problems[:PROBLEMS_KEPT]]})
    if compared is not None:
        summary.update(compared)
    return summary


def bpjs_compare(*, actor, bpjs_list: BpjsList, source, progress=None) -> tuple[dict, BpjsFile | None]:
    """Read and compare (the caller holds the transaction). A file that cannot be read gives a summary with
    `file_error` (and `column_problem` when only its columns were not known) and no rows."""
    if progress:
        progress(0, 0, Stage(gettext_noop("membaca berkas")))
    try:
        read = read_bpjs_list(source, mapping=bpjs_list.mapping_columns or None)
    except ColumnsMissing as exc:
        return _summary(None, None, file_error=str(exc), column_problem=True, header=exc.header), None
    except FileProblem as exc:
        return _summary(None, None, file_error=str(exc)), None
    compared = crosscheck_compare(bpjs_list=bpjs_list, rows=read.rows, progress=progress)
    summary = _summary(read, compared, header=read.header)
    crosscheck_audit(actor=actor, bpjs_list=bpjs_list, summary=summary)
    return summary, read


def bpjs_compare_now(*, actor, path: str, region_code: str, as_of: date | None = None, mapping=None,
                     progress=None) -> BpjsList:
    """For the command line: the same comparison at once, kept as a finished list (its page shows it too)."""
    region_code, as_of = check_request(actor, region_code, as_of)
    with transaction.atomic():
        job = BpjsList.objects.create(status=JobStatus.RUNNING, created_by=actor, started_at=clock.now(),
                                      active_at=clock.now(), file_name=Path(path).name[:200],
                                      file_size=Path(path).stat().st_size, region_code=region_code, as_of=as_of,
                                      mapping_name=mapping.name if mapping else "",
                                      mapping_columns=mapping.columns if mapping else {})
        summary, read = bpjs_compare(actor=actor, bpjs_list=job, source=path, progress=progress)
        if read is not None and read.problems:  # removed with the job's reports (JOB_REPORT_RETENTION_DAYS)
            job.report_path = str(write_report(read, Path(settings.VAR_DIR) / "bpjs" / uuid.uuid4().hex
                                               / "laporan-bpjs.xlsx"))
        job.summary, job.rows_total = summary, summary.get("rows_total", 0)
        job.status = JobStatus.FAILED if summary["file_error"] else JobStatus.DONE
        job.message, job.finished_at = summary["file_error"][:1000], clock.now()
        job.save(update_fields=["summary", "rows_total", "status", "message", "finished_at", "report_path"])
    return job


def bpjs_list_run(job_id: int) -> BpjsList:
    """Run a queued comparison to its end (the worker calls this, and so do tests)."""
    job = job_claim(BpjsList.objects.select_related("created_by"), job_id)
    if job is None:
        return BpjsList.objects.get(pk=job_id)
    with translation.override(job.created_by.language or "id"):
        return _run(job)


def _run(job: BpjsList) -> BpjsList:
    def work(written: list[str]) -> None:
        summary, read = bpjs_compare(actor=job.created_by, bpjs_list=job, source=job.file_path,
                                     progress=job_reporter(job))
        if summary["file_error"] and not summary["column_problem"]:
            raise FileProblem(summary["file_error"])
        report = ""
        if read is not None and read.problems:
            report = str(write_report(read, Path(job.file_path).parent / "laporan-bpjs.xlsx"))
            written.append(report)
        if not job_finish(job, summary=summary, rows_total=summary.get("rows_total", 0), report_path=report):
            raise JobEnded

    return job_run(job, work, name="bpjs list")


@task()
def run_bpjs_list(job_id: int) -> str:
    """The worker's side of a queued BPJS list comparison."""
    return bpjs_list_run(job_id).status
