"""Ground for the payment, reversal and ledger-check tests (H3): dues and invoices written directly (the billing run
has its own tests), a shortcut to record a payment, and the ledger check as an assertion."""

from datetime import date

from jamsosdesa.billing.check import ledger_check
from jamsosdesa.billing.models import Due, Invoice, InvoiceLine
from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
from jamsosdesa.billing.standing import standing_refresh
from jamsosdesa.core import clock
from tests.billing.conftest import month, package  # noqa: F401 (re-exported)

_refs = iter(range(1, 10**6))


def due(participant, when: date, *, membership=None, enrolment=None, amount: int = 16_800) -> Due:
    """One due of `amount` (JKK+JKM split as the rate table does: the JKM part is 6,800)."""
    jkm = min(6_800, amount - 1) if amount > 1 else 0
    scheme_id = enrolment.scheme_id if enrolment is not None else None
    payer = enrolment.scheme.payer_type if enrolment is not None else "self"
    row = membership or enrolment
    made = Due.objects.create(participant=participant, kab_code=row.kab_code, desa_code=row.desa_code, month=when,
                              enrolment=enrolment, membership=membership, scheme_id=scheme_id, payer_type=payer,
                              segment="BPU", sector="umum", programme_mask=3, income=1_000_000, jkk=amount - jkm,
                              jkm=jkm, amount=amount)
    standing_refresh([participant.pk])  # as the services do after writing a due
    return made


def invoice(scheme, when: date, dues: list[Due], *, seq: int = 1) -> Invoice:
    """A scheme's invoice for `when` with one line per due, in the invoice's order (desa, then name)."""
    from jamsosdesa.participants.models import Participant

    names = dict(Participant.objects.filter(pk__in=[d.participant_id for d in dues]).values_list("pk", "full_name"))
    ordered = sorted(dues, key=lambda d: (d.desa_code, names[d.participant_id].upper(), d.participant_id))
    made = Invoice.objects.create(scheme=scheme, month=when, seq=seq, number=f"INV/{when:%Y-%m}/S{scheme.pk}-{seq}",
                                  kab_code=scheme.owner_code[:5], payer_type=scheme.payer_type,
                                  payer_name=scheme.payer_name, lines=len(dues), total=sum(d.amount for d in dues))
    InvoiceLine.objects.bulk_create([InvoiceLine(invoice=made, due=d, position=i, kab_code=d.kab_code,
                                                 desa_code=d.desa_code, name=names[d.participant_id],
                                                 amount=d.amount)
                                     for i, d in enumerate(ordered, start=1)])
    return made


def pay(actor, *, nik: str = "", invoice_number: str = "", amount, reference: str | None = None, paid_on=None,
        channel: str = "bank", key: str | None = None, **more):
    """Record one payment through the service (today, a fresh reference unless one is given)."""
    reference = reference if reference is not None else f"R-{next(_refs)}"
    request = PaymentRequest(amount=amount, paid_on=paid_on or clock.today(), reference=reference, channel=channel,
                             nik=nik, invoice=invoice_number, idempotency_key=key, **more)
    return payment_record(actor=actor, request=request)


def assert_ledger_ok() -> None:
    failures = ledger_check()
    assert failures == [], [f.as_dict() for f in failures]
