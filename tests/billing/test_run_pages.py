"""The billing run's pages and API: the national admin's button and the progress, the invoices by desa with
subtotals and an A4 printout, each seen only as far as the reader's area reaches."""

import pytest
from django.test import Client

from jamsosdesa.billing.models import BillingRun, Invoice
from jamsosdesa.billing.services.run import billing_run
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.roles import Role
from tests.billing.conftest import DESA_A, DESA_B, enrol, month, month_text, people
from tests.conftest import api_client, make_user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def invoiced(admin_user, make_scheme):
    """A district scheme paying two people in desa A and one in desa B, billed for this month."""
    scheme = make_scheme()
    a1, a2, b1 = people(2, DESA_A) + people(1, DESA_B)
    for p, name in ((a1, "Sri Lestari"), (a2, "Agus Salim"), (b1, "Budi Raharjo")):
        p.full_name = name
        p.save()
    enrol(scheme, [a1, a2, b1])
    billing_run(actor=admin_user, month=month(0))
    return Invoice.objects.get()


def test_only_the_national_admin_has_the_button_and_starting_shows_the_run(
        admin_user, branch, operator_a, make_scheme, django_capture_on_commit_callbacks):
    enrol(make_scheme(), people(2, DESA_A))
    page = _client(admin_user).get("/tagihan/penagihan/")
    assert "Jalankan penagihan bulan ini" in page.content.decode()
    seen = _client(branch).get("/tagihan/penagihan/")
    assert seen.status_code == 200 and "Jalankan penagihan bulan ini" not in seen.content.decode()
    assert _client(operator_a).get("/tagihan/penagihan/").status_code == 404

    refused = _client(branch).post("/tagihan/penagihan/jalankan/", follow=True)
    assert "Hanya admin nasional" in refused.content.decode() and not BillingRun.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):  # the worker runs the queued run
        started = _client(admin_user).post("/tagihan/penagihan/jalankan/")
    run = BillingRun.objects.get()
    assert started["Location"] == f"/tagihan/penagihan/{run.pk}/"
    assert (run.trigger, run.month, run.status, run.dues_created) == ("button", month(0), "done", 2)
    text = _client(admin_user).get(started["Location"]).content.decode()
    assert "2 iuran baru" in text and "1 tagihan kolektif baru" in text


def test_a_waiting_run_shows_its_progress_and_polls(admin_user):
    from jamsosdesa.billing.services.run import billing_run_queue

    run = billing_run_queue(actor=admin_user, month=month(0))  # no commit here: the worker never takes it
    text = _client(admin_user).get(f"/tagihan/penagihan/{run.pk}/").content.decode()
    assert "Menunggu giliran" in text and 'hx-trigger="every 1s"' in text and "<progress" in text


def test_the_invoice_lists_lines_by_desa_with_subtotals_and_the_total(invoiced, official):
    text = _client(official).get(f"/tagihan/kolektif/{invoiced.pk}/").content.decode()
    # DESA_B (Sanggung, …2001) before DESA_A (Krajan, …2004); in a desa by name
    assert text.index("Sanggung") < text.index("Krajan")
    assert text.index("Agus Salim") < text.index("Sri Lestari")
    assert "Subtotal (1 orang)" in text and "Subtotal (2 orang)" in text
    assert "Rp33.600" in text and "Rp50.400" in text  # desa A's subtotal and the whole invoice
    assert invoiced.number in text


def test_a_village_operator_sees_only_its_desa_s_lines_of_a_district_invoice(invoiced, operator_a):
    text = _client(operator_a).get(f"/tagihan/kolektif/{invoiced.pk}/").content.decode()
    assert "Agus Salim" in text and "Budi Raharjo" not in text
    assert "1 baris untuk peserta di luar wilayah Anda tidak ditampilkan" in text
    assert "Total yang ditampilkan: Rp33.600" in text


def test_an_invoice_outside_the_users_area_is_not_found(invoiced, make_scheme):
    gianyar = make_user("pemkab_gianyar", Role.DISTRICT_OFFICIAL, ["51.04"])
    assert _client(gianyar).get(f"/tagihan/kolektif/{invoiced.pk}/").status_code == 404
    assert _client(gianyar).get(f"/tagihan/kolektif/{invoiced.pk}/cetak/").status_code == 404
    assert invoiced.number not in _client(gianyar).get("/tagihan/kolektif/").content.decode()


def test_the_printout_lists_every_line_and_is_recorded_as_printed(invoiced, official):
    response = _client(official).get(f"/tagihan/kolektif/{invoiced.pk}/cetak/")
    text = b"".join(response.streaming_content).decode()
    assert "Tagihan Kolektif Iuran Jaminan Sosial Ketenagakerjaan" in text
    assert all(name in text for name in ("Agus Salim", "Sri Lestari", "Budi Raharjo"))
    assert "Total tagihan" in text and "Rp50.400" in text
    event = AuditEvent.objects.get(event_type="ledger_statement.printed", object_type="invoice")
    assert event.object_id == str(invoiced.pk) and event.new["rows"] == 3


def test_the_invoice_list_filters_by_month_and_says_what_is_wrong_with_a_bad_one(invoiced, official):
    client = _client(official)
    assert invoiced.number in client.get(f"/tagihan/kolektif/?bulan={month_text(0)}").content.decode()
    assert invoiced.number not in client.get(f"/tagihan/kolektif/?bulan={month_text(1)}").content.decode()
    bad = client.get("/tagihan/kolektif/?bulan=13-2026")
    assert bad.status_code == 200 and "tulis YYYY-MM" in bad.content.decode()


def test_the_api_starts_a_run_for_the_national_admin_only(admin_user, official):
    made = api_client(admin_user)("post", "/billing/runs", {"month": month_text(0)})
    assert made.status_code == 201 and made.json()["status"] == "queued" and made.json()["month"] == month_text(0)
    again = api_client(admin_user)("post", "/billing/runs", {"month": month_text(0)})
    assert again.status_code == 409 and again.json()["error"]["code"] == "job_active"
    refused = api_client(official)("post", "/billing/runs", {"month": month_text(1)})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    read = api_client(admin_user)("get", f"/billing/runs/{made.json()['id']}")
    assert read.status_code == 200 and read.json()["progress"]["done"] == 0


@pytest.mark.parametrize("month_value, code", [("2026-13", "validation_error"), ("besok", "validation_error")])
def test_the_api_refuses_a_bad_month_in_words(admin_user, month_value, code):
    answer = api_client(admin_user)("post", "/billing/runs", {"month": month_value})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == code


def test_the_api_refuses_a_month_without_rates(admin_user):
    answer = api_client(admin_user)("post", "/billing/runs", {"month": month_text(-12 * 40)})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "no_rate"
    assert "Belum ada tarif iuran untuk bulan" in answer.json()["error"]["message"]


def test_the_api_gives_an_invoice_with_its_lines_in_order(invoiced, official, operator_a):
    body = api_client(official)("get", f"/invoices/{invoiced.pk}").json()
    assert (body["number"], body["lines"], body["total"]) == (invoiced.number, 3, 50_400)
    assert [i["name"] for i in body["items"]] == ["Budi Raharjo", "Agus Salim", "Sri Lestari"]
    mine = api_client(operator_a)("get", f"/invoices/{invoiced.pk}").json()
    assert [i["name"] for i in mine["items"]] == ["Agus Salim", "Sri Lestari"]
    listed = api_client(official)("get", f"/invoices?month={month_text(0)}").json()
    assert [i["number"] for i in listed] == [invoiced.number]
    gianyar = make_user("pemkab_gianyar", Role.DISTRICT_OFFICIAL, ["51.04"])
    assert api_client(gianyar)("get", f"/invoices/{invoiced.pk}").status_code == 404
