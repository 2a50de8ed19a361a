"""Payments part of the billing benchmark (issue 12 slice 3: payments, reversals and `ledger check`):

    .venv/bin/python bench/billing.py --part run --part payments          # 20,000 payments (BENCH_PAYMENTS)
    .venv/bin/python bench/billing.py --quick --part run --part payments  # 1,000 payments: a smoke run

After the month is billed (`--part run` first), self-paying participants whose only unpaid month is this one pay
through `payment_record` (the page's, the API's and the CLI's one door), one payment each, one transaction each, as
clerks would: most pay their month exactly, one in four pays a month and a bit (credit), one in ten pays three
months (the months ahead are billed by the payment). One in a hundred is then reversed (`payment_reverse`), and
every tenth payment is sent a second time with its key (a duplicate, nothing written). `ledger_check()` is timed on
the whole ledger after the payments and again after the reversals.

Checked: one payment per payer (duplicates recorded nothing), every paid due of the month has one live allocation,
each reversed person's month is unpaid again, `ledger_check()` empty at both steps.
"""

import os
import time

from django.db import transaction

LEDGER = "own"  # runs ledger_check itself, after the payments and after the reversals


def earlier_unpaid(month):
    """The person's own (package) dues before `month` still unpaid, for `~Exists(...)` on a due: a payment of the
    month's amount by someone behind pays their oldest month, not this one (the history leaves people behind), so
    the payments and statement parts take people whose only unpaid month is `month`."""
    from django.db.models import Exists, OuterRef

    from jamsosdesa.billing.live import live
    from jamsosdesa.billing.models import Allocation, Due

    return live(Due.objects.filter(participant_id=OuterRef("participant_id"), membership__isnull=False,
                                   month__lt=month), "due").filter(
        ~Exists(live(Allocation.objects.filter(due_id=OuterRef("pk")), "allocation")))


def measure(ctx) -> dict:
    from django.db.models import Exists

    from jamsosdesa.billing.check import ledger_check
    from jamsosdesa.billing.live import live
    from jamsosdesa.billing.models import Allocation, Due, Payment
    from jamsosdesa.billing.services.dues import membership_price
    from jamsosdesa.billing.services.payments import PaymentRequest, payment_record
    from jamsosdesa.billing.services.reversals import payment_reverse
    from jamsosdesa.core import clock
    from jamsosdesa.core.months import add_months

    wanted = int(os.environ.get("BENCH_PAYMENTS") or (1_000 if ctx.args.quick else 20_000))
    dues = list(Due.objects.filter(month=ctx.month, membership__isnull=False)
                .filter(~Exists(earlier_unpaid(ctx.month))).select_related("membership").order_by("id")[:wanted])
    if not dues:
        ctx.checks.expect("self-paid dues of the month to pay (run --part run first)", bool(dues), True)
        return {}
    today = clock.today()
    before = Payment.objects.count()
    recorded, duplicates = [], 0
    start = time.perf_counter()
    for i, due in enumerate(dues):
        amount = due.amount
        if i % 10 == 3 and due.membership.last_month is None:
            amount += sum(membership_price(due.membership, add_months(ctx.month, k)).total for k in (1, 2))
        elif i % 4 == 1:
            amount += 1_000
        request = PaymentRequest(amount=amount, paid_on=today, reference=f"BENCH-PAY-{due.pk}", channel="bank",
                                 participant_id=due.participant_id,
                                 idempotency_key=f"bench-{due.pk}")
        with transaction.atomic():
            outcome = payment_record(actor=ctx.admin, request=request)
        recorded.append((due, outcome.payment))
        if i % 10 == 0:
            with transaction.atomic():
                duplicates += payment_record(actor=ctx.admin, request=request).duplicate
    pay_seconds = time.perf_counter() - start
    start = time.perf_counter()
    failures_after_pay = ledger_check()
    check_seconds = time.perf_counter() - start

    reversed_people = []
    start = time.perf_counter()
    for due, payment in recorded[::100]:
        with transaction.atomic():
            payment_reverse(actor=ctx.admin, payment=payment, reason="bounced")
        reversed_people.append(due)
    reverse_seconds = time.perf_counter() - start
    start = time.perf_counter()
    failures_after_reverse = ledger_check()
    check2_seconds = time.perf_counter() - start

    checks = ctx.checks
    checks.expect("one payment per payer", Payment.objects.count() - before, len(dues))
    checks.expect("resent with the same key: duplicates, nothing written", duplicates, len(range(0, len(dues), 10)))
    paid = set(live(Allocation.objects.filter(due_id__in=[d.pk for d in dues]), "allocation")
               .values_list("due_id", flat=True))
    gone = {d.pk for d in reversed_people}
    checks.expect("each month paid once, except the reversed people's", len(paid), len(dues) - len(gone))
    checks.expect("the reversed people's months unpaid again", sorted(paid & gone), [])
    checks.expect("ledger check after the payments", [f.name for f in failures_after_pay], [])
    checks.expect("ledger check after the reversals", [f.name for f in failures_after_reverse], [])
    return {"payments": len(dues), "pay_s": round(pay_seconds, 1),
            "payments_per_s": round(len(dues) / pay_seconds, 1) if pay_seconds else None,
            "reversals": len(reversed_people), "reverse_s": round(reverse_seconds, 2),
            "ledger_check_s": round(check_seconds, 2), "ledger_check_after_reversals_s": round(check2_seconds, 2)}
