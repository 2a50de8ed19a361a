"""Cross-check with BPJS (issue 12 item 7; docs/design/ledger.md §8 slice 7): a list BPJS gives back (NIK, status,
paid-through month) against what jamsosdesa derives on the list's day, per desa, both ways, each with the reason
jamsosdesa sees.

Set-based: the region's statuses come from H4's `status_table` in one query (with, for each person not active, the
payer of the oldest unpaid month from the (participant, month) index), the list's NIKs outside the region in a few
`IN` queries, and the rows are written with bulk inserts. Nothing is derived here that `billing.status` derives: the
status word is status_table's, and the paid-through month follows `derive`'s rule on the same columns.

Who (billing.access.can_crosscheck, scope_bpjs_lists): a branch officer or a district official for a kabupaten or
desa of its area, or a national admin. A list row whose NIK is a person
outside the list's region is counted (`outside_area`) with no participant, desa or name kept, so nothing of a person
outside the user's area shows; an unknown NIK is `not_in_registry`.

Reading files is `imports.bpjs`'s (billing never imports imports); the job and the command are `imports.bpjs_import`.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import connection
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

from jamsosdesa.core.jobs import Stage
from jamsosdesa.core.months import add_months
from jamsosdesa.core.presenters import personal_data
from jamsosdesa.participants.models import DeactivationReason, Segment

from .access import can_crosscheck, scope_bpjs_lists  # noqa: F401 (can_crosscheck: imports' callers)
from .live import not_reversed_sql
from .models import BpjsList, BpjsListRow, BpjsStatus, CrosscheckFinding, ReversalTarget
from .status import ACTIVE, ARREARS, ENDED, NON_ACTIVE, NOT_STARTED, planned_without_jit, status_table

F = CrosscheckFinding
FINDINGS = (F.BPJS_ONLY_ACTIVE, F.OURS_ONLY_ACTIVE, F.PAID_THROUGH_DIFFERS, F.BOTH_ACTIVE, F.BOTH_INACTIVE,
            F.NOT_IN_REGISTRY, F.OUTSIDE_AREA)
DIFFERENCES = (F.BPJS_ONLY_ACTIVE, F.OURS_ONLY_ACTIVE, F.PAID_THROUGH_DIFFERS)
NO_DESA = ""  # the summary's key for rows with no desa of ours (not in the registry, outside the area)
BATCH = 5000
SELF = "~self"  # the payer marker of a self-paid due in the context query
# The columns of a BPJS list (imports.bpjs reads them; the mapping form names them).
BPJS_FIELDS = ("nik", "kpj", "status", "paid_through", "name")
BPJS_FIELD_LABELS = {
    "nik": "NIK", "kpj": "KPJ", "status": gettext_lazy("status kepesertaan"),
    "paid_through": gettext_lazy("bulan terakhir bayar"), "name": gettext_lazy("nama"),
}


@dataclass
class BpjsRowIn:
    """One row of a BPJS list as read (imports.bpjs)."""

    row_no: int
    nik: str
    kpj: str = ""
    status: str = BpjsStatus.OTHER  # active | non_active | other
    status_raw: str = ""
    paid_through: date | None = None


# --- who -------------------------------------------------------------------------------------------------------


# Who compares a list and sees the compared ones: billing.access.can_crosscheck and scope_bpjs_lists.


def bpjs_list_get(user, pk: int) -> BpjsList | None:
    """One list the user may see, or None (callers answer 404)."""
    return scope_bpjs_lists(user).filter(pk=pk).first()


# --- our side, set-based ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ours:
    participant_id: int
    nik: str
    kab_code: str
    desa_code: str
    status: str
    paid_through: date | None
    reason: str


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def paid_through_of(last_paid: date | None, first_paid: date | None, first_unpaid: date | None) -> date | None:
    """`billing.status.derive`'s paid-through month from status_table's columns: the month before the oldest unpaid
    due when something was paid before it, else (nothing unpaid) the latest paid month."""
    if first_unpaid is not None:
        return add_months(first_unpaid, -1) if first_paid and first_paid < first_unpaid else None
    return last_paid


def _m(month: date | None) -> str:
    return f"{month:%m/%Y}" if month else "-"


def _payer_words(payer: str | None) -> str:
    if payer == SELF:
        return _("peserta sendiri (iuran mandiri)")
    return _("Skema %(s)s") % {"s": payer} if payer else _("tidak diketahui")


def our_reason(status: str, *, last_paid, first_paid, first_unpaid, paid_through, payer, deactivation_reason: str,
               segment: str) -> str:
    """Why jamsosdesa sees the person so, in words (≤ 200 characters)."""
    if status == ENDED:
        if segment == Segment.PU and not deactivation_reason:
            return _("pindah ke segmen PU (iuran dibayar pemberi kerja)")
        label = dict(DeactivationReason.choices).get(deactivation_reason, "")
        return (_("nonaktif di registri: %(r)s") % {"r": str(label).lower()}) if label else _("nonaktif di registri")
    if status == ACTIVE:
        return _("dibayar sampai %(m)s") % {"m": _m(paid_through or last_paid)}
    if first_paid is None and first_unpaid is None:
        return _("belum ada iuran tercatat")
    oldest = add_months(last_paid, 1) if last_paid else first_unpaid
    if first_unpaid is not None and first_unpaid <= oldest:
        return (_("iuran %(m)s belum dibayar (pembayar: %(p)s)") % {"m": _m(first_unpaid), "p": _payer_words(payer)}
                )[:200]
    return _("tidak ada iuran tercatat untuk %(m)s (tidak ada skema atau iuran mandiri yang membayar)") % {
        "m": _m(oldest)}


@lru_cache(maxsize=4096)
def _reason_in(language: str, *args, **kwargs) -> str:
    """our_reason, remembered per language: people of a region share a few hundred combinations, and gettext per
    person cost a second per 10,000."""
    return our_reason(*args, **kwargs)


def ours_in_region(region_code: str, on: date) -> dict[str, Ours]:
    """Every registered person of the region on the day, by NIK: status (status_table), paid-through month and our
    reason. One query: the payer of the oldest unpaid month only for the people not active."""
    sql, params = status_table(region_code, on)
    live_due = not_reversed_sql("d", ReversalTarget.DUE)
    query = f"""
SELECT st.participant_id, st.status, st.last_paid, st.first_paid, st.first_unpaid,
       pp.nik, pp.kab_code, pp.desa_code, pp.deactivation_reason, pp.segment,
       CASE WHEN st.status IN (%s, %s, %s) AND st.first_unpaid IS NOT NULL THEN
         (SELECT MIN(COALESCE(s.name, %s)) FROM billing_due d LEFT JOIN funding_scheme s ON s.id = d.scheme_id
          WHERE d.participant_id = st.participant_id AND d.month = st.first_unpaid AND {live_due})
       END AS payer
FROM ({sql}) st JOIN participants_participant pp ON pp.id = st.participant_id"""
    found: dict[str, Ours] = {}
    with planned_without_jit(), connection.cursor() as cursor:
        cursor.execute(query, [ARREARS, NON_ACTIVE, NOT_STARTED, SELF, *params])
        for (pid, status, last_paid, first_paid, first_unpaid, nik, kab, desa, deactivation, segment,
             payer) in cursor.fetchall():
            last_paid, first_paid, first_unpaid = _as_date(last_paid), _as_date(first_paid), _as_date(first_unpaid)
            through = paid_through_of(last_paid, first_paid, first_unpaid) if status != NOT_STARTED else None
            reason = _reason_in(get_language() or "", status, last_paid=last_paid, first_paid=first_paid,
                                first_unpaid=first_unpaid, paid_through=through, payer=payer,
                                deactivation_reason=deactivation or "", segment=segment)
            found[nik] = Ours(pid, nik, kab, desa, status, through, reason)
    return found


def _registered_elsewhere(niks: list[str]) -> set[str]:
    """Of these NIKs, the ones registered (anywhere: the caller knows they are not in the region)."""
    from jamsosdesa.participants.models import Participant

    found: set[str] = set()
    for start in range(0, len(niks), BATCH):
        found.update(Participant.objects.filter(nik__in=niks[start:start + BATCH]).values_list("nik", flat=True))
    return found


# --- the comparison ---------------------------------------------------------------------------------------------


ROW_COLUMNS = ("bpjs_list_id", "row_no", "nik", "kpj", "bpjs_status", "bpjs_status_raw", "bpjs_paid_through",
               "participant_id", "kab_code", "desa_code", "our_status", "our_paid_through", "finding", "reason")


def _insert_rows(rows: list[tuple]) -> None:
    """Write comparison rows (ROW_COLUMNS order): COPY on PostgreSQL, executemany elsewhere (design: bulk paths)."""
    if not rows:
        return
    table = BpjsListRow._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(ROW_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(ROW_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(ROW_COLUMNS)}) VALUES ({marks})", rows)


def finding_of(bpjs_status: str, bpjs_paid_through: date | None, ours: Ours) -> str:
    bpjs_active = bpjs_status == BpjsStatus.ACTIVE
    our_active = ours.status == ACTIVE
    if bpjs_active and our_active:
        return F.BOTH_ACTIVE if bpjs_paid_through == ours.paid_through or bpjs_paid_through is None \
            else F.PAID_THROUGH_DIFFERS
    if bpjs_active:
        return F.BPJS_ONLY_ACTIVE
    if our_active:
        return F.OURS_ONLY_ACTIVE
    return F.BOTH_INACTIVE


def crosscheck_compare(*, bpjs_list: BpjsList, rows: list[BpjsRowIn], progress=None) -> dict:
    """Compare the rows read from the list with the region on `bpjs_list.as_of`, write its BpjsListRows (rows of a
    previous run of the same list are replaced) and return the summary: per desa and finding counts, and totals.
    The caller holds the transaction."""
    total = len(rows)
    if progress:
        progress(0, total, Stage(gettext_noop("membandingkan dengan status jamsosdesa")))
    ours = ours_in_region(bpjs_list.region_code, bpjs_list.as_of)
    in_list = {row.nik for row in rows}
    elsewhere = _registered_elsewhere([row.nik for row in rows if row.nik not in ours])
    BpjsListRow.objects.filter(bpjs_list=bpjs_list).delete()
    counts: dict[str, Counter] = defaultdict(Counter)
    batch: list[tuple] = []

    def flush(done: int) -> None:
        _insert_rows(batch)
        batch.clear()
        if progress:
            progress(done, total)

    pk = bpjs_list.pk
    for done, row in enumerate(rows, start=1):
        mine = ours.get(row.nik)
        read = (pk, row.row_no, row.nik, row.kpj, row.status, row.status_raw, row.paid_through)
        if mine is None:
            finding = F.OUTSIDE_AREA if row.nik in elsewhere else F.NOT_IN_REGISTRY
            batch.append((*read, None, "", "", "", None, finding.value, ""))
            counts[NO_DESA][finding] += 1
        else:
            finding = finding_of(row.status, row.paid_through, mine)
            batch.append((*read, mine.participant_id, mine.kab_code, mine.desa_code, mine.status, mine.paid_through,
                          finding.value, mine.reason))
            counts[mine.desa_code][finding] += 1
        if len(batch) >= BATCH:
            flush(done)
    absent = _("tidak ada di daftar BPJS; %(r)s")
    for mine in ours.values():
        if mine.status == ACTIVE and mine.nik not in in_list:
            batch.append((pk, 0, mine.nik, "", "", "", None, mine.participant_id, mine.kab_code, mine.desa_code,
                          mine.status, mine.paid_through, F.OURS_ONLY_ACTIVE.value,
                          (absent % {"r": mine.reason})[:200]))
            counts[mine.desa_code][F.OURS_ONLY_ACTIVE] += 1
            if len(batch) >= BATCH:
                flush(total)
    flush(total)
    per_desa = {desa: {f.value: by[f.value] for f in FINDINGS if by[f.value]} for desa, by in sorted(counts.items())}
    totals = Counter()
    for by in counts.values():
        totals.update(by)
    return {"per_desa": per_desa, "totals": {f.value: totals[f.value] for f in FINDINGS},
            "compared": total, "region_code": bpjs_list.region_code, "as_of": bpjs_list.as_of.isoformat()}


def crosscheck_audit(*, actor, bpjs_list: BpjsList, summary: dict) -> None:
    """The one `bpjs_list.imported` event of a comparison, with its counts (no NIK, no name)."""
    from jamsosdesa.core.audit import audit_record
    from jamsosdesa.core.models import AuditEventType

    audit_record(actor=actor, event=AuditEventType.BPJS_LIST_IMPORTED, obj=bpjs_list,
                 region_code=bpjs_list.region_code,
                 new={"file": bpjs_list.file_name, "region": bpjs_list.region_code,
                      "as_of": bpjs_list.as_of.isoformat(), "rows": summary.get("rows_total", 0),
                      "problems": summary.get("problem_count", 0), "totals": summary.get("totals", {})})


# --- reading the result -----------------------------------------------------------------------------------------

FINDING_LABELS = {f.value: f.label for f in FINDINGS}
FINDING_HELP = {
    F.BPJS_ONLY_ACTIVE: gettext_lazy("BPJS menghitungnya aktif, jamsosdesa tidak: periksa pembayaran yang belum "
                                     "tercatat di sini."),
    F.OURS_ONLY_ACTIVE: gettext_lazy("jamsosdesa menghitungnya aktif, BPJS tidak (atau tidak ada di daftar): "
                                     "periksa apakah iurannya sampai ke BPJS."),
    F.PAID_THROUGH_DIFFERS: gettext_lazy("Keduanya aktif, tetapi bulan lunasnya berbeda."),
}


def desa_rows(bpjs_list: BpjsList, desa_code: str, finding: str):
    """The rows of one desa (NO_DESA: the rows with none) and finding, in file order (ours-only rows last)."""
    qs = BpjsListRow.objects.filter(bpjs_list=bpjs_list, desa_code=desa_code)
    if finding:
        qs = qs.filter(finding=finding)
    return qs.order_by("row_no", "id")


@dataclass
class ShownRow:
    row_no: int
    nik: str
    name: str
    participant_id: int | None
    finding: str
    finding_label: str
    bpjs_status: str
    bpjs_paid_through: str
    our_status: str
    our_paid_through: str
    reason: str


def present_rows(user, rows) -> list[ShownRow]:
    """Rows as a user sees them: the NIK masked as the presenter decides, the name only for people in the region
    (rows outside it keep no participant), the statuses in words."""
    from jamsosdesa.participants.models import Participant

    from .status import STATUS_WORDS

    rows = list(rows)
    names = dict(Participant.objects.filter(pk__in={r.participant_id for r in rows if r.participant_id})
                 .values_list("pk", "full_name"))
    shown = personal_data(user)
    bpjs_words = dict(BpjsStatus.choices)
    out = []
    for r in rows:
        bpjs = ""
        if r.bpjs_status:
            bpjs = str(bpjs_words.get(r.bpjs_status, r.bpjs_status))
            if r.bpjs_status_raw and r.bpjs_status == BpjsStatus.OTHER:
                bpjs = f"{bpjs} ({r.bpjs_status_raw})"
        elif r.row_no == 0:
            bpjs = _("tidak ada di daftar")
        out.append(ShownRow(
            row_no=r.row_no, nik=shown.nik(r.nik), name=names.get(r.participant_id, "") if r.participant_id else "",
            participant_id=r.participant_id, finding=r.finding, finding_label=str(FINDING_LABELS.get(r.finding, "")),
            bpjs_status=bpjs, bpjs_paid_through=_m(r.bpjs_paid_through) if r.bpjs_paid_through else "-",
            our_status=str(STATUS_WORDS.get(r.our_status, "")) if r.our_status else "-",
            our_paid_through=_m(r.our_paid_through) if r.our_paid_through else "-", reason=r.reason))
    return out


def crosscheck_xlsx(*, actor, bpjs_list: BpjsList, target, findings=DIFFERENCES) -> int:
    """The differences (by default) as an .xlsx file; text cells stay text (core.cells.XLSX_OPTIONS), so a value
    like '=HYPERLINK(…)' never runs. The caller records the export (`crosscheck_export_record`). Returns rows."""
    import xlsxwriter

    from jamsosdesa.core.cells import XLSX_OPTIONS
    from jamsosdesa.regions.selectors import region_names

    book = xlsxwriter.Workbook(target if hasattr(target, "write") else str(target),
                               {"constant_memory": True, **XLSX_OPTIONS})
    sheet = book.add_worksheet(_("Perbedaan"))
    bold = book.add_format({"bold": True})
    header = [_("Baris"), "NIK", _("Nama"), _("Kode desa"), _("Desa"), _("Temuan"), _("Status BPJS"),
              _("Lunas sampai (BPJS)"), _("Status jamsosdesa"), _("Lunas sampai (jamsosdesa)"),
              _("Alasan menurut jamsosdesa")]
    sheet.write_row(0, 0, header, bold)
    qs = (BpjsListRow.objects.filter(bpjs_list=bpjs_list, finding__in=[str(f) for f in findings])
          .order_by("desa_code", "finding", "row_no", "id"))
    desa_names = region_names(BpjsListRow.objects.filter(bpjs_list=bpjs_list).exclude(desa_code="")
                              .values_list("desa_code", flat=True).distinct())
    count = 0
    chunk: list = []

    def flush():
        nonlocal count
        for raw, row in zip(chunk, present_rows(actor, chunk), strict=True):
            count += 1
            values = [row.row_no or "", row.nik, row.name, raw.desa_code, desa_names.get(raw.desa_code, ""),
                      row.finding_label, row.bpjs_status, row.bpjs_paid_through, row.our_status, row.our_paid_through,
                      row.reason]
            for c, value in enumerate(values):
                if isinstance(value, int):
                    sheet.write_number(count, c, value)
                else:
                    sheet.write_string(count, c, str(value))
        chunk.clear()

    for row in qs.iterator(chunk_size=2000):
        chunk.append(row)
        if len(chunk) == 2000:
            flush()
    flush()
    book.close()
    return count


def crosscheck_export_record(*, actor, bpjs_list: BpjsList, rows: int) -> None:
    """One BPJS_LIST_EXPORTED event (the comparison's findings went out as a file), with what went out."""
    from django.db import transaction

    from jamsosdesa.core.audit import audit_record
    from jamsosdesa.core.models import AuditEventType

    with transaction.atomic():
        audit_record(actor=actor, event=AuditEventType.BPJS_LIST_EXPORTED, object_type="bpjs_list",
                     object_id=str(bpjs_list.pk), region_code=bpjs_list.region_code,
                     new={"kind": "bpjs_crosscheck", "findings": [str(f) for f in DIFFERENCES], "format": "xlsx",
                          "rows": rows, "nik_masked": personal_data(actor).nik_masked})
