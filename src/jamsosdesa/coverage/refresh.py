"""Refreshing coverage snapshots (docs/design/coverage.md §1): the refresh job and the incremental pass.

    refresh_queue      check, then queue a refresh for the worker (the page's button, the API)
    refresh_run        queue and run at once in this process (the command line)
    refresh_execute    the worker's side: claim a queued refresh and do it
    periodic_refresh   serve's periodic tick: queue the incremental pass when there is something to do
    changed_kabupaten  which kabupaten the audit trail says changed since the last pass

A refresh writes one day through `coverage.snapshot.snapshot_refresh`, one kabupaten at a time, with progress per
kabupaten. The incremental pass (`changed`) reads the audit trail beyond its watermark (`RefreshWatermark`): each
event that changes someone's status (STATUS_EVENTS) names its kabupaten by its region code (the first five
characters); one without a usable code is traced through its object (a billing run's kabupaten, a payment's
allocations, an admin edit's row) or, when that says nothing, refreshes every kabupaten. The watermark moves in the
same transaction as the refresh it led to. Ids a transaction still open held when the pass read past them (the
audit table's ids are given out before commit) are kept as gaps and read again until they appear or are older
than GAP_WAIT. Besides, the first pass of a day writes today for every kabupaten when today has no snapshot yet
(statuses move with the calendar too) and drops the previous "today" unless it ends a month; the first pass of a
month writes the previous month's last day when it is missing (the trend reads month ends).

Packages above billing add their own status events through `billing.overlays.status_events` (an agent's deposit
or its reversal: the kabupaten of the people whose collections it settled; a change of the agents' days: every
one). Money that turns "held" with the calendar alone (a collection passing the deposit deadline) changes only at
a day's start, and the first pass of a day writes every kabupaten.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jamsosdesa.core import clock
from jamsosdesa.core.access import sees_everything
from jamsosdesa.core.errors import ErrorCode, PermissionDenied, ServiceError
from jamsosdesa.core.jobs import (
    ACTIVE,
    JobEnded,
    JobStatus,
    Stage,
    job_claim,
    job_create,
    job_fail,
    job_finish,
    job_progress,
    job_reporter,
    jobs_expire_stale,
)
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.months import add_months

from .models import CoverageRefresh, RefreshTrigger, RefreshWatermark, Snapshot
from .snapshot import snapshot_delete, snapshot_refresh

logger = logging.getLogger(__name__)

E = AuditEventType
# The events after which someone's status, payer or count may differ: the registry, schemes and packages, billing
# and money. Exports, tokens, targets and the like change nobody.
STATUS_EVENTS = (
    E.PARTICIPANT_REGISTERED, E.PARTICIPANT_UPDATED, E.PARTICIPANT_DEACTIVATED,
    E.ENROLMENT_CREATED, E.ENROLMENT_ENDED, E.MEMBERSHIP_STARTED, E.MEMBERSHIP_CHANGED, E.MEMBERSHIP_ENDED,
    E.BILLING_RUN_FINISHED, E.DUE_VOIDED, E.PAYMENT_RECORDED, E.PAYMENT_REVERSED, E.ALLOCATION_REVERSED,
    E.RECONCILIATION_DECIDED, E.ARREARS_POLICY_CHANGED, E.ADMIN_RECORD_CHANGED,
    E.COUNTING_RULE_CHANGED,  # what a snapshot counts toward the target: every kabupaten
)
# `statement.imported` is left out: each payment of a statement has its own `payment.recorded` event (with its
# desa), and the import's own event names only the importer's kabupaten.
# Events read one by one even with a region code: a move names the kabupaten left in its old values; an admin edit's
# and a rule's reach is not their region code.
TRACED = (E.PARTICIPANT_UPDATED, E.ADMIN_RECORD_CHANGED, E.ARREARS_POLICY_CHANGED, E.COUNTING_RULE_CHANGED)


def _registered_events() -> dict[str, object]:
    """{event type: kabupaten(event_type, object_id)} of the packages above billing (billing.overlays.status_events:
    an agent's deposit or its reversal settles collections whose money counted as held); always traced."""
    from jamsosdesa.billing.overlays import status_events

    return {str(t): entry.kabupaten for entry in status_events for t in entry.event_types}


def status_event_types() -> tuple[str, ...]:
    """STATUS_EVENTS and the registered ones."""
    return (*STATUS_EVENTS, *_registered_events())


GAP_WAIT = timedelta(hours=2)  # longer than any writer's transaction (a billing run's time limit is one hour)
EVERY = None  # "every kabupaten"

STAGE_KAB = gettext_noop("kabupaten %(n)s dari %(total)s, %(day)s")
STAGE_FIND = gettext_noop("mencari kabupaten yang berubah")

Progress = Callable[..., None]


# --- which kabupaten changed --------------------------------------------------------------------------------------


def _kab_of_region(code: str) -> set[str] | None:
    """A region code's kabupaten: its first five characters; a province's or the nation's: every kabupaten under it
    (None: all of them; a province: those with participants under its code)."""
    if len(code) >= 5:
        return {code[:5]}
    if not code:
        return EVERY
    from jamsosdesa.participants.models import Participant

    return set(Participant.objects.filter(kab_code__startswith=code).values_list("kab_code", flat=True).distinct())


def _kabs_of_payment(payment_id) -> set[str]:
    from jamsosdesa.billing.models import Allocation

    return set(Allocation.objects.filter(payment_id=payment_id).values_list("kab_code", flat=True).distinct())


def _kabs_of_object(event_type: str, object_type: str, object_id: str) -> set[str] | None:
    """The kabupaten of an event that names none, found from its object (cheap: by primary key); None: every one."""
    from jamsosdesa.billing.models import BillingRun, ReconciliationItem

    if not object_id.isdigit():
        return EVERY
    pk = int(object_id)
    if event_type == E.BILLING_RUN_FINISHED:
        run = BillingRun.objects.filter(pk=pk).values_list("kab_done", flat=True).first()
        return set(run) if run is not None else EVERY
    if event_type in (E.PAYMENT_RECORDED, E.PAYMENT_REVERSED):
        return _kabs_of_payment(pk)  # a payment that paid nothing (queued) changes nobody
    if event_type == E.RECONCILIATION_DECIDED:
        payment = ReconciliationItem.objects.filter(pk=pk).values_list("payment_id", flat=True).first()
        return _kabs_of_payment(payment) if payment else set()
    if event_type == E.ADMIN_RECORD_CHANGED:
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            return set()
        names = {f.name for f in model._meta.get_fields()}
        if model._meta.label_lower == "participants.participant" or "kab_code" in names:
            kab = model._default_manager.filter(pk=pk).values_list("kab_code", flat=True).first()
            return {kab} if kab else set()
        return set()  # a rule, a user, a region name: nobody's status
    return EVERY


def _kabs_of_event(event_type: str, object_type: str, object_id: str, region_code: str, old) -> set[str] | None:
    if event_type in (E.ARREARS_POLICY_CHANGED, E.COUNTING_RULE_CHANGED):
        return EVERY
    registered = _registered_events().get(event_type)
    if registered is not None:
        return registered(event_type, object_id)
    if event_type == E.ADMIN_RECORD_CHANGED or not region_code:
        return _kabs_of_object(event_type, object_type, object_id)
    kabs = _kab_of_region(region_code)
    if event_type == E.PARTICIPANT_UPDATED and isinstance(old, dict) and old.get("desa") and kabs is not None:
        kabs.add(str(old["desa"])[:5])  # moved: the kabupaten left counts one fewer
    return kabs


def _gap_q(watermark: RefreshWatermark) -> Q:
    q = Q(pk__gt=watermark.last_event_id)
    for first, last, _seen in watermark.gaps:
        q |= Q(pk__gte=first, pk__lte=last)
    return q


def _islands(after: int) -> list[tuple[int, int]]:
    """The runs of consecutive audit ids beyond `after`: (first, last) each, in order."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM (SELECT id, id - ROW_NUMBER() OVER (ORDER BY id) AS grp "
                       f"FROM {table} WHERE id > %s) t GROUP BY grp ORDER BY 1", [after])
        return [(int(a), int(b)) for a, b in cursor.fetchall()]


def _advanced(watermark: RefreshWatermark, now: datetime) -> tuple[int, list]:
    """Where the watermark moves after reading everything beyond it: the last id present, with the ids missing
    before it (new gaps), and the old gaps that are still missing and not older than GAP_WAIT."""
    islands = _islands(watermark.last_event_id)
    gaps = []
    for first, last, seen in watermark.gaps:  # still missing: the ids of the range not present now
        if now - datetime.fromisoformat(seen) > GAP_WAIT:
            continue
        present = sorted(AuditEvent.objects.filter(pk__gte=first, pk__lte=last).values_list("pk", flat=True))
        start = first
        for pk in [*present, last + 1]:
            if pk > start:
                gaps.append([start, pk - 1, seen])
            start = pk + 1
    last_id = watermark.last_event_id
    for first, last in islands:
        if first > last_id + 1:
            gaps.append([last_id + 1, first - 1, now.isoformat()])
        last_id = last
    return last_id, gaps


def changed_kabupaten(watermark: RefreshWatermark, upto: int | None = None) -> set[str] | None:
    """The kabupaten whose people or money changed in the events beyond the watermark (and in its gaps), up to the
    id `upto` (what the watermark moves to: an event committed after that is the next pass's); None: every
    kabupaten."""
    found: set[str] = set()
    traced = (*TRACED, *_registered_events())
    events = AuditEvent.objects.filter(_gap_q(watermark), event_type__in=status_event_types())
    if upto is not None:
        events = events.filter(pk__lte=upto)
    events = (events
              .values_list("event_type", "object_type", "object_id", "region_code", "old"))
    # One kabupaten per (event type, kabupaten) where the code says it: a million registrations are a few rows.
    named = events.exclude(region_code="").exclude(event_type__in=traced)
    for code in named.values_list("region_code", flat=True).order_by().distinct():
        kabs = _kab_of_region(code)
        if kabs is EVERY:
            return EVERY
        found |= kabs
    rest = events.filter(Q(region_code="") | Q(event_type__in=traced))
    for event_type, object_type, object_id, region_code, old in rest.iterator():
        kabs = _kabs_of_event(event_type, object_type, object_id, region_code, old)
        if kabs is EVERY:
            return EVERY
        found |= kabs
    return {k for k in found if k}


def _watermark(*, lock: bool) -> tuple[RefreshWatermark, bool]:
    """The watermark row (created at the audit trail's end on the first pass: True then)."""
    qs = RefreshWatermark.objects.select_for_update() if lock else RefreshWatermark.objects
    mark = qs.filter(pk=1).first()
    if mark is not None:
        return mark, False
    top = AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    try:
        with transaction.atomic():
            RefreshWatermark.objects.create(pk=1, last_event_id=top, updated_at=clock.now())
    except IntegrityError:
        pass
    return qs.get(pk=1), True


def _has_people() -> bool:
    from jamsosdesa.participants.models import Participant

    return Participant.objects.exists()


def _month_end_before(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


def _month_end_missing(today: date) -> bool:
    """The previous month's last day has no snapshot though someone was registered by then (without anyone, its
    snapshot would stay empty, and missing, at every pass)."""
    from jamsosdesa.billing.status import day_end_moment
    from jamsosdesa.participants.models import Participant

    end = _month_end_before(today)
    if Snapshot.objects.filter(day=end).exists():
        return False
    return Participant.objects.filter(created_at__lt=day_end_moment(end)).exists()


def _today_partial(today: date) -> bool:
    """Today has a snapshot that lacks a kabupaten the previous snapshot day has: a refresh of some kabupaten came
    before the day's first pass (which then, seeing today written, would never write the rest). Read from the
    kabupaten rollup's (day, kab_code) index: a few hundred rows a day, not the desa rows."""
    from .models_snapshot import SnapshotKab

    have = set(SnapshotKab.objects.filter(day=today).values_list("kab_code", flat=True).distinct())
    if not have:
        return False
    before = SnapshotKab.objects.filter(day__lt=today).order_by("-day").values_list("day", flat=True).first()
    if before is None:
        return False
    return bool(set(SnapshotKab.objects.filter(day=before).values_list("kab_code", flat=True).distinct()) - have)


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def pass_needed(today: date | None = None) -> bool:
    """Whether the incremental pass has something to do: a new day or month without its snapshot, or a status
    event beyond the watermark (or one that filled a gap)."""
    today = today or clock.today()
    if not _has_people():
        return False
    mark = RefreshWatermark.objects.filter(pk=1).first()
    if mark is None:
        return True
    if not Snapshot.objects.filter(day=today).exists() or _today_partial(today):
        return True
    if _month_end_missing(today):
        return True
    return AuditEvent.objects.filter(_gap_q(mark), event_type__in=status_event_types()).exists()


# --- the job ------------------------------------------------------------------------------------------------------


def refresh_as_json(job: CoverageRefresh) -> dict:
    """A refresh as the API and `coverage refresh --json` give it."""
    return {"id": job.pk, "day": job.day.isoformat(), "status": job.status, "trigger": job.trigger,
            "kab_codes": job.kab_codes, "changed": job.changed, "kab_done": job.kab_done,
            "days_written": job.days_written, "rows_written": job.rows_written, "message": job.message,
            "progress": job_progress(job, total=1) if job.is_active else None,
            "created_by": job.created_by.username if job.created_by_id else None,
            "created_at": job.created_at.isoformat(),
            "started_at": job.started_at and job.started_at.isoformat(),
            "finished_at": job.finished_at and job.finished_at.isoformat()}


def can_refresh(user) -> bool:
    """Start a refresh by hand (the page's button, the API): national admins. A refresh rewrites the nation's
    figures; district officials see their kabupaten's refreshed by the periodic pass."""
    return sees_everything(user)


def day_problem(day: date) -> ServiceError | None:
    """A day in the future cannot be written (its statuses are not known yet)."""
    if day > clock.today():
        message = _("Tanggal %(d)s belum tiba: potret cakupan hanya untuk hari ini atau hari yang sudah lewat.") % {
            "d": f"{day:%d-%m-%Y}"}
        return ServiceError(code=ErrorCode.BAD_PERIOD, message=message, fields={"day": [message]})
    return None


def clean_kab_codes(codes) -> list[str]:
    """Kabupaten codes as typed (33.11), each a kabupaten that exists; ServiceError naming `kab` otherwise."""
    from jamsosdesa.core.regioncodes import Level, level_of_code
    from jamsosdesa.regions.models import Region

    out = []
    for raw in codes or ():
        code = (raw or "").strip()
        if level_of_code(code) != Level.KABUPATEN or not Region.objects.filter(code=code).exists():
            message = _("Kabupaten/kota '%(c)s' tidak ada: tulis kode Kemendagri kabupaten, mis. 33.11.") % {
                "c": code[:20]}
            raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"kab": [message]})
        if code not in out:
            out.append(code)
    return sorted(out)


def _refuse_if_active(day: date) -> None:
    if CoverageRefresh.objects.filter(day=day, status__in=ACTIVE).exists():
        raise ServiceError(code=ErrorCode.JOB_ACTIVE, message=_(
            "Pembaruan potret cakupan %(d)s sedang menunggu atau berjalan; tunggu sampai selesai.") % {
            "d": f"{day:%d-%m-%Y}"})


def _new_refresh(*, actor, day: date | None, kab_codes=None, trigger: str, changed: bool = False,
                 task=None) -> CoverageRefresh:
    day = day or clock.today()
    if trigger not in RefreshTrigger.values:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Pemicu pembaruan potret tidak dikenal."))
    if trigger == RefreshTrigger.MANUAL and not can_refresh(actor):
        raise PermissionDenied(_("Hanya admin nasional yang memperbarui potret cakupan."))
    problem = day_problem(day)
    if problem:
        raise problem
    if changed and day != clock.today():
        raise ServiceError(code=ErrorCode.INVALID, message=_(
            "Pembaruan kabupaten yang berubah hanya menulis hari ini; jangan pakai --changed dengan --day/--month."))
    kabs = clean_kab_codes(kab_codes)
    jobs_expire_stale(CoverageRefresh)
    _refuse_if_active(day)
    fields = {"day": day, "kab_codes": kabs, "trigger": trigger, "changed": changed,
              "created_by": actor if getattr(actor, "pk", None) else None}
    try:
        with transaction.atomic():
            if task is not None:
                return job_create(CoverageRefresh, task, **fields)
            return CoverageRefresh.objects.create(status=JobStatus.QUEUED, **fields)
    except IntegrityError:  # another refresh of the day was queued at the same moment
        _refuse_if_active(day)
        raise


def refresh_queue(*, actor, day: date | None = None, kab_codes=None, trigger: str = RefreshTrigger.MANUAL,
                  changed: bool = False) -> CoverageRefresh:
    """Queue a refresh for the background worker; refused at once (ServiceError) when the actor may not, the day is
    in the future, a kabupaten does not exist, or a refresh of the day is already waiting or running."""
    from .tasks_refresh import run_coverage_refresh

    return _new_refresh(actor=actor, day=day, kab_codes=kab_codes, trigger=trigger, changed=changed,
                        task=run_coverage_refresh)


def refresh_run(*, actor, day: date | None = None, kab_codes=None, trigger: str = RefreshTrigger.CLI,
                changed: bool = False, progress: Progress | None = None) -> CoverageRefresh:
    """Queue and run at once in this process (the command line, tests); returns the refresh as it ended."""
    job = _new_refresh(actor=actor, day=day, kab_codes=kab_codes, trigger=trigger, changed=changed)
    return refresh_execute(job.pk, progress=progress)


def refresh_execute(job_id: int, progress: Progress | None = None) -> CoverageRefresh:
    """Claim a queued refresh and do it. One another worker took (or that ended) is returned as it is; a failure
    says why on the refresh (a full refresh keeps the kabupaten already written: each is committed whole)."""
    job = job_claim(CoverageRefresh.objects.select_related("created_by"), job_id)
    if job is None:
        return CoverageRefresh.objects.get(pk=job_id)
    tell = job_reporter(job, also=progress)

    try:
        if job.changed:
            with transaction.atomic():
                _execute_changed(job, tell)
        else:
            _execute_full(job, tell)
    except JobEnded:
        pass
    except ServiceError as exc:
        job_fail(job, exc.message)
    except Exception:
        logger.exception("coverage refresh %s failed", job.pk)
        job_fail(job, _("Terjadi kesalahan di server. Coba lagi, atau hubungi admin bila terulang."))
    job.refresh_from_db()
    return job


class _Steps:
    """Progress over several days' writes: kabupaten n of all the kabupaten to write, whatever the day."""

    def __init__(self, job: CoverageRefresh, tell: Progress, total: int):
        self.job, self.tell, self.total, self.base = job, tell, max(total, 1), 0

    def write(self, day: date, kabs: list[str] | None) -> int:
        def step(n: int, _total: int) -> None:
            self.tell(self.base + n, self.total, Stage(STAGE_KAB, {"n": self.base + n, "total": self.total,
                                                                   "day": f"{day:%d-%m-%Y}"}))
            if not CoverageRefresh.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).exists():
                raise JobEnded  # expired or cancelled meanwhile

        rows = snapshot_refresh(day, kabs, progress=step)
        self.base += len(kabs) if kabs is not None else 0
        return rows


def _all_kabupaten(day: date) -> list[str]:
    """Every kabupaten a full write of `day` rewrites: the snapshot writer's own list (with participants, or with
    rows of that day whose people have all moved away)."""
    from .snapshot import kabupaten_to_write

    return kabupaten_to_write(day)


def _execute_full(job: CoverageRefresh, tell: Progress) -> None:
    kabs = list(job.kab_codes) or _all_kabupaten(job.day)
    tell(0, len(kabs) or 1, None)
    rows = _Steps(job, tell, len(kabs)).write(job.day, kabs)
    with transaction.atomic():
        if not job_finish(job, kab_done=kabs, days_written=[job.day.isoformat()], rows_written=rows):
            raise JobEnded


def _execute_changed(job: CoverageRefresh, tell: Progress) -> None:
    """The incremental pass, in one transaction with the watermark it advances."""
    today = job.day
    tell(0, 1, Stage(STAGE_FIND))
    mark, first = _watermark(lock=True)
    now = clock.now()
    every: dict[date, list[str]] = {}  # every kabupaten with participants: read only when a full write needs it

    def all_kabs(day: date) -> list[str]:
        if day not in every:
            every[day] = _all_kabupaten(day)
        return every[day]

    writes: list[tuple[date, list[str]]] = []
    month_end = _month_end_before(today)
    if _month_end_missing(today) and all_kabs(month_end):
        writes.append((month_end, all_kabs(month_end)))
    # a new day, or a day begun by a refresh of some kabupaten only: today is written whole
    new_day = not Snapshot.objects.filter(day=today).exists() or _today_partial(today)
    last_id, gaps = _advanced(mark, now)  # first: what the writes below cover has committed by then
    if first or new_day:
        kabs = all_kabs(today)
    else:
        found = changed_kabupaten(mark, upto=last_id)
        kabs = all_kabs(today) if found is EVERY else sorted(found)
    if kabs:
        writes.append((today, kabs))
    steps = _Steps(job, tell, sum(len(k) for _d, k in writes))
    rows = 0
    for day, day_kabs in writes:
        rows += steps.write(day, day_kabs)
    if new_day and kabs:
        _drop_previous_day(today)
    RefreshWatermark.objects.filter(pk=mark.pk).update(last_event_id=last_id, gaps=gaps, updated_at=now)
    if not job_finish(job, kab_done=kabs, days_written=[d.isoformat() for d, _k in writes], rows_written=rows):
        raise JobEnded


def _drop_previous_day(today: date) -> None:
    """The days kept are the month ends and today: the previous "today" goes unless it ended a month."""
    before = Snapshot.objects.filter(day__lt=today).order_by("-day").values_list("day", flat=True).first()
    if before is not None and not _is_month_end(before):
        snapshot_delete(before)  # its desa rows and their kabupaten rollup alike


def periodic_refresh() -> CoverageRefresh | None:
    """Serve's periodic tick: queue the incremental pass of today when it has something to do and no refresh of
    today is waiting or running. None when nothing was queued."""
    today = clock.today()
    jobs_expire_stale(CoverageRefresh)
    if CoverageRefresh.objects.filter(day=today, status__in=ACTIVE).exists() or not pass_needed(today):
        return None
    try:
        return refresh_queue(actor=None, day=today, trigger=RefreshTrigger.PERIODIC, changed=True)
    except (ServiceError, IntegrityError) as exc:
        logger.info("periodic coverage refresh not queued: %s", getattr(exc, "message", exc))
        return None


def demo_snapshot() -> None:
    """The demo's snapshots, through the same job: the ends of the past months the demo has dues for (the trend),
    then today."""
    from jamsosdesa.billing.models import Due

    first = Due.objects.order_by("month").values_list("month", flat=True).first()
    today = clock.today()
    days = []
    if first is not None:
        month = first
        while month < today.replace(day=1):
            month = add_months(month, 1)
            days.append(month - timedelta(days=1))
    for day in [*days[-12:], today]:
        refresh_run(actor=None, day=day, trigger=RefreshTrigger.CLI)


# --- what the page shows -----------------------------------------------------------------------------------------


def last_refreshed(user) -> list[dict]:
    """Each kabupaten the user sees with the day and time its snapshot was last written by a refresh: read from the
    latest refreshes back to the last full one of every kabupaten (a page's worth of rows, never the snapshots)."""
    from .access import can_see_region

    seen: dict[str, tuple[date, datetime]] = {}
    done = CoverageRefresh.objects.filter(status=JobStatus.DONE).order_by("-finished_at", "-id")
    for job in done.only("day", "kab_codes", "kab_done", "changed", "finished_at")[:200]:
        for kab in job.kab_done:
            if kab not in seen:
                seen[kab] = (job.day, job.finished_at)
        if not job.kab_codes and not job.changed and job.day == clock.today():
            break  # a full refresh of today: every kabupaten is in it
    from jamsosdesa.regions.models import Region

    names = dict(Region.objects.filter(code__in=list(seen)).values_list("code", "name"))
    return [{"kab": kab, "name": names.get(kab, ""), "day": day, "at": at}
            for kab, (day, at) in sorted(seen.items()) if can_see_region(user, kab)]
