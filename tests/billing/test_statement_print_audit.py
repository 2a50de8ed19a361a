"""Opening a statement's printable page is recorded (STATEMENT_PRINTED: who, which statement), for a participant's
statement and a scheme's (all its invoices or one); a page outside the user's area (404) records nothing."""

import pytest
from django.test import Client

from jamsosdesa.billing.models import Invoice
from jamsosdesa.core.models import AuditEvent, AuditEventType

from .conftest import DESA_A, enrol, month, people

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def printed() -> list[tuple]:
    return list(AuditEvent.objects.filter(event_type=AuditEventType.STATEMENT_PRINTED).order_by("id")
                .values_list("actor_id", "object_type", "object_id", "region_code"))


def test_opening_a_participants_statement_is_recorded(operator_a, operator_b):
    (person,) = people(1, DESA_A)
    assert logged_in(operator_b).get(f"/tagihan/peserta/{person.pk}/rekening/").status_code == 404
    assert printed() == []
    assert logged_in(operator_a).get(f"/tagihan/peserta/{person.pk}/rekening/").status_code == 200
    assert printed() == [(operator_a.pk, "statement_participant", str(person.pk), DESA_A)]


def test_opening_a_schemes_statement_and_one_invoices_is_recorded(make_scheme, official, branch_gianyar):
    scheme = make_scheme(start_month=month(-1), end_month=month(0))
    enrol(scheme, people(1, DESA_A), start=month(-1), end=month(0))
    invoice = Invoice.objects.create(scheme=scheme, month=month(-1), number=f"INV/P/S{scheme.pk}-1", kab_code="33.11",
                                     payer_type="apbd", lines=0, total=0)
    assert logged_in(branch_gianyar).get(f"/tagihan/skema/{scheme.pk}/rekening/").status_code == 404
    client = logged_in(official)
    assert client.get(f"/tagihan/skema/{scheme.pk}/rekening/").status_code == 200
    assert client.get(f"/tagihan/skema/{scheme.pk}/rekening/", {"tagihan": invoice.pk}).status_code == 200
    assert printed() == [(official.pk, "statement_scheme", str(scheme.pk), scheme.owner_code),
                         (official.pk, "statement_invoice", str(invoice.pk), scheme.owner_code)]
