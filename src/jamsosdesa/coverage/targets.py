"""Coverage targets (issue 13, item 1): how many protected participants a region means to have by a due date.

One service sets a target (`target_set`, called by the page, the API and the CLI); one validator checks its input
(`target_clean`). A target is per region (desa, kecamatan, kabupaten/kota, province, or the nation: code ''),
per year with the date it falls due (31 December unless chosen, within that year), optionally for one segment
(PU/BPU/Jakon/PMI) or one village role (participants.VillageRole), never both at once: a target is a total, a
segment's or a role's. Setting it again changes the row in place; its history is the audit trail of TARGET_SET
events, each with who, when, and the old and new values (`target_history`).
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, FieldErrors, ServiceError
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.months import FIRST_YEAR, LAST_YEAR
from jamsosdesa.core.text import is_ascii_digits, strip_bad_chars
from jamsosdesa.participants.models import Segment, VillageRole

from .access import check_can_set, parse_region, region_code_text, region_rows, scope_by_region
from .models import Target

MAX_COUNT = 10**9  # more than the nation's working population many times over: a typo, not a target
FIELDS = ("count", "due_date", "segment", "village_role", "note")


@dataclass(frozen=True)
class TargetRequest:
    region: str  # a region code as typed: 'ID' (or '') for the nation
    year: int
    count: int
    due_date: date | None = None  # default: 31 December of `year`
    segment: str = ""  # '' = every segment
    village_role: str = ""  # '' = every role
    note: str = ""


@dataclass(frozen=True)
class CleanTarget:
    region_code: str
    year: int
    count: int
    due_date: date
    segment: str
    village_role: str
    note: str


_THOUSANDS = re.compile(r"-?\d{1,3}([.,]\d{3})+")


def _as_int(value) -> int | None:
    """A whole number from a form, JSON or a spreadsheet cell (1000, '1000', '1.000', 1000.0), None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip().replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(".", "").replace(",", "")
    digits = text[1:] if text[:1] == "-" else text
    return int(text) if is_ascii_digits(digits) and len(digits) <= 18 else None


def count_problem(value, *, field_label: str) -> tuple[int | None, str]:
    """(the count, '') or (None, a message): a whole number from 0 to MAX_COUNT. Shared with the denominators."""
    number = _as_int(value)
    if number is None:
        return None, _("%(f)s harus bilangan bulat, mis. 1000 (tertulis '%(v)s').") % {"f": field_label,
                                                                                          "v": str(value)[:30]}
    if number < 0:
        return None, _("%(f)s tidak boleh negatif (tertulis %(v)s).") % {"f": field_label, "v": number}
    if number > MAX_COUNT:
        return None, _("%(f)s terlalu besar (lebih dari %(m)s).") % {"f": field_label, "m": f"{MAX_COUNT:,}".replace(
            ",", ".")}
    return number, ""


def year_problem(value) -> tuple[int | None, str]:
    number = _as_int(value)
    if number is None or not FIRST_YEAR <= number <= LAST_YEAR:
        return None, _("Tahun '%(v)s' tidak dikenal: tulis empat angka, mis. %(y)s.") % {
            "v": str(value)[:20], "y": clock.today().year}
    return number, ""


def target_clean(request: TargetRequest, *, region_code: str) -> CleanTarget:
    """The one validator of a target's fields (the region is parsed and scoped before, by `target_set`)."""
    errors = FieldErrors(_("Target tidak disimpan: %(first)s"))
    year, problem = year_problem(request.year)
    if problem:
        errors.add("year", problem)
    count, problem = count_problem(request.count, field_label=_("Jumlah target"))
    if problem:
        errors.add("count", problem)
    segment = (request.segment or "").strip().upper()
    if segment and segment not in Segment.values:
        errors.add("segment", _("Segmen '%(s)s' tidak dikenal: pilih %(c)s, atau kosong untuk semua.") % {
            "s": segment[:20], "c": ", ".join(Segment.values)})
    role = (request.village_role or "").strip()
    if role and role not in VillageRole.values:
        errors.add("village_role", _("Peran di desa '%(r)s' tidak dikenal: pilih %(c)s, atau kosong untuk semua.") % {
            "r": role[:30], "c": ", ".join(VillageRole.values)})
    if segment and role:
        errors.add("village_role", _("Target untuk satu segmen atau untuk satu peran di desa, tidak keduanya."))
    note = strip_bad_chars(request.note or "").strip()
    if len(note) > 200:
        errors.add("note", _("Keterangan paling panjang 200 huruf."))
    due = request.due_date
    if year is not None and due is not None and due.year != year:
        errors.add("due_date", _("Tanggal jatuh tempo harus di tahun target (%(y)s).") % {"y": year})
    errors.raise_if_any()
    due = due or date(year, 12, 31)
    today = clock.today()
    if year < today.year or due < today:
        message = _("Periode target sudah lewat (jatuh tempo %(d)s, hari ini %(t)s): target ditetapkan untuk "
                    "periode yang belum berakhir.") % {"d": due.strftime("%d/%m/%Y"), "t": today.strftime("%d/%m/%Y")}
        raise ServiceError(code=ErrorCode.BAD_PERIOD, message=message,
                           fields={"due_date" if request.due_date else "year": [message]})
    return CleanTarget(region_code=region_code, year=year, count=count, due_date=due, segment=segment,
                       village_role=role, note=note)


def _values(target: Target) -> dict:
    return {"region": region_code_text(target.region_code), "year": target.year, "count": target.count,
            "due_date": target.due_date, "segment": target.segment, "village_role": target.village_role,
            "note": target.note}


@transaction.atomic
def target_set(*, actor, request: TargetRequest) -> tuple[Target, bool]:
    """Set a region's target for a year (and segment or village role): created, or changed in place with the old
    and new values in the audit trail. Returns (the target, whether it changed). 404 outside the actor's area, 403
    for a region the actor sees but does not set, BAD_PERIOD for a period already past, INVALID for the rest."""
    region_code = parse_region(request.region)
    check_can_set(actor, region_code)
    clean = target_clean(request, region_code=region_code)
    target = (Target.objects.select_for_update()
              .filter(region_code=region_code, year=clean.year, segment=clean.segment,
                      village_role=clean.village_role).first())
    created = target is None
    old = None if created else _values(target)
    if created:
        target = Target(region_code=region_code, year=clean.year, segment=clean.segment,
                        village_role=clean.village_role)
    target.count, target.due_date, target.note = clean.count, clean.due_date, clean.note
    new = _values(target)
    if old == new:
        return target, False
    target.set_by, target.set_at = actor, clock.now()
    target.save()
    audit_record(actor=actor, event=AuditEventType.TARGET_SET, obj=target, region_code=region_code,
                 old=old, new=new)
    return target, True


# --- reads -----------------------------------------------------------------------------------------------------

def target_list(*, user, region: str | None = None, year: int | None = None):
    """Targets the user sees: of one region (404 when they do not see it), or of their whole area."""
    return region_rows(user, Target.objects.select_related("set_by"), region=region, year=year).order_by(
        "region_code", "-year", "segment", "village_role")


def target_get(*, user, pk: int) -> Target | None:
    return scope_by_region(user, Target.objects.filter(pk=pk)).first()


def target_for(region_code: str, on: date, *, segment: str = "", village_role: str = "") -> Target | None:
    """The target a dashboard shows for a region on a day: the one of that day's year (no scoping: the caller has
    checked the region)."""
    return Target.objects.filter(region_code=region_code, year=on.year, segment=segment,
                                 village_role=village_role).first()


def target_history(target: Target) -> list[dict]:
    """Every change of a target, oldest first: when, who, and what it was before and after."""
    events = AuditEvent.objects.filter(object_type=AuditEventType.TARGET_SET.object_type,
                                       object_id=str(target.pk)).order_by("at", "id")
    return [{"at": e.at, "actor": e.actor_name, "old": e.old, "new": e.new} for e in events]


def target_as_json(target: Target, names: dict[str, str] | None = None) -> dict:
    return {"id": target.pk, "region": region_code_text(target.region_code),
            "region_name": (names or {}).get(target.region_code, "") or ("Indonesia" if not target.region_code else ""),
            "year": target.year, "due_date": target.due_date.isoformat(), "segment": target.segment,
            "village_role": target.village_role, "count": target.count, "note": target.note,
            "set_by": target.set_by.username if target.set_by_id else "",
            "set_at": target.set_at.isoformat()}


def history_as_json(rows: list[dict]) -> list[dict]:
    return [{"at": r["at"].isoformat(), "actor": r["actor"], "old": r["old"], "new": r["new"]} for r in rows]
