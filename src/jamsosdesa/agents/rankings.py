"""The branch dashboard of PERISAI agents (issue 14 item 6, design §6): the agents and wadah of a kabupaten (or a
province) ranked by what they did in a period of whole months.

- **acquisitions**: participants whose own package with the agent (`billing.Membership.agent`) starts in a month of
  the period, as `agents.acquisition` defines an acquisition (the incentive run's definition: a package continuing
  the same agent's earlier one is not a new acquisition, a cancelled one never is), and of them the *new* ones
  (never in the BPU ledger before); the rest were acquired again.
- **collections**: live billing payments (no reversal) received through the agent (`Payment.agent`) with `paid_on`
  in the period: how many and how much.
- **deposits**: the agent's deposits to BPJS (`agents.Deposit`) in the period that were not reversed.
- **retention** after 6 and 12 months: of the participants the agent acquired in the month 6 (12) months before
  the period's last day, how many are *active* on that day. The status is billing's own rule in set form
  (`billing.status.status_case_sql`) over the standing cache (`billing_standing`): never a rule of its own.

One SQL statement per measure over the agents in scope (no per-agent loop), the same on SQLite and PostgreSQL; the
wadah's totals are sums of their agents' rows. The page, the API, the CLI and the workbook all read
`rankings_read`, so they give the same numbers.

Who sees what: a national admin any kabupaten or province; a branch officer those in its regions; a wadah manager
its wadah's agents; anyone else (an agent too) nothing: 404 (`NotFound`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsosdesa.billing.live import not_reversed_sql
from jamsosdesa.billing.models import ReversalTarget
from jamsosdesa.billing.status import ACTIVE, status_case_sql
from jamsosdesa.core import clock
from jamsosdesa.core.access import region_q, sees_everything, user_region_codes
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.months import add_months, parse_month
from jamsosdesa.core.regioncodes import Level, code_within, level_of_code
from jamsosdesa.core.roles import Role
from jamsosdesa.core.text import strip_bad_chars

from .access import scope_agents, scope_wadah
from .acquisition import acquisition_point_sql, new_bpu_sql
from .models_cash import Deposit, DepositReversal

RETENTION_MONTHS = (6, 12)
KAB_LEVELS = (Level.PROVINSI, Level.KABUPATEN)
# The columns the ranking can be ordered by (?urut=): key -> (what the page calls it, the row's value)
SORTS = {
    "nama": (gettext_lazy("nama agen"), lambda r: r["name"].casefold()),
    "wadah": (gettext_lazy("wadah"), lambda r: r.get("wadah", r["name"]).casefold()),  # a wadah's row: its name
    "akuisisi": (gettext_lazy("akuisisi"), lambda r: r["acquisitions"]),
    "baru": (gettext_lazy("peserta baru"), lambda r: r["new"]),
    "penagihan": (gettext_lazy("penagihan"), lambda r: r["collected"]),
    "setoran": (gettext_lazy("setoran"), lambda r: r["deposited"]),
    "retensi6": (gettext_lazy("retensi 6 bulan"), lambda r: _rate_key(r["retention_6_rate"])),
    "retensi12": (gettext_lazy("retensi 12 bulan"), lambda r: _rate_key(r["retention_12_rate"])),
}
TEXT_SORTS = ("nama", "wadah")  # ascending by default; the figures largest first
DEFAULT_SORT = "akuisisi"
ORDERS = ("naik", "turun")
MEASURES = ("acquisitions", "new", "collections", "collected", "deposits", "deposited",
            *(f"retention_{n}_{part}" for n in RETENTION_MONTHS for part in ("cohort", "protected")))


def _rate_key(rate):
    return (rate is not None, rate or 0)


def _invalid(field: str, message: str) -> ServiceError:
    return ServiceError(code=ErrorCode.INVALID, message=message, fields={field: [message]})


@dataclass(frozen=True)
class Period:
    """Whole months from `first_month` to `last_month`; its days end today at the latest (the current month)."""

    first_month: date
    last_month: date

    @property
    def first_day(self) -> date:
        return self.first_month

    @property
    def last_day(self) -> date:
        """The period's last day: its last month's end, or today while that month runs (the retention's day)."""
        month_end = add_months(self.last_month, 1) - timedelta(days=1)
        return min(month_end, clock.today())


def period_asked(first: str | None, last: str | None, *, fields: tuple[str, str] = ("dari", "sampai")) -> Period:
    """The period from two months as typed ('YYYY-MM' or 'MM/YYYY'); both empty: this month; one empty: the other.
    A month that cannot be read, a first month after the last, or a last month still to come is a ServiceError
    naming its field."""
    this_month = clock.this_month()
    months = []
    for text, field in zip((first, last), fields, strict=True):
        text = strip_bad_chars((text or "").strip())[:40]
        try:
            months.append(parse_month(text) if text else None)
        except ValueError as exc:
            raise _invalid(field, str(exc)) from None
    first_month, last_month = months
    last_month = last_month or first_month or this_month
    first_month = first_month or last_month
    if last_month > this_month:
        raise _invalid(fields[1], _("Periode sampai %(m)s belum berakhir: pilih bulan ini (%(t)s) atau bulan yang "
                                    "sudah lewat.") % {"m": f"{last_month:%m/%Y}", "t": f"{this_month:%m/%Y}"})
    if first_month > last_month:
        raise _invalid(fields[0], _("Bulan awal %(a)s sesudah bulan akhir %(b)s: tukar keduanya.") % {
            "a": f"{first_month:%m/%Y}", "b": f"{last_month:%m/%Y}"})
    return Period(first_month, last_month)


def _user_kab_codes(user) -> list[str]:
    return [c for c in user_region_codes(user) if level_of_code(c) in KAB_LEVELS]


def default_kab(user) -> str:
    """The kabupaten a user's dashboard opens on ('' when it must be chosen: a national admin)."""
    if sees_everything(user):
        return ""
    if user.role == Role.BRANCH_OFFICER:
        mine = _user_kab_codes(user)
        return mine[0] if mine else ""
    if user.role == Role.WADAH_MANAGER:
        return scope_wadah(user).order_by("kab_code").values_list("kab_code", flat=True).first() or ""
    return ""


def may_see_rankings(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (
        sees_everything(user) or user.role in (Role.BRANCH_OFFICER, Role.WADAH_MANAGER)))


def kab_asked(user, text: str | None, *, field: str = "kab") -> str:
    """The stored code of the kabupaten (or province) asked, if the user may see its agents. NotFound for a user
    who sees no rankings, or a kabupaten outside their area; a ServiceError naming `field` for a code that is no
    kabupaten or province."""
    from jamsosdesa.regions.models import Region

    if not may_see_rankings(user):
        raise NotFound()
    code = strip_bad_chars((text or "").strip())[:40]
    if not code:
        message = _("Pilih kabupaten/kota (kode Kemendagri, mis. 33.11) atau provinsi (mis. 33).")
        raise _invalid(field, message)
    exists = level_of_code(code) in KAB_LEVELS and Region.objects.filter(code=code, is_historical=False).exists()
    if not exists:
        raise _invalid(field, _("Kabupaten/kota '%(c)s' tidak dikenal: tulis kode Kemendagri kabupaten/kota (mis. "
                                "33.11) atau provinsi (mis. 33).") % {"c": code})
    if sees_everything(user):
        return code
    if user.role == Role.BRANCH_OFFICER:
        if any(code_within(code, mine) for mine in _user_kab_codes(user)):
            return code
        raise NotFound()
    # a wadah manager: a region holding one of its wadah
    if any(code_within(kab, code) for kab in scope_wadah(user).values_list("kab_code", flat=True)):
        return code
    raise NotFound()


# --- the measures: one statement each -------------------------------------------------------------------------------

def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _date(value: date):
    return connection.ops.adapt_datefield_value(value)


def acquisitions(agents_sql: str, agents_params: list, period: Period) -> dict[int, tuple[int, int]]:
    """{agent user id: (participants acquired, of whom new)} for packages starting in the period's months."""
    rows = _rows(f"""
SELECT m.agent_id, COUNT(DISTINCT m.participant_id),
       COUNT(DISTINCT CASE WHEN {new_bpu_sql('m.participant_id', 'm.first_month')} THEN m.participant_id END)
FROM billing_membership m
WHERE m.agent_id IN ({agents_sql}) AND m.first_month >= %s AND m.first_month <= %s AND {acquisition_point_sql('m')}
GROUP BY m.agent_id""", [*agents_params, _date(period.first_month), _date(period.last_month)])
    return {agent: (int(n), int(new)) for agent, n, new in rows}


def collections(agents_sql: str, agents_params: list, period: Period) -> dict[int, tuple[int, int]]:
    """{agent user id: (live payments received through the agent, their rupiah)} paid on a day of the period."""
    rows = _rows(f"""
SELECT pay.agent_id, COUNT(*), SUM(pay.amount) FROM billing_payment pay
WHERE pay.agent_id IN ({agents_sql}) AND pay.paid_on >= %s AND pay.paid_on <= %s
  AND {not_reversed_sql("pay", ReversalTarget.PAYMENT)}
GROUP BY pay.agent_id""", [*agents_params, _date(period.first_day), _date(period.last_day)])
    return {agent: (int(n), int(total or 0)) for agent, n, total in rows}


def deposits(agents_sql: str, agents_params: list, period: Period) -> dict[int, tuple[int, int]]:
    """{agent user id: (deposits not reversed, their rupiah)} made on a day of the period."""
    rows = _rows(f"""
SELECT dp.agent_id, COUNT(*), SUM(dp.amount) FROM {Deposit._meta.db_table} dp
WHERE dp.agent_id IN ({agents_sql}) AND dp.deposited_on >= %s AND dp.deposited_on <= %s
  AND NOT EXISTS (SELECT 1 FROM {DepositReversal._meta.db_table} x WHERE x.deposit_id = dp.id)
GROUP BY dp.agent_id""", [*agents_params, _date(period.first_day), _date(period.last_day)])
    return {agent: (int(n), int(total or 0)) for agent, n, total in rows}


def retention(agents_sql: str, agents_params: list, day: date) -> dict[tuple[int, int], tuple[int, int]]:
    """{(agent user id, months): (acquired in the month that many months before `day`, of whom active on `day`)}:
    billing's status on the day (`status_case_sql`) over each person's standing (first and last fully paid
    month)."""
    status, status_params = status_case_sql(day, person="p", months="s")
    cohorts = {add_months(day.replace(day=1), -n): n for n in RETENTION_MONTHS}
    marks = ", ".join(["%s"] * len(cohorts))
    rows = _rows(f"""
SELECT m.agent_id, m.first_month, COUNT(DISTINCT m.participant_id),
       COUNT(DISTINCT CASE WHEN {status} = %s THEN m.participant_id END)
FROM billing_membership m
JOIN participants_participant p ON p.id = m.participant_id
LEFT JOIN billing_standing s ON s.participant_id = m.participant_id
WHERE m.agent_id IN ({agents_sql}) AND m.first_month IN ({marks}) AND {acquisition_point_sql('m')}
GROUP BY m.agent_id, m.first_month""", [*status_params, ACTIVE, *agents_params, *(_date(c) for c in cohorts)])
    out = {}
    for agent, first_month, cohort, protected in rows:
        first_month = first_month if isinstance(first_month, date) else date.fromisoformat(str(first_month)[:10])
        out[(agent, cohorts[first_month])] = (int(cohort), int(protected))
    return out


# --- the ranking ----------------------------------------------------------------------------------------------------


def _rate(protected: int, cohort: int) -> float | None:
    """protected / cohort in percent, one decimal (None: nobody to retain)."""
    return round(100 * protected / cohort, 1) if cohort else None


def _with_rates(row: dict) -> dict:
    for n in RETENTION_MONTHS:
        row[f"retention_{n}_rate"] = _rate(row[f"retention_{n}_protected"], row[f"retention_{n}_cohort"])
    return row


def sort_asked(sort: str | None, order: str | None) -> tuple[str, str]:
    """A known column and direction (anything else: the default, acquisitions largest first)."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    default = "naik" if sort in TEXT_SORTS else "turun"
    return sort, order if order in ORDERS else default


def sorted_rows(rows: list[dict], sort: str, order: str) -> list[dict]:
    """The rows by the chosen column (ties by name, then id), in the chosen direction."""
    _label, key = SORTS[sort]
    ordered = sorted(rows, key=lambda r: (r["name"].casefold(), r.get("agent_id") or r.get("wadah_id") or 0))
    return sorted(ordered, key=key, reverse=order == "turun")


def rankings_read(*, user, kab: str | None, first: str | None = None, last: str | None = None,
                  sort: str | None = None, order: str | None = None,
                  fields: tuple[str, str, str] = ("kab", "dari", "sampai")) -> dict:
    """The ranking of the agents and wadah of the kabupaten (or province) `kab` in the period `first`..`last`
    (months as typed): what the page, the API, the CLI and the workbook show. NotFound outside the user's area; a
    ServiceError naming the field for a bad kabupaten or period."""
    from jamsosdesa.regions.selectors import region_names

    code = kab_asked(user, kab, field=fields[0])
    period = period_asked(first, last, fields=fields[1:])
    sort, order = sort_asked(sort, order)
    where = region_q([code], kab="kab_code")
    agents = list(scope_agents(user).filter(where)
                  .values("pk", "user_id", "user__username", "user__first_name", "user__last_name", "wadah_id",
                          "wadah__name", "status").order_by("pk"))
    wadah = list(scope_wadah(user).filter(where).values("pk", "name", "kab_code").order_by("pk"))
    agents_sql, agents_params = scope_agents(user).filter(where).values("user_id").query.sql_with_params()
    agents_params = list(agents_params)
    day = period.last_day
    acquired = acquisitions(agents_sql, agents_params, period)
    collected = collections(agents_sql, agents_params, period)
    deposited = deposits(agents_sql, agents_params, period)
    kept = retention(agents_sql, agents_params, day)
    rows = []
    for a in agents:
        uid = a["user_id"]
        name = f"{a['user__first_name']} {a['user__last_name']}".strip() or a["user__username"]
        row = {"agent_id": a["pk"], "user_id": uid, "username": a["user__username"], "name": name,
               "wadah_id": a["wadah_id"], "wadah": a["wadah__name"], "status": a["status"],
               "acquisitions": acquired.get(uid, (0, 0))[0], "new": acquired.get(uid, (0, 0))[1],
               "collections": collected.get(uid, (0, 0))[0], "collected": collected.get(uid, (0, 0))[1],
               "deposits": deposited.get(uid, (0, 0))[0], "deposited": deposited.get(uid, (0, 0))[1]}
        for n in RETENTION_MONTHS:
            row[f"retention_{n}_cohort"], row[f"retention_{n}_protected"] = kept.get((uid, n), (0, 0))
        rows.append(_with_rates(row))
    rows_of: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        rows_of[r["wadah_id"]].append(r)
    totals_by_wadah = []
    for w in wadah:
        mine = rows_of[w["pk"]]
        total = {"wadah_id": w["pk"], "name": w["name"], "kab_code": w["kab_code"],
                 "agents": len(mine), **{m: sum(r[m] for r in mine) for m in MEASURES}}
        totals_by_wadah.append(_with_rates(total))
    total = _with_rates({"agents": len(rows), "wadah": len(wadah), **{m: sum(r[m] for r in rows) for m in MEASURES}})
    return {
        "kab": code, "name": region_names([code]).get(code, code),
        "from": f"{period.first_month:%Y-%m}", "to": f"{period.last_month:%Y-%m}",
        "first_day": period.first_day.isoformat(), "last_day": day.isoformat(),
        "cohorts": {str(n): f"{add_months(day.replace(day=1), -n):%Y-%m}" for n in RETENTION_MONTHS},
        "sort": sort, "order": order,
        "agents": sorted_rows(rows, sort, order), "wadah": sorted_rows(totals_by_wadah, sort, order),
        "totals": total,
    }


# --- the workbook ---------------------------------------------------------------------------------------------------


def _headers() -> list[tuple[str, str]]:
    return [("acquisitions", _("Akuisisi")), ("new", _("Peserta baru")), ("collections", _("Jumlah penagihan")),
            ("collected", _("Penagihan (Rp)")), ("deposits", _("Jumlah setoran")), ("deposited", _("Setoran (Rp)")),
            *((f"retention_{n}_{part}", words % {"n": n}) for n in RETENTION_MONTHS
              for part, words in (("cohort", _("Diakuisisi %(n)s bulan lalu")),
                                  ("protected", _("Aktif dari akuisisi %(n)s bulan lalu")),
                                  ("rate", _("Retensi %(n)s bulan (%%)"))))]


def rankings_xlsx(*, ranking: dict, target) -> int:
    """The ranking as a workbook: the agents (in the page's order), the wadah and the period; the same numbers as
    the page. Text cells stay text (core.cells.XLSX_OPTIONS). Returns the number of agent rows."""
    import xlsxwriter

    from jamsosdesa.core.cells import XLSX_OPTIONS

    book = xlsxwriter.Workbook(target if hasattr(target, "write") else str(target), XLSX_OPTIONS)
    bold = book.add_format({"bold": True})
    measures = _headers()

    def put(sheet, r: int, values: list) -> None:
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))

    sheet = book.add_worksheet(_("Agen"))
    sheet.write_row(0, 0, [_("Agen"), _("Nama pengguna"), _("Wadah"), *(w for _k, w in measures)], bold)
    for i, row in enumerate(ranking["agents"], start=1):
        put(sheet, i, [row["name"], row["username"], row["wadah"], *(row[k] for k, _w in measures)])
    sheet = book.add_worksheet(_("Wadah"))
    sheet.write_row(0, 0, [_("Wadah"), _("Agen"), *(w for _k, w in measures)], bold)
    for i, row in enumerate(ranking["wadah"], start=1):
        put(sheet, i, [row["name"], row["agents"], *(row[k] for k, _w in measures)])
    sheet = book.add_worksheet(_("Periode"))
    for i, (label, value) in enumerate([
            (_("Kabupaten/kota"), f"{ranking['kab']} {ranking['name']}"), (_("Dari bulan"), ranking["from"]),
            (_("Sampai bulan"), ranking["to"]), (_("Hari retensi"), ranking["last_day"]),
            *((_("Akuisisi %(n)s bulan lalu: bulan") % {"n": n}, m) for n, m in ranking["cohorts"].items())]):
        put(sheet, i, [label, value])
    book.close()
    return len(ranking["agents"])


def rankings_export_record(*, actor, ranking: dict, rows: int) -> None:
    """One AGENT_EXPORTED event: which kabupaten and period, how many agent rows went out."""
    from django.db import transaction

    from jamsosdesa.core.audit import audit_record
    from jamsosdesa.core.models import AuditEventType

    with transaction.atomic():
        audit_record(actor=actor, event=AuditEventType.AGENT_EXPORTED, object_type="agent_rankings",
                     object_id=ranking["kab"], region_code=ranking["kab"],
                     new={"list": "rankings", "kab": ranking["kab"], "from": ranking["from"], "to": ranking["to"],
                          "sort": ranking["sort"], "format": "xlsx", "rows": rows})
