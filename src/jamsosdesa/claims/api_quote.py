"""GET /api/v1/claims/quote: eligibility and benefit of a claim on an event day without filing anything (the same
answer as `jamsosdesa claim quote --json` and the page /klaim/hitung/), with its schema documented."""

from ninja import Field, Router, Schema

from jamsosdesa.billing.api_status import parse_day
from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E

from .quote import kind_from_text, participant_for_user, quote

router = Router()

KINDS = "jkm | jkk_death | jkk_disability_total | jkk_temporary | jkk_disease"


class ClaimQuotePartOut(Schema):
    code: str = Field(..., description="jkm_lump_sum, jkk_death, temporary_full, refund, ...")
    name: str = Field(..., description="The part's name, in the request's language")
    amount: int = Field(..., description="Whole rupiah")
    rule: str = Field(..., description="The rule in words, with its figures and regulation")


class ClaimQuoteEligibilityOut(Schema):
    kind: str
    on: str = Field(..., description="The event day, YYYY-MM-DD")
    status: str = Field(..., description="active | arrears | non_active | not_started | ended (on the event day)")
    eligible: bool
    held: bool = Field(..., description="Lenient arrears policy: covered once `arrears` are paid before `pay_by`")
    reason: str
    arrears: int
    pay_by: str | None = Field(None, description="YYYY-MM-DD")
    contribution_months: int = Field(..., description="Fully paid months up to and including the event month")
    wage: int = Field(..., description="The wage the benefit uses (for BPU the declared income), rupiah")
    refund: int = Field(..., description="Rupiah paid for months after the event month")
    refund_months: list[str] = Field(..., description="YYYY-MM")
    paid_through: str | None = Field(None, description="YYYY-MM")
    policy: dict = Field(..., description="The arrears policy in force on the event day: mode, grace_months, source")


class ClaimQuoteOut(Schema):
    kind: str = Field(..., description=KINDS)
    on: str = Field(..., description="The event day, YYYY-MM-DD")
    eligible: bool = Field(..., description="Protected on the event day")
    held: bool = Field(..., description="Covered only once the arrears are paid (lenient policy)")
    reason: str = Field(..., description="Why, in words, in the request's language")
    total: int = Field(..., description="Whole rupiah; 0 when not protected that day")
    words: str = Field(..., description="The total in words (terbilang)")
    parts: list[ClaimQuotePartOut]
    eligibility: ClaimQuoteEligibilityOut
    wage: int
    contribution_months: int
    refund: int
    warnings: list[str]


@router.get("/claims/quote", **answers({200: ClaimQuoteOut}, E.INVALID, E.NOT_FOUND),
            summary="Hitung kelayakan dan manfaat klaim pada tanggal kejadian, tanpa mencatat klaim")
def claim_quote(request, nik: str, type: str, on: str, incapacity_from: str = "", incapacity_to: str = ""):
    """The eligibility of the participant with this NIK on the event day `on` (YYYY-MM-DD) and the benefit of a
    claim of `type` (jkm, jkk_death, jkk_disability_total, jkk_temporary, jkk_disease; the last two need
    `incapacity_from` and `incapacity_to`), from the rules in force that day. Nothing is written. 404 for a NIK
    outside your area, the same as for one nobody has; 422 for an unknown type, a date that cannot be read, an
    event day still to come or before the person was registered."""
    kind = kind_from_text(type)
    day = parse_day(on or "-", "on")
    start = parse_day(incapacity_from, "incapacity_from") if incapacity_from.strip() else None
    end = parse_day(incapacity_to, "incapacity_to") if incapacity_to.strip() else None
    participant = participant_for_user(request.user, nik)
    return quote(request.user, participant, kind, day, incapacity_from=start, incapacity_to=end).as_dict()
