"""The one background job runner: every kind of job (imports, enrolment batches, later billing runs) is a model
extending `Job` (see .models), and goes through these services:

    job_create / job_enqueue / job_requeue   queue it (the task runs after the transaction commits)
    job_claim                                 a worker takes it: one atomic UPDATE ... WHERE status = queued
    job_reporter / job_progress               progress with a stage text, written by the worker, read by pages
    job_finish / job_fail / job_cancel        end it (finish inside the work's transaction: see JobEnded)
    job_retry                                 queue a failed job again (its upload is kept for that a while)
    job_expire_stale / jobs_expire_stale      a job past its time limit, with no sign of life, or whose worker
                                              process is gone, fails and says so
    store_upload / job_release_file           the uploaded file, removed once the job no longer needs it
    jobs_cleanup                              all of that over every kind of job, and reports past their retention

A worker writes its name (`worker_name`: host, pid, process start) on the job it claims; any process on the same
host that looks at the job (its page, a new job, `jamsosdesa serve` watching its workers) sees at once when that
process is gone (killed, crashed, out of memory) and fails the job. On another host only the stale age tells.

Progress goes through the cache (files under var/ by default, Redis when configured), so the worker reports it
from inside its transaction and any web process reads it; the job row keeps the last progress it was told.
"""

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import clock
from ..errors import ErrorCode, ServiceError
from .models import ACTIVE, Job, JobStatus

__all__ = ["ACTIVE", "Job", "JobEnded", "JobStatus", "Stage", "job_cancel", "job_claim", "job_create", "job_enqueue",
           "job_expire_stale", "job_fail", "job_finish", "job_progress", "job_release_file", "job_reporter",
           "job_requeue", "job_retry", "job_run", "jobs_cleanup", "jobs_expire_stale", "remove_upload",
           "store_upload", "worker_gone", "worker_name"]

PROGRESS_TIMEOUT = 86_400
logger = logging.getLogger(__name__)


class JobEnded(Exception):
    """The job was expired or cancelled while the worker ran it: its work must not be kept (raise it inside the
    work's transaction so everything rolls back)."""


@dataclass(frozen=True)
class Stage:
    """What a job is doing, in words, kept untranslated (a msgid marked with gettext_noop, and its values) so
    each reader sees it in their own language; str() translates it into the active one."""

    text: str
    values: dict | None = None

    def __str__(self) -> str:
        return stage_text(self.text, self.values)


def stage_text(text: str, values: dict | None = None) -> str:
    if not text:
        return ""
    return _(text) % values if values else _(text)


Reporter = Callable[..., None]  # report(done, total, stage=None)


# --- uploaded files ---------------------------------------------------------------------------------------

def store_upload(upload, kind: str, *, field: str = "file", command: str = "jamsosdesa import participants") -> Path:
    """Save an uploaded file under var/<kind>/<random>/ for a job to read; a file over the upload limit or an
    empty one is refused with a message on `field` (naming the `command` that reads big files)."""
    limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ServiceError(code=ErrorCode.FILE_TOO_LARGE, fields={field: [_(
            "Berkas terlalu besar (%(size).0f MB); batas unggah %(limit)d MB. Pecah berkasnya, atau minta admin "
            "memakai perintah `%(command)s`.") % {"size": upload.size / 1024 / 1024, "command": command,
                                                   "limit": settings.IMPORT_MAX_UPLOAD_MB}]},
                           message=_("Berkas terlalu besar."))
    if upload.size == 0:
        raise ServiceError(code=ErrorCode.FILE_EMPTY, message=_("Berkas kosong."),
                           fields={field: [_("Berkas kosong.")]})
    folder = Path(settings.VAR_DIR) / kind / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / (Path(upload.name).name[:150] or "berkas")
    with open(path, "wb") as out:
        for part in upload.chunks():
            out.write(part)
    return path


def remove_upload(path: str | Path) -> None:
    """Delete a job's file and its folder once the job no longer needs it (personal data is not kept)."""
    if not path:
        return
    path = Path(path)
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass


def job_release_file(job: Job) -> None:
    """The job is done with its file: delete it and forget the path."""
    if job.file_path:
        path, job.file_path = job.file_path, ""
        type(job).objects.filter(pk=job.pk).update(file_path="")
        remove_upload(path)


# --- progress ---------------------------------------------------------------------------------------------

def _key(job: Job) -> str:
    return f"job-progress-{job._meta.label_lower}-{job.pk}"


def _progress(done: int, total: int, stage: "Stage | str | None") -> dict:
    if isinstance(stage, Stage):
        text, values = stage.text, stage.values
    else:
        text, values = str(stage or ""), None
    data = {"done": done, "total": total, "stage": text, "at": time.time()}
    if values:
        data["values"] = values
    return data


def job_reporter(job: Job, *, also: Reporter | None = None) -> Reporter:
    """A progress callback for the worker: report(done, total, stage=None), `stage` a Stage or a msgid; `also`
    is told the same (the command line's progress bar when the job runs in the command's own process)."""
    key = _key(job)

    def report(done: int, total: int, stage: "Stage | str | None" = None) -> None:
        cache.set(key, _progress(done, total, stage), timeout=PROGRESS_TIMEOUT)
        if also is not None:
            also(done, total, stage)

    return report


def _latest(job: Job) -> dict:
    live = cache.get(_key(job)) or {}
    row = job.progress or {}
    return live if live.get("at", 0) >= row.get("at", 0) else row


def job_progress(job: Job, total: int = 0) -> dict:
    """{done, total, percent, stage}: `stage` in the reader's language ('' when none); `total` stands in until
    the job has said how much there is."""
    data = _latest(job)
    done, known = data.get("done", 0), data.get("total", 0) or total
    return {"done": done, "total": known, "percent": int(100 * done / known) if known else 0,
            "stage": stage_text(data.get("stage", ""), data.get("values"))}


# --- the worker process holding a job ------------------------------------------------------------------------

def _process(pid: int) -> tuple[str, str] | None:
    """(state, start time in clock ticks) of a process from /proc (Linux); None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    return fields[0], fields[19]


def _host() -> str:
    """This host as a worker name gives it: the host name and, on Linux, the PID namespace (two containers given
    the same host name do not see each other's processes, so neither may judge the other's workers gone)."""
    try:
        namespace = "".join(ch for ch in os.readlink("/proc/self/ns/pid") if ch.isdigit())
    except OSError:
        namespace = ""
    return socket.gethostname().replace(":", "") + (f"/{namespace}" if namespace else "")


def worker_name(pid: int | None = None) -> str:
    """This process (or `pid`) as a job records who runs it: "host:pid:start". The start time tells a reused pid
    from the process that had it."""
    pid = pid or os.getpid()
    found = _process(pid) if os.path.exists("/proc/self/stat") else None
    return f"{_host()}:{pid}:{found[1] if found else ''}"


def worker_gone(name: str) -> bool:
    """Whether the worker process `name` has certainly ended: it ran on this host and is no longer there (or is
    a zombie, or its pid now belongs to a later process). A worker on another host is never known to be gone."""
    host, _sep, rest = (name or "").partition(":")
    pid, _sep, start = rest.partition(":")
    if host != _host() or not pid.isdigit():
        return False
    if os.path.exists("/proc/self/stat"):
        found = _process(int(pid))
        return found is None or found[0] in ("Z", "X") or bool(start and found[1] != start)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


# --- queue and claim --------------------------------------------------------------------------------------

def job_enqueue(job: Job, task) -> None:
    """Run `task(job.pk)` once the current transaction commits (at once outside one)."""
    cache.delete(_key(job))
    transaction.on_commit(lambda: task.enqueue(job.pk))


def job_create(model: type[Job], task, **fields) -> Job:
    """Create a queued job and queue its task; jobs of this kind that were lost are expired on the way."""
    jobs_expire_stale(model)
    job = model.objects.create(status=JobStatus.QUEUED, **fields)
    job_enqueue(job, task)
    return job


def job_requeue(job: Job, task, **changes) -> Job:
    """Queue an ended job again with `changes` (an import's preview, then its load); refused while it runs."""
    fields = {"status": JobStatus.QUEUED, "active_at": clock.now(), "started_at": None, "finished_at": None,
              "message": "", "progress": {}, "worker": "", **changes}
    if not type(job).objects.filter(pk=job.pk).exclude(status__in=ACTIVE).update(**fields):
        raise ServiceError(code=ErrorCode.JOB_ACTIVE, message=_("Pekerjaan ini sedang menunggu atau berjalan."))
    for name, value in fields.items():
        setattr(job, name, value)
    job_enqueue(job, task)
    return job


def job_retry(job: Job, task) -> Job:
    """Queue a failed job again, as it was asked (a failed load loads again); refused once its file has gone (kept
    for `stale_after` after the failure, unless the file itself was the problem) or when it did not fail."""
    if not job.can_retry():
        if job.status == JobStatus.FAILED:
            raise ServiceError(code=ErrorCode.FILE_GONE, message=_(
                "Berkas pekerjaan ini sudah dihapus, jadi tidak dapat diulang; unggah lagi."))
        raise ServiceError(code=ErrorCode.NOT_READY, message=_("Hanya pekerjaan yang gagal yang dapat diulang."))
    return job_requeue(job, task)


def job_claim(jobs: "type[Job] | QuerySet", pk: int) -> Job | None:
    """Take a queued job for this worker: one conditional UPDATE, so a second worker (or a second delivery of
    the task) gets None. Returns the job as `jobs` (a model or a queryset with its select_related) reads it."""
    qs = jobs if isinstance(jobs, QuerySet) else jobs.objects.all()
    now = clock.now()
    if not qs.model.objects.filter(pk=pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now, active_at=now, progress={}, worker=worker_name()):
        return None
    return qs.get(pk=pk)


# --- end --------------------------------------------------------------------------------------------------

def job_finish(job: Job, **fields) -> bool:
    """Mark a running job done with what it found (`fields`). Call it inside the work's transaction: False (and
    nothing written) when the job was expired or cancelled meanwhile; then raise JobEnded to roll back."""
    latest = _latest(job)
    total = latest.get("total", 0)
    update = {"status": JobStatus.DONE, "finished_at": clock.now(), "message": "",
              "progress": _progress(total, total, None), **fields}
    for name, value in update.items():
        setattr(job, name, value)
    path = "" if job.keeps_file() else job.file_path
    if path:
        update["file_path"] = ""
    if not type(job).objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**update):
        job.refresh_from_db()
        return False
    job.file_path = "" if path else job.file_path
    remove_upload(path)  # the last step of the work: a rollback after it leaves a failed job, which drops it too
    return True


def _end(job: Job, status: str, message: str, among: tuple, *, keep_file: bool = False) -> bool:
    """Move a job from one of the `among` statuses to an end; its file goes unless `keep_file`. False when it was
    not among them."""
    progress = _latest(job)
    path = "" if keep_file else job.file_path
    updated = type(job).objects.filter(pk=job.pk, status__in=among).update(
        status=status, message=message[:1000], finished_at=clock.now(),
        progress={**progress, "at": time.time()}, **({} if keep_file else {"file_path": ""}))
    job.refresh_from_db()
    if updated:
        remove_upload(path)
    return bool(updated)


def job_fail(job: Job, message: str, *, keep_file: bool = True) -> bool:
    """The job failed: it keeps `message` for the page and writes nothing else (the caller's transaction has
    rolled its work back). Its file stays for a retry (`job_retry`) until `stale_after` has passed, unless
    `keep_file` is False (the file itself was the problem). False when it had already ended."""
    return _end(job, JobStatus.FAILED, message, ACTIVE, keep_file=keep_file)


def job_cancel(job: Job) -> bool:
    """Cancel a job that is still waiting; False once a worker has taken it (or it has ended)."""
    return _end(job, JobStatus.CANCELLED, "", (JobStatus.QUEUED,))


def job_run(job: Job, work: Callable[[list[str]], None], *, name: str = "job") -> Job:
    """Run a claimed file job's `work` in one transaction and end the job whatever happens. `work` does the job and
    calls `job_finish` (raising JobEnded when that says the job ended meanwhile); it adds the paths of files it
    writes (a report) to the list it is given, so they are removed when the work does not end well.

    A ServiceError or FileProblem fails the job with its message (the file was the problem: it is dropped); any
    other exception is logged and fails it with a message to try again (its file kept for `job_retry`); JobEnded
    (the job expired or was cancelled meanwhile) leaves it as it is."""
    from ..sheets import FileProblem

    written: list[str] = []
    try:
        with transaction.atomic():
            work(written)
    except JobEnded:
        pass
    except (ServiceError, FileProblem) as exc:
        job_fail(job, getattr(exc, "message", "") or str(exc), keep_file=False)
    except Exception:
        logger.exception("%s %s failed", name, job.pk)
        job_fail(job, _("Terjadi kesalahan di server. Coba lagi, atau hubungi admin bila terulang."))
    else:
        return job
    for path in written:
        remove_upload(path)
    return job


# --- time limit and stale jobs ----------------------------------------------------------------------------

def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60 == 0:
        return ngettext("%(n)d jam", "%(n)d jam", minutes // 60) % {"n": minutes // 60}
    return ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes}


def _why_expired(job: Job, now: datetime) -> str:
    """Why the job counts as lost ('' when it does not)."""
    if not job.is_active:
        return ""
    if job.status == JobStatus.RUNNING and worker_gone(job.worker):
        return _("Tidak selesai: pekerja latar yang menjalankannya berhenti di tengah jalan (prosesnya mati). "
                 "Coba lagi.")
    if job.status == JobStatus.RUNNING and job.started_at and now - job.started_at > job.time_limit:
        return _("Dihentikan: berjalan lebih dari %(limit)s, batas waktu pekerjaan ini. Coba lagi, atau hubungi "
                 "admin bila terulang.") % {"limit": _duration(job.time_limit)}
    signs = [job.created_at, job.active_at, job.started_at]
    at = _latest(job).get("at") if job.status == JobStatus.RUNNING else None
    if at:
        signs.append(datetime.fromtimestamp(at, tz=UTC))
    if now - max(t for t in signs if t) <= job.stale_after:
        return ""
    if job.status == JobStatus.QUEUED:
        return _("Tidak selesai: pekerja latar tidak menjalankannya (mungkin berhenti). Coba lagi.")
    return _("Tidak selesai: pekerja latar berhenti memberi kabar selama %(age)s (mungkin berhenti). Coba lagi.") % {
        "age": _duration(job.stale_after)}


def job_expire_stale(job: Job) -> Job:
    """A job running past its time limit, or queued or running with no sign of life for longer than its stale
    age, lost its worker: fail it with a message saying so (the page stops waiting), and remove its file. A
    finished job still holding its file past the stale age lets it go. Returns the job as it now is."""
    now = clock.now()
    why = _why_expired(job, now)
    try:
        if why:
            job_fail(job, why)
        elif not job.is_active and job.file_path and now - (job.finished_at or job.created_at) > job.stale_after:
            job_release_file(job)
    except OperationalError:  # SQLite: the worker holds the write lock; the next look expires it
        logger.warning("could not expire job %s yet", job.pk)
    return job


def jobs_expire_stale(model: type[Job]) -> int:
    """Expire every lost job of a kind (and let finished ones go of their files); how many were expired."""
    now = clock.now()
    soonest = min(model.time_limit, model.stale_after)
    expired = 0
    maybe_lost = Q(created_at__lt=now - soonest) | Q(status=JobStatus.RUNNING)  # running: its worker may be gone
    for job in model.objects.filter(maybe_lost, status__in=ACTIVE):
        if _why_expired(job, now):
            job_expire_stale(job)
            expired += 1
    cutoff = now - model.stale_after
    holding = (model.objects.exclude(status__in=ACTIVE).exclude(file_path="")
               .filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)))
    for job in holding:
        job_release_file(job)
    return expired


def job_models() -> list[type[Job]]:
    """Every kind of job (each concrete model extending Job)."""
    return [model for model in apps.get_models() if issubclass(model, Job)]


def jobs_cleanup() -> dict[str, int]:
    """Over every kind of job: fail the lost ones (a dead worker, silent too long, past the time limit), let ended
    ones go of their uploads past `stale_after`, and delete the reports of jobs ended more than
    JOB_REPORT_RETENTION_DAYS ago. `jamsosdesa serve` runs it every few minutes and whenever a worker dies;
    `jamsosdesa jobs cleanup` runs it once. Returns {"expired": n, "reports": n}."""
    cutoff = clock.now() - timedelta(days=settings.JOB_REPORT_RETENTION_DAYS)
    counts = {"expired": 0, "reports": 0}
    for model in job_models():
        counts["expired"] += jobs_expire_stale(model)
        for name in model.report_fields:
            old = (model.objects.exclude(status__in=ACTIVE).exclude(**{name: ""})
                   .filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)))
            for pk, path in old.values_list("pk", name):
                model.objects.filter(pk=pk).update(**{name: ""})
                remove_upload(path)
                counts["reports"] += 1
    return counts
