"""Enrolment into a scheme, set-based whichever way it is asked for (one person, a filter, a list of NIKs): the
candidates go into a working table with the reason each one is refused, computed in SQL (eligibility, cover by
another scheme), then the desa quotas and the budget are applied with window functions, and the enrolments and
their audit events are written with INSERT ... SELECT. Enrolling one person is the same path with one row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.access import code_in_scope, region_q, user_region_codes
from jamsosdesa.core.audit import AuditBatch
from jamsosdesa.core.errors import ErrorCode, PermissionDenied, ServiceError
from jamsosdesa.core.jobs import JobEnded, JobStatus, job_finish
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.regioncodes import code_within
from jamsosdesa.core.text import has_bad_chars, strip_bad_chars
from jamsosdesa.participants.access import scope_participants
from jamsosdesa.participants.fields import nik_list
from jamsosdesa.participants.models import Participant, VillageRole
from jamsosdesa.participants.nik import is_nik_shaped
from jamsosdesa.participants.selectors import ParticipantFilter, participant_filter_qs
from jamsosdesa.regions.models import Region

from ..access import can_enrol_into
from ..models import ENROLMENT_STEPS, Candidate, Enrolment, EnrolmentBatch, Refusal, Scheme, WelfareEntry
from ..selectors import (
    KELURAHAN,
    enrolment_batch_refusals,
    refusal_message,
    scheme_committed,
    scheme_cost_per_person,
    scheme_default_quota,
    scheme_desa_quotas,
)


@dataclass
class EnrolmentSelection:
    """Who the set-based enrolment takes: one participant, the participants a queryset selects, or a list of NIKs
    (looked up within the actor's scope: a NIK outside it is "not registered"); with the period (empty: from this
    month or the scheme's start to the scheme's end) and whether one refusal stops everyone."""

    participant: Participant | None = None
    participants: QuerySet | None = None  # already inside the actor's scope (a selector's filter)
    niks: list[str] | None = None
    start_month: date | None = None
    end_month: date | None = None
    all_or_nothing: bool = False
    description: str = ""


def enrolment_period(scheme: Scheme, start_month: date | None, end_month: date | None) -> tuple[date, date]:
    """The months an enrolment asked for `start_month`..`end_month` covers (empty: from this month, or the
    scheme's start, to the scheme's end); a period outside the scheme is an error."""
    start = start_month or max(scheme.start_month, clock.this_month())
    start = max(start, scheme.start_month)
    end = min(end_month or scheme.end_month, scheme.end_month)
    if start > scheme.end_month:
        raise ServiceError(code=ErrorCode.SCHEME_ENDED, message=_("Periode skema sudah berakhir (%(m)s).")
                           % {"m": scheme.end_month.strftime("%m/%Y")})
    if end < start:
        raise ServiceError(code=ErrorCode.BAD_PERIOD, message=_("Bulan terakhir tidak boleh sebelum bulan pertama."),
                           fields={"end_month": [_("Bulan terakhir tidak boleh sebelum bulan pertama.")]})
    return start, end


def _reason(scheme: Scheme, start: date, end: date) -> Case:
    """The first reason a participant cannot be enrolled, '' when none (evaluated in SQL)."""
    oldest = date(start.year - scheme.max_age - 1, start.month, 1)  # born on or before: older than max_age
    whens = [When(is_active=False, then=Value(Refusal.INACTIVE))]
    if scheme.owner_code:
        whens.append(When(~region_q([scheme.owner_code]), then=Value(Refusal.OUTSIDE_REGION)))
    whens.append(When(~Q(segment=scheme.segment), then=Value(Refusal.SEGMENT)))
    whens.append(When(birth_date__lte=oldest, then=Value(Refusal.TOO_OLD)))
    if scheme.village_roles:
        whens.append(When(~Q(village_role__in=scheme.village_roles), then=Value(Refusal.ROLE)))
    if scheme.requires_welfare_list:
        listed = WelfareEntry.objects.filter(scheme_id=scheme.pk, nik=OuterRef("nik"))
        whens.append(When(~Exists(listed), then=Value(Refusal.WELFARE)))
    covering = (Enrolment.objects.filter(participant_id=OuterRef("pk"), start_month__lte=end, end_month__gte=start)
                .annotate(shared=F("scheme__programme_mask").bitand(scheme.programme_mask)).filter(shared__gt=0))
    whens.append(When(Exists(covering), then=Value(Refusal.COVERED)))  # this scheme too: see _mark_enrolled
    return Case(*whens, default=Value(""), output_field=CharField())


def _insert_candidates(batch: EnrolmentBatch, qs: QuerySet, scheme: Scheme, start: date, end: date) -> None:
    rows = (qs.order_by().annotate(batch_ref=Value(batch.pk), why=_reason(scheme, start, end))
            .values_list("batch_ref", "pk", "nik", "desa_id", "kab_code", "why"))
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO funding_candidate (batch_id, participant_id, nik, desa_code, kab_code, reason) "
                       + sql, params)


def _mark_enrolled(batch: EnrolmentBatch, scheme: Scheme, start: date, end: date) -> None:
    """Of those already covered, say which are already in this very scheme (few rows: cheaper here than as a
    second EXISTS over every candidate)."""
    same = Enrolment.objects.filter(participant_id=OuterRef("participant_id"), scheme_id=scheme.pk,
                                    start_month__lte=end, end_month__gte=start)
    (Candidate.objects.filter(batch=batch, reason=Refusal.COVERED).filter(Exists(same))
     .update(reason=Refusal.ENROLLED))


def _apply_quota(cursor, batch: EnrolmentBatch, scheme: Scheme) -> None:
    """Refuse, desa by desa, the candidates beyond the desa's room (quota less its open enrolments; the
    quotas as `scheme_desa_quotas` and `scheme_default_quota` give them)."""
    _explicit, default = scheme_desa_quotas(scheme)
    if scheme_default_quota(scheme, default, KELURAHAN) == 0 and default:
        # A kelurahan without a quota of its own is outside a per-desa quota: say so, not "the quota is full".
        cursor.execute("""
            UPDATE funding_candidate SET reason = %s
            WHERE batch_id = %s AND reason = ''
              AND desa_code IN (SELECT g.code FROM regions_region g WHERE g.kind = %s)
              AND desa_code NOT IN (SELECT q.desa_code FROM funding_schemequota q WHERE q.scheme_id = %s)""",
                       [Refusal.KELURAHAN.value, batch.pk, KELURAHAN, scheme.pk])
    cursor.execute("""
        UPDATE funding_candidate SET reason = %s WHERE id IN (
          SELECT r.id FROM (
            SELECT c.id, c.desa_code, ROW_NUMBER() OVER (PARTITION BY c.desa_code ORDER BY c.participant_id) AS n
            FROM funding_candidate c WHERE c.batch_id = %s AND c.reason = ''
          ) r JOIN (
            SELECT d.desa_code, COALESCE(q.quota, CASE WHEN g.kind = %s THEN CAST(%s AS integer)
                                                       ELSE CAST(%s AS integer) END) - COALESCE(e.n, 0) AS room
            FROM (SELECT DISTINCT desa_code FROM funding_candidate WHERE batch_id = %s AND reason = '') d
            LEFT JOIN regions_region g ON g.code = d.desa_code
            LEFT JOIN funding_schemequota q ON q.scheme_id = %s AND q.desa_code = d.desa_code
            LEFT JOIN (SELECT desa_code, COUNT(*) AS n FROM funding_enrolment
                       WHERE scheme_id = %s AND ended_at IS NULL GROUP BY desa_code) e ON e.desa_code = d.desa_code
          ) l ON l.desa_code = r.desa_code
          WHERE l.room IS NOT NULL AND r.n > l.room)""",
                   [Refusal.QUOTA.value, batch.pk, KELURAHAN, scheme_default_quota(scheme, default, KELURAHAN), default,
                    batch.pk, scheme.pk, scheme.pk])


def _apply_budget(cursor, batch: EnrolmentBatch, scheme: Scheme, per_person: int) -> None:
    if per_person <= 0:
        return
    room = scheme.budget_ceiling - scheme_committed(scheme)
    fits = max(room, 0) // per_person
    cursor.execute("""
        UPDATE funding_candidate SET reason = %s WHERE id IN (
          SELECT r.id FROM (
            SELECT c.id, ROW_NUMBER() OVER (ORDER BY c.desa_code, c.participant_id) AS n
            FROM funding_candidate c WHERE c.batch_id = %s AND c.reason = ''
          ) r WHERE r.n > %s)""", [Refusal.BUDGET.value, batch.pk, fits])


def _write_enrolments(cursor, batch: EnrolmentBatch, scheme: Scheme, actor, now, per_person: int) -> None:
    cursor.execute("""
        INSERT INTO funding_enrolment (scheme_id, participant_id, desa_code, kab_code, start_month, end_month, cost,
                                       batch_id, enrolled_by_id, created_at, ended_at, ended_by_id, end_reason,
                                       end_note)
        SELECT %s, c.participant_id, c.desa_code, c.kab_code, %s, %s, %s, %s, %s, %s, NULL, NULL, '', ''
        FROM funding_candidate c WHERE c.batch_id = %s AND c.reason = ''""",
                   [scheme.pk, batch.start_month, batch.end_month, per_person, batch.pk, actor.pk, now, batch.pk])
    AuditBatch(actor=actor, event=AuditEventType.ENROLMENT_CREATED, note=batch.description[:200], at=now).write_from(
        cursor, source="funding_enrolment e WHERE e.batch_id = %s", params=[batch.pk], object_id="e.id",
        region_code="e.desa_code", new={"scheme": "e.scheme_id", "participant": "e.participant_id",
                                        "start_month": "e.start_month", "end_month": "e.end_month", "cost": "e.cost"})
    cursor.execute("DELETE FROM funding_candidate WHERE batch_id = %s AND reason = ''", [batch.pk])


ENROLMENT_LOCK = 4_242_001  # pg_advisory_xact_lock key of enrolment batches


def _no_progress(done: int, total: int, stage=None) -> None:
    pass


@transaction.atomic
def enrolment_batch_run(*, actor, scheme: Scheme, selection: EnrolmentSelection, batch: EnrolmentBatch | None = None,
                        progress: Callable[..., None] = _no_progress) -> EnrolmentBatch:
    """Enrol the selected participants into a scheme, at once; returns the batch with its counts and its refusals
    (Candidate rows). A claimed `batch` (a background job) is filled in instead of a new one; `progress(done,
    steps, stage)` is told as each of the ENROLMENT_STEPS starts. A background batch expired meanwhile raises
    JobEnded: nothing is kept."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)  # one batch at a time per scheme
    if not can_enrol_into(actor, scheme):
        raise PermissionDenied(_("Peran Anda tidak mendaftarkan peserta ke skema."))
    if connection.vendor == "postgresql":
        # Batches of two different schemes must not both pass the "covered by another scheme" check for the
        # same person: one enrolment batch at a time in the whole system (SQLite writes one at a time anyway).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ENROLMENT_LOCK])
    start, end = enrolment_period(scheme, selection.start_month, selection.end_month)
    per_person = scheme_cost_per_person(scheme, start, end)
    how = "one" if selection.participant else "list" if selection.niks is not None else "filter"
    fields = {"scheme": scheme, "how": how, "description": selection.description[:300], "start_month": start,
              "end_month": end, "all_or_nothing": selection.all_or_nothing, "cost_per_person": per_person,
              "created_by": actor}
    if batch is None:  # at once: the same job row, running from the start
        batch = EnrolmentBatch.objects.create(status=JobStatus.RUNNING, started_at=clock.now(), **fields)
    else:
        for name, value in fields.items():
            setattr(batch, name, value)
        batch.save(update_fields=list(fields))  # never the status: only core.jobs moves it
    steps = len(ENROLMENT_STEPS)

    def step(n: int) -> None:
        progress(n - 1, steps, ENROLMENT_STEPS[n - 1])

    step(1)
    visible = scope_participants(actor)
    step(2)
    if selection.participant is not None:
        _insert_candidates(batch, visible.filter(pk=selection.participant.pk), scheme, start, end)
    elif selection.niks is not None:
        # a NUL byte (a file's garbage) would fail the whole batch on PostgreSQL: such a value is no NIK, and the
        # refusal keeps what is left of it, marked with "?" so that it cannot pass for a NIK
        niks = [strip_bad_chars(n) + "?" if has_bad_chars(n) else n for n in nik_list(selection.niks)]
        Candidate.objects.bulk_create(
            (Candidate(batch=batch, nik=n if len(n) <= 16 else n[:15] + "…",  # the column holds 16
                       reason=Refusal.NOT_REGISTERED if is_nik_shaped(n) else Refusal.NOT_NIK) for n in niks),
            batch_size=5000)
        listed = Candidate.objects.filter(batch=batch, participant__isnull=True,
                                          reason=Refusal.NOT_REGISTERED).values("nik")
        _insert_candidates(batch, visible.filter(nik__in=listed), scheme, start, end)
        found = Candidate.objects.filter(batch=batch, participant__isnull=False).values("nik")
        Candidate.objects.filter(batch=batch, participant__isnull=True, nik__in=found).delete()
    else:
        if selection.participants is None:
            raise ServiceError(code=ErrorCode.INVALID, message=_("Pilih peserta yang akan didaftarkan."))
        _insert_candidates(batch, selection.participants.filter(pk__in=visible.values("pk")), scheme, start, end)
    _mark_enrolled(batch, scheme, start, end)
    now = clock.now()
    with connection.cursor() as cursor:
        step(3)
        _apply_quota(cursor, batch, scheme)
        step(4)
        _apply_budget(cursor, batch, scheme, per_person)
        step(5)
        counts = dict(Candidate.objects.filter(batch=batch).values_list("reason").annotate(n=Count("id")))
        refused = sum(n for reason, n in counts.items() if reason)
        if selection.all_or_nothing and refused:
            Candidate.objects.filter(batch=batch, reason="").update(reason=Refusal.NOT_ALL)
            counts = {"": 0}
        else:
            _write_enrolments(cursor, batch, scheme, actor, now, per_person)
    enrolled = counts.get("", 0)
    if not job_finish(batch, enrolled=enrolled, refused=refused, candidates=enrolled + refused):
        raise JobEnded  # expired while it ran: the enrolments roll back with everything else
    return batch



@transaction.atomic
def enrolment_create(*, actor, scheme: Scheme, participant: Participant, start_month: date | None = None,
                     end_month: date | None = None) -> Enrolment:
    """One person; a refusal is an error naming the reason, and nothing is written."""
    selection = EnrolmentSelection(participant=participant, start_month=start_month, end_month=end_month)
    batch = enrolment_batch_run(actor=actor, scheme=scheme, selection=selection)
    if batch.enrolled:
        return Enrolment.objects.get(batch=batch)
    refusal = enrolment_batch_refusals(batch).first()
    reason = refusal.reason if refusal else Refusal.NOT_REGISTERED
    raise ServiceError(code=Refusal(reason), message=_("%(n)s tidak bisa didaftarkan: %(r)s.") % {
        "n": participant.full_name, "r": refusal_message(reason)}, fields={"participant": [refusal_message(reason)]})


def enrolment_filter_selection(*, actor, region: str = "", village_role: str = "", **fields) -> EnrolmentSelection:
    """Everyone in `region` (a kecamatan or desa code; empty: all the user sees) with the village role. A region
    that does not exist or lies outside the user's regions is said, not silently empty."""
    region = region.strip()
    if region:
        problem = ""
        if not Region.objects.filter(code=region).exists():
            problem = _("Wilayah %(c)s tidak dikenal.") % {"c": region}
        elif not (code_in_scope(actor, region)
                  or any(code_within(mine, region) for mine in user_region_codes(actor))):
            problem = _("Wilayah %(c)s di luar wilayah kerja Anda.") % {"c": region}
        if problem:
            raise ServiceError(code=ErrorCode.OUTSIDE_REGION, message=problem, fields={"region": [problem]})
    if village_role and village_role not in VillageRole.values:
        message = _("Peran di desa tidak dikenal: %(r)s.") % {"r": village_role}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"village_role": [message]})
    chosen = participant_filter_qs(user=actor, filters=ParticipantFilter(region=region, village_role=village_role))
    return EnrolmentSelection(participants=chosen, description=filter_description(region, village_role), **fields)


def filter_description(region: str, village_role: str) -> str:
    return f"filter {region} {village_role}".strip()
