"""What the agents' cash adds to a person's protection status and to the public receipt check (billing.overlays,
registered from AgentsConfig.ready): a participant whose money an agent collected more than the rules' days ago and
has not deposited is *at risk*, not protected (design §3)."""

from datetime import date, timedelta

from django.db.models import Min
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jamsosdesa.billing.overlays import ReceiptCheck, StatusOverlay

from .cash import at_risk, unsettled
from .models_cash import CODE_LENGTH, Collection
from .rules import rules_on


def at_risk_overlays(participant_ids, on: date) -> dict[int, StatusOverlay]:
    """{participant id: the at-risk overlay} for those of `participant_ids` at risk on `on` (one query)."""
    return {pk: StatusOverlay(kind="at_risk", label=_("Berisiko"), protected=False, since=since,
                              message=_("Berisiko: iuran diterima agen %(day)s, belum disetor ke BPJS.") % {
                                  "day": date_format(since, "j F Y")})
            for pk, since in at_risk(participant_ids, on=on).items()}


def receipt_answer(code: str, on: date) -> ReceiptCheck | None:
    """The public check of a receipt's verification code: the months, the amount, the day, and where the money is."""
    if not (isinstance(code, str) and len(code) == CODE_LENGTH):
        return None
    collection = Collection.objects.filter(verification_code=code, reversed_at__isnull=True).first()
    if collection is None:
        return None
    open_row = unsettled(Collection.objects.filter(pk=collection.pk)).aggregate(oldest=Min("collected_on"))
    deposited = open_row["oldest"] is None
    late = collection.collected_on < on - timedelta(days=rules_on(on).deposit_due_days)
    return ReceiptCheck(first_month=collection.first_month, last_month=collection.last_month, amount=collection.amount,
                        collected_on=collection.collected_on, deposited=deposited, at_risk=not deposited and late)
