"""The same payment sent twice is recorded once: by its Idempotency-Key, by its channel and reference, and when two
clerks record it at the same moment (H3)."""

import threading

import pytest
from django.db import connection, connections

from jamsosdesa.billing.models import Payment
from jamsosdesa.core.errors import ErrorCode, ServiceError
from tests.billing.conftest import month, package, people
from tests.billing.payment_fixtures import assert_ledger_ok, due, pay


@pytest.fixture
def reloaded(transactional_db):
    """Regions reloaded: a transactional test (PostgreSQL only here) truncates every table after itself."""
    from jamsosdesa.regions.loader import regions_load
    from jamsosdesa.regions.models import Region

    if not Region.objects.filter(code="33.11.11.2004").exists():
        regions_load(prefixes=("33.11",))


@pytest.mark.django_db
def test_the_same_key_and_request_returns_the_stored_payment(operator_a):
    [p] = people(1)
    first = pay(operator_a, nik=p.nik, amount=16_800, reference="KW-1", key="k-1")
    again = pay(operator_a, nik=p.nik, amount=16_800, reference="KW-1", key="k-1")
    assert again.duplicate and not first.duplicate and again.payment.pk == first.payment.pk
    assert Payment.objects.count() == 1
    assert_ledger_ok()


@pytest.mark.django_db
def test_the_same_key_with_another_amount_is_a_conflict_not_a_second_payment(operator_a):
    [p] = people(1)
    pay(operator_a, nik=p.nik, amount=16_800, reference="KW-1", key="k-1")
    with pytest.raises(ServiceError) as refused:
        pay(operator_a, nik=p.nik, amount=33_600, reference="KW-1", key="k-1")
    assert refused.value.code == ErrorCode.IDEMPOTENCY_CONFLICT and "Idempotency-Key" in refused.value.fields
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_one_users_key_never_meets_another_users_payment(operator_a, branch):
    [p] = people(1)
    pay(operator_a, nik=p.nik, amount=16_800, reference="KW-1", key="same")
    other = pay(branch, nik=p.nik, amount=8_400, reference="KW-2", key="same")
    assert not other.duplicate and Payment.objects.count() == 2


@pytest.mark.django_db
def test_the_same_channel_and_reference_is_recognised_without_a_key(operator_a):
    [p] = people(1)
    first = pay(operator_a, nik=p.nik, amount=16_800, reference="BANK-77", channel="bank")
    again = pay(operator_a, nik=p.nik, amount=16_800, reference="BANK-77", channel="bank")
    assert again.duplicate and again.payment.pk == first.payment.pk
    with pytest.raises(ServiceError) as refused:
        pay(operator_a, nik=p.nik, amount=20_000, reference="BANK-77", channel="bank")
    assert refused.value.code == ErrorCode.REFERENCE_CONFLICT and "reference" in refused.value.fields
    other_channel = pay(operator_a, nik=p.nik, amount=20_000, reference="BANK-77", channel="ppob")
    assert not other_channel.duplicate
    assert Payment.objects.count() == 2
    assert_ledger_ok()


@pytest.mark.django_db
def test_two_clerks_one_after_the_other_with_the_same_reference_record_one_payment(operator_a, branch):
    """The serial equivalent of two clerks at once (SQLite serialises writers): the second finds the first."""
    [p] = people(1)
    pkg = package(p, first=month(-1), last=month(-1))
    due(p, month(-1), membership=pkg)
    a = pay(operator_a, nik=p.nik, amount=16_800, reference="KW-9", key="clerk-a")
    b = pay(branch, nik=p.nik, amount=16_800, reference="KW-9", key="clerk-b")
    assert b.duplicate and b.payment.pk == a.payment.pk and b.months == [month(-1)]
    assert Payment.objects.count() == 1
    assert_ledger_ok()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_clerks_at_once_record_one_payment_on_postgresql(reloaded, operator_a, branch):
    [p] = people(1)
    pkg = package(p, first=month(-1), last=month(-1))
    due(p, month(-1), membership=pkg)
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def clerk(name, user, key):
        try:
            barrier.wait()
            results[name] = pay(user, nik=p.nik, amount=16_800, reference="KW-RACE", key=key)
        except Exception as exc:  # noqa: BLE001 - the test reports it below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=("a", operator_a, "ka")),
               threading.Thread(target=clerk, args=("b", branch, "kb"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.duplicate for r in results.values()) == [False, True]
    assert results["a"].payment.pk == results["b"].payment.pk
    assert Payment.objects.count() == 1
    assert connection.vendor == "postgresql"
    assert_ledger_ok()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_clerks_with_the_same_key_at_once_record_one_payment_on_postgresql(reloaded, operator_a):
    [p] = people(1)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def clerk():
        try:
            barrier.wait()
            results.append(pay(operator_a, nik=p.nik, amount=16_800, reference="KW-SAME", key="one-key"))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(r.duplicate for r in results) == [False, True]
    assert Payment.objects.count() == 1
