"""Statements (issue 12 item 6): a participant's months, dues per payer, payments, credit and balance, and a scheme
payer's invoices (billed, paid, outstanding, by desa); printed on A4 with the amount in words and exported (audited);
404 outside the user's area."""

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from jamsosdesa.billing.models import Credit, HolderType, Invoice, InvoiceLine, Reversal
from jamsosdesa.core.models import AuditEvent, AuditEventType

from .conftest import DESA_A, DESA_B, enrol, month, package, people
from .worklist_fixtures import MONTHLY, due, pay

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def worker(make_scheme):
    """A worker of desa A: the district paid JKK+JKM for month −3 and −2; its own package since month −1, of which
    month −1 is paid (plus Rp5,000 credit) and this month is not; one payment was reversed."""
    person = people(1, DESA_A)[0]
    scheme = make_scheme(start_month=month(-3), end_month=month(-2))
    enrolment = enrol(scheme, [person], start=month(-3), end=month(-2))[0]
    scheme_dues = [due(enrolment, month(-3)), due(enrolment, month(-2))]
    pay(scheme_dues[:1])
    own = package(person, first=month(-1))
    mine = [due(own, month(-1)), due(own, month(0))]
    paid = pay(mine[:1], amount=MONTHLY + 5_000, reference="KUITANSI-7")
    Credit.objects.create(holder_type=HolderType.PARTICIPANT, holder_id=person.pk, kab_code=person.kab_code,
                          amount=5_000, kind="remainder", payment=paid)
    wrong = pay([due(own, month(1))], reference="SALAH-1")
    Reversal.objects.create(target_type="payment", target_id=wrong.pk, amount=wrong.amount, reason="mistake")
    return person, scheme


def test_the_participant_statement_adds_up_and_says_the_balance_in_words(worker, operator_a):
    person, scheme = worker
    page = logged_in(operator_a).get(f"/tagihan/peserta/{person.pk}/rekening/").content.decode()
    assert person.full_name in page and person.nik in page  # one person's own record: the whole NIK
    assert scheme.name in page and "iuran mandiri" in page
    # owed up to this month: the scheme's month −2 and the package's month 0 (month +1 is billed ahead)
    assert '<td class="num" id="owed">Rp33.600</td>' in page
    assert "Tiga puluh tiga ribu enam ratus rupiah" in page
    assert '<td class="num" id="credit">Rp5.000</td>' in page
    assert "KUITANSI-7" in page and "SALAH-1" in page and "dibatalkan" in page


def test_the_statement_prints_on_a4_with_a_print_button(worker, operator_a):
    person, _scheme = worker
    page = logged_in(operator_a).get(f"/tagihan/peserta/{person.pk}/rekening/").content.decode()
    assert "sheet.css" in page and "data-print" in page  # sheet.css sets @page A4 for printing


def test_english_readers_get_english_words(worker, operator_a):
    person, _scheme = worker
    client = logged_in(operator_a)
    client.post("/bahasa/", {"language": "en"})
    page = client.get(f"/tagihan/peserta/{person.pk}/rekening/").content.decode()
    assert "Thirty-three thousand, six hundred rupiah" in page


def test_the_participant_export_is_audited(worker, operator_a):
    person, _scheme = worker
    answer = logged_in(operator_a).get(f"/tagihan/peserta/{person.pk}/rekening.xlsx")
    assert answer.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(answer.streaming_content))).get_sheet_by_index(0) \
        .to_python()
    assert rows[0][1] == person.full_name and rows[1][1] == person.nik
    months = [r for r in rows[6:] if r and r[0] and str(r[0])[:4].isdigit()]
    assert len(months) == 5  # −3, −2 (scheme), −1, 0, +1 (own)
    assert ["Tunggakan s.d. bulan ini", "", 33600.0] == [rows[-3][0], rows[-3][1], rows[-3][2]]
    event = AuditEvent.objects.get(event_type=AuditEventType.STATEMENT_EXPORTED)
    assert event.actor_id == operator_a.pk and event.object_id == str(person.pk) and event.region_code == DESA_A


def test_outside_the_area_the_statement_does_not_exist(worker, operator_b, branch_gianyar):
    person, _scheme = worker
    for user in (operator_b, branch_gianyar):
        client = logged_in(user)
        for path in (f"/tagihan/peserta/{person.pk}/rekening/", f"/tagihan/peserta/{person.pk}/rekening.xlsx",
                     "/tagihan/peserta/999999/rekening/"):
            answer = client.get(path)
            assert answer.status_code == 404 and person.full_name.encode() not in answer.content
    assert not AuditEvent.objects.filter(event_type=AuditEventType.STATEMENT_EXPORTED).exists()


@pytest.fixture
def invoiced(make_scheme):
    """A district scheme with two months invoiced over desa A (2 people) and desa B (1 person); month −2 paid in
    full, month −1 paid for desa A's first line only."""
    scheme = make_scheme(start_month=month(-2), end_month=month(-1))
    a1, a2 = people(2, DESA_A)
    b1 = people(1, DESA_B)[0]
    enrolments = enrol(scheme, [a1, a2, b1], start=month(-2), end=month(-1))
    invoices = []
    for offset in (-2, -1):
        dues = [due(e, month(offset)) for e in enrolments]
        invoice = Invoice.objects.create(scheme=scheme, month=month(offset), number=f"INV/{offset}/S{scheme.pk}-1",
                                         kab_code="33.11", payer_type="apbd", lines=3, total=3 * MONTHLY)
        InvoiceLine.objects.bulk_create([InvoiceLine(invoice=invoice, due=d, position=n, kab_code=d.kab_code,
                                                     desa_code=d.desa_code, name="x", amount=d.amount)
                                         for n, d in enumerate(dues, start=1)])
        pay(dues if offset == -2 else dues[:1], reference=f"SP2D-{offset}")
        invoices.append(invoice)
    return scheme, invoices


def test_the_scheme_statement_shows_billed_paid_outstanding_by_invoice_and_desa(invoiced, official):
    scheme, (first, second) = invoiced
    page = logged_in(official).get(f"/tagihan/skema/{scheme.pk}/rekening/").content.decode()
    assert first.number in page and second.number in page
    assert '<th class="num" id="billed">Rp100.800</th>' in page
    assert '<th class="num" id="paid">Rp67.200</th>' in page
    assert '<th class="num" id="outstanding">Rp33.600</th>' in page
    assert "Tiga puluh tiga ribu enam ratus rupiah" in page
    assert "Krajan" in page and "Sanggung" in page and "SP2D--1" in page


def test_one_invoices_statement(invoiced, official):
    scheme, (first, second) = invoiced
    client = logged_in(official)
    page = client.get(f"/tagihan/skema/{scheme.pk}/rekening/?tagihan={second.pk}").content.decode()
    assert second.number in page and first.number not in page
    assert '<th class="num" id="outstanding">Rp33.600</th>' in page
    for bad in ("abc", "999999", ""):
        answer = client.get(f"/tagihan/skema/{scheme.pk}/rekening/?tagihan={bad}")
        assert answer.status_code == (200 if bad == "" else 404)


def test_a_village_operator_sees_only_its_desas_line(invoiced, operator_a):
    scheme, _invoices = invoiced
    page = logged_in(operator_a).get(f"/tagihan/skema/{scheme.pk}/rekening/").content.decode()
    assert "Krajan" in page and "Sanggung" not in page and "Hanya desa di wilayah Anda" in page


def test_the_scheme_export_is_audited_and_404_outside(invoiced, official, branch_gianyar):
    scheme, _invoices = invoiced
    answer = logged_in(official).get(f"/tagihan/skema/{scheme.pk}/rekening.xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(answer.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    assert [r[3:6] for r in rows if r and r[0] == "Jumlah"] == [[100800.0, 67200.0, 33600.0]]
    assert AuditEvent.objects.filter(event_type=AuditEventType.STATEMENT_EXPORTED, actor_id=official.pk).count() == 1
    assert logged_in(branch_gianyar).get(f"/tagihan/skema/{scheme.pk}/rekening/").status_code == 404
    assert logged_in(branch_gianyar).get(f"/tagihan/skema/{scheme.pk}/rekening.xlsx").status_code == 404


def test_the_participant_page_links_to_the_statement_and_the_menu_to_the_worklist(worker, operator_a):
    person, _scheme = worker
    page = logged_in(operator_a).get(f"/peserta/{person.pk}/").content.decode()
    assert f'href="/tagihan/peserta/{person.pk}/rekening/" id="statement-link"' in page
    assert 'href="/tagihan/daftar-kerja/"' in page
