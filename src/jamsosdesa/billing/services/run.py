"""The monthly billing run (docs/design/ledger.md §2): the dues of every covered participant for one month, then
one collective invoice per scheme. Set-based: each distinct price combination is priced once in Python
(`billing.pricing.price`) into a temporary rate table, and the dues are written with one `INSERT … SELECT … ON
CONFLICT DO NOTHING` per kabupaten and payer kind, each kabupaten in its own transaction.

Run twice, it creates nothing new; killed halfway and run again, it gives what one clean run gives: a kabupaten
is committed whole or not at all, and invoicing reads "scheme dues of the month without an invoice line", not
"dues of this run". One active run per month (a partial unique constraint on BillingRun; `job_claim` is atomic).

    billing_run_queue    check, then queue a run for the worker (the button, the API, the schedule)
    billing_run_execute  the worker's side: claim a queued run and do it
    billing_run          both at once, in this process (the command line, tests)
    billing_schedule     queue this month's run when it has none (serve's periodic tick, `billing schedule`)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jamsosdesa.contributions.book import rate_book
from jamsosdesa.core import clock
from jamsosdesa.core.audit import AuditBatch, audit_record
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
    job_reporter,
    jobs_expire_stale,
)
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.months import add_months
from jamsosdesa.funding.models import Scheme
from jamsosdesa.participants.models import Sector

from ..access import can_run_billing
from ..live import not_reversed_sql
from ..models import BillingRun, Invoice, RunTrigger
from ..pricing import Combo, price
from ..standing import refresh_after_new_dues
from .allocation import apply_credit_to_new_dues

logger = logging.getLogger(__name__)

BILLING_LOCK = 4_242_012  # pg_advisory_xact_lock key: invoicing (and credit) steps, one at a time
SKIP_REASONS = ("no_rate", "income_not_allowed", "registered_later", "inactive")
STAGE_KAB = gettext_noop("iuran kabupaten %(kab)s (%(n)s dari %(total)s)")
STAGE_INVOICES = gettext_noop("menerbitkan tagihan kolektif")
STAGE_PRICES = gettext_noop("menghitung tarif")
SKIP_TEXT = {"no_rate": gettext_noop("belum ada tarif"),
             "income_not_allowed": gettext_noop("nominal penghasilan tidak ada dalam daftar"),
             "registered_later": gettext_noop("terdaftar sesudah bulan itu"),
             "inactive": gettext_noop("sudah nonaktif sebelum bulan itu")}

Progress = Callable[..., None]


def skip_reason_text(reason: str) -> str:
    """Why people in force were not billed, in the reader's language (an unknown code as it is)."""
    return _(SKIP_TEXT[reason]) if reason in SKIP_TEXT else reason


def run_as_json(run: BillingRun) -> dict:
    """A run as the API and `billing run --json` give it."""
    from jamsosdesa.core.jobs import job_progress

    return {"id": run.pk, "month": f"{run.month:%Y-%m}", "status": run.status, "trigger": run.trigger,
            "message": run.message, "dues_created": run.dues_created, "invoices_created": run.invoices_created,
            "amount_billed": run.amount_billed, "credit_applied": run.credit_applied, "skipped": run.skipped,
            "kab_done": run.kab_done, "progress": job_progress(run) if run.is_active else None,
            "created_at": run.created_at.isoformat(), "started_at": run.started_at and run.started_at.isoformat(),
            "finished_at": run.finished_at and run.finished_at.isoformat()}


# --- checks -------------------------------------------------------------------------------------------------


def billing_month_problem(month: date) -> ServiceError | None:
    """Why `month` cannot be billed (None when it can): more than BILLING_MAX_MONTHS_AHEAD ahead, or no rates."""
    month = month.replace(day=1)
    ahead = settings.BILLING_MAX_MONTHS_AHEAD
    if month > add_months(clock.this_month(), ahead):
        message = _("Bulan %(m)s terlalu jauh di depan: penagihan paling jauh %(n)s bulan dari bulan ini.") % {
            "m": f"{month:%m/%Y}", "n": ahead}
        return ServiceError(code=ErrorCode.BAD_PERIOD, message=message, fields={"month": [message]})
    book = rate_book()
    if book.first_month is None or month < book.first_month:
        message = _("Belum ada tarif iuran untuk bulan %(m)s.") % {"m": f"{month:%m/%Y}"}
        return ServiceError(code=ErrorCode.NO_RATE, message=message, fields={"month": [message]})
    return None


def _refuse_if_active(month: date) -> None:
    if BillingRun.objects.filter(month=month, status__in=ACTIVE).exists():
        raise ServiceError(code=ErrorCode.JOB_ACTIVE, message=_(
            "Penagihan bulan %(m)s sedang menunggu atau berjalan; tunggu sampai selesai.") % {"m": f"{month:%m/%Y}"})


def _new_run(*, actor, month: date, trigger: str, task=None) -> BillingRun:
    """A queued run (its task queued when `task` is given), after the checks; JOB_ACTIVE when one is active."""
    month = month.replace(day=1)
    if trigger not in RunTrigger.values:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Pemicu penagihan tidak dikenal."))
    if trigger != RunTrigger.SCHEDULE and not can_run_billing(actor):
        raise PermissionDenied(_("Hanya admin nasional yang menjalankan penagihan bulanan."))
    problem = billing_month_problem(month)
    if problem:
        raise problem
    jobs_expire_stale(BillingRun)  # a run whose worker died frees its month
    _refuse_if_active(month)
    fields = {"month": month, "trigger": trigger, "created_by": actor if getattr(actor, "pk", None) else None}
    try:
        with transaction.atomic():
            if task is not None:
                return job_create(BillingRun, task, **fields)
            return BillingRun.objects.create(status=JobStatus.QUEUED, **fields)
    except IntegrityError:  # another run of the month was queued at the same moment
        _refuse_if_active(month)
        raise


def billing_run_queue(*, actor, month: date, trigger: str = RunTrigger.BUTTON) -> BillingRun:
    """Queue the run of `month` for the background worker; refused (ServiceError) at once when the actor may not
    run billing, the month cannot be billed, or a run of the month is already waiting or running."""
    from ..tasks import run_billing

    return _new_run(actor=actor, month=month, trigger=trigger, task=run_billing)


def billing_run(*, actor, month: date, trigger: str = RunTrigger.CLI, progress: Progress | None = None) -> BillingRun:
    """Queue and run at once in this process (the command line, tests); returns the run as it ended."""
    run = _new_run(actor=actor, month=month, trigger=trigger)
    return billing_run_execute(run.pk, progress=progress)


def billing_run_execute(run_id: int, progress: Progress | None = None) -> BillingRun:
    """Claim a queued run and do it. A run another worker took (or that ended) is returned as it is; a failure
    keeps the kabupaten already committed (a run again completes them) and says why on the run."""
    run = job_claim(BillingRun.objects.select_related("created_by"), run_id)
    if run is None:
        return BillingRun.objects.get(pk=run_id)
    tell = job_reporter(run, also=progress)

    try:
        _execute(run, tell)
    except JobEnded:
        run.refresh_from_db()
    except ServiceError as exc:
        job_fail(run, exc.message)
    except Exception:
        logger.exception("billing run %s failed", run.pk)
        job_fail(run, _("Terjadi kesalahan di server; kabupaten yang sudah selesai tetap tersimpan. Jalankan "
                        "penagihan bulan ini lagi untuk melengkapinya."))
    finally:
        _drop_rates(run)
    run.refresh_from_db()
    return run


def billing_schedule() -> BillingRun | None:
    """Queue this month's run (today from core.clock, WIB) when the month has no finished and no active run; a run
    that failed is tried again at most once an hour. None when nothing was queued (or the month cannot be billed:
    logged)."""
    month = clock.this_month()
    runs = BillingRun.objects.filter(month=month)
    if runs.filter(status__in=(*ACTIVE, JobStatus.DONE)).exists():
        return None
    if runs.filter(created_at__gt=clock.now() - timedelta(hours=1)).exists():
        return None
    try:
        return billing_run_queue(actor=None, month=month, trigger=RunTrigger.SCHEDULE)
    except ServiceError as exc:
        logger.warning("scheduled billing run of %s not queued: %s", month, exc.message)
        return None


# --- the run ------------------------------------------------------------------------------------------------


def _local_start(month: date) -> datetime:
    return datetime.combine(month, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _rate_table(run: BillingRun) -> str:
    return f"billing_rate_{int(run.pk)}"


def _drop_rates(run: BillingRun) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_rate_table(run)}")
            cursor.execute(f"DROP TABLE IF EXISTS billing_lines_{int(run.pk)}")
            if connection.vendor == "postgresql":
                cursor.execute("RESET jit")
                cursor.execute("RESET random_page_cost")
    except Exception:  # noqa: BLE001 - a broken connection drops its temp tables itself
        pass


def _in_force(alias: str, first: str, last: str) -> str:
    return f"{alias}.{first} <= %(m)s AND ({alias}.{last} IS NULL OR {alias}.{last} >= %(m)s)"


ENROLMENTS = _in_force("e", "start_month", "end_month")
MEMBERSHIPS = _in_force("ms", "first_month", "last_month")


def _combos(cursor, month: date) -> list[Combo]:
    """Every combination a due of the month may be priced with: each scheme in force, and each package shape of
    the open memberships, with every sector (a handful more than used, never one per person)."""
    params = {"m": connection.ops.adapt_datefield_value(month)}
    cursor.execute(f"SELECT DISTINCT e.scheme_id FROM funding_enrolment e WHERE {ENROLMENTS}", params)
    scheme_ids = [row[0] for row in cursor.fetchall()]
    shapes = set()
    for s in Scheme.objects.filter(pk__in=scheme_ids):
        shapes.add((s.segment, s.programme_mask, s.income_nominal, s.payer_type))
    cursor.execute(f"SELECT DISTINCT ms.segment, ms.programme_mask, ms.income FROM billing_membership ms "
                   f"WHERE {MEMBERSHIPS}", params)
    shapes.update((segment, mask, income, "self") for segment, mask, income in cursor.fetchall())
    return [Combo(segment, mask, income, payer, sector) for segment, mask, income, payer in sorted(shapes)
            for sector in Sector.values]


def _fill_rates(cursor, run: BillingRun, month: date) -> dict[str, int]:
    """The temporary rate table: one row per combination (its columns, per-programme cuts, total, error code).
    Returns how many combinations failed, by error code."""
    table = _rate_table(run)
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"""CREATE TEMPORARY TABLE {table} (
        segment varchar(5), mask integer, income bigint, payer varchar(10), sector varchar(20),
        jkk bigint, jkm bigint, jht bigint, jp bigint, cjkk bigint, cjkm bigint, cjht bigint, cjp bigint,
        total bigint, error varchar(40))""")
    book = rate_book()
    rows, errors = [], {}
    for combo in _combos(cursor, month):
        p = price(book, month, combo)
        if p.error:
            errors[p.error] = errors.get(p.error, 0) + 1
        rows.append((combo.segment, combo.mask, combo.income, combo.payer, combo.sector, p.jkk, p.jkm, p.jht, p.jp,
                     *p.cuts, p.total, p.error))
    if rows:
        cursor.executemany(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * 15)})", rows)
    cursor.execute(f"ANALYZE {table}")  # the planner knows it is a few rows (a temp table has no statistics)
    return errors


def _kabupaten(cursor, month: date) -> list[str]:
    params = {"m": connection.ops.adapt_datefield_value(month)}
    cursor.execute(f"SELECT DISTINCT e.kab_code FROM funding_enrolment e WHERE {ENROLMENTS} "
                   f"UNION SELECT DISTINCT ms.kab_code FROM billing_membership ms WHERE {MEMBERSHIPS}", params)
    return sorted(row[0] for row in cursor.fetchall())


def _params(run: BillingRun, month: date, **more) -> dict:
    ops = connection.ops
    return {"m": ops.adapt_datefield_value(month), "run": run.pk, "now": ops.adapt_datetimefield_value(clock.now()),
            "month_start": ops.adapt_datetimefield_value(_local_start(month)),
            "next_start": ops.adapt_datetimefield_value(_local_start(add_months(month, 1))), **more}


# Who may be billed: the participant existed before the month ended, and was not deactivated before it began.
PERSON_OK = "p.created_at < %(next_start)s AND (p.is_active OR p.deactivated_at >= %(month_start)s)"
DUE_COLUMNS = ("participant_id, kab_code, desa_code, month, enrolment_id, membership_id, scheme_id, payer_type, "
               "segment, sector, programme_mask, income, jkk, jkm, jht, jp, discount, amount, run_id, created_at")


def _scheme_dues(cursor, table: str, params: dict) -> int:
    cursor.execute(f"""
        INSERT INTO billing_due ({DUE_COLUMNS})
        SELECT e.participant_id, e.kab_code, e.desa_code, %(m)s, e.id, NULL, s.id, s.payer_type, s.segment, p.sector,
               s.programme_mask, s.income_nominal, r.jkk, r.jkm, r.jht, r.jp, r.cjkk + r.cjkm + r.cjht + r.cjp,
               r.total, %(run)s, %(now)s
        FROM funding_enrolment e
        JOIN funding_scheme s ON s.id = e.scheme_id
        JOIN participants_participant p ON p.id = e.participant_id
        JOIN {table} r ON r.segment = s.segment AND r.mask = s.programme_mask AND r.income = s.income_nominal
                      AND r.payer = s.payer_type AND r.sector = p.sector
        WHERE e.kab_code = %(kab)s AND {ENROLMENTS} AND r.error = '' AND r.total > 0 AND {PERSON_OK}
        ON CONFLICT DO NOTHING""", params)
    return max(cursor.rowcount, 0)


def _fence() -> str:
    """Ends a derived table so the planner keeps it as it is: its per-person cover subquery runs once a row, not
    once for each of the columns that read it."""
    return "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"


def _kept(column: str, bit: int) -> str:
    return f"CASE WHEN (x.cov & {bit}) = 0 THEN x.{column} ELSE 0 END"


def _membership_dues(cursor, table: str, params: dict) -> int:
    """The worker's own packages, less the programmes a scheme pays for the person that month (funding refuses
    overlapping schemes, so the SUM of their masks is their OR); a package left with nothing is not billed."""
    bits = {"jkk": 1, "jkm": 2, "jht": 4, "jp": 8}
    cols = {c: _kept(c, bit) for c, bit in bits.items()}
    cuts = " + ".join(_kept("c" + c, bit) for c, bit in bits.items())
    amount = " + ".join(cols.values())
    cursor.execute(f"""
        INSERT INTO billing_due ({DUE_COLUMNS})
        SELECT y.participant_id, y.kab_code, y.desa_code, %(m)s, NULL, y.id, NULL, 'self', y.segment, y.sector,
               y.programme_mask, y.income, y.jkk, y.jkm, y.jht, y.jp, y.discount, y.amount, %(run)s, %(now)s
        FROM (SELECT x.participant_id, x.kab_code, x.desa_code, x.id, x.segment, x.sector,
                     x.programme_mask - (x.programme_mask & x.cov) AS programme_mask, x.income,
                     {cols['jkk']} AS jkk, {cols['jkm']} AS jkm, {cols['jht']} AS jht, {cols['jp']} AS jp,
                     {cuts} AS discount, {amount} AS amount
              FROM (SELECT ms.participant_id, ms.kab_code, ms.desa_code, ms.id, ms.segment, p.sector,
                           ms.programme_mask, ms.income, r.jkk, r.jkm, r.jht, r.jp, r.cjkk, r.cjkm, r.cjht, r.cjp,
                           COALESCE((SELECT SUM(s.programme_mask) FROM funding_enrolment e
                                     JOIN funding_scheme s ON s.id = e.scheme_id
                                     WHERE e.participant_id = ms.participant_id AND e.start_month <= %(m)s
                                       AND e.end_month >= %(m)s), 0) AS cov
                    FROM billing_membership ms
                    JOIN participants_participant p ON p.id = ms.participant_id
                    JOIN {table} r ON r.segment = ms.segment AND r.mask = ms.programme_mask AND r.income = ms.income
                                  AND r.payer = 'self' AND r.sector = p.sector
                    WHERE ms.kab_code = %(kab)s AND {MEMBERSHIPS} AND r.error = '' AND {PERSON_OK}
                    {_fence()}) x) y
        WHERE y.amount > 0
        ON CONFLICT DO NOTHING""", params)
    return max(cursor.rowcount, 0)


def _skipped(cursor, table: str, params: dict) -> dict[str, int]:
    """Who is in force this month but cannot be billed, by reason: registered after the month, deactivated before
    it, or no price (the rate's error code; `no_rate` when the rate table has no row for them).

    Found from the few rows that fail instead of joining every payer row to its person again (7.7 s of the run on
    the bench at load 11): (a) the people who fail (registered later, deactivated before, or of a sector the rate
    table lacks: one pass over the participants) with their payer rows in force; (b) the payer rows of a shape the
    engine refused or the table lacks, for the others. The two never count one row twice."""
    counts: dict[str, int] = {}
    reason = ("CASE WHEN p.created_at >= %(next_start)s THEN 'registered_later' "
              "WHEN NOT (p.is_active OR p.deactivated_at >= %(month_start)s) THEN 'inactive' "
              "ELSE COALESCE(NULLIF(r.error, ''), 'no_rate') END")
    failed = f"(NOT ({PERSON_OK}) OR r.error IS NULL OR r.error <> '')"
    sectors = ", ".join(f"'{value}'" for value in Sector.values)
    person_fails = f"(NOT ({PERSON_OK}) OR p.sector NOT IN ({sectors}))"
    person_passes = f"({PERSON_OK} AND p.sector IN ({sectors}))"
    scheme_join = ("r.segment = s.segment AND r.mask = s.programme_mask AND r.income = s.income_nominal "
                   "AND r.payer = s.payer_type AND r.sector = p.sector")
    package_join = ("r.segment = ms.segment AND r.mask = ms.programme_mask AND r.income = ms.income "
                    "AND r.payer = 'self' AND r.sector = p.sector")
    scheme_shape = ("x.segment = s2.segment AND x.mask = s2.programme_mask AND x.income = s2.income_nominal "
                    "AND x.payer = s2.payer_type")
    package_shape = ("x.segment = ms.segment AND x.mask = ms.programme_mask AND x.income = ms.income "
                     "AND x.payer = 'self'")
    shape_fails = ("(EXISTS (SELECT 1 FROM {t} x WHERE {shape} AND x.error <> '') "
                   "OR NOT EXISTS (SELECT 1 FROM {t} x WHERE {shape}))")
    queries = (
        # (a) the people who fail, with their payer rows in force
        f"""SELECT {reason} AS why, COUNT(*) FROM participants_participant p
            JOIN funding_enrolment e ON e.participant_id = p.id JOIN funding_scheme s ON s.id = e.scheme_id
            LEFT JOIN {table} r ON {scheme_join}
            WHERE {person_fails} AND {ENROLMENTS} AND {failed} GROUP BY 1""",
        f"""SELECT {reason} AS why, COUNT(*) FROM participants_participant p
            JOIN billing_membership ms ON ms.participant_id = p.id
            LEFT JOIN {table} r ON {package_join}
            WHERE {person_fails} AND {MEMBERSHIPS} AND {failed} GROUP BY 1""",
        # (b) the others, on a shape that fails (through the few schemes of such a shape)
        f"""SELECT {reason} AS why, COUNT(*) FROM funding_enrolment e
            JOIN funding_scheme s ON s.id = e.scheme_id JOIN participants_participant p ON p.id = e.participant_id
            LEFT JOIN {table} r ON {scheme_join}
            WHERE e.scheme_id IN (SELECT s2.id FROM funding_scheme s2
                                  WHERE {shape_fails.format(t=table, shape=scheme_shape)})
              AND {ENROLMENTS} AND {person_passes} AND {failed} GROUP BY 1""",
        f"""SELECT {reason} AS why, COUNT(*) FROM billing_membership ms
            JOIN participants_participant p ON p.id = ms.participant_id
            LEFT JOIN {table} r ON {package_join}
            WHERE {shape_fails.format(t=table, shape=package_shape)}
              AND {MEMBERSHIPS} AND {person_passes} AND {failed} GROUP BY 1""",
    )
    for sql in queries:
        cursor.execute(sql, params)
        for why, n in cursor.fetchall():
            counts[why] = counts.get(why, 0) + n
    return counts


ENDED_LOOKBACK_MONTHS = 3


def _void_after_end(run: BillingRun, month: date) -> int:
    """Design §2.7's catch-all: the live, unpaid dues of months after their enrolment's end (or their package's
    last month) are voided, so an end recorded by any path (a page, an import, the admin) never keeps billing even
    when the ending's own hook did not run. Found set-based, each voided through `due_void` (a reversal with reason
    enrolment_ended or membership_ended, audited as due.voided). Returns how many.

    It reads the enrolments and packages that ended from ENDED_LOOKBACK_MONTHS before the month on (an enrolment
    only up to the latest month a run billed: scheme dues come from runs alone), so a run does not probe every
    enrolment that ever ended; a due left by an end moved back further than that is what `ledger check` reports
    (invariant 7, outside_period). A paid due is left to the ending's hook (it reverses the payment's allocation)."""
    from ..models import ReversalReason
    from .reversals import due_void

    live_d = not_reversed_sql("d", "due")
    live_a = not_reversed_sql("a", "allocation")
    unpaid = f"NOT EXISTS (SELECT 1 FROM billing_allocation a WHERE a.due_id = d.id AND {live_a})"
    params = {"since": connection.ops.adapt_datefield_value(add_months(month, -ENDED_LOOKBACK_MONTHS))}
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT d.id, 'enrolment', '' FROM funding_enrolment e
            JOIN billing_due d ON d.participant_id = e.participant_id AND d.enrolment_id = e.id
                              AND d.month > e.end_month
            WHERE e.end_month >= %(since)s AND e.end_month < (SELECT MAX(br.month) FROM billing_billingrun br)
              AND {live_d} AND {unpaid}
            UNION ALL
            SELECT d.id, 'package', ms.end_reason FROM billing_membership ms
            JOIN billing_due d ON d.participant_id = ms.participant_id AND d.membership_id = ms.id
                              AND d.month > ms.last_month
            WHERE ms.last_month IS NOT NULL AND ms.last_month >= %(since)s AND {live_d} AND {unpaid}""", params)
        found = cursor.fetchall()
    if not found:
        return 0
    from ..models import Due, MembershipEndReason

    dues = Due.objects.in_bulk([pk for pk, _kind, _why in found])
    voided = 0
    for pk, kind, why in sorted(found, key=lambda row: -row[0]):  # latest first, as the ending's hook does
        if kind == "enrolment":
            reason = ReversalReason.ENROLMENT_ENDED
        else:  # as billing.services.membership voids a package's months after its end
            reason = ReversalReason.MISTAKE if why == MembershipEndReason.MISTAKE else ReversalReason.MEMBERSHIP_ENDED
        try:
            due_void(actor=run.created_by, due=dues[pk], reason=reason)
        except ServiceError as exc:
            if exc.code != ErrorCode.ALREADY_REVERSED:  # the ending's own hook voided it meanwhile: done
                raise
            continue
        voided += 1
    return voided


def _apply_credit(run: BillingRun, kab: str) -> int:
    """H3's allocation pays the new dues of the kabupaten's holders from their credit, in the same transaction."""
    return apply_credit_to_new_dues(run=run, kab_code=kab) or 0


def _execute(run: BillingRun, tell: Progress) -> None:
    month = run.month
    problem = billing_month_problem(month)
    if problem:
        raise problem
    tell(0, 1, Stage(STAGE_PRICES))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Each statement reads one kabupaten through indexes: compiling it (JIT, which PostgreSQL starts on
            # cost estimates meant for whole-table scans) cost ~0.1 s a statement, more than running it.
            cursor.execute("SET jit = off")
            # Per-kabupaten statements probe indexes (enrolments, participants by id); with the default page cost
            # for spinning disks the planner scanned the whole participant table for each kabupaten instead.
            cursor.execute("SET random_page_cost = 1.1")
        errors = _fill_rates(cursor, run, month)
        kabs = _kabupaten(cursor, month)
        table = _rate_table(run)
        skipped = _skipped(cursor, table, _params(run, month))
    voided = _void_after_end(run, month)
    total = len(kabs) + 1
    done_kabs = list(run.kab_done or [])
    created = 0
    credit = 0
    for n, kab in enumerate(kabs, start=1):
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A kabupaten's commit need not wait for its WAL on disk: a server crash can lose only whole
                # kabupaten just committed (their dues, credit and kab_done together), which a run again re-creates,
                # as after a run killed halfway. The last step (invoices, audit, the run's end) stays durable.
                cursor.execute("SET LOCAL synchronous_commit = off")
            params = _params(run, month, kab=kab)
            made = _scheme_dues(cursor, table, params) + _membership_dues(cursor, table, params)
            refresh_after_new_dues(kab_code=kab, month=month, run_id=run.pk)
            credit += _apply_credit(run, kab)
            if kab not in done_kabs:
                done_kabs.append(kab)
            if not BillingRun.objects.filter(pk=run.pk, status=JobStatus.RUNNING).update(
                    kab_done=done_kabs, dues_created=created + made):
                raise JobEnded  # expired or cancelled meanwhile: this kabupaten is not kept
        created += made
        tell(n, total, Stage(STAGE_KAB, {"kab": kab, "n": n, "total": len(kabs)}))
    tell(len(kabs), total, Stage(STAGE_INVOICES))
    with transaction.atomic():
        invoices = _issue_invoices(run, month)
        for kab in sorted({i.kab_code for i in invoices}):  # scheme payers' credit pays their new lines
            credit += _apply_credit(run, kab)
        amount = _amount_billed(run, month)
        summary = {"month": f"{month:%Y-%m}", "kabupaten": len(kabs), "dues_created": created,
                   "invoices_created": len(invoices), "amount_billed": amount, "credit_applied": credit,
                   "skipped": skipped, "combinations_refused": errors, "voided_after_end": voided}
        audit_record(actor=run.created_by, event=AuditEventType.BILLING_RUN_FINISHED, obj=run,
                     new=summary, note=f"{month:%m/%Y}")
        if not job_finish(run, dues_created=created, invoices_created=len(invoices), amount_billed=amount,
                          credit_applied=credit, skipped=skipped, summary=summary, kab_done=done_kabs):
            raise JobEnded
    tell(total, total, None)


def _amount_billed(run: BillingRun, month: date) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(amount), 0) FROM billing_due WHERE run_id = %s AND month = %s",
                       [run.pk, connection.ops.adapt_datefield_value(month)])
        return int(cursor.fetchone()[0])


def invoice_number(scheme_id: int, month: date, seq: int) -> str:
    return f"INV/{month:%Y-%m}/S{scheme_id}-{seq}"


def _issue_invoices(run: BillingRun, month: date) -> list[Invoice]:
    """One invoice per scheme for its dues of the month that no invoice has yet (a supplementary one, seq 2, 3…,
    when the month was invoiced before), lines by desa, then name, then participant; one audit event each."""
    m = connection.ops.adapt_datefield_value(month)
    live = not_reversed_sql("d", "due")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BILLING_LOCK])
            # The month's dues were just written (a million on the bench), and the table's statistics still say
            # what it held before: fresh ones let the planner read the dues and the people in one pass each (hash
            # joins) instead of probing an index 700,000 times (10.9 s against 5.9 s on the bench). ~1 s.
            cursor.execute("ANALYZE billing_due")
            # The lines are numbered in one sort of all of them (~110 MB on the bench): in memory, not on disk.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"""
            SELECT DISTINCT d.scheme_id FROM funding_scheme s JOIN billing_due d ON d.scheme_id = s.id
            WHERE d.month = %s AND {live}
              AND NOT EXISTS (SELECT 1 FROM billing_invoiceline l WHERE l.due_id = d.id)""", [m])
        scheme_ids = sorted(row[0] for row in cursor.fetchall())
    if not scheme_ids:
        return []
    last = dict(Invoice.objects.filter(scheme_id__in=scheme_ids, month=month).values_list("scheme_id")
                .annotate(seq=Max("seq")))
    now = clock.now()
    invoices = []
    for s in Scheme.objects.filter(pk__in=scheme_ids).order_by("pk"):
        seq = last.get(s.pk, 0) + 1
        owner = s.owner_code
        invoices.append(Invoice(scheme_id=s.pk, month=month, seq=seq, number=invoice_number(s.pk, month, seq),
                                kab_code=owner[:5] if len(owner) >= 5 else "", payer_type=s.payer_type,
                                payer_name=(s.payer_name or s.name)[:150], run=run, issued_at=now))
    invoices = Invoice.objects.bulk_create(invoices)
    ids = [i.pk for i in invoices]
    marks = ", ".join(["%s"] * len(ids))
    lines = f"billing_lines_{int(run.pk)}"
    with connection.cursor() as cursor:
        # The lines are numbered into a temporary table first, then written: a single INSERT … SELECT would read
        # "not on a line yet" from the table it is filling, and on a lines table the planner takes for empty (the
        # first month) it scanned that table once per due, 700,000 times over the pages written so far.
        cursor.execute(f"DROP TABLE IF EXISTS {lines}")
        cursor.execute(f"""
            CREATE TEMPORARY TABLE {lines} AS
            SELECT i.id AS invoice_id, d.id AS due_id,
                   ROW_NUMBER() OVER (PARTITION BY i.id ORDER BY d.desa_code, p.search_name, d.participant_id,
                                                                 d.id) AS position,
                   d.kab_code, d.desa_code, p.full_name AS name, d.amount
            FROM billing_invoice i
            JOIN billing_due d ON d.scheme_id = i.scheme_id AND d.month = i.month
            JOIN participants_participant p ON p.id = d.participant_id
            WHERE i.id IN ({marks}) AND {live}
              AND NOT EXISTS (SELECT 1 FROM billing_invoiceline l WHERE l.due_id = d.id)""", ids)
        cursor.execute(f"INSERT INTO billing_invoiceline (invoice_id, due_id, position, kab_code, desa_code, name, "
                       f"amount) SELECT invoice_id, due_id, position, kab_code, desa_code, name, amount FROM {lines}")
        # The totals are their lines' (written in this transaction, so nothing changed between the two): one pass
        # over the numbered lines, then one short update per invoice.
        cursor.execute(f"SELECT invoice_id, COUNT(*), COALESCE(SUM(amount), 0) FROM {lines} GROUP BY invoice_id")
        totals = cursor.fetchall()
        cursor.executemany("UPDATE billing_invoice SET lines = %s, total = %s WHERE id = %s",
                           [(n, total, pk) for pk, n, total in totals])
        cursor.execute(f"DROP TABLE {lines}")
    invoices = list(Invoice.objects.filter(pk__in=ids).order_by("pk"))
    AuditBatch(actor=run.created_by, event=AuditEventType.INVOICE_ISSUED, note=f"{month:%m/%Y}", at=now).write(
        (i.pk, i.kab_code, None, {"number": i.number, "scheme": i.scheme_id, "month": f"{month:%Y-%m}",
                                  "seq": i.seq, "lines": i.lines, "total": i.total, "run": run.pk})
        for i in invoices)
    return invoices
