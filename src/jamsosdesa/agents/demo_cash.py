"""Demo cash for agen.krajan (issue 14 part B): a few collections from Sanggung's workers whose package it collects
(five and four days ago, the others today) and one deposit through the PERISAI channel of one collection's amount,
which settles the oldest: the four-day-old one stays, so the wadah and the branch see it flagged and its worker at
risk. Skipped when agen.krajan is not an agent of a wadah yet; running it again adds nothing."""

from datetime import timedelta

from django.db import transaction

from jamsosdesa.accounts.models import User
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError

from .cash import CollectionRequest, DepositRequest, collection_record, deposit_record
from .models_cash import Collection
from .models_wadah import Agent

COLLECTIONS = 4
DAYS_BACK = (5, 4, 0, 0)  # the first two are older than the programme's 2 days


@transaction.atomic
def demo_cash() -> int:
    agent = Agent.objects.select_related("user").filter(user__username="agen.krajan").first()
    if agent is None or Collection.objects.filter(agent_id=agent.user_id).exists():
        return 0
    from jamsosdesa.billing.models import Membership

    people = (Membership.objects.filter(agent_id=agent.user_id, last_month__isnull=True)
              .order_by("participant_id").values_list("participant__nik", flat=True))
    today, made = clock.today(), []
    for nik in people:
        if len(made) == COLLECTIONS:
            break
        day = today - timedelta(days=DAYS_BACK[len(made)])
        try:
            with transaction.atomic():
                made.append(collection_record(actor=agent.user, request=CollectionRequest(
                    participant=nik, months=1, collected_on=day, client_token=f"demo-{nik}")).collection)
        except ServiceError:
            continue  # paid far ahead, or the PKS did not run yet that day: the next worker
    branch = User.objects.filter(username="cabang.solo").first()
    if len(made) >= 2 and branch is not None:
        deposit_record(actor=branch, request=DepositRequest(
            agent=agent, channel="perisai", reference=f"DEMO-SETOR-{agent.pk}", amount=made[1].amount,
            deposited_on=today - timedelta(days=1), note="data demo"))
    return len(made)
