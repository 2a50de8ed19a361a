"""The queue's pages: a branch officer lists its kabupaten's queued payments, opens one (the line as read, the
candidates it may see), and decides; another kabupaten's officer and other roles meet 404."""

from datetime import timedelta

import pytest
from django.test import Client

from jamsosdesa.billing.models import QueueReason, QueueStatus, Reversal
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record_queued
from jamsosdesa.core import clock
from jamsosdesa.core.models import AuditEvent, AuditEventType
from tests.billing.conftest import DESA_A, DESA_C, people

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def item(branch):
    (near,) = people(1, DESA_A)
    (far,) = people(1, DESA_C)
    request = PaymentRequest(amount=16800, paid_on=clock.today() - timedelta(days=1), reference="TRX-AMB",
                             channel="bank", source="mt940")
    done = payment_record_queued(actor=branch, request=request, reason=QueueReason.AMBIGUOUS,
                                 candidates=[near.pk, far.pk], kab_code="33.11", row_no=7,
                                 raw={"text": f"IURAN {near.nik} {far.nik}", "niks": [near.nik, far.nik],
                                      "invoices": [], "line": {":61:": "261202C16800,NTRFTRX-AMB"}})
    return done.payment.queue_item, near, far


def test_the_list_and_the_item_show_the_line_and_only_the_candidates_in_scope(branch, item):
    queued, near, far = item
    browser = client_for(branch)
    listing = browser.get("/tagihan/antrean/").content.decode()
    assert f"/tagihan/antrean/{queued.pk}/" in listing and "Rp16.800" in listing
    assert f"/tagihan/antrean/{queued.pk}/" not in browser.get("/tagihan/antrean/?status=assigned").content.decode()
    page = browser.get(f"/tagihan/antrean/{queued.pk}/").content.decode()
    assert "261202C16800,NTRFTRX-AMB" in page and near.full_name in page
    assert far.full_name not in page and "1 calon lain di luar wilayah Anda" in page


def test_a_decision_from_the_page_is_made_and_audited(branch, item):
    queued, near, _far = item
    browser = client_for(branch)
    response = browser.post(f"/tagihan/antrean/{queued.pk}/putuskan/", {"decision": "reject", "note": "salah kirim"})
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == QueueStatus.REJECTED and Reversal.objects.filter(target_type="payment").exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.RECONCILIATION_DECIDED).count() == 1


def test_assigning_by_nik_from_the_page(branch, item):
    queued, near, _far = item
    client_for(branch).post(f"/tagihan/antrean/{queued.pk}/putuskan/", {"decision": "assign", "nik": near.nik})
    queued.refresh_from_db()
    assert queued.status == QueueStatus.ASSIGNED and queued.assigned_holder_id == near.pk


def test_another_kabupatens_officer_and_other_roles_meet_404(branch_gianyar, operator_a, item):
    queued, _near, _far = item
    gianyar = client_for(branch_gianyar)
    assert f"/tagihan/antrean/{queued.pk}/" not in gianyar.get("/tagihan/antrean/").content.decode()
    assert gianyar.get(f"/tagihan/antrean/{queued.pk}/").status_code == 404
    assert gianyar.post(f"/tagihan/antrean/{queued.pk}/putuskan/", {"decision": "refund"}).status_code == 404
    operator = client_for(operator_a)
    assert operator.get("/tagihan/antrean/").status_code == 404
    assert operator.get(f"/tagihan/antrean/{queued.pk}/").status_code == 404
    queued.refresh_from_db()
    assert queued.status == QueueStatus.OPEN


def test_the_lists_next_page_link_keeps_the_filter(branch, item, settings, monkeypatch):
    """The pager's links carry the filter as separate parameters (it once produced `status=openpage=2`) and
    never repeat `page`."""
    from jamsosdesa.billing import views_queue

    monkeypatch.setattr(views_queue, "PAGE_SIZE", 1)
    queued, near, far = item
    request = PaymentRequest(amount=16800, paid_on=clock.today() - timedelta(days=1), reference="TRX-AMB-2",
                             channel="bank", source="mt940")
    payment_record_queued(actor=branch, request=request, reason=QueueReason.UNKNOWN_NIK, candidates=[],
                          kab_code="33.11", row_no=8, raw={"text": "IURAN", "niks": [], "invoices": [], "line": {}})
    browser = client_for(branch)
    first = browser.get("/tagihan/antrean/", {"status": QueueStatus.OPEN}).content.decode()
    assert f'href="?status={QueueStatus.OPEN.value}&amp;page=2"' in first
    second = browser.get("/tagihan/antrean/", {"status": QueueStatus.OPEN, "page": 2}).content.decode()
    assert f'href="?status={QueueStatus.OPEN.value}&amp;page=1"' in second
