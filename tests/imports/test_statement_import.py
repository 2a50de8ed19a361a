"""Importing a statement: each line is recorded for the person or invoice it names, or queued with its reason (never
guessed); the preview writes nothing; the same file twice records nothing twice; one audit event per import."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsosdesa.billing.models import Payment, PaymentSource, QueueReason, ReconciliationItem
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.jobs import JobStatus
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from jamsosdesa.imports.models import StatementImport
from jamsosdesa.imports.statement_import import (
    StatementOptions,
    statement_import,
    statement_import_apply,
    statement_import_create,
)
from tests.billing.conftest import DESA_A, DESA_C, people
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

UNKNOWN = "3311110101800099"  # a Sukoharjo NIK nobody has


def dmy(back: int = 1) -> str:
    return f"{clock.today() - timedelta(days=back):%d/%m/%Y}"


@pytest.fixture
def branch(db):
    return make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])


@pytest.fixture
def world(db):
    krajan = people(2, DESA_A)
    gianyar = people(1, DESA_C)
    return krajan, gianyar


def statement_csv(krajan, gianyar) -> bytes:
    a, b = krajan
    (far,) = gianyar
    return (f"nik;jumlah;tanggal;referensi;keterangan\n"
            f"{a.nik};Rp33.600;{dmy()};TRX-1;iuran\n"
            f"{UNKNOWN};16.800;{dmy()};TRX-2;iuran\n"
            f";16800;{dmy()};TRX-3;{a.nik} dan {b.nik}\n"
            f"{far.nik};16800;{dmy()};TRX-4;iuran\n"
            f"{b.nik};16800,50;{dmy()};TRX-5;pecahan\n"
            f"{a.nik};Rp33.600;{dmy()};TRX-1;iuran\n").encode()


def run(actor, data: bytes, **options):
    return statement_import(actor=actor, source=io.BytesIO(data), options=StatementOptions(**options))


def test_the_preview_counts_each_outcome_and_writes_nothing(branch, world):
    outcome = run(branch, statement_csv(*world), dry_run=True)
    assert outcome.file_error == ""
    assert {k: v for k, v in outcome.counts.items() if v} == {"person": 1, "queued": 3, "invalid": 1, "duplicate": 1}
    # the person outside the importer's area reads as unknown, as a single payment would say
    assert dict(outcome.reasons) == {QueueReason.UNKNOWN_NIK: 2, QueueReason.AMBIGUOUS: 1}
    assert Payment.objects.count() == 0 and ReconciliationItem.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type=AuditEventType.STATEMENT_IMPORTED).exists()


def test_applying_records_matched_lines_and_queues_the_rest_with_their_true_reason(branch, world):
    krajan, gianyar = world
    outcome = run(branch, statement_csv(krajan, gianyar), dry_run=False, statement_id=77)
    assert outcome.counts["person"] == 1 and outcome.counts["queued"] == 3
    paid = Payment.objects.get(external_reference="TRX-1")
    assert (paid.participant_id, paid.amount, paid.source, paid.statement_id, paid.statement_row) == (
        krajan[0].pk, 33600, PaymentSource.CSV, 77, 2)
    items = {i.payment.external_reference: i for i in ReconciliationItem.objects.select_related("payment")}
    assert items["TRX-2"].reason == QueueReason.UNKNOWN_NIK and items["TRX-2"].kab_code == "33.11"
    assert items["TRX-3"].reason == QueueReason.AMBIGUOUS
    assert sorted(items["TRX-3"].candidates) == sorted(p.pk for p in krajan)
    # queued for the branch officer of the person's own kabupaten, with the true reason
    assert items["TRX-4"].reason == QueueReason.OUTSIDE_REGION and items["TRX-4"].kab_code == "51.04"
    assert all(i.payment.holder_type == "" for i in items.values())
    assert not Payment.objects.filter(external_reference="TRX-5").exists()


def test_the_same_file_imported_twice_records_nothing_twice(branch, world):
    data = statement_csv(*world)
    run(branch, data, dry_run=False)
    before = Payment.objects.count()
    again = run(branch, data, dry_run=False)
    assert Payment.objects.count() == before == 4
    assert again.counts["already"] == 4 and again.counts["person"] == again.counts["queued"] == 0
    preview = run(branch, data, dry_run=True)
    assert preview.counts["already"] == 4


def test_a_reference_recorded_with_another_amount_is_refused_naming_the_row(branch, world):
    (a, _b), _gianyar = world
    run(branch, f"nik;jumlah;tanggal;referensi\n{a.nik};33600;{dmy()};R-9\n".encode(), dry_run=False)
    outcome = run(branch, f"nik;jumlah;tanggal;referensi\n{a.nik};50000;{dmy()};R-9\n".encode(), dry_run=False)
    assert outcome.counts["invalid"] == 1 and "Baris 2" in outcome.problems[0].message
    assert Payment.objects.count() == 1


def test_an_mt940_statement_is_recorded_with_its_source(branch, world):
    (a, _b), _gianyar = world
    d = f"{clock.today() - timedelta(days=1):%y%m%d}"
    text = (f":20:S1\n:25:123\n:28C:1/1\n:60F:C{d}IDR0,\n:61:{d}C33600,NTRFNONREF//BNK-1\n:86:IURAN {a.nik}\n"
            f":61:{d}C1.000,00NTRFNONREF//BNK-2\n:86:IURAN {a.nik}\n:62F:C{d}IDR33600,\n-\n")
    outcome = run(branch, text.encode(), dry_run=False)
    assert outcome.counts["person"] == 1 and outcome.counts["invalid"] == 1
    assert Payment.objects.get().source == PaymentSource.MT940


def test_a_village_operator_may_not_import_statements(operator_a, world):
    with pytest.raises(ServiceError) as refused:
        run(operator_a, statement_csv(*world), dry_run=True)
    assert refused.value.code == ErrorCode.FORBIDDEN


def test_the_job_previews_then_records_and_audits_once_with_counts(branch, world,
                                                                    django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("rekening.csv", statement_csv(*world))
    with django_capture_on_commit_callbacks(execute=True):
        job = statement_import_create(actor=branch, upload=upload)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.dry_run and job.summary["counts"]["person"] == 1
    assert job.report_path and Payment.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        statement_import_apply(actor=branch, job=job)
    job = StatementImport.objects.get(pk=job.pk)
    assert job.status == JobStatus.DONE and not job.dry_run
    assert set(Payment.objects.values_list("statement_id", flat=True)) == {job.pk}
    (event,) = AuditEvent.objects.filter(event_type=AuditEventType.STATEMENT_IMPORTED)
    assert event.object_id == str(job.pk) and event.new["counts"]["person"] == 1 and event.new["counts"]["queued"] == 3
    with pytest.raises(ServiceError):
        statement_import_apply(actor=branch, job=job)  # recorded once only


def test_a_broken_file_ends_the_preview_with_its_message(branch, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("rekening.csv", b"nik;nama\n3311110505900003;Sugeng\n")
    with django_capture_on_commit_callbacks(execute=True):
        job = statement_import_create(actor=branch, upload=upload)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.summary["column_problem"]
    assert "Kolom wajib tidak ada: jumlah, tanggal bayar" in job.summary["file_error"]


# --- collective invoices ----------------------------------------------------------------------------------------

@pytest.fixture
def invoiced(admin_user):
    """A district scheme paying for three people of desa A, billed this month: one invoice of 3 x Rp16,800."""
    from jamsosdesa.billing.models import Invoice
    from jamsosdesa.billing.services.run import billing_run
    from jamsosdesa.funding.services import scheme_create
    from tests.billing.conftest import enrol, scheme_data

    official = make_user("pemkab_skh", Role.DISTRICT_OFFICIAL, ["33.11"])
    scheme = scheme_create(actor=official, data=scheme_data())
    covered = people(3, DESA_A)
    enrol(scheme, covered)
    billing_run(actor=admin_user, month=clock.this_month())
    return Invoice.objects.get(), covered


def test_a_line_naming_an_invoice_pays_its_lines(branch, invoiced):
    from jamsosdesa.billing.check import ledger_check

    invoice, _covered = invoiced
    outcome = run(branch, f"keterangan;jumlah;tanggal;referensi\nBAYAR {invoice.number};50400;{dmy()};SP2D-1\n"
                  .encode(), dry_run=False)
    assert outcome.counts["invoice"] == 1
    payment = Payment.objects.get()
    assert payment.invoice_id == invoice.pk and payment.holder_type == "S"
    assert ledger_check() == []


def test_a_nik_with_its_own_invoice_pays_the_invoice_but_with_another_invoice_is_ambiguous(branch, invoiced):
    invoice, covered = invoiced
    (stranger,) = people(1, DESA_A)
    data = (f"keterangan;jumlah;tanggal;referensi\n{covered[0].nik} {invoice.number};16800;{dmy()};A-1\n"
            f"{stranger.nik} {invoice.number};16800;{dmy()};A-2\n"
            f"{covered[0].nik} INV/1999-01/S999-1;16800;{dmy()};A-3\n").encode()
    outcome = run(branch, data, dry_run=False)
    assert outcome.counts["invoice"] == 1 and outcome.counts["queued"] == 2
    assert Payment.objects.get(external_reference="A-1").invoice_id == invoice.pk
    reasons = set(ReconciliationItem.objects.values_list("reason", flat=True))
    assert reasons == {QueueReason.AMBIGUOUS}


def test_an_unknown_invoice_number_is_queued(branch, world):
    outcome = run(branch, f"keterangan;jumlah;tanggal;referensi\nINV/1999-01/S999-1;16800;{dmy()};U-1\n".encode(),
                  dry_run=False)
    assert outcome.counts["queued"] == 1
    assert ReconciliationItem.objects.get().reason == QueueReason.UNKNOWN_INVOICE


def test_an_ended_participant_is_queued_not_paid(branch, world):
    from jamsosdesa.participants.models import Participant

    (a, _b), _gianyar = world
    Participant.objects.filter(pk=a.pk).update(is_active=False)
    outcome = run(branch, f"nik;jumlah;tanggal;referensi\n{a.nik};16800;{dmy()};E-1\n".encode(), dry_run=False)
    assert outcome.counts["queued"] == 1
    assert ReconciliationItem.objects.get().reason == QueueReason.PARTICIPANT_ENDED


def test_a_line_refunded_from_the_queue_is_not_queued_again_when_its_file_comes_again(branch, world):
    from jamsosdesa.billing.services.queue import queue_decide

    data = f"nik;jumlah;tanggal;referensi\n{UNKNOWN};16800;{dmy()};R-REF\n".encode()
    run(branch, data, dry_run=False)
    queue_decide(actor=branch, item=ReconciliationItem.objects.get(), decision="refund", note="dikembalikan")
    again = run(branch, data, dry_run=False)
    assert again.counts["already"] == 1 and again.counts["queued"] == 0
    assert Payment.objects.count() == 1 and ReconciliationItem.objects.count() == 1


def test_the_report_lists_each_problem_line_with_its_row_why_and_the_line_as_read(branch, world, tmp_path):
    from python_calamine import CalamineWorkbook

    from jamsosdesa.imports.report import write_report

    outcome = run(branch, statement_csv(*world), dry_run=True)
    path = write_report(outcome, tmp_path / "laporan.xlsx")
    header, *rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert header[:3] == ["Baris", "Status", "Keterangan"] and header[3:] == ["nik", "jumlah", "tanggal", "referensi",
                                                                             "keterangan"]
    by_row = {int(r[0]): r for r in rows}
    assert sorted(by_row) == [3, 4, 5, 6, 7]  # unknown, ambiguous, outside (as unknown), the fraction, the duplicate
    assert by_row[6][1] == "Tidak valid, tidak dicatat" and "pecahan" in by_row[6][2] and by_row[6][6] == "TRX-5"
    assert by_row[7][1] == "Ganda dalam berkas" and by_row[5][1] == "Masuk antrean rekonsiliasi"
    assert "NIK tidak dikenal (atau di luar wilayah Anda)" in by_row[5][2]
