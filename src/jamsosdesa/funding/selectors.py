"""Reads over funding schemes. Every query starts from the user's scope (`scope_schemes`,
`scope_participants`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from jamsosdesa.contributions.book import rate_book
from jamsosdesa.contributions.calculator import QuoteRequest, RateBook, budget, quote
from jamsosdesa.core.access import code_in_scope, region_q, sees_everything, user_region_codes
from jamsosdesa.core.jobs import job_progress, stage_text
from jamsosdesa.core.months import add_months, months_between
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.regioncodes import Level, level_of_code
from jamsosdesa.participants.access import scope_participants
from jamsosdesa.participants.labels import role_label
from jamsosdesa.regions.models import Region
from jamsosdesa.regions.selectors import region_desa_under

from .access import can_manage_scheme, scope_schemes
from .models import ENROLMENT_STEPS, Candidate, Enrolment, EnrolmentBatch, Refusal, Scheme, SchemeQuota

DESA_LIST_LIMIT = 2_000  # a scheme owned by a kabupaten or smaller lists all its desa; larger ones the active
KELURAHAN = "kelurahan"  # Region.kind of a kelurahan (see regions.loader); desa and desa adat are the others


# --- cost, quotas and what is committed ----------------------------------------------------------------------

def scheme_cost_per_person(scheme: Scheme, start: date, end: date, book: RateBook | None = None) -> int:
    """What the scheme pays for one person from `start` to `end` (inclusive), month by month with the rules
    in force in each month (0 when end is before start)."""
    months = months_between(start, end)
    if months <= 0:
        return 0
    req = QuoteRequest(segment=scheme.segment, programmes=tuple(scheme.programmes), month=start,
                       income=scheme.income_nominal, payer=scheme.payer_type)
    return budget(book or rate_book(), req, people=1, months=months).total


def scheme_desa_quotas(scheme: Scheme) -> tuple[dict[str, int], int | None]:
    """(the desa with their own quota, the quota of every other desa; None = no limit). Without a default
    but with desa quotas, only those desa take part: the others have 0."""
    explicit = dict(SchemeQuota.objects.filter(scheme=scheme).values_list("desa_id", "quota"))
    default = scheme.quota_per_desa
    if default is None and explicit:
        default = 0
    return explicit, default


def scheme_default_quota(scheme: Scheme, default: int | None, kind: str) -> int | None:
    """The quota of a desa without its own: the scheme's default, except that a kelurahan gets none (0) unless
    the scheme includes kelurahan."""
    if default is not None and kind == KELURAHAN and not scheme.includes_kelurahan:
        return 0
    return default


def scheme_planned_quota(scheme: Scheme) -> int | None:
    """All desa quotas together over the owner region; None: no limit."""
    explicit, default = scheme_desa_quotas(scheme)
    if default is None:
        return None
    others = 0
    if default:
        desa = region_desa_under(scheme.owner_code)
        if not scheme.includes_kelurahan:
            desa = desa.exclude(kind=KELURAHAN)
        others = desa.exclude(code__in=list(explicit)).count()
    return sum(explicit.values()) + others * default


def scheme_committed(scheme: Scheme) -> int:
    """The cost of all the scheme's enrolments, ended ones included."""
    return Enrolment.objects.filter(scheme=scheme).aggregate(total=Sum("cost"))["total"] or 0


def scheme_list(*, user) -> QuerySet[Scheme]:
    return scope_schemes(user).select_related("owner_region")


def scheme_get(*, user, pk: int) -> Scheme | None:
    """A scheme the user may see, or None (callers answer 404)."""
    return scheme_list(user=user).filter(pk=pk).first()


@dataclass
class DesaLine:
    code: str
    name: str
    quota: int | None  # None: no limit
    enrolled: int  # open enrolments
    committed: int  # cost of all its enrolments, ended ones included

    @property
    def room(self) -> int | None:
        return None if self.quota is None else max(self.quota - self.enrolled, 0)


def planned_people(lines: list[DesaLine]) -> int | None:
    """The quotas of these desa together; None when one of them has no limit (or there are none)."""
    quotas = [d.quota for d in lines]
    return None if not quotas or None in quotas else sum(quotas)


@dataclass
class MonthLine:
    month: date
    per_person: int
    people: int

    @property
    def amount(self) -> int:
        return self.per_person * self.people


@dataclass
class SchemeBudget:
    scheme: Scheme
    monthly_per_person: list[MonthLine]  # the package's cost in each month of the period
    per_person: int  # the whole period
    committed: int
    enrolled: int
    ended: int
    desa: list[DesaLine] = field(default_factory=list)
    whole_scheme: bool = True  # False: the user sees only some desa (a village operator)

    @property
    def remaining(self) -> int:
        return self.scheme.budget_ceiling - self.committed

    @property
    def planned_people(self) -> int | None:
        return planned_people(self.desa)

    @property
    def remaining_quota(self) -> int | None:
        rooms = [d.room for d in self.desa]
        return None if not rooms or None in rooms else sum(rooms)

    def as_json(self) -> dict:
        """The budget's one JSON shape: the API's `GET /schemes/{id}/budget` and `scheme budget --json` alike."""
        return {"scheme_id": self.scheme.pk, "budget_ceiling": self.scheme.budget_ceiling,
                "per_person": self.per_person, "committed": self.committed, "remaining": self.remaining,
                "enrolled": self.enrolled, "ended": self.ended, "planned_people": self.planned_people,
                "remaining_quota": self.remaining_quota, "whole_scheme": self.whole_scheme,
                "months": [{"month": m.month.strftime("%Y-%m"), "per_person": m.per_person, "people": m.people,
                            "amount": m.amount} for m in self.monthly_per_person],
                "desa": [{"code": d.code, "name": d.name, "quota": d.quota, "enrolled": d.enrolled, "room": d.room,
                          "committed": d.committed} for d in self.desa]}


def _desa_codes_for(scheme: Scheme, user, active: set[str], explicit: dict[str, int]) -> list[str]:
    owner = scheme.owner_code
    codes = set(active) | set(explicit)
    level = level_of_code(owner) if owner else None
    if level is not None and level >= Level.KABUPATEN:  # a kabupaten, kecamatan or desa scheme: every desa of it
        codes |= set(Region.objects.filter(level=Level.DESA, code__startswith=owner + ".")
                     .values_list("code", flat=True)[:DESA_LIST_LIMIT])
        if level == Level.DESA:
            codes.add(owner)
    if not sees_everything(user):
        codes = {c for c in codes if code_in_scope(user, c)} if not can_manage_scheme(user, scheme) else codes
    return sorted(codes)


def scheme_budget(*, user, scheme: Scheme) -> SchemeBudget:
    """Committed cost, remaining budget, and quota per desa (only the user's desa for a village operator)."""
    book = rate_book()
    months = [add_months(scheme.start_month, n) for n in range(scheme.months)]
    req = QuoteRequest(segment=scheme.segment, programmes=tuple(scheme.programmes), month=scheme.start_month,
                       income=scheme.income_nominal, payer=scheme.payer_type)
    people_by_month = _people_by_month(scheme, months)
    monthly = [MonthLine(m, quote(book, replace(req, month=m)).total, people_by_month.get(m, 0))
               for m in months]
    totals = Enrolment.objects.filter(scheme=scheme).aggregate(
        committed=Sum("cost"), enrolled=Count("id", filter=Q(ended_at__isnull=True)),
        ended=Count("id", filter=Q(ended_at__isnull=False)))
    per_desa = {row["desa_code"]: row for row in Enrolment.objects.filter(scheme=scheme).values("desa_code").annotate(
        enrolled=Count("id", filter=Q(ended_at__isnull=True)), committed=Sum("cost"))}
    explicit, default = scheme_desa_quotas(scheme)
    codes = _desa_codes_for(scheme, user, set(per_desa), explicit)
    names, kinds = {}, {}
    for code, name, kind in Region.objects.filter(code__in=codes).values_list("code", "name", "kind"):
        names[code], kinds[code] = name, kind
    lines = [DesaLine(code, names.get(code, code),
                      explicit.get(code, scheme_default_quota(scheme, default, kinds.get(code, ""))),
                      per_desa.get(code, {}).get("enrolled", 0), per_desa.get(code, {}).get("committed") or 0)
             for code in codes]
    return SchemeBudget(scheme=scheme, monthly_per_person=monthly, per_person=sum(m.per_person for m in monthly),
                        committed=totals["committed"] or 0, enrolled=totals["enrolled"], ended=totals["ended"],
                        desa=lines, whole_scheme=sees_everything(user) or can_manage_scheme(user, scheme))


def _people_by_month(scheme: Scheme, months: list[date]) -> dict[date, int]:
    """How many people the scheme pays for in each month (grouped by period: few distinct periods)."""
    counts: dict[date, int] = {}
    periods = (Enrolment.objects.filter(scheme=scheme).values("start_month", "end_month")
               .annotate(n=Count("id")).order_by())
    for row in periods:
        for m in months:
            if row["start_month"] <= m <= row["end_month"]:
                counts[m] = counts.get(m, 0) + row["n"]
    return counts


def batch_description(batch: EnrolmentBatch) -> str:
    """What a batch enrolled, in the reader's words: a filter names its region and village role (not the codes
    `filter 51.04.02 rt_head` it was stored with), with the door it came through ("API: ...")."""
    if batch.how != "filter":
        return batch.description
    region, role = batch.params.get("region", ""), batch.params.get("village_role", "")
    place = Region.objects.filter(code=region).values_list("name", flat=True).first() if region else None
    parts = [f"{place} ({region})" if place else region, role_label(role) if role else ""]
    chosen = ", ".join(p for p in parts if p) or _("semua peserta di wilayah Anda")
    text = _("pilihan: %(what)s") % {"what": chosen}
    via = batch.description.split(": ", 1)[0] if batch.description.startswith("API: ") else ""
    return f"{via}: {text}" if via else text


def scheme_enrolments(*, user, scheme: Scheme, desa: str = "", include_ended: bool = True) -> QuerySet[Enrolment]:
    """The scheme's enrolments of participants the user may see."""
    qs = Enrolment.objects.filter(scheme=scheme, participant__in=scope_participants(user).values("pk"))
    if desa:
        qs = qs.filter(Q(desa_code=desa) | Q(desa_code__startswith=desa + "."))
    if not include_ended:
        qs = qs.filter(ended_at__isnull=True)
    return qs.select_related("participant").order_by("desa_code", "participant__full_name")


def participant_enrolments(*, user, participant) -> QuerySet[Enrolment]:
    """The schemes that pay (or paid) for a participant the user may see, newest first."""
    return (Enrolment.objects.filter(participant=participant, scheme__in=scope_schemes(user).values("pk"))
            .select_related("scheme").order_by("-start_month", "-id"))


def enrolment_get(*, user, pk: int) -> Enrolment | None:
    qs = Enrolment.objects.filter(pk=pk, participant__in=scope_participants(user).values("pk"),
                                  scheme__in=scope_schemes(user).values("pk"))
    return qs.select_related("scheme", "participant").first()


def enrolment_batch_get(*, user, pk: int) -> EnrolmentBatch | None:
    """A batch report: for the user who asked for it and for the scheme's managers."""
    batch = EnrolmentBatch.objects.filter(pk=pk, scheme__in=scope_schemes(user).values("pk")).select_related(
        "scheme").first()
    if batch is None or not (batch.created_by_id == user.pk or can_manage_scheme(user, batch.scheme)):
        return None
    return batch


def enrolment_batch_refusals(batch: EnrolmentBatch, *, user=None) -> QuerySet[Candidate]:
    """The people a batch refused, each with its reason (by desa). With `user`, only those the user may read
    about: refusals whose desa lies in the user's regions, and the ones without a desa (a NIK that is no NIK or
    was not found) for the user who typed them. Every list of a batch's refusals (page, API, CLI) reads this."""
    qs = Candidate.objects.filter(batch=batch).exclude(reason="")
    if user is not None and not sees_everything(user):
        codes = user_region_codes(user)
        in_area = region_q(codes, desa="desa_code", kec="kec_code", kab="kab_code") & ~Q(desa_code="")
        if batch.created_by_id == user.pk:
            in_area |= Q(desa_code="")
        qs = qs.annotate(kec_code=Substr("desa_code", 1, 8)).filter(in_area)
    return qs.order_by("desa_code", "participant_id", "nik")


def enrolment_batch_refusals_left_out(batch: EnrolmentBatch, *, user, shown: int | None = None) -> int:
    """How many of a batch's refusals lie outside the user's area (not listed to them: 'di luar wilayah Anda')."""
    if shown is None:
        shown = enrolment_batch_refusals(batch, user=user).count()
    return max(0, Candidate.objects.filter(batch=batch).exclude(reason="").count() - shown)


SCHEME_JSON_FIELDS = ("name", "payer_type", "apbdes_source", "payer_name", "owner_code", "legal_basis_number",
                      "segment", "programmes", "income_nominal", "budget_ceiling", "quota_per_desa",
                      "includes_kelurahan", "max_age", "village_roles", "requires_welfare_list")


def scheme_as_json(scheme: Scheme) -> dict:
    """A scheme as the API (SchemeOut) and `jamsosdesa scheme list --json` give it."""
    return {"id": scheme.pk, **{name: getattr(scheme, name) for name in SCHEME_JSON_FIELDS},
            "legal_basis_date": scheme.legal_basis_date.isoformat(),
            "start_month": scheme.start_month.strftime("%Y-%m"), "end_month": scheme.end_month.strftime("%Y-%m")}


def enrolment_batch_as_json(batch: EnrolmentBatch, *, user, limit: int = 10_000) -> dict:
    """A batch and its refusals (NIKs as the user may see them) as the API and `scheme enrol --json` give it."""
    shown = personal_data(user)
    visible = enrolment_batch_refusals(batch, user=user)
    refusals = [{"nik": shown.nik(c.nik), "desa_code": c.desa_code, "reason": c.reason,
                 "message": refusal_message(c.reason)} for c in visible[:limit]]
    return {"id": batch.pk, "scheme_id": batch.scheme_id, "how": batch.how,
            "start_month": batch.start_month.strftime("%Y-%m"), "end_month": batch.end_month.strftime("%Y-%m"),
            "candidates": batch.candidates, "enrolled": batch.enrolled, "refused": batch.refused,
            "cost_per_person": batch.cost_per_person, "refusals": refusals,
            "refusals_left_out": enrolment_batch_refusals_left_out(batch, user=user)}


def refusal_message(reason: str) -> str:
    return str(Refusal(reason).label) if reason in Refusal.values else reason


def enrolment_batch_progress(batch: EnrolmentBatch) -> dict:
    """{done, total, percent, step}: `step` names the step under way, in the current language."""
    data = job_progress(batch, len(ENROLMENT_STEPS))
    data["step"] = data["stage"] or stage_text(ENROLMENT_STEPS[min(data["done"], len(ENROLMENT_STEPS) - 1)])
    return data
