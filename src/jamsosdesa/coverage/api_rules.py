"""/api/v1/coverage/counting-rule: the counting rule in force on a day, with the names of the two figures it
defines (coverage.rules), so a client labels 'protected' and 'counted toward target' as the pages do."""

from datetime import date

from ninja import Field, Router, Schema

from jamsosdesa.billing.api_status import parse_day
from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E

from .rules import rule_for

router = Router()


class CountingRuleOut(Schema):
    valid_from: date | None = Field(..., description="The month the rule applies from (null: the built-in default)")
    full_after_months: int = Field(..., description="N: a pro-rata worker counts min(k, N)/N (0: everyone fully)")
    pro_rata_payers: list[str] = Field(..., description="Payer kinds counted pro rata (apbdes, apbd, apbn, ...)")
    basis: str = Field(..., description="k: paid_months (fully paid months so far) | since_first_paid")
    protected_name: str = Field(..., description="The name of the figure 'status active on the day'")
    counted_name: str = Field(..., description="The name of the figure counted toward targets")
    source: str = Field(..., description="The regulation or letter the rule comes from")


@router.get("/coverage/counting-rule", **answers({200: CountingRuleOut}, E.INVALID),
            summary="Aturan penghitungan cakupan yang berlaku pada suatu tanggal")
def counting_rule(request, on: str = ""):
    """The rule in force on `on` (YYYY-MM-DD; default today), names in the reader's language."""
    return rule_for(parse_day(on)).as_dict()
