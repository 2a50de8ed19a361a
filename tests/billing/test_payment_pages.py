"""The payment pages: the panel and form on the participant page, a payment's page with its reverse button, paying
an invoice (H3)."""

import pytest
from django.test import Client

from jamsosdesa.billing.models import Payment, Reversal
from jamsosdesa.core import clock
from tests.billing.conftest import enrol, month, package, people
from tests.billing.payment_fixtures import assert_ledger_ok, due, invoice, pay

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**more) -> dict:
    return {"amount": "33.600", "paid_on": clock.today().isoformat(), "reference": "KW-100", "channel": "bank",
            "token": "t-1", **more}


def test_the_participant_page_has_the_panel_and_the_form_records_oldest_months(operator_a):
    [p] = people(1)
    pkg = package(p, first=month(-2), last=month(0))
    for i in (-2, -1, 0):
        due(p, month(i), membership=pkg)
    page = browser(operator_a).get(f"/peserta/{p.pk}/").content.decode()
    assert "Catat pembayaran" in page and "Rp50.400" in page
    answer = browser(operator_a).post(f"/tagihan/peserta/{p.pk}/bayar/", form(), follow=True)
    text = answer.content.decode()
    assert f"{month(-2):%m/%Y}, {month(-1):%m/%Y}" in text and "Rp33.600" in text
    assert Payment.objects.get().amount == 33_600
    again = browser(operator_a).post(f"/tagihan/peserta/{p.pk}/bayar/", form(), follow=True)  # the form sent twice
    assert "tidak dicatat dua kali" in again.content.decode() and Payment.objects.count() == 1
    assert_ledger_ok()


def test_a_bad_amount_is_shown_on_the_form_field(operator_a):
    [p] = people(1)
    answer = browser(operator_a).post(f"/tagihan/peserta/{p.pk}/bayar/", form(amount="0"))
    assert answer.status_code == 200
    assert "Jumlah harus bilangan bulat rupiah antara 1 dan Rp25.000.000" in answer.content.decode()
    assert not Payment.objects.exists()


def test_the_reverse_button_is_for_the_branch_officer(operator_a, branch):
    [p] = people(1)
    outcome = pay(operator_a, nik=p.nik, amount=16_800)
    url = f"/tagihan/pembayaran/{outcome.payment.pk}/"
    assert "Batalkan pembayaran" not in browser(operator_a).get(url).content.decode()
    assert "Batalkan pembayaran" in browser(branch).get(url).content.decode()
    assert browser(operator_a).post(url + "batalkan/", {"reason": "mistake"}).status_code == 404
    done = browser(branch).post(url + "batalkan/", {"reason": "bounced", "note": "ditolak"}, follow=True)
    assert "dibatalkan" in done.content.decode() and Reversal.objects.filter(target_type="payment").count() == 1
    assert "Batalkan pembayaran" not in browser(branch).get(url).content.decode()
    assert_ledger_ok()


def test_an_invoice_is_paid_from_its_page(make_scheme, official):
    scheme = make_scheme()
    [p] = people(1)
    [e] = enrol(scheme, [p])
    bill = invoice(scheme, month(0), [due(p, month(0), enrolment=e)])
    page = browser(official).get(f"/tagihan/kolektif/{bill.pk}/bayar/")
    assert page.status_code == 200 and bill.number in page.content.decode()
    done = browser(official).post(f"/tagihan/kolektif/{bill.pk}/bayar/", form(amount="16800", channel="bank"),
                                  follow=True)
    assert done.status_code == 200 and Payment.objects.get().invoice_id == bill.pk
    assert_ledger_ok()


def test_the_invoice_page_links_to_its_payment_form_for_who_may_pay(make_scheme, official, agent):
    scheme = make_scheme()
    [p] = people(1)
    [e] = enrol(scheme, [p])
    bill = invoice(scheme, month(0), [due(p, month(0), enrolment=e)])
    link = f"/tagihan/kolektif/{bill.pk}/bayar/"
    assert link in browser(official).get(f"/tagihan/kolektif/{bill.pk}/").content.decode()
    seen_by_agent = browser(agent).get(f"/tagihan/kolektif/{bill.pk}/")
    assert seen_by_agent.status_code != 200 or link not in seen_by_agent.content.decode()
