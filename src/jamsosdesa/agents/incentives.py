"""PERISAI incentives (issue 14 part C, design §4): the rules in force for a month, the monthly run and its lines.

    rule_for                 the IncentiveRule in force for a month
    incentive_rule_save      a national admin records the numbers from a month on (audited)
    round_share / share_sql  the one rounding: a share of a base in basis points, half-up to whole rupiah per line
    incentive_run_queue      check, then queue a month's run for the worker (the page, the API)
    incentive_run_month      check and run at once in this process (the command line, tests)
    incentive_run_execute    the worker's side

The run is set-based: one `INSERT … SELECT` per rule over the whole country (acquisitions, the two contribution
shares, corrections, the wadah's share), no loop over agents or participants, in one transaction that first
deletes the month's lines, so a rerun replaces exactly that month and gives the same figures.

Definitions (design §4, as built):
- An *acquisition point* of a participant by an agent is the first month of one of the participant's BPU packages
  (billing.Membership) with that agent, unless another of its packages with the same agent covers the month
  before (a change of package continues the count). So a package started after a lapse, after a scheme's period,
  or after another agent's package is a (re-)acquisition: the contribution month count starts again there.
- An acquisition is *new* when the participant had no BPU package, BPU enrolment or BPU due for any earlier
  month. New acquisitions earn the fee (three programmes or more: `fee_three`, two: `fee_two`) only when the agent
  has at least `min_new` of them in the month.
- A share is earned on money received in the month: the allocations created in it (WIB) that were still live at
  the month's end, on dues of packages whose agent is the agent, by the due's month index from the latest
  acquisition point on or before it: 1–24 `share_1_24_bp`, 25–60 `share_25_60_bp`, beyond 60 nothing.
- A correction is a negative line of the month a reversal was made in, for an allocation that earned a share line
  in an earlier month: exactly that line's base and amount, negated (run the months in order).
- The wadah's line is `wadah_bp` of the sum of its agents' lines of the month.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jamsosdesa.billing.models import RunTrigger
from jamsosdesa.core import clock
from jamsosdesa.core.access import sees_everything
from jamsosdesa.core.audit import audit_record
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
from jamsosdesa.core.roles import Role

from .acquisition import acquisition_point_sql, month_no, new_bpu_sql
from .models_incentives import IncentiveKind, IncentiveRule, IncentiveRun

logger = logging.getLogger(__name__)

Progress = Callable[..., None]

RULE_FIELDS = ("fee_three", "fee_two", "min_new", "share_1_24_bp", "share_25_60_bp", "wadah_bp")
BP_FIELDS = ("share_1_24_bp", "share_25_60_bp", "wadah_bp")
SHARE_KINDS = (IncentiveKind.SHARE_1_24, IncentiveKind.SHARE_25_60)

STAGE_STARTS = gettext_noop("mencari akuisisi")
STAGE_ACQUISITION = gettext_noop("imbalan akuisisi")
STAGE_SHARES = gettext_noop("bagian iuran yang diterima")
STAGE_CORRECTIONS = gettext_noop("koreksi pembayaran yang dibatalkan")
STAGE_WADAH = gettext_noop("tambahan wadah")
STEPS = 5


# --- rules --------------------------------------------------------------------------------------------------


def rule_for(month: date) -> IncentiveRule:
    """The rule in force for `month` (the latest from on or before it; the oldest row for a month before them all;
    the model's defaults when an admin deleted every row)."""
    month = month.replace(day=1)
    row = IncentiveRule.objects.filter(valid_from__lte=month).order_by("-valid_from").first()
    if row is None:
        row = IncentiveRule.objects.order_by("valid_from").first()
    if row is None:
        row = IncentiveRule(valid_from=month, source=_("bawaan jamsosdesa"))
    return row


def can_edit_incentive_rules(user) -> bool:
    return sees_everything(user)


def can_run_incentives(user) -> bool:
    """Start a month's incentive run: national admins and branch officers."""
    return sees_everything(user) or bool(user and user.is_authenticated and user.is_active
                                         and user.role == Role.BRANCH_OFFICER)


def _rule_values(rule: IncentiveRule) -> dict:
    return {"valid_from": f"{rule.valid_from:%Y-%m}", **{f: getattr(rule, f) for f in RULE_FIELDS},
            "source": rule.source, "note": rule.note}


@transaction.atomic
def incentive_rule_save(*, actor, valid_from: date, source: str, note: str = "", **numbers) -> IncentiveRule:
    """Record the incentive numbers in force from the month `valid_from` (the row of that month is replaced when it
    exists). Refused: a user who is not a national admin, no source, a negative number, a share above 100 %."""
    if not can_edit_incentive_rules(actor):
        raise PermissionDenied(_("Hanya admin nasional yang mengubah aturan insentif agen."))
    errors: dict[str, list[str]] = {}
    if not (source or "").strip():
        errors["source"] = [_("Tulis dasar aturan ini (nomor peraturan atau surat).")]
    values = {}
    for name in RULE_FIELDS:
        value = numbers.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors[name] = [_("Isi bilangan bulat 0 atau lebih.")]
        elif name in BP_FIELDS and value > 10_000:
            errors[name] = [_("Paling banyak 10000 basis poin (100%).")]
        else:
            values[name] = value
    if errors:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Aturan insentif belum benar."), fields=errors)
    valid_from = valid_from.replace(day=1)
    row = IncentiveRule.objects.select_for_update().filter(valid_from=valid_from).first()
    old = _rule_values(row) if row else None
    if row is None:
        row = IncentiveRule(valid_from=valid_from)
    for name, value in values.items():
        setattr(row, name, value)
    row.source, row.note = source.strip()[:200], (note or "").strip()[:300]
    row.created_by = actor if getattr(actor, "pk", None) else None
    row.created_at = clock.now()
    row.save()
    audit_record(actor=actor, event=AuditEventType.INCENTIVE_RULE_CHANGED, obj=row, old=old, new=_rule_values(row),
                 note=f"{valid_from:%m/%Y}")
    return row


# --- rounding -----------------------------------------------------------------------------------------------


def round_share(base: int, bp: int) -> int:
    """`bp` basis points of `base` rupiah, half-up to a whole rupiah (a negative base the same away from zero, so a
    correction cancels its line exactly)."""
    if base < 0:
        return -round_share(-base, bp)
    return (base * bp + 5_000) // 10_000


def share_sql(base: str, bp: str) -> str:
    """round_share in SQL (both databases divide integers by truncating; the operands are never negative)."""
    return (f"(CASE WHEN ({base}) >= 0 THEN (({base}) * {bp} + 5000) / 10000 "
            f"ELSE -((-({base}) * {bp} + 5000) / 10000) END)")


# --- checks and queueing ------------------------------------------------------------------------------------


def incentive_month_problem(month: date) -> ServiceError | None:
    """Why `month` cannot be run (None when it can): it is not over yet (today from core.clock), or the months are not
    run in order. A month's corrections negate the lines of earlier months, so a month runs only after the month
    before it (once any month has been computed), and never for the first time before a month already computed (a
    rerun of a computed month is always allowed)."""
    month = month.replace(day=1)
    if month >= clock.this_month():
        message = _("Bulan %(m)s belum selesai: insentif dihitung sesudah bulannya berakhir (paling akhir bulan "
                    "%(last)s).") % {"m": f"{month:%m/%Y}", "last": f"{add_months(clock.this_month(), -1):%m/%Y}"}
        return ServiceError(code=ErrorCode.BAD_PERIOD, message=message, fields={"month": [message]})
    done = IncentiveRun.objects.filter(status=JobStatus.DONE)
    if done.filter(month=month).exists():
        return None
    before = add_months(month, -1)
    message = ""
    if done.filter(month__lt=month).exists() and not done.filter(month=before).exists():
        message = _("Jalankan dulu perhitungan insentif bulan %(before)s: bulan dihitung berurutan, karena koreksi "
                    "suatu bulan membalik baris bulan-bulan sebelumnya.") % {"before": f"{before:%m/%Y}"}
    elif done.filter(month__gt=month).exists():
        message = _("Insentif bulan sesudah %(m)s sudah dihitung, jadi bulan %(m)s tidak dapat dihitung untuk "
                    "pertama kalinya: koreksi bulan-bulan itu tidak akan melihat barisnya.") % {"m": f"{month:%m/%Y}"}
    if message:
        return ServiceError(code=ErrorCode.BAD_PERIOD, message=message, fields={"month": [message]})
    return None


def _active_refusal() -> ServiceError | None:
    active = IncentiveRun.objects.filter(status__in=ACTIVE).first()
    if active is None:
        return None
    return ServiceError(code=ErrorCode.JOB_ACTIVE, message=_(
        "Perhitungan insentif bulan %(m)s sedang menunggu atau berjalan; tunggu sampai selesai, lalu jalankan "
        "lagi.") % {"m": f"{active.month:%m/%Y}"})


def _new_run(*, actor, month: date, trigger: str, task=None) -> IncentiveRun:
    month = month.replace(day=1)
    if not can_run_incentives(actor):
        raise PermissionDenied(_("Hanya admin nasional dan petugas kantor cabang yang menjalankan perhitungan "
                                 "insentif."))
    problem = incentive_month_problem(month)
    if problem:
        raise problem
    jobs_expire_stale(IncentiveRun)
    refusal = _active_refusal()
    if refusal:
        raise refusal
    fields = {"month": month, "trigger": trigger, "created_by": actor if getattr(actor, "pk", None) else None}
    try:
        with transaction.atomic():
            if task is not None:
                return job_create(IncentiveRun, task, **fields)
            return IncentiveRun.objects.create(status=JobStatus.QUEUED, **fields)
    except IntegrityError:  # another run was queued at the same moment
        raise _active_refusal() or ServiceError(code=ErrorCode.JOB_ACTIVE, message=_(
            "Perhitungan insentif lain sedang berjalan; tunggu sampai selesai.")) from None


def incentive_run_queue(*, actor, month: date, trigger: str = RunTrigger.BUTTON) -> IncentiveRun:
    """Queue the run of `month` for the background worker; refused at once (ServiceError) for a month not over,
    while another run is waiting or running, or for a user who may not run it."""
    from .tasks_incentives import run_incentives

    return _new_run(actor=actor, month=month, trigger=trigger, task=run_incentives)


def incentive_run_month(*, actor, month: date, progress: Progress | None = None,
                        trigger: str = RunTrigger.CLI) -> IncentiveRun:
    """Check, then run `month` at once in this process (the command line, tests); returns the run as it ended."""
    run = _new_run(actor=actor, month=month, trigger=trigger)
    return incentive_run_execute(run.pk, progress=progress)


def incentive_run_execute(run_id: int, progress: Progress | None = None) -> IncentiveRun:
    """Claim a queued run and do it; a failure writes nothing (the month keeps the lines it had) and says why."""
    run = job_claim(IncentiveRun.objects.select_related("created_by"), run_id)
    if run is None:
        return IncentiveRun.objects.get(pk=run_id)
    tell = job_reporter(run, also=progress)
    try:
        with transaction.atomic():
            _execute(run, tell)
    except JobEnded:
        pass
    except ServiceError as exc:
        job_fail(run, exc.message)
    except Exception:
        logger.exception("incentive run %s failed", run.pk)
        job_fail(run, _("Terjadi kesalahan di server; baris insentif bulan ini tidak berubah. Jalankan lagi, atau "
                        "hubungi admin bila terulang."))
    finally:
        _drop_temp(run)
    run.refresh_from_db()
    return run


def run_as_json(run: IncentiveRun) -> dict:
    from jamsosdesa.core.jobs import job_progress

    return {"id": run.pk, "month": f"{run.month:%Y-%m}", "status": run.status, "trigger": run.trigger,
            "message": run.message, "lines": run.lines, "agents": run.agents, "total_agents": run.total_agents,
            "total_wadah": run.total_wadah, "summary": run.summary,
            "progress": job_progress(run) if run.is_active else None,
            "created_at": run.created_at.isoformat(),
            "started_at": run.started_at and run.started_at.isoformat(),
            "finished_at": run.finished_at and run.finished_at.isoformat()}


# --- the run ------------------------------------------------------------------------------------------------


def _local_start(month: date) -> datetime:
    return datetime.combine(month, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _fence() -> str:
    return "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"


def _tables(run: IncentiveRun) -> dict[str, str]:
    n = int(run.pk)
    return {"starts": f"inc_starts_{n}", "new": f"inc_new_{n}", "recv": f"inc_recv_{n}"}


def _drop_temp(run: IncentiveRun) -> None:
    try:
        with connection.cursor() as cursor:
            for table in _tables(run).values():
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
    except Exception:  # noqa: BLE001 - a broken connection drops its temp tables itself
        pass


LINE_COLUMNS = ("month, run_id, agent_id, wadah_id, participant_id, kind, contribution_month, month_index, base, "
                "rate_bp, amount, allocation_id, reversal_id")


def _analyze(cursor, table: str) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {table}")


def _starts(cursor, t: dict, params: dict) -> None:
    """Every acquisition point (participant, agent, first month, the package's programmes and segment), also of
    packages that start after the month: money received in the month for a month ahead (a package started ahead, its
    first due paid at once) counts from its own start."""
    cursor.execute(f"DROP TABLE IF EXISTS {t['starts']}")
    cursor.execute(f"""
        CREATE TEMPORARY TABLE {t['starts']} AS
        SELECT m2.participant_id, m2.agent_id, m2.first_month, m2.programme_mask, m2.segment
        FROM billing_membership m2
        WHERE {acquisition_point_sql('m2')}""", params)
    cursor.execute(f"CREATE INDEX {t['starts']}_idx ON {t['starts']} (participant_id, agent_id, first_month)")
    _analyze(cursor, t["starts"])


def _acquisitions(cursor, t: dict, params: dict) -> int:
    """The month's new acquisitions, then the fee lines of the agents with at least `min_new` of them."""
    bits = "((s.programme_mask & 1) + (s.programme_mask & 2) / 2 + (s.programme_mask & 4) / 4 " \
           "+ (s.programme_mask & 8) / 8)"
    cursor.execute(f"DROP TABLE IF EXISTS {t['new']}")
    cursor.execute(f"""
        CREATE TEMPORARY TABLE {t['new']} AS
        SELECT s.participant_id, s.agent_id,
               CASE WHEN {bits} >= 3 THEN %(fee3)s WHEN {bits} = 2 THEN %(fee2)s ELSE 0 END AS fee
        FROM {t['starts']} s
        WHERE s.first_month = %(m)s AND s.segment = 'BPU'
          AND {new_bpu_sql('s.participant_id', '%(m)s')}""",
                   params)
    cursor.execute(f"""
        INSERT INTO agents_incentiveline ({LINE_COLUMNS})
        SELECT %(m)s, %(run)s, n.agent_id, ag.wadah_id, n.participant_id, '{IncentiveKind.ACQUISITION}', %(m)s, 1,
               n.fee, 0, n.fee, NULL, NULL
        FROM {t['new']} n
        JOIN agents_agent ag ON ag.user_id = n.agent_id
        WHERE n.fee > 0
          AND n.agent_id IN (SELECT agent_id FROM {t['new']} GROUP BY agent_id
                             HAVING COUNT(DISTINCT participant_id) >= %(min_new)s)""", params)
    return max(cursor.rowcount, 0)


def _received(cursor, t: dict, params: dict) -> None:
    """The money received in the month on agents' packages, still live at the month's end, with each due's month
    index from the latest acquisition point on or before the due's month."""
    cursor.execute(f"DROP TABLE IF EXISTS {t['recv']}")
    cursor.execute(f"""
        CREATE TEMPORARY TABLE {t['recv']} AS
        SELECT x.id AS allocation_id, x.amount, x.participant_id, x.due_month, x.agent_id,
               {month_no('x.due_month')} - {month_no('x.acquired')} + 1 AS idx
        FROM (SELECT a.id, a.amount, d.participant_id, d.month AS due_month, ms.agent_id,
                     (SELECT MAX(s.first_month) FROM {t['starts']} s
                      WHERE s.participant_id = d.participant_id AND s.agent_id = ms.agent_id
                        AND s.first_month <= d.month) AS acquired
              FROM billing_allocation a
              JOIN billing_due d ON d.id = a.due_id
              JOIN billing_membership ms ON ms.id = d.membership_id
              WHERE a.created_at >= %(start)s AND a.created_at < %(next)s AND ms.agent_id IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM billing_reversal rv
                                WHERE rv.target_type = 'allocation' AND rv.target_id = a.id
                                  AND rv.created_at < %(next)s)
              {_fence()}) x
        WHERE x.acquired IS NOT NULL""", params)
    _analyze(cursor, t["recv"])


def _shares(cursor, t: dict, params: dict, kind: str, bp: int, first: int, last: int) -> int:
    cursor.execute(f"""
        INSERT INTO agents_incentiveline ({LINE_COLUMNS})
        SELECT %(m)s, %(run)s, r.agent_id, ag.wadah_id, r.participant_id, '{kind}', r.due_month, r.idx, r.amount,
               {int(bp)}, {share_sql('r.amount', str(int(bp)))}, r.allocation_id, NULL
        FROM {t['recv']} r
        JOIN agents_agent ag ON ag.user_id = r.agent_id
        WHERE r.idx BETWEEN {int(first)} AND {int(last)}""", params)
    return max(cursor.rowcount, 0)


def _corrections(cursor, params: dict) -> int:
    """Reversals made in the month of allocations that earned a share line in an earlier month: that line,
    negated, as a line of this month."""
    kinds = ", ".join(f"'{k}'" for k in SHARE_KINDS)
    cursor.execute(f"""
        INSERT INTO agents_incentiveline ({LINE_COLUMNS})
        SELECT %(m)s, %(run)s, l.agent_id, ag.wadah_id, l.participant_id, '{IncentiveKind.CORRECTION}',
               l.contribution_month, l.month_index, -l.base, l.rate_bp, -l.amount, l.allocation_id, rv.id
        FROM billing_reversal rv
        JOIN agents_incentiveline l ON l.allocation_id = rv.target_id AND l.month < %(m)s AND l.kind IN ({kinds})
        JOIN agents_agent ag ON ag.user_id = l.agent_id
        WHERE rv.target_type = 'allocation' AND rv.created_at >= %(start)s AND rv.created_at < %(next)s""", params)
    return max(cursor.rowcount, 0)


def _wadah_lines(cursor, params: dict, bp: int) -> int:
    cursor.execute(f"""
        INSERT INTO agents_incentiveline ({LINE_COLUMNS})
        SELECT %(m)s, %(run)s, NULL, w.wadah_id, NULL, '{IncentiveKind.WADAH}', NULL, NULL, w.base, {int(bp)},
               {share_sql('w.base', str(int(bp)))}, NULL, NULL
        FROM (SELECT l.wadah_id, CAST(SUM(l.amount) AS bigint) AS base FROM agents_incentiveline l
              WHERE l.month = %(m)s AND l.kind <> '{IncentiveKind.WADAH}' GROUP BY l.wadah_id) w
        WHERE w.base <> 0""", params)
    return max(cursor.rowcount, 0)


def _totals(cursor, params: dict) -> dict:
    cursor.execute("""
        SELECT kind, COUNT(*), COALESCE(SUM(amount), 0), COUNT(DISTINCT agent_id) FROM agents_incentiveline
        WHERE month = %(m)s GROUP BY kind""", params)
    by_kind = {kind: {"lines": n, "amount": int(total)} for kind, n, total, _agents in cursor.fetchall()}
    cursor.execute("SELECT COUNT(DISTINCT agent_id) FROM agents_incentiveline WHERE month = %(m)s "
                   "AND agent_id IS NOT NULL", params)
    agents = cursor.fetchone()[0]
    return {"by_kind": by_kind, "agents": agents}


def _execute(run: IncentiveRun, tell: Progress) -> None:
    month = run.month
    problem = incentive_month_problem(month)
    if problem:
        raise problem
    rule = rule_for(month)
    ops = connection.ops
    params = {"m": ops.adapt_datefield_value(month), "run": run.pk,
              "start": ops.adapt_datetimefield_value(_local_start(month)),
              "next": ops.adapt_datetimefield_value(_local_start(add_months(month, 1))),
              "fee3": rule.fee_three, "fee2": rule.fee_two, "min_new": rule.min_new}
    t = _tables(run)
    tell(0, STEPS, Stage(STAGE_STARTS))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("DELETE FROM agents_incentiveline WHERE month = %(m)s", params)
        replaced = max(cursor.rowcount, 0)
        _starts(cursor, t, params)
        tell(1, STEPS, Stage(STAGE_ACQUISITION))
        acquisitions = _acquisitions(cursor, t, params)
        tell(2, STEPS, Stage(STAGE_SHARES))
        _received(cursor, t, params)
        first = _shares(cursor, t, params, IncentiveKind.SHARE_1_24, rule.share_1_24_bp, 1, 24)
        later = _shares(cursor, t, params, IncentiveKind.SHARE_25_60, rule.share_25_60_bp, 25, 60)
        tell(3, STEPS, Stage(STAGE_CORRECTIONS))
        corrections = _corrections(cursor, params)
        tell(4, STEPS, Stage(STAGE_WADAH))
        wadah = _wadah_lines(cursor, params, rule.wadah_bp)
        totals = _totals(cursor, params)
    by_kind = totals["by_kind"]
    total_wadah = by_kind.get(IncentiveKind.WADAH, {}).get("amount", 0)
    total_agents = sum(v["amount"] for k, v in by_kind.items() if k != IncentiveKind.WADAH)
    lines = acquisitions + first + later + corrections + wadah
    summary = {"month": f"{month:%Y-%m}", "rule": _rule_values(rule), "lines": lines, "replaced": replaced,
               "by_kind": by_kind, "agents": totals["agents"], "total_agents": total_agents,
               "total_wadah": total_wadah}
    audit_record(actor=run.created_by, event=AuditEventType.INCENTIVE_RUN_FINISHED, obj=run, new=summary,
                 note=f"{month:%m/%Y}")
    if not job_finish(run, lines=lines, agents=totals["agents"], total_agents=total_agents, total_wadah=total_wadah,
                      summary=summary):
        raise JobEnded
    tell(STEPS, STEPS, None)
