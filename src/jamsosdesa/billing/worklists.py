"""Worklists for the people who keep workers protected (issue 12 item 5; docs/design/ledger.md §4):

- **lapse forecast**: whose paying scheme ends in the next 30/60/90 days with nothing to follow (no package of
  their own from the month after, no other enrolment covering it). Read from funding and billing rows only, one
  query per region, through the funding index `Enrolment(kab_code, end_month, start_month)`;
- **arrears this month**: whose last paid month is the one before the current cut-off month *c* (k = 1);
- **non-active next month**: whose last paid month is *c* − 2 (k = 2: one more missed deadline and protection ends).
  Both read the last paid month from the standing cache (`billing.standing`), for the people of the region.

Each returns a queryset of plain rows (dicts), so a page can paginate it and an export stream it. `present`
turns rows into what a page or an export shows: the NIK as the user may see it, the desa's name, the agent, a
ready reminder in Indonesian and a WhatsApp link with the text filled in (none without a valid mobile number).
Who may see which rows is decided by `billing.access` (`scope_by_person`): pass `user`.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.db.models import Case, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import dateformat, translation
from django.utils.translation import gettext as _

from jamsosdesa.core.months import add_months
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.core.regioncodes import level_of_code, rows_in_region
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.models import Enrolment
from jamsosdesa.participants.models import Participant, Segment
from jamsosdesa.regions.selectors import region_names

from .access import scope_by_person
from .live import live
from .models import Allocation, Due, Membership, ReversalTarget
from .status import ids_filter, planned_without_jit, region_condition

WINDOWS = (30, 60, 90)
KINDS = ("forecast", "arrears", "non_active")


# --- which months ---------------------------------------------------------------------------------------------


def forecast_months(days: int, today: date) -> tuple[date, date]:
    """The range of scheme end months whose last covered day falls within the next `days` days (today included):
    from this month to the last month that ends on or before today + days."""
    if days not in WINDOWS:
        raise ValueError(f"days must be one of {WINDOWS}")
    first = today.replace(day=1)
    last = add_months((today + timedelta(days=days + 1)).replace(day=1), -1)
    return first, last


def cutoff_month(on: date) -> date:
    """*c*: the latest month whose deadline (day BILLING_DUE_DAY of the month BILLING_DUE_MONTH_OFFSET after it)
    is on or before `on` (before the 15th it is last month)."""
    month = add_months(on.replace(day=1), -settings.BILLING_DUE_MONTH_OFFSET)
    deadline = add_months(month, settings.BILLING_DUE_MONTH_OFFSET).replace(day=settings.BILLING_DUE_DAY)
    return month if deadline <= on else add_months(month, -1)


# --- regions --------------------------------------------------------------------------------------------------


def _scoped(qs: QuerySet, user) -> QuerySet:
    return qs if user is None else scope_by_person(user, qs)


# --- the lists ------------------------------------------------------------------------------------------------

ROW_FIELDS = ("participant_id", "nik", "name", "phone", "desa_code", "agent_id", "scheme_id", "scheme_name",
              "last_month")


def _agent_of_person(person: str = "participant_id"):
    """The agent a row belongs to: the agent collecting the person's latest package, else the PERISAI agent who
    registered the person (None: nobody's). `person`: the row's column holding the participant's id."""
    latest_package_agent = Subquery(Membership.objects.filter(participant_id=OuterRef(person), agent__isnull=False)
                                    .order_by("-first_month").values("agent_id")[:1])
    registrar = Subquery(Participant.objects.filter(pk=OuterRef(person),
                                                    registered_by__role=Role.PERISAI_AGENT)
                         .values("registered_by_id")[:1])
    return Coalesce(latest_package_agent, registrar)


def lapse_forecast(region_code: str, days: int, today: date, *, user=None) -> QuerySet:
    """Enrolments (not ended early) whose end month falls within the window, of active participants, with no package
    of the person's own covering the month after and no other enrolment covering it. Rows: ROW_FIELDS plus
    `enrolment_id`, `programmes`, `income`, ordered by end month, desa and name."""
    first, last = forecast_months(days, today)
    following_package = Membership.objects.filter(participant_id=OuterRef("participant_id"),
                                                  first_month__lte=OuterRef("next_month")).filter(
        Q(last_month__isnull=True) | Q(last_month__gte=OuterRef("next_month")))
    following_enrolment = Enrolment.objects.filter(participant_id=OuterRef("participant_id"),
                                                   start_month__lte=OuterRef("next_month"),
                                                   end_month__gte=OuterRef("next_month"))
    qs = (Enrolment.objects.filter(rows_in_region(region_code), end_month__gte=first, end_month__lte=last,
                                   ended_at__isnull=True, participant__is_active=True)
          .annotate(next_month=_month_after(first, last))
          .filter(~Exists(following_package), ~Exists(following_enrolment)))
    qs = _scoped(qs, user)
    return (qs.annotate(nik=F("participant__nik"), name=F("participant__full_name"), phone=F("participant__phone"),
                        agent_id=_agent_of_person(), scheme_name=F("scheme__name"), last_month=F("end_month"),
                        programmes=F("scheme__programmes"), income=F("scheme__income_nominal"),
                        search=F("participant__search_name"), enrolment_id=F("pk"))
            .order_by("end_month", "desa_code", "search", "pk")
            .values(*ROW_FIELDS, "enrolment_id", "programmes", "income", "next_month"))


def _month_after(first: date, last: date):
    """end_month + 1 for the end months of the window, as a CASE over those few months (no month arithmetic in SQL,
    which differs between the two databases)."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    if not months:
        return Value(None, output_field=DateField())
    return Case(*[When(end_month=m, then=Value(add_months(m, 1))) for m in months], output_field=DateField())


def _with_last_paid(codes, last_paid: date) -> Q:
    """Participants of the regions (by their own desa, as every registry list) whose last fully paid month is
    `last_paid` (§4: a month is paid when every live due of it has a live allocation), read from the standing cache
    (`billing.standing`: one index range on `last_paid`, joined to the participants of the region) instead of
    aggregating the region's dues at request time. tests/billing/test_worklist_arrears.py checks that the lists
    agree with `status_table`. On PostgreSQL the ids are fetched here, once (`ids_filter`)."""
    month = connection.ops.adapt_datefield_value(last_paid)
    queries = []
    for code in [codes] if isinstance(codes, str) else codes:
        if level_of_code(code or "") is None:
            continue  # '' or a typo: nobody, never everyone
        region, params = region_condition(code)
        sql = f"""
            SELECT s.participant_id FROM billing_standing s
            JOIN participants_participant p ON p.id = s.participant_id
            WHERE s.last_paid = %s AND {region}"""
        queries.append((sql, [month, *params]))
    return ids_filter(queries)


def _owed_rows(codes, last_paid: date, on: date, *, user=None) -> QuerySet:
    """Rows for the arrears lists, one per person (active in the registry) whose last fully paid month is
    `last_paid`. What they owe and who pays are added by `present` for the rows shown (`owed_by_person`), so the
    list itself stays one index-driven query."""
    # Not ended in the registry (§4: deactivated, or moved to PU, is `ended`, never arrears).
    people = (Participant.objects.filter(_with_last_paid(codes, last_paid), is_active=True)
              .exclude(segment=Segment.PU).annotate(participant_id=F("pk")))
    people = _scoped(people, user)
    return (people.annotate(name=F("full_name"), search=F("search_name"), agent_id=_agent_of_person("pk"),
                            last_month=Value(last_paid, output_field=DateField()))
            .order_by("desa_id", "search", "pk")
            .values("participant_id", "nik", "name", "phone", "agent_id", "last_month", desa_code=F("desa_id")))


def owed_by_person(ids, after: date, on: date) -> dict[int, tuple[int, int | None, str]]:
    """{participant: (unpaid live dues of months after `after` up to the month of `on`, the scheme of the latest
    one or None, its name)} for a page's people, in one query."""
    unpaid = live(Due.objects.filter(participant_id__in=list(ids), month__gt=after, month__lte=on.replace(day=1)),
                  ReversalTarget.DUE).filter(
        ~Exists(live(Allocation.objects.filter(due_id=OuterRef("pk")), ReversalTarget.ALLOCATION)))
    out: dict[int, list] = {}
    for row in unpaid.order_by("participant_id", "month", "id").values("participant_id", "amount", "scheme_id",
                                                                        "scheme__name"):
        entry = out.setdefault(row["participant_id"], [0, None, ""])
        entry[0] += row["amount"]
        entry[1], entry[2] = row["scheme_id"], row["scheme__name"] or ""
    return {pid: tuple(v) for pid, v in out.items()}


def arrears_this_month(region_code, today: date, *, user=None) -> QuerySet:
    """Who fell into arrears with the latest deadline: status arrears with last paid month = *c* − 1."""
    return _owed_rows(region_code, add_months(cutoff_month(today), -1), today, user=user)


def non_active_next_month(region_code, today: date, *, user=None) -> QuerySet:
    """Who stops being protected at the next deadline unless they pay: status arrears, last paid = *c* − 2."""
    return _owed_rows(region_code, add_months(cutoff_month(today), -2), today, user=user)


# --- what a page or an export shows ---------------------------------------------------------------------------

_PHONE_JUNK = re.compile(r"[\s\-.()/]")
_MOBILE = re.compile(r"628\d{7,11}")


def whatsapp_number(phone: str | None) -> str:
    """An Indonesian mobile number as WhatsApp wants it (08123… or +62 812-3… -> 628123…); '' when it is not one."""
    digits = _PHONE_JUNK.sub("", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits if digits.isascii() and _MOBILE.fullmatch(digits) else ""


def month_name(month: date, lang: str = "id") -> str:
    """'Januari 2027' (the reminder is read by the worker, in Indonesian whatever the operator's language)."""
    with translation.override(lang):
        return dateformat.format(month, "F Y")


def reminder_text(*, kind: str, name: str, scheme: str = "", last_month: date | None = None,
                  next_month: date | None = None, owed: int = 0) -> str:
    """The message a worker receives, in Indonesian (the worker's language, whatever the operator reads).
    `kind` 'prospect' (coverage's outreach list): a resident of working age who is not protected."""
    from jamsosdesa.core.money import rupiah

    with translation.override("id"):
        if kind == "prospect":  # H4 coverage prospects
            return _("Yth. %(name)s, Anda belum terlindungi BPJS Ketenagakerjaan. Dengan iuran bulanan yang "
                     "terjangkau, Anda terlindungi dari risiko kecelakaan kerja dan kematian. Hubungi operator desa "
                     "atau agen PERISAI Anda untuk mendaftar atau melanjutkan iuran.") % {"name": name}
        if kind == "forecast":
            return _("Yth. %(name)s, perlindungan BPJS Ketenagakerjaan Anda yang dibayar %(scheme)s berakhir pada "
                     "akhir %(last)s. Agar tetap terlindungi, lanjutkan dengan iuran mandiri mulai %(next)s. "
                     "Hubungi operator desa atau agen PERISAI Anda.") % {
                "name": name, "scheme": scheme, "last": month_name(last_month), "next": month_name(next_month)}
        if kind == "non_active":
            return _("Yth. %(name)s, iuran BPJS Ketenagakerjaan Anda belum dibayar sejak %(first)s (tunggakan "
                     "%(owed)s). Bila tidak dibayar sebelum batas bulan depan, perlindungan Anda berhenti. "
                     "Hubungi operator desa atau agen PERISAI Anda.") % {
                "name": name, "first": month_name(next_month), "owed": rupiah(owed)}
        return _("Yth. %(name)s, iuran BPJS Ketenagakerjaan Anda untuk %(first)s belum dibayar (tunggakan "
                 "%(owed)s). Mohon segera dibayar agar perlindungan Anda tetap berjalan. Hubungi operator desa "
                 "atau agen PERISAI Anda.") % {"name": name, "first": month_name(next_month), "owed": rupiah(owed)}


def whatsapp_link(phone: str | None, text: str) -> str:
    number = whatsapp_number(phone)
    return f"https://wa.me/{number}?text={quote(text, safe='')}" if number else ""


@dataclass(frozen=True)
class ShownRow:
    kind: str
    participant_id: int
    enrolment_id: int | None
    name: str
    nik: str
    desa_code: str
    desa_name: str
    phone: str
    agent_id: int | None
    agent_name: str
    scheme_id: int | None
    scheme_name: str
    last_month: date  # forecast: the scheme's last month; arrears: the last paid month
    next_month: date | None  # forecast: the first month without a payer; arrears: the first unpaid month
    owed: int
    reminder: str
    whatsapp: str
    programmes: tuple = ()
    income: int = 0


def present(rows, *, user, kind: str, on: date | None = None) -> list[ShownRow]:
    """Rows of a worklist as `user` sees them (masked NIK unless the role needs it), with names, reminders, links;
    for the arrears lists also what each person owes up to the month of `on` (default today)."""
    from jamsosdesa.accounts.models import User
    from jamsosdesa.core import clock

    rows = list(rows)
    if kind != "forecast" and rows:
        owed = owed_by_person({r["participant_id"] for r in rows}, rows[0]["last_month"], on or clock.today())
        rows = [{**r, "owed": owed.get(r["participant_id"], (0, None, ""))[0],
                 "scheme_id": owed.get(r["participant_id"], (0, None, ""))[1],
                 "scheme_name": owed.get(r["participant_id"], (0, None, ""))[2]} for r in rows]
    shown = personal_data(user)
    desa = region_names(r["desa_code"] for r in rows)
    agents = dict(User.objects.filter(pk__in={r["agent_id"] for r in rows if r.get("agent_id")})
                  .values_list("pk", "username"))
    out = []
    for r in rows:
        next_month = r.get("next_month") or add_months(r["last_month"], 1)
        scheme = r.get("scheme_name") or _("iuran mandiri")
        text = reminder_text(kind=kind, name=r["name"], scheme=scheme, last_month=r["last_month"],
                             next_month=next_month, owed=r.get("owed") or 0)
        out.append(ShownRow(kind=kind, participant_id=r["participant_id"], enrolment_id=r.get("enrolment_id"),
                            name=r["name"], nik=shown.nik(r["nik"]), desa_code=r["desa_code"],
                            desa_name=desa.get(r["desa_code"], r["desa_code"]), phone=r["phone"] or "",
                            agent_id=r.get("agent_id"), agent_name=agents.get(r.get("agent_id"), ""),
                            scheme_id=r.get("scheme_id"), scheme_name=r.get("scheme_name") or "",
                            last_month=r["last_month"], next_month=next_month, owed=r.get("owed") or 0,
                            reminder=text, whatsapp=whatsapp_link(r["phone"], text),
                            programmes=tuple(r.get("programmes") or ()), income=r.get("income") or 0))
    return out


# --- export ----------------------------------------------------------------------------------------------------

EXPORT_LIMIT = 100_000


def worklist_rows(kind: str, regions, days: int, today: date, *, user) -> QuerySet:
    """The rows of one worklist for `user` over `regions` (a code or several: the user's own area)."""
    if kind == "forecast":
        return lapse_forecast(regions, days, today, user=user)
    if kind == "arrears":
        return arrears_this_month(regions, today, user=user)
    if kind == "non_active":
        return non_active_next_month(regions, today, user=user)
    raise ValueError(kind)


def worklist_xlsx(*, actor, kind: str, regions, days: int, today: date, target) -> int:
    """The worklist as an .xlsx file (text cells stay text: a name like '=HYPERLINK(…)' never runs); the caller
    records the export (`worklist_export_record`) once the file has gone out. Returns the number of rows."""
    import xlsxwriter

    from jamsosdesa.core.cells import XLSX_OPTIONS

    book = xlsxwriter.Workbook(target if hasattr(target, "write") else str(target),
                               {"constant_memory": True, **XLSX_OPTIONS})
    sheet = book.add_worksheet(_("Daftar kerja"))
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    header = ["NIK", _("Nama"), _("Kode desa"), _("Desa"), _("Nomor HP"), _("Agen"), _("Pembayar"),
              _("Bulan terakhir"), _("Bulan pertama tanpa bayar"), _("Tunggakan (Rp)"), _("Pesan pengingat"),
              _("Tautan WhatsApp")]
    sheet.write_row(0, 0, header, bold)
    count = 0
    rows = worklist_rows(kind, regions, days, today, user=actor)[:EXPORT_LIMIT]
    chunk: list = []

    def flush():
        nonlocal count
        for row in present(chunk, user=actor, kind=kind, on=today):
            count += 1
            values = [row.nik, row.name, row.desa_code, row.desa_name, row.phone, row.agent_name,
                      row.scheme_name or _("iuran mandiri"), row.last_month.strftime("%Y-%m"),
                      row.next_month.strftime("%Y-%m") if row.next_month else "", row.owed, row.reminder,
                      row.whatsapp]
            for c, value in enumerate(values):
                if isinstance(value, int):
                    sheet.write_number(count, c, value, money)
                else:
                    sheet.write_string(count, c, value)
        chunk.clear()

    # Fetched at once (at most EXPORT_LIMIT small rows): a server-side cursor makes PostgreSQL plan for the first
    # rows, and with the arrears lists' grouped subquery that plan is many times slower than the whole one.
    with planned_without_jit():
        rows = list(rows)
    for row in rows:
        chunk.append(row)
        if len(chunk) == 2000:
            flush()
    flush()
    book.close()
    return count


def worklist_export_record(*, actor, kind: str, regions, days: int, rows: int) -> None:
    """One WORKLIST_EXPORTED event: what was asked, how many rows went out, whether NIKs were masked."""
    from django.db import transaction

    from jamsosdesa.core.audit import audit_record
    from jamsosdesa.core.models import AuditEventType

    codes = [regions] if isinstance(regions, str) else list(regions)
    with transaction.atomic():
        audit_record(actor=actor, event=AuditEventType.WORKLIST_EXPORTED, object_type="worklist", object_id=kind,
                     region_code=codes[0] if len(codes) == 1 else "",
                     new={"kind": kind, "days": days if kind == "forecast" else None, "regions": codes,
                          "format": "xlsx", "rows": rows, "nik_masked": personal_data(actor).nik_masked})
