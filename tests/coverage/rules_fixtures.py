"""Ledger rows written directly for the counting-rule and prospect tests (the billing services have their own
tests): `due(person, month, payer_type=..., paid=True)` writes one live due (a worker's own package for 'self',
else an enrolment in a scheme of that payer kind) and, when paid, its live allocation."""

from datetime import date

from jamsosdesa.billing.models import Allocation, AllocationOrigin, Due, Membership
from jamsosdesa.billing.standing import standing_refresh
from jamsosdesa.funding.models import Enrolment, Scheme
from tests.billing.conftest import package
from tests.funding.conftest import month


def _scheme(payer_type: str) -> Scheme:
    existing = Scheme.objects.filter(payer_type=payer_type).first()
    if existing is not None:
        return existing
    return Scheme.objects.create(name=f"Skema {payer_type}", payer_type=payer_type, owner_region_id="33.11",
                                 legal_basis_number="Perbup 1/2026", legal_basis_date=date(2026, 1, 1),
                                 programmes=["JKK", "JKM"], programme_mask=3, start_month=month(-24),
                                 end_month=month(24), budget_ceiling=10**9)


def due(person, when: date, *, payer_type: str = "self", paid: bool = True) -> Due:
    if payer_type == "self":
        membership = Membership.objects.filter(participant=person).first() or package(person, first=when)
        holder = {"membership": membership}
        scheme = None
    else:
        scheme = _scheme(payer_type)
        enrolment = Enrolment.objects.filter(participant=person, scheme=scheme).first() or Enrolment.objects.create(
            scheme=scheme, participant=person, desa_code=person.desa_id, kab_code=person.kab_code,
            start_month=when, end_month=when, cost=0)
        holder = {"enrolment": enrolment}
    row = Due.objects.create(participant=person, kab_code=person.kab_code, desa_code=person.desa_id, month=when,
                             scheme=scheme, payer_type=payer_type, segment="BPU", programme_mask=3,
                             income=1_000_000, jkk=10_000, jkm=6_800, amount=16_800, **holder)
    if paid:
        holder_type, holder_id = row.holder
        Allocation.objects.create(due=row, seq=0, amount=row.amount, holder_type=holder_type, holder_id=holder_id,
                                  kab_code=row.kab_code, origin=AllocationOrigin.CREDIT)
    standing_refresh([person.pk])  # as the billing services do after every ledger write
    return row
