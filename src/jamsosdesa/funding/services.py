"""Writes for funding schemes and enrolments. Each service checks, writes and audits in one transaction.

Enrolment is set-based whichever way it is asked for (one person, a filter, a list of NIKs): the candidates
go into a working table with the reason each one is refused, computed in SQL (eligibility, cover by another
scheme), then the desa quotas and the budget are applied with window functions, and the enrolments and
their audit events are written with INSERT ... SELECT. Enrolling one person is the same path with one row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jamsosdesa.accounts.models import Role
from jamsosdesa.contributions.book import rate_book
from jamsosdesa.contributions.calculator import QuoteError, QuoteRequest, RateBook, budget
from jamsosdesa.contributions.models import PayerType
from jamsosdesa.core import clock
from jamsosdesa.core.access import (
    can_create_scheme,
    can_enrol_into,
    can_manage_scheme,
    code_in_scope,
    region_q,
    scope_participants,
    sees_everything,
    user_region_codes,
)
from jamsosdesa.core.audit import AuditBatch, audit_record, diff
from jamsosdesa.core.errors import ErrorCode, FieldErrors, NotFound, PermissionDenied, ServiceError
from jamsosdesa.core.jobs import (
    JobEnded,
    JobStatus,
    job_claim,
    job_create,
    job_fail,
    job_finish,
    job_progress,
    job_reporter,
    stage_text,
    store_upload,
)
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.money import rupiah, thousands
from jamsosdesa.core.months import add_months, add_years, months_between
from jamsosdesa.core.text import is_ascii_digits
from jamsosdesa.imports.readers import FileProblem
from jamsosdesa.participants.models import Participant, Segment, VillageRole
from jamsosdesa.participants.nik import normalize_number
from jamsosdesa.participants.selectors import ParticipantFilter, participant_filter_qs
from jamsosdesa.regions.models import Level, Region

from .lists import read_niks
from .models import (
    PROGRAMME_BITS,
    ApbdesSource,
    Candidate,
    EndReason,
    Enrolment,
    EnrolmentBatch,
    Refusal,
    Scheme,
    SchemeQuota,
    WelfareEntry,
)

SCHEME_SEGMENTS = (Segment.BPU, Segment.PU)  # a scheme pays a monthly package; Jakon and PMI are per contract
MAX_MONTHS = 60
MAX_BUDGET = 10**15
MAX_QUOTA = 10**7
MAX_YEARS_AHEAD = 5
logger = logging.getLogger(__name__)


def _errors() -> FieldErrors:
    return FieldErrors(_("Data skema belum benar: %(first)s"))


# --- cost -------------------------------------------------------------------------------------------------

def cost_per_person(scheme: Scheme, start: date, end: date, book: RateBook | None = None) -> int:
    """What the scheme pays for one person from `start` to `end` (inclusive), month by month with the rules
    in force in each month (0 when end is before start)."""
    months = months_between(start, end)
    if months <= 0:
        return 0
    req = QuoteRequest(segment=scheme.segment, programmes=tuple(scheme.programmes), month=start,
                       income=scheme.income_nominal, payer=scheme.payer_type)
    return budget(book or rate_book(), req, people=1, months=months).total


def desa_quotas(scheme: Scheme) -> tuple[dict[str, int], int | None]:
    """(the desa with their own quota, the quota of every other desa; None = no limit). Without a default
    but with desa quotas, only those desa take part: the others have 0."""
    explicit = dict(SchemeQuota.objects.filter(scheme=scheme).values_list("desa_id", "quota"))
    default = scheme.quota_per_desa
    if default is None and explicit:
        default = 0
    return explicit, default


KELURAHAN = "kelurahan"  # Region.kind of a kelurahan (see regions.loader); desa and desa adat are the others


def default_quota_for(scheme: Scheme, default: int | None, kind: str) -> int | None:
    """The quota of a desa without its own: the scheme's default, except that a kelurahan gets none (0) unless
    the scheme includes kelurahan."""
    if default is not None and kind == KELURAHAN and not scheme.includes_kelurahan:
        return 0
    return default


def scheme_planned_quota(scheme: Scheme) -> int | None:
    """All desa quotas together over the owner region; None: no limit."""
    explicit, default = desa_quotas(scheme)
    if default is None:
        return None
    others = (_desa_of(scheme.owner_code, kelurahan=scheme.includes_kelurahan).exclude(code__in=list(explicit))
              .count() if default else 0)
    return sum(explicit.values()) + others * default


def _desa_of(owner_code: str, *, kelurahan: bool = True) -> QuerySet[Region]:
    """The desa of a region (the region itself when it is one); without kelurahan unless `kelurahan`."""
    qs = Region.objects.filter(level=Level.DESA, is_historical=False)
    if owner_code:
        qs = qs.filter(Q(code=owner_code) | Q(code__startswith=owner_code + "."))
    return qs if kelurahan else qs.exclude(kind=KELURAHAN)


# --- schemes ----------------------------------------------------------------------------------------------

@dataclass
class SchemeData:
    name: str
    payer_type: str
    legal_basis_number: str
    legal_basis_date: date
    start_month: date
    end_month: date
    budget_ceiling: int
    owner_code: str = ""
    apbdes_source: str = ""
    payer_name: str = ""
    segment: str = Segment.BPU
    programmes: tuple[str, ...] = ("JKK", "JKM")
    income_nominal: int = 1_000_000
    quota_per_desa: int | None = None
    includes_kelurahan: bool = False  # the per-desa quota applies to kelurahan too
    quotas: dict[str, int] = field(default_factory=dict)  # desa code -> quota
    max_age: int = 65
    village_roles: tuple[str, ...] = ()
    requires_welfare_list: bool = False
    welfare_niks: tuple[str, ...] = ()
    note: str = ""


def _clean_scheme(actor, data: SchemeData, errors: FieldErrors) -> Region | None:
    if not data.name.strip():
        errors.add("name", _("Nama skema wajib diisi."))
    if data.payer_type not in PayerType.values:
        errors.add("payer_type", _("Pembayar '%(p)s' tidak dikenal.") % {"p": data.payer_type})
    if data.payer_type == PayerType.APBDES and data.apbdes_source not in ApbdesSource.values:
        errors.add("apbdes_source", _("Untuk APBDes pilih sumbernya: Dana Desa, ADD atau pendapatan asli desa."))
    if data.payer_type != PayerType.APBDES and data.apbdes_source:
        errors.add("apbdes_source", _("Sumber APBDes hanya untuk pembayar APBDes."))
    if not data.legal_basis_number.strip():
        errors.add("legal_basis_number", _("Nomor Perbup/PKS/Perdes wajib diisi."))
    today = clock.today()
    if not date(1945, 8, 17) <= data.legal_basis_date <= add_years(today, 1):
        errors.add("legal_basis_date", _("Tanggal dasar hukum tidak masuk akal: %(d)s.")
                   % {"d": data.legal_basis_date.strftime("%d/%m/%Y")})
    if data.start_month.year > today.year + MAX_YEARS_AHEAD:
        errors.add("start_month", _("Bulan pertama paling jauh %(n)d tahun ke depan.") % {"n": MAX_YEARS_AHEAD})
    if data.segment not in SCHEME_SEGMENTS:
        errors.add("segment", _("Skema membiayai peserta BPU atau PU."))
    unknown = [p for p in data.programmes if p not in PROGRAMME_BITS]
    if unknown:
        errors.add("programmes", _("Program tidak dikenal: %(p)s.") % {"p": ", ".join(unknown)})
    if data.start_month.day != 1 or data.end_month.day != 1:
        errors.add("start_month", _("Periode ditulis per bulan (tanggal 1)."))
    months = months_between(data.start_month, data.end_month)
    if months < 1:
        errors.add("end_month", _("Bulan terakhir tidak boleh sebelum bulan pertama."))
    elif months > MAX_MONTHS:
        errors.add("end_month", _("Periode skema paling lama %(n)d bulan.") % {"n": MAX_MONTHS})
    if not 0 < data.budget_ceiling <= MAX_BUDGET:
        errors.add("budget_ceiling", _("Pagu anggaran harus lebih dari nol."))
    if data.quota_per_desa is not None and not 1 <= data.quota_per_desa <= MAX_QUOTA:
        errors.add("quota_per_desa", _("Kuota per desa paling sedikit 1 (kosongkan bila tanpa batas)."))
    if not 0 < data.max_age <= 120:
        errors.add("max_age", _("Usia maksimal harus 1 sampai 120 tahun."))
    bad_roles = [r for r in data.village_roles if r not in VillageRole.values]
    if bad_roles:
        errors.add("village_roles", _("Peran di desa tidak dikenal: %(r)s.") % {"r": ", ".join(bad_roles)})
    owner = None
    if data.owner_code:
        owner = Region.objects.filter(code=data.owner_code, is_historical=False).first()
        if owner is None:
            errors.add("owner_code", _("Wilayah %(c)s tidak dikenal.") % {"c": data.owner_code})
        elif not sees_everything(actor) and not code_in_scope(actor, owner.code):
            errors.add("owner_code", _("Wilayah %(c)s di luar wilayah kerja Anda.") % {"c": owner.code})
    elif not sees_everything(actor):
        errors.add("owner_code", _("Pilih wilayah pemilik skema."))
    if owner is not None and data.payer_type == PayerType.APBDES and owner.level != Level.DESA:
        errors.add("owner_code", _("Skema APBDes dimiliki satu desa."))
    for code, quota in data.quotas.items():
        if not 0 <= quota <= MAX_QUOTA:
            errors.add("quotas", _("Kuota desa %(c)s harus 0 sampai %(m)s.") % {"c": code, "m": thousands(MAX_QUOTA)})
        elif owner is not None and not code.startswith(owner.code + ".") and code != owner.code:
            errors.add("quotas", _("Desa %(c)s di luar wilayah skema.") % {"c": code})
    known = set(Region.objects.filter(code__in=list(data.quotas), level=Level.DESA).values_list("code", flat=True))
    missing = sorted(set(data.quotas) - known)
    if missing:
        errors.add("quotas", _("Kode desa tidak dikenal: %(c)s.") % {"c": ", ".join(missing[:5])})
    bad_niks = [n for n in data.welfare_niks if len(normalize_number(n)) != 16]
    if bad_niks:
        errors.add("welfare_niks", _("NIK di daftar DTKS tidak 16 digit: %(n)s.") % {"n": ", ".join(bad_niks[:5])})
    return owner


def _check_package(scheme: Scheme, errors: FieldErrors, book: RateBook) -> int:
    """Quote the whole period once: an income off the list or a month without rates is named here."""
    try:
        return cost_per_person(scheme, scheme.start_month, scheme.end_month, book)
    except QuoteError as exc:
        for name, messages in exc.fields.items():
            for message in messages:
                errors.add({"income": "income_nominal", "month": "start_month"}.get(name, name), message)
        return 0


def _check_quotas_fit_budget(scheme: Scheme, per_person: int, errors: FieldErrors) -> None:
    planned = scheme_planned_quota(scheme)
    if planned is None or per_person == 0:
        return
    needed = planned * per_person
    if needed > scheme.budget_ceiling:
        errors.add("budget_ceiling", _(
            "Kuota semua desa (%(n)s orang × %(c)s selama periode = %(t)s) melebihi pagu anggaran %(b)s. "
            "Kurangi kuota atau naikkan pagu.") % {
            "n": thousands(planned), "c": rupiah(per_person), "t": rupiah(needed),
            "b": rupiah(scheme.budget_ceiling)})


def _scheme_snapshot(scheme: Scheme) -> dict:
    return {"name": scheme.name, "payer_type": scheme.payer_type, "apbdes_source": scheme.apbdes_source,
            "payer_name": scheme.payer_name, "owner": scheme.owner_code,
            "legal_basis": f"{scheme.legal_basis_number} ({scheme.legal_basis_date.isoformat()})",
            "segment": scheme.segment, "programmes": list(scheme.programmes), "income_nominal": scheme.income_nominal,
            "start_month": scheme.start_month.isoformat(), "end_month": scheme.end_month.isoformat(),
            "budget_ceiling": scheme.budget_ceiling, "quota_per_desa": scheme.quota_per_desa,
            "includes_kelurahan": scheme.includes_kelurahan, "max_age": scheme.max_age,
            "village_roles": list(scheme.village_roles),
            "requires_welfare_list": scheme.requires_welfare_list}


@transaction.atomic
def scheme_create(*, actor, data: SchemeData) -> Scheme:
    if not can_create_scheme(actor):
        raise PermissionDenied(_("Peran Anda tidak membuat skema pembiayaan."))
    errors = _errors()
    owner = _clean_scheme(actor, data, errors)
    errors.raise_if_any()
    programmes = sorted(dict.fromkeys(p.upper() for p in data.programmes), key=list(PROGRAMME_BITS).index)
    scheme = Scheme(name=data.name.strip(), payer_type=data.payer_type, apbdes_source=data.apbdes_source,
                    payer_name=data.payer_name.strip(), owner_region=owner,
                    legal_basis_number=data.legal_basis_number.strip(), legal_basis_date=data.legal_basis_date,
                    segment=data.segment, programmes=programmes, income_nominal=data.income_nominal,
                    start_month=data.start_month, end_month=data.end_month, budget_ceiling=data.budget_ceiling,
                    quota_per_desa=data.quota_per_desa, includes_kelurahan=data.includes_kelurahan,
                    max_age=data.max_age,
                    village_roles=sorted(set(data.village_roles)), requires_welfare_list=data.requires_welfare_list,
                    note=data.note.strip(), created_by=actor)
    if data.requires_welfare_list and not data.welfare_niks:
        errors.add("welfare_niks", _("Skema ini mensyaratkan DTKS/DTSEN: unggah daftar NIK-nya."))
    per_person = _check_package(scheme, errors, rate_book())
    errors.raise_if_any()
    scheme.save()
    SchemeQuota.objects.bulk_create(SchemeQuota(scheme=scheme, desa_id=c, quota=q) for c, q in data.quotas.items())
    WelfareEntry.objects.bulk_create(
        (WelfareEntry(scheme=scheme, nik=n) for n in dict.fromkeys(normalize_number(x) for x in data.welfare_niks)),
        batch_size=5000)
    _check_quotas_fit_budget(scheme, per_person, errors)
    errors.raise_if_any()  # rolls the scheme back with everything else
    audit_record(actor=actor, event=AuditEventType.SCHEME_CREATED, obj=scheme, region_code=scheme.owner_code,
                 new=_scheme_snapshot(scheme) | {"quotas": data.quotas, "welfare_niks": len(data.welfare_niks)})
    return scheme


CHANGEABLE = ("name", "payer_name", "legal_basis_number", "legal_basis_date", "budget_ceiling", "quota_per_desa",
              "includes_kelurahan", "max_age", "village_roles", "requires_welfare_list", "note", "end_month")


@transaction.atomic
def scheme_update(*, actor, scheme: Scheme, changes: dict, quotas: dict[str, int] | None = None,
                  replace_quotas: bool = False) -> Scheme:
    """Change what can change once people are enrolled (not the payer or the package). Quotas given here
    replace the desa's quotas named (0 closes a desa); with `replace_quotas` the desa not named go back to
    the default quota."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if not can_manage_scheme(actor, scheme):
        raise PermissionDenied(_("Skema ini dikelola wilayah lain."))
    errors = _errors()
    unknown = sorted(set(changes) - set(CHANGEABLE))
    if unknown:
        errors.add(unknown[0], _("Tidak bisa diubah setelah skema dibuat: %(f)s.") % {"f": ", ".join(unknown)})
    errors.raise_if_any()
    old = _scheme_snapshot(scheme)
    old_quotas = dict(SchemeQuota.objects.filter(scheme=scheme).values_list("desa_id", "quota"))
    for name, value in changes.items():
        setattr(scheme, name, value)
    data = SchemeData(**{k: getattr(scheme, k) for k in (
        "name", "payer_type", "legal_basis_number", "legal_basis_date", "start_month", "end_month", "budget_ceiling",
        "apbdes_source", "payer_name", "segment", "income_nominal", "quota_per_desa", "includes_kelurahan",
        "max_age", "note", "requires_welfare_list")}, owner_code=scheme.owner_code, programmes=tuple(scheme.programmes),
        quotas=quotas or {}, village_roles=tuple(scheme.village_roles))
    _clean_scheme(actor, data, errors)
    committed = scheme_committed(scheme)
    if scheme.budget_ceiling < committed:
        errors.add("budget_ceiling", _("Pagu %(b)s lebih kecil dari biaya peserta yang sudah terdaftar (%(c)s).")
                   % {"b": rupiah(scheme.budget_ceiling), "c": rupiah(committed)})
    if scheme.requires_welfare_list and not WelfareEntry.objects.filter(scheme=scheme).exists():
        errors.add("welfare_niks", _("Skema ini mensyaratkan DTKS/DTSEN: unggah daftar NIK-nya."))
    last = Enrolment.objects.filter(scheme=scheme).order_by("-end_month").values_list("end_month", flat=True).first()
    if last and scheme.end_month < last:
        errors.add("end_month", _("Ada peserta yang dibiayai sampai %(m)s: akhiri kepesertaannya dulu.")
                   % {"m": last.strftime("%m/%Y")})
    errors.raise_if_any()
    scheme.save()
    if replace_quotas:
        SchemeQuota.objects.filter(scheme=scheme).exclude(desa_id__in=list(quotas or {})).delete()
    for code, quota in (quotas or {}).items():
        SchemeQuota.objects.update_or_create(scheme=scheme, desa_id=code, defaults={"quota": quota})
    per_person = _check_package(scheme, errors, rate_book())
    _check_quotas_fit_budget(scheme, per_person, errors)
    errors.raise_if_any()
    new_quotas = dict(SchemeQuota.objects.filter(scheme=scheme).values_list("desa_id", "quota"))
    before, after = diff(old | {"quotas": old_quotas}, _scheme_snapshot(scheme) | {"quotas": new_quotas})
    if after:
        audit_record(actor=actor, event=AuditEventType.SCHEME_UPDATED, obj=scheme, region_code=scheme.owner_code,
                     old=before, new=after)
    return scheme


@transaction.atomic
def welfare_list_replace(*, actor, scheme: Scheme, niks: list[str]) -> int:
    """The scheme's DTKS/DTSEN list becomes `niks` (people already enrolled stay enrolled)."""
    if not can_manage_scheme(actor, scheme):
        raise PermissionDenied(_("Skema ini dikelola wilayah lain."))
    clean = list(dict.fromkeys(normalize_number(n) for n in niks if str(n).strip()))
    bad = [n for n in clean if len(n) != 16]
    if bad:
        raise ServiceError(code=ErrorCode.INVALID,
                           message=_("NIK tidak 16 digit: %(n)s.") % {"n": ", ".join(bad[:5])},
                           fields={"welfare_niks": [", ".join(bad[:20])]})
    before = WelfareEntry.objects.filter(scheme=scheme).count()
    WelfareEntry.objects.filter(scheme=scheme).delete()
    WelfareEntry.objects.bulk_create((WelfareEntry(scheme=scheme, nik=n) for n in clean), batch_size=5000)
    audit_record(actor=actor, event=AuditEventType.SCHEME_WELFARE_LIST_REPLACED, obj=scheme,
                 region_code=scheme.owner_code, old={"welfare_niks": before}, new={"welfare_niks": len(clean)},
                 note=_("daftar DTKS diganti"))
    return len(clean)


def scheme_committed(scheme: Scheme) -> int:
    return Enrolment.objects.filter(scheme=scheme).aggregate(total=Sum("cost"))["total"] or 0


# --- enrolment --------------------------------------------------------------------------------------------

@dataclass
class EnrolRequest:
    """Who to enrol: one participant, the participants a queryset selects, or a list of NIKs."""

    participant: Participant | None = None
    participants: QuerySet | None = None  # already inside the actor's scope (a selector's filter)
    niks: list[str] | None = None
    start_month: date | None = None
    end_month: date | None = None
    all_or_nothing: bool = False
    description: str = ""


def _nik_shaped(value: str) -> bool:
    return len(value) == 16 and is_ascii_digits(value)


def _period(scheme: Scheme, req: EnrolRequest) -> tuple[date, date]:
    start = req.start_month or max(scheme.start_month, clock.this_month())
    start = max(start, scheme.start_month)
    end = min(req.end_month or scheme.end_month, scheme.end_month)
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
    quotas as `desa_quotas` and `default_quota_for` give them)."""
    _explicit, default = desa_quotas(scheme)
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
                   [Refusal.QUOTA.value, batch.pk, KELURAHAN, default_quota_for(scheme, default, KELURAHAN), default,
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


ENROL_LOCK = 4_242_001  # pg_advisory_xact_lock key of enrolment batches
ENROL_STEPS = (gettext_noop("membaca calon peserta"), gettext_noop("memeriksa syarat dan skema lain"),
               gettext_noop("memeriksa kuota desa"), gettext_noop("memeriksa sisa pagu"),
               gettext_noop("mencatat kepesertaan"))  # stages of the job: msgids, each reader's language


def _no_progress(done: int, total: int, stage=None) -> None:
    pass


@transaction.atomic
def enrol(*, actor, scheme: Scheme, request: EnrolRequest, batch: EnrolmentBatch | None = None,
          progress: Callable[..., None] = _no_progress) -> EnrolmentBatch:
    """Enrol participants into a scheme; returns the batch with its counts and its refusals (Candidate rows).
    A claimed `batch` (a background job) is filled in instead of a new one; `progress(done, steps, stage)` is
    told as each of the ENROL_STEPS starts. A background batch expired meanwhile raises JobEnded: nothing is
    kept."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)  # one batch at a time per scheme
    if not can_enrol_into(actor, scheme):
        raise PermissionDenied(_("Peran Anda tidak mendaftarkan peserta ke skema."))
    if connection.vendor == "postgresql":
        # Batches of two different schemes must not both pass the "covered by another scheme" check for the
        # same person: one enrolment batch at a time in the whole system (SQLite writes one at a time anyway).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ENROL_LOCK])
    start, end = _period(scheme, request)
    per_person = cost_per_person(scheme, start, end)
    how = "one" if request.participant else "list" if request.niks is not None else "filter"
    fields = {"scheme": scheme, "how": how, "description": request.description[:300], "start_month": start,
              "end_month": end, "all_or_nothing": request.all_or_nothing, "cost_per_person": per_person,
              "created_by": actor}
    if batch is None:  # at once: the same job row, running from the start
        batch = EnrolmentBatch.objects.create(status=JobStatus.RUNNING, started_at=timezone.now(), **fields)
    else:
        for name, value in fields.items():
            setattr(batch, name, value)
        batch.save(update_fields=list(fields))  # never the status: only core.jobs moves it
    steps = len(ENROL_STEPS)

    def step(n: int) -> None:
        progress(n - 1, steps, ENROL_STEPS[n - 1])

    step(1)
    visible = scope_participants(actor)
    step(2)
    if request.participant is not None:
        _insert_candidates(batch, visible.filter(pk=request.participant.pk), scheme, start, end)
    elif request.niks is not None:
        niks = list(dict.fromkeys(normalize_number(n) for n in request.niks if str(n).strip()))
        Candidate.objects.bulk_create(
            (Candidate(batch=batch, nik=n if len(n) <= 16 else n[:15] + "…",  # the column holds 16
                       reason=Refusal.NOT_REGISTERED if _nik_shaped(n) else Refusal.NOT_NIK) for n in niks),
            batch_size=5000)
        listed = Candidate.objects.filter(batch=batch, participant__isnull=True,
                                          reason=Refusal.NOT_REGISTERED).values("nik")
        _insert_candidates(batch, visible.filter(nik__in=listed), scheme, start, end)
        found = Candidate.objects.filter(batch=batch, participant__isnull=False).values("nik")
        Candidate.objects.filter(batch=batch, participant__isnull=True, nik__in=found).delete()
    else:
        if request.participants is None:
            raise ServiceError(code=ErrorCode.INVALID, message=_("Pilih peserta yang akan didaftarkan."))
        _insert_candidates(batch, request.participants.filter(pk__in=visible.values("pk")), scheme, start, end)
    _mark_enrolled(batch, scheme, start, end)
    now = timezone.now()
    with connection.cursor() as cursor:
        step(3)
        _apply_quota(cursor, batch, scheme)
        step(4)
        _apply_budget(cursor, batch, scheme, per_person)
        step(5)
        counts = dict(Candidate.objects.filter(batch=batch).values_list("reason").annotate(n=Count("id")))
        refused = sum(n for reason, n in counts.items() if reason)
        if request.all_or_nothing and refused:
            Candidate.objects.filter(batch=batch, reason="").update(reason=Refusal.NOT_ALL)
            counts = {"": 0}
        else:
            _write_enrolments(cursor, batch, scheme, actor, now, per_person)
    enrolled = counts.get("", 0)
    if not job_finish(batch, enrolled=enrolled, refused=refused, candidates=enrolled + refused):
        raise JobEnded  # expired while it ran: the enrolments roll back with everything else
    return batch


# --- enrolment as a background job ------------------------------------------------------------------------

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
    from .tasks import run_enrolment_batch

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
        report(0, len(ENROL_STEPS), ENROL_STEPS[0])
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


def enrol_progress(batch: EnrolmentBatch) -> dict:
    """{done, total, percent, step}: `step` names the step under way, in the current language."""
    data = job_progress(batch, len(ENROL_STEPS))
    data["step"] = data["stage"] or stage_text(ENROL_STEPS[min(data["done"], len(ENROL_STEPS) - 1)])
    return data


def batch_refusals(batch: EnrolmentBatch) -> QuerySet[Candidate]:
    return Candidate.objects.filter(batch=batch).exclude(reason="").order_by("desa_code", "participant_id", "nik")


def refusal_message(reason: str) -> str:
    return str(Refusal(reason).label) if reason in Refusal.values else reason


@transaction.atomic
def enrol_one(*, actor, scheme: Scheme, participant: Participant, start_month: date | None = None,
              end_month: date | None = None) -> Enrolment:
    """One person; a refusal is an error naming the reason, and nothing is written."""
    batch = enrol(actor=actor, scheme=scheme, request=EnrolRequest(participant=participant, start_month=start_month,
                                                                  end_month=end_month))
    if batch.enrolled:
        return Enrolment.objects.get(batch=batch)
    refusal = batch_refusals(batch).first()
    reason = refusal.reason if refusal else Refusal.NOT_REGISTERED
    raise ServiceError(code=Refusal(reason), message=_("%(n)s tidak bisa didaftarkan: %(r)s.") % {
        "n": participant.full_name, "r": refusal_message(reason)}, fields={"participant": [refusal_message(reason)]})


def can_end_enrolment(user, enrolment: Enrolment) -> bool:
    if can_manage_scheme(user, enrolment.scheme):
        return True
    return (user.is_authenticated and user.role in (Role.VILLAGE_OPERATOR, Role.DISTRICT_OFFICIAL,
                                                    Role.BRANCH_OFFICER)
            and code_in_scope(user, enrolment.desa_code))


@transaction.atomic
def enrolment_end(*, actor, enrolment: Enrolment, last_month: date, reason: str, note: str = "") -> Enrolment:
    """The scheme stops paying after `last_month` (the month before the start: it never paid). The enrolment
    stays, with the months it covered and their cost; its desa place frees up."""
    enrolment = Enrolment.objects.select_for_update().select_related("scheme").get(pk=enrolment.pk)
    if not can_end_enrolment(actor, enrolment):
        raise NotFound()
    if enrolment.ended_at is not None:
        raise ServiceError(code=ErrorCode.ALREADY_ENDED, message=_("Kepesertaan ini sudah diakhiri."))
    if reason not in EndReason.values:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Pilih alasan berakhir."),
                           fields={"reason": [_("Wajib.")]})
    last_month = last_month.replace(day=1)
    if last_month > enrolment.end_month or last_month < add_months(enrolment.start_month, -1):
        message = _("Bulan terakhir harus antara %(a)s dan %(b)s.") % {
            "a": add_months(enrolment.start_month, -1).strftime("%m/%Y"), "b": enrolment.end_month.strftime("%m/%Y")}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"last_month": [message]})
    old = {"end_month": enrolment.end_month, "cost": enrolment.cost, "ended_at": None, "end_reason": ""}
    enrolment.cost = cost_per_person(enrolment.scheme, enrolment.start_month, last_month)
    enrolment.end_month = last_month
    enrolment.ended_at = timezone.now()
    enrolment.ended_by = actor
    enrolment.end_reason = reason
    enrolment.end_note = note.strip()[:200]
    enrolment.save()
    audit_record(actor=actor, event=AuditEventType.ENROLMENT_ENDED, obj=enrolment, region_code=enrolment.desa_code,
                 old=old, new={"end_month": enrolment.end_month, "cost": enrolment.cost, "ended_at": enrolment.ended_at,
                      "end_reason": reason}, note=enrolment.end_note)
    return enrolment
