"""Statement imports (issue 12, item 3): match each line read by `imports.statements` to a person (NIK) or a
collective invoice (its number), or to the reconciliation queue with a reason, never guessing; preview the
outcome, then record each line through billing's one door (`payment_record` / `payment_record_queued`).

Who imports: a branch officer (its kabupaten) or a national admin. A line naming a person or invoice outside the
importer's area is queued for the branch officer of that person's kabupaten; the importer's own page and report
say "unknown or outside your area" for it, as a single payment would, so an import says nothing about who exists
elsewhere.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jamsosdesa.billing.access import (
    can_import_statements,
    can_pay_invoice,
    can_record_payment,
    scope_invoices,
)
from jamsosdesa.billing.models import Invoice, InvoiceLine, Payment, PaymentChannel, PaymentSource, QueueReason
from jamsosdesa.contributions.book import rate_book
from jamsosdesa.core.access import sees_everything, user_region_codes
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.jobs import (
    JobEnded,
    JobStatus,
    Stage,
    job_claim,
    job_create,
    job_finish,
    job_progress,
    job_reporter,
    job_requeue,
    job_retry,
    job_run,
    remove_upload,
    store_upload,
)
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.sheets import FileProblem
from jamsosdesa.participants.access import scope_participants
from jamsosdesa.participants.models import Participant
from jamsosdesa.regions.models import Region

from .models import ColumnMapping, StatementFormat, StatementImport
from .report import write_report
from .statements import ColumnsMissing, Statement, StatementLine, read_statement

logger = logging.getLogger(__name__)

# What became of each line, in the order the page lists them.
OUTCOMES = ("person", "invoice", "queued", "already", "duplicate", "invalid", "debit")
REPORTED = ("queued", "duplicate", "invalid", "debit")
OUTCOME_LABELS = {
    "person": gettext_lazy("Untuk peserta"), "invoice": gettext_lazy("Untuk tagihan kolektif"),
    "queued": gettext_lazy("Masuk antrean rekonsiliasi"), "already": gettext_lazy("Sudah tercatat sebelumnya"),
    "duplicate": gettext_lazy("Ganda dalam berkas"), "invalid": gettext_lazy("Tidak valid, tidak dicatat"),
    "debit": gettext_lazy("Debit (uang keluar), dilewati"),
}
# The queue's reasons as the importer reads them: a person or invoice outside their area reads as unknown.
REASON_LABELS = {
    QueueReason.UNKNOWN_NIK: gettext_lazy("NIK tidak dikenal (atau di luar wilayah Anda)"),
    QueueReason.UNKNOWN_INVOICE: gettext_lazy("nomor tagihan tidak dikenal (atau di luar wilayah Anda)"),
    QueueReason.AMBIGUOUS: gettext_lazy("cocok dengan lebih dari satu tujuan"),
    QueueReason.PARTICIPANT_ENDED: gettext_lazy("peserta sudah nonaktif"),
    QueueReason.TOO_FAR_AHEAD: gettext_lazy("melebihi batas bulan di muka"),
    QueueReason.NO_DUE_PAYER: gettext_lazy("tidak ada iuran yang bisa dibayar"),
    "no_target": gettext_lazy("tidak menyebut NIK atau nomor tagihan"),
}
SAMPLE_SIZE = 5
CHUNK = 2000


def _refuse_importer() -> ServiceError:
    return ServiceError(code=ErrorCode.FORBIDDEN, message=_(
        "Hanya petugas kantor cabang BPJS (atau admin nasional) yang dapat mengimpor rekening koran."))


# --- matching -------------------------------------------------------------------------------------------------

@dataclass
class Match:
    target: str  # person | invoice | queue
    nik: str = ""
    participant_id: int | None = None
    invoice: str = ""
    reason: str = ""  # the queue's reason (the true one, for the branch officer)
    shown_reason: str = ""  # what the importer reads
    candidates: list[int] = field(default_factory=list)
    kab_code: str = ""


def _importer_kab(actor) -> str:
    kabs = {code[:5] for code in user_region_codes(actor) if len(code) >= 5}
    return kabs.pop() if len(kabs) == 1 else ""


class Matcher:
    """Matches lines in chunks: a few queries per chunk (participants, invoices, the lines of invoices named with
    a NIK), never one per line."""

    def __init__(self, actor):
        self.actor = actor
        self.importer_kab = _importer_kab(actor)
        self._kabs: dict[str, bool] = {}
        self._may_record: bool | None = None  # can_record_payment for a person in the actor's scope: the same for all

    def _kab_exists(self, code: str) -> bool:
        if code not in self._kabs:
            self._kabs[code] = Region.objects.filter(code=code).exists()
        return self._kabs[code]

    def _guess_kab(self, niks: list[str]) -> str:
        """Where an unknown line goes: the kabupaten its NIK was issued in, else the importer's."""
        for nik in niks:
            code = f"{nik[:2]}.{nik[2:4]}"
            if self._kab_exists(code):
                return code
        return self.importer_kab

    def match(self, lines: list[StatementLine]) -> list[Match]:
        niks = {n for line in lines for n in line.niks}
        numbers = {n for line in lines for n in line.invoices}
        from jamsosdesa.billing.services.bulk import among

        people = {row["nik"]: row for row in among(Participant.objects.all(), "nik", sorted(niks)).values(
            "pk", "nik", "kab_code", "is_active")} if niks else {}
        visible = (set(among(scope_participants(self.actor), "id", [p["pk"] for p in people.values()])
                       .values_list("pk", flat=True)) if people else set())
        invoices = {i.number.upper(): i for i in Invoice.objects.filter(number__in=numbers)} if numbers else {}
        seen_invoices = set(scope_invoices(self.actor).filter(number__in=numbers).values_list("pk", flat=True)) \
            if numbers else set()
        both = [(people[line.niks[0]]["pk"], invoices[line.invoices[0]].pk) for line in lines
                if len(line.niks) == 1 and len(line.invoices) == 1 and line.niks[0] in people
                and line.invoices[0] in invoices]
        on_invoice = set()
        if both:
            on_invoice = set(InvoiceLine.objects.filter(
                invoice_id__in={i for _p, i in both}, due__participant_id__in={p for p, _i in both})
                .values_list("due__participant_id", "invoice_id"))
        return [self._one(line, people, visible, invoices, seen_invoices, on_invoice) for line in lines]

    def _one(self, line, people, visible, invoices, seen_invoices, on_invoice) -> Match:
        found_people = [people[n] for n in line.niks if n in people]
        found_invoices = [invoices[n] for n in line.invoices if n in invoices]
        candidates = [p["pk"] for p in found_people] + [i.pk for i in found_invoices]
        kab = (found_people[0]["kab_code"] if found_people else
               (found_invoices[0].kab_code if found_invoices and found_invoices[0].kab_code else "")) \
            or self._guess_kab(line.niks)

        def queue(reason, shown=None):
            return Match("queue", nik=line.nik, invoice=line.invoice, reason=reason, shown_reason=shown or reason,
                         candidates=candidates, kab_code=kab)

        if len(line.niks) > 1 or len(line.invoices) > 1:
            return queue(QueueReason.AMBIGUOUS)
        if line.niks and line.invoices:
            person, invoice = (found_people or [None])[0], (found_invoices or [None])[0]
            if person is None or invoice is None or (person["pk"], invoice.pk) not in on_invoice:
                return queue(QueueReason.AMBIGUOUS)
            # the NIK is a line of the invoice named: the money is the invoice's
        if line.invoices:
            invoice = (found_invoices or [None])[0]
            if invoice is None:
                return queue(QueueReason.UNKNOWN_INVOICE)
            if invoice.pk not in seen_invoices or not can_pay_invoice(self.actor, invoice):
                return queue(QueueReason.OUTSIDE_REGION, QueueReason.UNKNOWN_INVOICE)
            return Match("invoice", invoice=invoice.number, candidates=candidates, kab_code=kab)
        if not line.niks:
            return queue(QueueReason.UNKNOWN_NIK, "no_target")
        person = (found_people or [None])[0]
        if person is None:
            return queue(QueueReason.UNKNOWN_NIK)
        if person["pk"] not in visible:
            return queue(QueueReason.OUTSIDE_REGION, QueueReason.UNKNOWN_NIK)
        if not person["is_active"]:
            return queue(QueueReason.PARTICIPANT_ENDED)
        if self._may_record is None:  # the person is in scope: what is left to judge is the actor's, not theirs
            self._may_record = can_record_payment(self.actor, Participant(pk=person["pk"]))
        if not self._may_record:
            return queue(QueueReason.OUTSIDE_REGION, QueueReason.UNKNOWN_NIK)
        return Match("person", nik=person["nik"], participant_id=person["pk"], candidates=candidates, kab_code=kab)


# --- the outcome ----------------------------------------------------------------------------------------------

@dataclass
class _Problem:
    """A line for the report (imports.report.write_report's shape)."""

    row: int
    group: str  # already in words
    message: str
    cells: list


@dataclass
class StatementOutcome:
    format: str = ""
    header: list[str] = field(default_factory=list)
    rows_total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    amounts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    reasons: Counter = field(default_factory=Counter)  # the importer's words: shown_reason -> lines
    samples: dict[str, list[dict]] = field(default_factory=lambda: {o: [] for o in OUTCOMES})
    problems: list[_Problem] = field(default_factory=list)
    problems_left_out: int = 0
    notes: list[str] = field(default_factory=list)
    file_error: str = ""
    column_problem: bool = False
    applied: bool = False
    queue_items: list[int] = field(default_factory=list)  # ids, for the branch officer's links

    def add(self, outcome: str, row: int, *, amount: int = 0, message: str = "", cells=None, reference: str = "",
            person: int | None = None) -> None:
        self.counts[outcome] += 1
        self.amounts[outcome] += amount
        if len(self.samples[outcome]) < SAMPLE_SIZE:
            sample = {"row": row, "amount": amount, "reference": reference[:64], "message": message}
            if person:
                sample["person"] = person
            self.samples[outcome].append(sample)
        if outcome in REPORTED and cells is not None:
            if len(self.problems) >= settings.IMPORT_REPORT_MAX_ROWS:
                self.problems_left_out += 1
            else:
                self.problems.append(_Problem(row, str(OUTCOME_LABELS[outcome]), message, list(cells)))

    def summary(self) -> dict:
        return {"format": self.format, "rows_total": self.rows_total, "counts": self.counts,
                "amounts": self.amounts, "reasons": dict(self.reasons), "samples": self.samples,
                "notes": self.notes, "file_error": self.file_error, "column_problem": self.column_problem,
                "header": self.header, "applied": self.applied, "report_left_out": self.problems_left_out,
                "queue_items": self.queue_items[:SAMPLE_SIZE * 4]}


def _reason_words(reason: str) -> str:
    return str(REASON_LABELS.get(reason, reason))


def _existing(lines: list[StatementLine], channel: str) -> dict[tuple[str, str], Payment]:
    """Payments already recorded under the lines' channels and references, reversed ones too: a line refunded or
    rejected from the queue is not recorded again when its statement is imported again (a reversed payment is
    recorded again on purpose through the payment page, which reinstates it)."""
    found = {}
    by_channel: dict[str, list[str]] = {}
    for line in lines:
        by_channel.setdefault(line.channel or channel, []).append(line.reference)
    for ch, refs in by_channel.items():
        for start in range(0, len(refs), CHUNK):
            qs = Payment.objects.filter(channel=ch, external_reference__in=refs[start:start + CHUNK])
            for payment in qs.order_by("reinstatement_no"):
                found[(ch, payment.external_reference)] = payment  # the latest reinstatement wins
    return found


@dataclass
class StatementOptions:
    format: str = StatementFormat.AUTO
    mapping: dict[str, str] | None = None
    channel: str = PaymentChannel.BANK
    dry_run: bool = True
    statement_id: int | None = None  # the job, written on each payment
    note: str = ""
    book: object = None  # the rate book for months billed ahead, built once for the whole file
    bulk: bool = True  # record plain person lines set-based (False: every line alone, as the comparison test does)


def statement_import(*, actor, source, options: StatementOptions, progress=None) -> StatementOutcome:
    """Preview (dry_run) or record a statement on behalf of `actor`. The caller holds the transaction; each line
    is recorded in its own savepoint (billing's services), so a refused line leaves the others recorded."""
    outcome = StatementOutcome()
    if not can_import_statements(actor):
        raise _refuse_importer()
    if options.channel not in PaymentChannel.values:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Saluran tidak dikenal."),
                           fields={"channel": [_("Saluran tidak dikenal.")]})
    if progress:
        progress(0, 0, Stage(gettext_noop("membaca berkas")))
    try:
        statement = read_statement(source, fmt=options.format, mapping=options.mapping)
    except ColumnsMissing as exc:
        outcome.file_error, outcome.column_problem, outcome.header = str(exc), True, exc.header
        return outcome
    except FileProblem as exc:
        outcome.file_error = str(exc)
        return outcome
    _take(outcome, statement)
    source_kind = PaymentSource.MT940 if statement.kind == "mt940" else PaymentSource.CSV
    if not options.dry_run and options.book is None:
        options.book = rate_book()
    total = len(statement.lines)
    alone = _alone(statement.lines, options.channel) if options.bulk and not options.dry_run else None
    for start in range(0, total, CHUNK):
        chunk = statement.lines[start:start + CHUNK]
        matches = Matcher(actor).match(chunk)
        existing = _existing(chunk, options.channel)
        done = _bulk(actor, options, source_kind, chunk, matches, existing, alone) if alone else {}
        for line, match in zip(chunk, matches, strict=True):
            if line.row in done:
                _recorded(outcome, line, match, done[line.row])
            else:
                _line(actor, outcome, options, source_kind, line, match, existing)
        if progress:
            progress(min(start + CHUNK, total), total)
    outcome.applied = not options.dry_run
    return outcome


def _alone(lines: list[StatementLine], channel: str) -> tuple[set[str], set[tuple[str, str]]]:
    """The NIKs and the (channel, reference) pairs that appear on one line only in the whole file: a person named
    once with a reference used once can be recorded set-based; anything else goes line by line, in file order."""
    niks = Counter(n for line in lines for n in line.niks)
    refs = Counter((line.channel or channel, line.reference) for line in lines)
    return {n for n, c in niks.items() if c == 1}, {r for r, c in refs.items() if c == 1}


def _bulk(actor, options, source_kind, chunk, matches, existing, alone) -> dict:
    """Record the chunk's plain person lines together (billing.services.bulk); {row: PaymentOutcome} for those
    recorded, the rest (and all of them if the bulk write meets a payment written meanwhile) go line by line."""
    from jamsosdesa.billing.services.bulk import PersonLine, person_payments_bulk
    from jamsosdesa.billing.services.payments import PaymentRequest

    niks, refs = alone
    lines, rows = [], []
    for line, match in zip(chunk, matches, strict=True):
        channel = line.channel or options.channel
        if (match.target != "person" or match.nik not in niks or (channel, line.reference) not in refs
                or (channel, line.reference) in existing or channel == PaymentChannel.AGENT):
            continue  # an agent-channel line goes alone: payment_record refuses it (an agent's cash is its collection)
        lines.append(PersonLine(PaymentRequest(
            amount=line.amount, paid_on=line.paid_on, reference=line.reference, channel=channel, nik=match.nik,
            source=source_kind, statement_id=options.statement_id, statement_row=line.row,
            note=options.note[:200]), match.participant_id))
        rows.append(line.row)
    if not lines:
        return {}
    try:
        with transaction.atomic():
            done = person_payments_bulk(actor=actor, lines=lines)
    except IntegrityError:
        logger.info("statement import: a payment was written meanwhile; this chunk goes line by line")
        return {}
    return {rows[index]: answer for index, answer in done.items()}


def _take(outcome: StatementOutcome, statement: Statement) -> None:
    outcome.format, outcome.header, outcome.notes = statement.kind, statement.header, statement.notes
    outcome.rows_total = statement.rows_total
    for problem in sorted(statement.problems, key=lambda p: p.row):
        outcome.add(problem.group, problem.row, message=problem.message, cells=problem.cells)


def _line(actor, outcome, options, source_kind, line: StatementLine, match: Match, existing) -> None:
    from jamsosdesa.billing.services.payments import PaymentRequest, payment_record

    channel = line.channel or options.channel
    earlier = existing.get((channel, line.reference))
    if earlier is not None:
        if earlier.amount == line.amount:
            outcome.add("already", line.row, amount=line.amount, reference=line.reference, message=_(
                "referensi %(ref)s sudah tercatat (pembayaran #%(id)s)") % {"ref": line.reference, "id": earlier.pk})
        else:
            message = _("Baris %(row)s: referensi %(ref)s sudah tercatat dengan jumlah lain; baris ini tidak "
                        "dicatat.") % {"row": line.row, "ref": line.reference}
            outcome.add("invalid", line.row, amount=line.amount, message=message, cells=line.cells,
                        reference=line.reference)
        return
    if options.dry_run:
        _predicted(outcome, line, match)
        return
    request = PaymentRequest(amount=line.amount, paid_on=line.paid_on, reference=line.reference, channel=channel,
                             nik=match.nik, invoice=match.invoice, source=source_kind,
                             statement_id=options.statement_id, statement_row=line.row, note=options.note[:200])
    try:
        if match.target == "queue":
            _queue(actor, outcome, request, line, match, match.reason, match.shown_reason)
            return
        try:
            done = payment_record(actor=actor, request=request, book=options.book)
        except ServiceError as exc:
            if exc.code == ErrorCode.TOO_FAR_AHEAD:
                _queue(actor, outcome, request, line, match, QueueReason.TOO_FAR_AHEAD, QueueReason.TOO_FAR_AHEAD)
                return
            if exc.code in (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN):  # changed since it was matched
                reason = QueueReason.UNKNOWN_INVOICE if match.invoice else QueueReason.UNKNOWN_NIK
                _queue(actor, outcome, request, line, match, reason, reason)
                return
            raise
        _recorded(outcome, line, match, done)
    except ServiceError as exc:
        outcome.add("invalid", line.row, amount=line.amount, reference=line.reference, cells=line.cells,
                    message=_("Baris %(row)s: %(why)s") % {"row": line.row, "why": exc.message})


def _recorded(outcome, line: StatementLine, match: Match, done) -> None:
    kind = "already" if done.duplicate else match.target
    outcome.add(kind, line.row, amount=line.amount, reference=line.reference,
                person=match.participant_id if kind == "person" else None,
                message=", ".join(f"{m:%m/%Y}" for m in done.months))


def _queue(actor, outcome, request, line, match, reason, shown) -> None:
    from jamsosdesa.billing.services.payments import payment_record_queued

    raw = {"row": line.row, "text": line.text[:500], "reference": line.reference, "amount": line.amount,
           "paid_on": line.paid_on.isoformat(), "niks": line.niks, "invoices": line.invoices, "line": line.raw}
    done = payment_record_queued(actor=actor, request=request, reason=reason, candidates=match.candidates, raw=raw,
                                 kab_code=match.kab_code, row_no=line.row)
    if done.duplicate:
        outcome.add("already", line.row, amount=line.amount, reference=line.reference)
        return
    outcome.reasons[shown] += 1
    outcome.add("queued", line.row, amount=line.amount, reference=line.reference, cells=line.cells,
                message=_("Baris %(row)s: %(why)s; menunggu keputusan petugas cabang.") % {
                    "row": line.row, "why": _reason_words(shown)})
    item = getattr(done.payment, "queue_item", None)
    if item is not None and (sees_everything(actor) or (item.kab_code and item.kab_code == _importer_kab(actor))):
        outcome.queue_items.append(item.pk)  # the importer's own queue: the page links to it


def _predicted(outcome: StatementOutcome, line: StatementLine, match: Match) -> None:
    if match.target == "queue":
        outcome.reasons[match.shown_reason] += 1
        outcome.add("queued", line.row, amount=line.amount, reference=line.reference, cells=line.cells,
                    message=_("Baris %(row)s: %(why)s; akan masuk antrean rekonsiliasi.") % {
                        "row": line.row, "why": _reason_words(match.shown_reason)})
        return
    outcome.add(match.target, line.row, amount=line.amount, reference=line.reference,
                person=match.participant_id, message=match.invoice)


# --- jobs -----------------------------------------------------------------------------------------------------

def statement_import_create(*, actor, upload, format: str = StatementFormat.AUTO,
                            mapping: ColumnMapping | None = None, channel: str = PaymentChannel.BANK
                            ) -> StatementImport:
    """Save the uploaded statement and queue its preview."""
    from .tasks import run_statement_import

    if not can_import_statements(actor):
        raise _refuse_importer()
    if channel not in PaymentChannel.values:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Saluran tidak dikenal."),
                           fields={"channel": [_("Saluran tidak dikenal.")]})
    path = store_upload(upload, "statements", command="jamsosdesa import statement")
    try:
        return job_create(StatementImport, run_statement_import, created_by=actor, file_name=path.name,
                          file_path=str(path), file_size=upload.size, format=format, mapping=mapping,
                          channel=channel, dry_run=True)
    except BaseException:
        remove_upload(path)
        raise


def _file_still_there(job: StatementImport) -> None:
    if not job.file_path:
        raise ServiceError(code=ErrorCode.FILE_GONE, message=_(
            "Berkas rekening koran ini sudah dihapus karena lama tidak dimuat; unggah lagi."))


@transaction.atomic
def statement_import_apply(*, actor, job: StatementImport) -> StatementImport:
    """After a preview: record the lines for real."""
    from .tasks import run_statement_import

    job = StatementImport.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.DONE or not job.dry_run or job.summary.get("file_error"):
        raise ServiceError(code=ErrorCode.NOT_READY, message=_(
            "Rekening koran ini tidak dapat dicatat (belum dipratinjau atau sudah dicatat)."))
    _file_still_there(job)
    return job_requeue(job, run_statement_import, dry_run=False)


def statement_import_preview_again(*, job: StatementImport, mapping: ColumnMapping) -> StatementImport:
    from .tasks import run_statement_import

    _file_still_there(job)
    return job_requeue(job, run_statement_import, mapping=mapping, summary={})


def statement_import_retry(*, job: StatementImport) -> StatementImport:
    from .tasks import run_statement_import

    return job_retry(job, run_statement_import)


def statement_import_progress(job: StatementImport) -> dict:
    return job_progress(job, job.rows_total)


def statement_import_run(job_id: int) -> StatementImport:
    """Run a queued statement job to its end (the worker calls this, and so do tests)."""
    job = job_claim(StatementImport.objects.select_related("created_by", "mapping"), job_id)
    if job is None:
        return StatementImport.objects.get(pk=job_id)
    with translation.override(job.created_by.language or "id"):
        return _run(job)


def _run(job: StatementImport) -> StatementImport:
    options = StatementOptions(format=job.format, mapping=job.mapping.columns if job.mapping else None,
                               channel=job.channel, dry_run=job.dry_run, statement_id=job.pk,
                               note=_("rekening koran #%(id)s %(f)s") % {"id": job.pk, "f": job.file_name})

    def work(written: list[str]) -> None:
        outcome = statement_import(actor=job.created_by, source=job.file_path, options=options,
                                   progress=job_reporter(job))
        if not job.dry_run and not outcome.file_error:
            statement_audit(actor=job.created_by, job=job, outcome=outcome)
        report = ""
        if outcome.problems:
            report = str(write_report(outcome, Path(job.file_path).parent / "laporan.xlsx"))
            written.append(report)
        if not job_finish(job, summary=outcome.summary(), rows_total=outcome.rows_total, report_path=report):
            raise JobEnded

    return job_run(job, work, name="statement import")


def statement_audit(*, actor, job: StatementImport | None, outcome: StatementOutcome, file_name: str = "") -> None:
    """The one `statement.imported` event of an import, with its counts (each payment has its own event)."""
    audit_record(actor=actor, event=AuditEventType.STATEMENT_IMPORTED, obj=job,
                 object_id=None if job is not None else "cli", region_code=_importer_kab(actor),
                 new={"file": job.file_name if job is not None else file_name, "format": outcome.format,
                      "rows": outcome.rows_total, "counts": outcome.counts, "amounts": outcome.amounts,
                      "queued": dict(outcome.reasons)})
