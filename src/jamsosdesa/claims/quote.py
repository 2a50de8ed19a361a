"""What a claim would give, without filing anything (issue 15; `jamsosdesa claim quote`, GET /api/v1/claims/quote,
the page /klaim/hitung/): the eligibility on the event day and the benefit computed from the rules of that day.

A person outside the user's scope is not found (the same answer as a NIK nobody has). An event day in the future or
before the person was registered is refused with the reason. When the person was not protected that day the total
is 0 and the reason says why; when a lenient arrears policy holds the claim, the benefit is shown as what the
heirs receive once the arrears are paid (`held`, `arrears`, `pay_by`)."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.money import terbilang
from jamsosdesa.participants.access import scope_participants

from .benefits import Facts, Part, compute, plus_months
from .eligibility import eligibility_on, event_date_problem
from .models import JKK_KINDS, ClaimKind
from .parameters import value_on


@dataclass(frozen=True)
class Quote:
    kind: str
    on: date
    eligible: bool
    held: bool
    reason: str
    total: int
    parts: tuple[Part, ...]
    eligibility: dict
    wage: int
    contribution_months: int
    refund: int
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def words(self) -> str:
        return terbilang(self.total)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "on": self.on.isoformat(), "eligible": self.eligible, "held": self.held,
                "reason": self.reason, "total": self.total, "words": self.words,
                "parts": [p.as_dict() for p in self.parts], "eligibility": self.eligibility, "wage": self.wage,
                "contribution_months": self.contribution_months, "refund": self.refund,
                "warnings": list(self.warnings)}


def kind_from_text(text: str, field_name: str = "type") -> ClaimKind:
    """A ClaimKind from 'jkm', 'jkk_death', ...; a ServiceError naming the field and the choices otherwise."""
    try:
        return ClaimKind((text or "").strip().lower())
    except ValueError:
        message = _("Jenis klaim '%(t)s' tidak dikenal: pilih %(c)s.") % {
            "t": (text or "")[:40], "c": ", ".join(ClaimKind.values)}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={field_name: [message]}) from None


def participant_for_user(user, nik: str):
    """The participant with this NIK within the user's scope; NotFound otherwise (the same for one outside the scope
    as for a NIK nobody has)."""
    from .access import sees_claims

    clean = "".join(ch for ch in (nik or "") if ch.isdigit())
    row = (scope_participants(user).filter(nik=clean).first()
           if len(clean) == 16 and sees_claims(user) else None)  # a role without claims sees nobody's eligibility
    if row is None:
        raise NotFound(_("Peserta dengan NIK itu tidak ditemukan di wilayah Anda."))
    return row


def quote(user, participant, kind: str, on: date, *, incapacity_from: date | None = None,
          incapacity_to: date | None = None) -> Quote:
    """Eligibility and benefit of a claim of `kind` for `participant` on the event day `on`. Writes nothing."""
    from .access import sees_claims

    if not sees_claims(user) or not scope_participants(user).filter(pk=participant.pk).exists():
        raise NotFound(_("Peserta dengan NIK itu tidak ditemukan di wilayah Anda."))
    kind = kind_from_text(kind) if not isinstance(kind, ClaimKind) else kind
    problem = event_date_problem(participant, on)
    if problem:
        raise ServiceError(code=ErrorCode.INVALID, message=problem, fields={"on": [problem]})
    e = eligibility_on(participant, on, kind)
    warnings = []
    reason = e.reason
    covered = e.eligible or e.held
    if kind in JKK_KINDS:
        lapse = value_on("jkk_claim_lapse_months", on)
        if clock.today() >= plus_months(on, lapse.value):
            covered = False
            reason = _("%(r)s; hak atas manfaat JKK gugur %(m)s bulan sesudah kejadian (%(g)s)") % {
                "r": reason, "m": lapse.value, "g": lapse.regulation}
    benefit = compute(kind, Facts(wage=e.wage, refund=e.refund, refund_months=e.refund_months,
                                  incapacity_from=incapacity_from, incapacity_to=incapacity_to), on)
    if e.held and covered:
        warnings.append(_("Manfaat dibayar bila tunggakan dilunasi lebih dahulu."))
    parts = benefit.parts if covered else ()
    return Quote(kind=kind.value, on=on, eligible=e.eligible and covered, held=e.held and covered, reason=reason,
                 total=sum(p.amount for p in parts), parts=parts, eligibility=e.as_dict(), wage=e.wage,
                 contribution_months=e.contribution_months, refund=e.refund, warnings=tuple(warnings))
