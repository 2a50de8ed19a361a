"""What is "live": a money row no reversal targets. The one definition, for querysets and for raw SQL alike."""

from django.db.models import Exists, OuterRef, QuerySet

from .models import Reversal, ReversalTarget


def _reversed(target_type: str):
    return Reversal.objects.filter(target_type=target_type, target_id=OuterRef("pk"))


def live(qs: QuerySet, target_type: ReversalTarget | str) -> QuerySet:
    """`qs` (of payments, allocations, dues or credit rows) without the rows a reversal cancelled."""
    return qs.filter(~Exists(_reversed(str(target_type))))


def reversed_only(qs: QuerySet, target_type: ReversalTarget | str) -> QuerySet:
    return qs.filter(Exists(_reversed(str(target_type))))


def not_reversed_sql(alias: str, target_type: ReversalTarget | str) -> str:
    """A WHERE condition for raw SQL: the row `alias` (with an `id` column) is live."""
    kind = ReversalTarget(target_type).value
    return (f"NOT EXISTS (SELECT 1 FROM billing_reversal rv"
            f" WHERE rv.target_type = '{kind}' AND rv.target_id = {alias}.id)")
