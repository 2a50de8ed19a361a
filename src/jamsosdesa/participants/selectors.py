"""Reads over the registry. Every query starts from the user's scope."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from jamsosdesa.core.access import region_q
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.text import is_ascii_digits, strip_bad_chars

from .access import scope_participants
from .listfilters import apply_list_filters
from .models import Participant
from .nik import is_nik_shaped

COUNT_CAP = 10_000


@dataclass
class ParticipantFilter:
    q: str = ""
    region: str = ""
    segment: str = ""
    village_role: str = ""
    status: str = ""  # "active" / "inactive" / ""
    extra: dict[str, str] = field(default_factory=dict)  # filters other packages add (participants.listfilters)


@dataclass
class Page:
    items: list[Participant]
    next_after: int | None
    total: int
    total_capped: bool


def participant_filter_qs(*, user, filters: ParticipantFilter) -> QuerySet[Participant]:
    qs = scope_participants(user)
    filters = ParticipantFilter(**{k: strip_bad_chars(v) for k, v in vars(filters).items() if k != "extra"},
                                extra={k: strip_bad_chars(v or "") for k, v in filters.extra.items()})
    q = " ".join(filters.q.split())
    if q:
        digits = q.replace(" ", "").replace(".", "")
        if is_ascii_digits(digits) and len(digits) >= 4:
            qs = qs.filter(nik=digits) if len(digits) == 16 else qs.filter(nik__startswith=digits)
        else:
            qs = qs.filter(search_name__contains=q.upper())
    if filters.region:
        qs = qs.filter(region_q([filters.region.strip()]))
    if filters.segment:
        qs = qs.filter(segment=filters.segment)
    if filters.village_role:
        qs = qs.filter(village_role=filters.village_role)
    if filters.status in ("active", "inactive"):
        qs = qs.filter(is_active=filters.status == "active")
    if filters.extra:
        qs = apply_list_filters(qs, filters.extra, user=user)
    return qs


def participant_page(*, user, filters: ParticipantFilter, after: int | None = None, limit: int = 25) -> Page:
    """Keyset paging (newest first): cost stays flat however deep the user pages."""
    qs = participant_filter_qs(user=user, filters=filters)
    page_qs = qs.filter(pk__lt=after) if after else qs
    rows = list(page_qs.select_related("desa", "occupation").order_by("-pk")[: limit + 1])
    next_after = rows[limit - 1].pk if len(rows) > limit else None
    if not after and len(rows) <= limit:
        total = len(rows)  # the whole answer is on this page: no second scan to count it (a name search's is costly)
    else:
        total = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    return Page(items=rows[:limit], next_after=next_after, total=min(total, COUNT_CAP),
                total_capped=total > COUNT_CAP)


def participant_get(*, user, nik: str | None = None, pk: int | None = None) -> Participant | None:
    """A participant the user may see, or None (callers answer 404)."""
    qs = scope_participants(user).select_related("desa", "desa__parent", "desa__parent__parent",
                                                 "occupation", "registered_by")
    if nik is not None:
        return qs.filter(nik=nik).first() if is_nik_shaped(nik) else None
    return qs.filter(pk=pk).first()


def participant_history(*, participant: Participant) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="participant", object_id=str(participant.pk)).order_by("-at", "-id")
