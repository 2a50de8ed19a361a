"""Shared ground for the benefit engine's tests (issue 15 part C1): a person with paid and unpaid months of their
own package, the wage on their dues, and a clean parameter cache around each test (a row a test wrote, and rolled
back, must not answer for the next one)."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from jamsosdesa.billing.models import Allocation, Due
from jamsosdesa.claims.parameters import param_cache_clear
from tests.billing.conftest import DESA_A, DESA_B, month, people  # noqa: F401 (re-exported)
from tests.billing.status_fixtures import history, pay, self_due  # noqa: F401 (re-exported)


@pytest.fixture(autouse=True)
def fresh_param_cache():
    param_cache_clear()
    yield
    param_cache_clear()


def day(offset: int, day_of_month: int) -> date:
    """Day `day_of_month` of month(offset)."""
    return month(offset).replace(day=day_of_month)


def worker(*, paid=(), unpaid=(), wage: int | None = None, desa: str = DESA_A):
    """A BPU worker of `desa` whose own package billed the months `paid` (paid) and `unpaid`; `wage` sets the
    income on every due (the declared nominal). Each paid month was paid on its first day (today for a month ahead):
    before any event day in or after it, as eligibility counts only money paid by the event day."""
    person, = people(1, desa)
    history(person, paid=list(paid), unpaid=list(unpaid))
    now = timezone.now()
    for allocation in Allocation.objects.filter(due__participant=person).select_related("due"):
        paid_at = min(timezone.make_aware(datetime.combine(allocation.due.month, time.min)), now)
        Allocation.objects.filter(pk=allocation.pk).update(created_at=paid_at)
    if wage is not None:
        Due.objects.filter(participant=person).update(income=wage)
        person.declared_income = wage
        person.save(update_fields=["declared_income"])
    return person
