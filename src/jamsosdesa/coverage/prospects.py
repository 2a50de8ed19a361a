"""Prospects (issue 13 item 5): a desa's residents of working age already in the registry (registered by hand or
from an OpenSID import) who are not protected on the day, by dusun/RT and occupation: the village's outreach list,
and with the protected ones its own denominator.

- *working age*: whole years on the day between settings.COVERAGE_WORKING_AGE_MIN and _MAX, both included (default
  15-64, BPS's productive age; `WorkingAge.source` names it wherever the list is shown);
- *in the registry*: status on the day is not `ended` (billing.status: not deactivated by then, not moved to PU,
  whose employer pays);
- *protected*: status `active` on the day; a prospect is anyone else: `not_started` (never paid), `arrears` or
  `non_active` (their status word goes with them, so the list says who to register and who to bring back).

`prospect_counts` (one query: working age, protected, prospects) is what a dashboard reads; `prospect_rows` the
list, scoped by the one participant scoping function; `present` adds what a page, the API, the CLI and the export
show (NIK as `core.presenters` decides, the billing worklists' reminder text and WhatsApp link).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from jamsosdesa.billing.status import (
    ACTIVE,
    ARREARS,
    NON_ACTIVE,
    NOT_STARTED,
    STATUS_WORDS,
    planned_without_jit,
    status_table,
)
from jamsosdesa.billing.worklists import reminder_text, whatsapp_link
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.months import add_years
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.regioncodes import Level, level_of_code
from jamsosdesa.core.text import strip_bad_chars

PROSPECT_STATUSES = (NOT_STARTED, ARREARS, NON_ACTIVE)
EXPORT_LIMIT = 100_000


@dataclass(frozen=True)
class WorkingAge:
    min_years: int
    max_years: int
    source: str

    def born_range(self, on: date) -> tuple[date, date]:
        """(earliest, latest) birth date of someone of working age on the day, both included."""
        return add_years(on, -(self.max_years + 1)) + timedelta(days=1), add_years(on, -self.min_years)

    def as_dict(self) -> dict:
        return {"min_years": self.min_years, "max_years": self.max_years, "source": self.source}


def working_age() -> WorkingAge:
    low = max(int(settings.COVERAGE_WORKING_AGE_MIN), 0)
    return WorkingAge(min_years=low, max_years=max(int(settings.COVERAGE_WORKING_AGE_MAX), low),
                      source=settings.COVERAGE_WORKING_AGE_SOURCE)


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --- which desa ---------------------------------------------------------------------------------------------------


def parse_desa(text: str | None, *, field: str = "desa") -> str:
    """A desa code as typed -> the code of a desa (or kelurahan) that exists; ServiceError(INVALID) otherwise."""
    from jamsosdesa.regions.selectors import region_get

    code = strip_bad_chars((text or "").strip())
    if len(code) > 13 or level_of_code(code) != Level.DESA or region_get(code) is None:
        message = _("'%(c)s' bukan kode desa/kelurahan yang dikenal: tulis kode Kemendagri, mis. 33.11.11.2004.") % {
            "c": code[:40]}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={field: [message]})
    return code


def check_can_see_desa(user, desa_code: str) -> None:
    """404 for a desa outside the user's area (as for one that does not exist): the list is personal data."""
    from jamsosdesa.core.access import code_in_scope, sees_everything

    if not (user and user.is_authenticated and user.is_active):
        raise NotFound()
    if not (sees_everything(user) or code_in_scope(user, desa_code)):
        raise NotFound()


# --- counts (what a dashboard reads) -------------------------------------------------------------------------------


def _age_condition(on: date, age: WorkingAge) -> tuple[str, list]:
    earliest, latest = age.born_range(on)
    adapt = connection.ops.adapt_datefield_value
    return "p.birth_date >= %s AND p.birth_date <= %s", [adapt(earliest), adapt(latest)]


def _status_sql(desa_code: str, on: date, age: WorkingAge) -> tuple[str, list]:
    condition, params = _age_condition(on, age)
    return status_table(desa_code, on, participants_sql=condition, participants_params=params)


@dataclass(frozen=True)
class ProspectCounts:
    desa_code: str
    on: date
    working_age: int  # residents of working age in the registry (not ended): the village's own denominator
    protected: int  # of them, status active
    prospects: int  # of them, not protected
    age: WorkingAge

    def as_dict(self) -> dict:
        return {"desa": self.desa_code, "on": self.on.isoformat(), "working_age": self.working_age,
                "protected": self.protected, "prospects": self.prospects, "age": self.age.as_dict()}


def prospect_counts(desa_code: str, on: date | None = None) -> ProspectCounts:
    """The desa's working-age residents in the registry, how many are protected and how many are prospects (one
    query; not scoped: counts, no personal data)."""
    on = on or clock.today()
    age = working_age()
    sql, params = _status_sql(desa_code, on, age)
    marks = ", ".join(["%s"] * len(PROSPECT_STATUSES))
    with planned_without_jit(), connection.cursor() as cursor:  # JIT compiling cost seconds (bench: 8 s vs 0.4 s)
        cursor.execute(f"""SELECT COALESCE(SUM(CASE WHEN st.status = %s THEN 1 ELSE 0 END), 0),
                                  COALESCE(SUM(CASE WHEN st.status IN ({marks}) THEN 1 ELSE 0 END), 0)
                           FROM ({sql}) st""", [ACTIVE, *PROSPECT_STATUSES, *params])
        protected, prospects = (int(v) for v in cursor.fetchone())
    return ProspectCounts(desa_code=desa_code, on=on, working_age=protected + prospects, protected=protected,
                          prospects=prospects, age=age)


def prospect_count(desa_code: str, on: date | None = None) -> int:
    """How many working-age residents of the desa in the registry are not protected on the day."""
    return prospect_counts(desa_code, on).prospects


# --- the list -----------------------------------------------------------------------------------------------------

_DUSUN = re.compile(r"\b(?:dusun|dsn\.?)\s+([^,;/]+)", re.IGNORECASE)


def dusun_of(address: str) -> str:
    """The dusun an address names ('Jl. Mawar 3, Dusun Krajan' -> 'Krajan'; the OpenSID import writes a resident's
    dusun into the address so), '' when it names none."""
    found = _DUSUN.search(address or "")
    return " ".join(found.group(1).split()).title() if found else ""


def _statuses(desa_code: str, on: date, age: WorkingAge) -> dict[int, str]:
    sql, params = _status_sql(desa_code, on, age)
    marks = ", ".join(["%s"] * len(PROSPECT_STATUSES))
    with planned_without_jit(), connection.cursor() as cursor:
        cursor.execute(f"SELECT st.participant_id, st.status FROM ({sql}) st WHERE st.status IN ({marks})",
                       [*params, *PROSPECT_STATUSES])
        return dict(cursor.fetchall())


@dataclass(frozen=True)
class Prospect:
    participant_id: int
    name: str
    nik: str  # as the user may see it
    sex: str
    age: int
    dusun: str
    rw: str
    rt: str
    occupation: str
    status: str
    status_words: str
    phone: str
    reminder: str
    whatsapp: str

    @property
    def place(self) -> str:
        """'Dusun Krajan · RW 1 · RT 2' (the parts the registry has)."""
        parts = [f"{_('Dusun')} {self.dusun}" if self.dusun else "", f"RW {self.rw}" if self.rw else "",
                 f"RT {self.rt}" if self.rt else ""]
        return " · ".join(p for p in parts if p) or _("tanpa dusun/RT")

    def as_dict(self) -> dict:
        return {"participant_id": self.participant_id, "name": self.name, "nik": self.nik, "sex": self.sex,
                "age": self.age, "dusun": self.dusun, "rw": self.rw, "rt": self.rt, "occupation": self.occupation,
                "status": self.status, "phone": self.phone, "reminder": self.reminder, "whatsapp": self.whatsapp}


def _rt_key(value: str):
    return (0, int(value)) if value.isdigit() else (1, value)


def prospect_rows(*, user, desa_code: str, on: date | None = None, occupation: int | None = None) -> list[Prospect]:
    """The desa's prospects that `user` may see (404 outside their area), ordered by dusun, RW, RT and name; NIK as
    the user may see it, each with the reminder a worker receives and a WhatsApp link."""
    from jamsosdesa.participants.access import scope_participants
    from jamsosdesa.participants.models import Participant

    check_can_see_desa(user, desa_code)
    on = on or clock.today()
    age = working_age()
    statuses = _statuses(desa_code, on, age)
    if not statuses:
        return []
    if connection.vendor == "postgresql":  # the ids at hand, as an array (the status query is not run again)
        ids = RawSQL("SELECT unnest(%s::bigint[])", [sorted(statuses)])
    else:  # SQLite: the subquery (a list of ids could pass its limit on parameters)
        sql, params = _status_sql(desa_code, on, age)
        marks = ", ".join(["%s"] * len(PROSPECT_STATUSES))
        ids = RawSQL(f"SELECT st.participant_id FROM ({sql}) st WHERE st.status IN ({marks})",
                     [*params, *PROSPECT_STATUSES])
    qs = scope_participants(user, Participant.objects.filter(desa_id=desa_code, pk__in=ids))
    if occupation is not None:
        qs = qs.filter(occupation_id=occupation)
    shown = personal_data(user)
    out = []
    for p in qs.select_related("occupation").order_by("search_name", "pk")[:EXPORT_LIMIT]:
        status = statuses.get(p.pk)
        if status is None:  # changed between the two reads: left for the next one
            continue
        text = reminder_text(kind="prospect", name=p.full_name)
        out.append(Prospect(participant_id=p.pk, name=p.full_name, nik=shown.nik(p.nik), sex=p.sex,
                            age=age_on(p.birth_date, on), dusun=dusun_of(p.address), rw=p.rw, rt=p.rt,
                            occupation=p.occupation.name if p.occupation else "", status=status,
                            status_words=str(STATUS_WORDS[status]), phone=p.phone or "", reminder=text,
                            whatsapp=whatsapp_link(p.phone, text)))
    out.sort(key=lambda r: (r.dusun == "", r.dusun.upper(), _rt_key(r.rw), _rt_key(r.rt)))  # stable: names kept
    return out


def by_place(rows: list[Prospect]) -> list[tuple[str, list[Prospect]]]:
    """The rows grouped by dusun/RW/RT, in the rows' order."""
    groups: dict[str, list[Prospect]] = {}
    for row in rows:
        groups.setdefault(row.place, []).append(row)
    return list(groups.items())


def by_occupation(rows: list[Prospect]) -> list[tuple[str, int]]:
    """(occupation, how many) most first; people without one under 'pekerjaan tidak tercatat'."""
    counts: dict[str, int] = {}
    for row in rows:
        key = row.occupation or _("pekerjaan tidak tercatat")
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# --- export -------------------------------------------------------------------------------------------------------


def prospects_xlsx(*, actor, desa_code: str, on: date, target) -> int:
    """The list as an .xlsx file (text cells stay text); the caller records the export once the file has gone out
    (`prospects_export_record`). Returns the number of rows."""
    import xlsxwriter

    from jamsosdesa.core.cells import XLSX_OPTIONS

    rows = prospect_rows(user=actor, desa_code=desa_code, on=on)
    age = working_age()
    book = xlsxwriter.Workbook(target if hasattr(target, "write") else str(target),
                               {"constant_memory": True, **XLSX_OPTIONS})
    sheet = book.add_worksheet(_("Prospek"))
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, _("Warga usia kerja (%(a)s-%(b)s tahun; %(s)s) yang belum terlindungi per %(d)s") % {
        "a": age.min_years, "b": age.max_years, "s": age.source, "d": f"{on:%d-%m-%Y}"}, bold)
    header = ["NIK", _("Nama"), _("Jenis kelamin"), _("Umur"), _("Dusun"), "RW", "RT", _("Pekerjaan"), _("Status"),
              _("Nomor HP"), _("Pesan pengingat"), _("Tautan WhatsApp")]
    sheet.write_row(1, 0, header, bold)
    for i, r in enumerate(rows, start=2):
        values = [r.nik, r.name, r.sex, r.age, r.dusun, r.rw, r.rt, r.occupation, r.status_words, r.phone,
                  r.reminder, r.whatsapp]
        for c, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(i, c, value)
            else:
                sheet.write_string(i, c, value)
    book.close()
    return len(rows)


def prospects_export_record(*, actor, desa_code: str, on: date, rows: int) -> None:
    """One COVERAGE_EXPORTED event: which list, for which desa and day, how many rows, whether NIKs were masked."""
    from django.db import transaction

    from jamsosdesa.core.audit import audit_record
    from jamsosdesa.core.models import AuditEventType

    with transaction.atomic():
        audit_record(actor=actor, event=AuditEventType.COVERAGE_EXPORTED, object_type="prospects",
                     object_id=desa_code, region_code=desa_code,
                     new={"list": "prospects", "desa": desa_code, "on": on.isoformat(), "format": "xlsx",
                          "rows": rows, "nik_masked": personal_data(actor).nik_masked})


# --- the one use case the page, the API and the CLI share ----------------------------------------------------------


@dataclass(frozen=True)
class ProspectRequest:
    desa: str  # as typed
    on: date | None = None  # default today


@dataclass(frozen=True)
class ProspectList:
    counts: ProspectCounts
    rows: list[Prospect]

    def as_dict(self) -> dict:
        return {**self.counts.as_dict(), "rows": [r.as_dict() for r in self.rows]}


def prospect_list(*, user, request: ProspectRequest) -> ProspectList:
    """A desa's prospects as `user` sees them: ServiceError(INVALID) for a code that is no desa, NotFound for a desa
    outside the user's area."""
    desa = parse_desa(request.desa)
    check_can_see_desa(user, desa)
    on = request.on or clock.today()
    return ProspectList(counts=prospect_counts(desa, on), rows=prospect_rows(user=user, desa_code=desa, on=on))
