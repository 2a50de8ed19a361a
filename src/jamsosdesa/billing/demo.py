"""Demo dues and payments, so every protection status can be seen on the demo: Sanggung's informal workers pay
their own package (the PERISAI agent's packages) since four months ago — some every month, some stopped, some
never paid — the billing run has billed every month since, and the two demo schemes' invoices are paid, Krajan's
in full and Gianyar's in part.

The workers' payments here are recorded by the branch office (paid at its counter). An agent's cash enters the
ledger only as the agent's collection (agents.cash.collection_record), which billing does not import: the agents'
demo step (agents.demo_cash, after this one) records agen.krajan's collections and its deposit."""

from django.db import transaction

from jamsosdesa.accounts.models import User
from jamsosdesa.core import clock
from jamsosdesa.core.months import add_months
from jamsosdesa.participants.models import Participant

from .models import BillingRun, Due, Invoice, Membership, MembershipChannel, PaymentChannel
from .services.membership import membership_start
from .services.payments import PaymentRequest, payment_record
from .services.run import billing_run

SANGGUNG = "33.11.11.2001"
PACKAGE_MONTHS = 4  # the packages began this many months before this one
PACKAGES = 40


@transaction.atomic
def demo_ledger() -> int:
    """Packages, billing runs and payments for the demo; running it again adds nothing."""
    if Membership.objects.exists() or BillingRun.objects.exists():
        return 0
    admin = User.objects.get(username="admin")
    agent = User.objects.get(username="agen.krajan")
    branch = User.objects.get(username="cabang.solo")
    this_month = clock.this_month()
    first = add_months(this_month, -PACKAGE_MONTHS)
    workers = list(Participant.objects.filter(desa_id=SANGGUNG, segment="BPU", village_role="vulnerable_worker",
                                              is_active=True).order_by("id")[:PACKAGES])
    for person in workers:
        membership_start(actor=agent, participant=person, programmes=("JKK", "JKM"), income=1_000_000,
                         first_month=first, agent=agent, channel=MembershipChannel.AGENT)
    month = first
    while month <= this_month:
        billing_run(actor=admin, month=month)
        month = add_months(month, 1)
    # Every fourth worker paid every month; the next paid the first months and stopped (in arrears or no longer
    # protected); the next paid only the first month; the last never paid (not started).
    today = clock.today()
    for i, person in enumerate(workers):
        months = {0: PACKAGE_MONTHS + 1, 1: PACKAGE_MONTHS - 1, 2: 1, 3: 0}[i % 4]
        amount = sum(Due.objects.filter(participant_id=person.pk).order_by("month")
                     .values_list("amount", flat=True)[:months])
        if amount:
            payment_record(actor=branch, request=PaymentRequest(
                amount=amount, paid_on=today, reference=f"DEMO-CABANG-{person.pk}", channel=PaymentChannel.BRANCH,
                participant_id=person.pk, note="data demo"))
    for invoice in Invoice.objects.order_by("id"):
        amount = invoice.total if "Krajan" in invoice.payer_name else invoice.total // 2
        if amount:
            payment_record(actor=admin, request=PaymentRequest(
                amount=amount, paid_on=today, reference=f"DEMO-{invoice.number}", channel=PaymentChannel.BANK,
                invoice=invoice.number, note="data demo"))
    return len(workers)
