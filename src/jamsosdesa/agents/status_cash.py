"""What the agents' cash adds to a person's protection status and to the public receipt check (billing.overlays,
registered from AgentsConfig.ready): a participant whose money an agent collected more than the rules' days ago and
has not deposited is *at risk*, not protected (design §3). The same rule in SQL (`held_collection_sql`) takes the
months such a collection paid out of coverage's protected count; `cash_status_events` tells coverage's incremental
refresh which kabupaten a deposit, its reversal or a change of the days touched."""

from datetime import date, timedelta

from django.db.models import Min
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jamsosdesa.billing.overlays import ReceiptCheck, StatusOverlay

from .cash import at_risk, unsettled
from .models_cash import CODE_LENGTH, Collection, DepositSettlement
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


def held_collection_sql(on: date, person: str, months: tuple[str, ...]) -> tuple[str, list]:
    """billing.overlays.held_months: one of the months `months` (empty: any) of the participant `person` is paid by
    a collection at risk on `on` — `at_risk`'s rule (not reversed, collected more than the rules' days before `on`,
    not fully settled by deposits) as one EXISTS on the collections' `(participant, collected_on)` index; the
    settlements are summed only for a collection that covers one of the months."""
    cutoff = on - timedelta(days=rules_on(on).deposit_due_days)
    covers = " OR ".join(f"(hc.first_month <= {m} AND hc.last_month >= {m})" for m in months)
    covers = f" AND ({covers})" if covers else ""
    sql = (f"EXISTS (SELECT 1 FROM {Collection._meta.db_table} hc WHERE hc.participant_id = {person}"
           f" AND hc.collected_on < %s AND hc.reversed_at IS NULL{covers}"
           f" AND hc.amount > COALESCE((SELECT SUM(hs.amount) FROM {DepositSettlement._meta.db_table} hs"
           f" WHERE hs.collection_id = hc.id), 0))")
    from django.db import connection

    return sql, [connection.ops.adapt_datefield_value(cutoff)]


def held_candidates_sql(on: date, kab_code: str) -> tuple[str, list]:
    """billing.overlays.held_candidates: the people of the kabupaten with a collection at risk on `on` (any month),
    from the collections' `(kab_code, collected_on)` index: the few `held_collection_sql` then probes."""
    from django.db import connection

    cutoff = on - timedelta(days=rules_on(on).deposit_due_days)
    sql = (f"SELECT DISTINCT hc.participant_id FROM {Collection._meta.db_table} hc"
           " WHERE hc.kab_code = %s AND hc.collected_on < %s AND hc.reversed_at IS NULL"
           f" AND hc.amount > COALESCE((SELECT SUM(hs.amount) FROM {DepositSettlement._meta.db_table} hs"
           " WHERE hs.collection_id = hc.id), 0)")
    return sql, [kab_code, connection.ops.adapt_datefield_value(cutoff)]


def cash_event_kabupaten(event_type: str, object_id: str) -> set[str] | None:
    """billing.overlays.status_events: the kabupaten of the people whose collections a deposit (or its reversal)
    settled; a change of the agents' rules (the days) may move anyone: every kabupaten (None)."""
    from jamsosdesa.core.models import AuditEventType

    if event_type != AuditEventType.DEPOSIT_RECORDED and event_type != AuditEventType.DEPOSIT_REVERSED:
        return None
    if not object_id.isdigit():
        return None
    from jamsosdesa.participants.models import Participant

    people = DepositSettlement.objects.filter(deposit_id=int(object_id)).values("collection__participant_id")
    return set(Participant.objects.filter(pk__in=people).values_list("kab_code", flat=True).distinct())
