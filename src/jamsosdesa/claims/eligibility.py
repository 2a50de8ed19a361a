"""Whether a participant was protected on an event day, and why, in plain words (issue 15 item 2).

`eligibility_on(participant, on, kind)` reads billing's status on the day (`billing.status.status_of`, under the
arrears policy of the participant's kabupaten in force that day) and the person's live dues:

- `eligible`: active on the day (the months up to the day's cut-off paid);
- `held`: in arrears under a lenient policy within its grace months: covered once the `arrears` are paid by
  `pay_by` (the claim waits); not `eligible` until then;
- `reason`: the status in words, its month named ("aktif: iuran terbayar sampai Desember 2026");
- `contribution_months`: months fully paid (every live due of the month paid) up to and including the event month;
- `wage`: the income of the event month's due; else of the latest due before it (else the first due after it);
  else the registry's declared income (for BPU the declared nominal is the wage, DOMAIN.md);
- `refund`, `refund_months`: the paid live dues the person paid themself (their own package) of months after the
  event month (refunded with a death or total disability claim, DOMAIN.md "months paid beyond a claim month are
  refunded"); a month a scheme paid goes back to the scheme when its enrolment is ended, never to the heirs
  (claims.services.settle_refund).

Only money that had reached the dues by the end of the event day counts (`status_of(..., paid_by=on)`): arrears
paid after a death do not make the dead protected, nor do they add contribution months. The one exception is the
lenient policy's own promise: a claim `held` for arrears is covered once they are paid before `pay_by`;
`eligibility_on(..., paid_by=day)` (a later day, e.g. today, for a held claim's recheck) counts the payments made up to
that day, and no later than the day before `pay_by`. Under the strict policy, and for anything not held, `paid_by`
changes nothing. The refund counts every live payment of the person's own for the months after the event month,
whenever paid (money to give back).

`event_date_problem(participant, on)` says why a day cannot be an event day (in the future; before registration).
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jamsosdesa.billing.live import live
from jamsosdesa.billing.models import Due, ReversalTarget
from jamsosdesa.billing.status import (
    ACTIVE,
    ARREARS,
    ENDED,
    NON_ACTIVE,
    NOT_STARTED,
    due_lines,
    status_of,
)
from jamsosdesa.core import clock
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.months import add_months
from jamsosdesa.participants.models import Segment


def month_words(month: date) -> str:
    """'Desember 2026' (in the active language: 'December 2026')."""
    return date_format(month, "F Y")


def day_words(day: date) -> str:
    """'15 Januari 2027'."""
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class Eligibility:
    kind: str
    on: date
    status: str  # billing's status word: active | arrears | non_active | not_started | ended
    eligible: bool
    held: bool
    reason: str
    arrears: int  # rupiah owed up to the event month (what a lenient policy asks to be paid)
    pay_by: date | None  # held: the arrears must be paid before this day
    contribution_months: int
    wage: int
    refund: int
    refund_months: tuple[date, ...] = ()
    paid_through: date | None = None
    policy: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """JSON-safe (what `Claim.eligibility` keeps and the quote's JSON shows)."""
        return {
            "kind": self.kind,
            "on": self.on.isoformat(),
            "status": self.status,
            "eligible": self.eligible,
            "held": self.held,
            "reason": self.reason,
            "arrears": self.arrears,
            "pay_by": self.pay_by.isoformat() if self.pay_by else None,
            "contribution_months": self.contribution_months,
            "wage": self.wage,
            "refund": self.refund,
            "refund_months": [f"{m:%Y-%m}" for m in self.refund_months],
            "paid_through": f"{self.paid_through:%Y-%m}" if self.paid_through else None,
            "policy": self.policy,
        }


def registered_on(participant) -> date:
    """The day from which the person counts as registered: the registry's entry day, or the first month billed
    before it (a person entered now with an earlier BPJS history is registered from their first due)."""
    day = timezone.localdate(participant.created_at) if participant.created_at else clock.today()
    dues = live(Due.objects.filter(participant_id=participant.pk), ReversalTarget.DUE)
    first_due = dues.order_by("month").values_list("month", flat=True).first()
    return min(day, first_due) if first_due else day


def event_date_problem(participant, on: date) -> str:
    """Why `on` cannot be the day of an event of this person ('' when it can): in the future, or before the person
    was registered."""
    today = clock.today()
    if on > today:
        return _("Tanggal kejadian %(d)s belum tiba (hari ini %(t)s): kejadian hanya dapat dicatat sesudah "
                 "terjadi.") % {"d": f"{on:%d-%m-%Y}", "t": f"{today:%d-%m-%Y}"}
    first = registered_on(participant)
    if on < first:
        return _("Tanggal kejadian %(d)s sebelum peserta terdaftar (%(r)s): tidak ada perlindungan sebelum "
                 "terdaftar.") % {"d": f"{on:%d-%m-%Y}", "r": f"{first:%d-%m-%Y}"}
    return ""


def _months_text(count: int) -> str:
    return ngettext("%(k)s bulan iuran tidak dibayar", "%(k)s bulan iuran tidak dibayar", count) % {"k": count}


def _reason(participant, s, held: bool) -> str:
    if s.status == ACTIVE:
        through = s.paid_through or s.last_paid
        return _("aktif: iuran terbayar sampai %(m)s") % {"m": month_words(through)}
    if s.status == NOT_STARTED:
        return _("belum mulai: belum ada iuran yang dibayar sampai bulan kejadian")
    if s.status == ENDED:
        if participant.segment == Segment.PU:
            return _("berakhir: peserta pindah ke segmen PU, iurannya dibayar pemberi kerja")
        return _("berakhir: kepesertaan diakhiri di registri")
    since = add_months(s.last_paid, 1) if s.last_paid else s.first_unpaid
    months = _months_text(s.months_unpaid)
    if s.status == ARREARS and held:
        return _("menunggak sejak %(m)s: %(k)s; ditanggung bila tunggakan %(a)s dilunasi sebelum %(d)s "
                 "(aturan tunggakan longgar)") % {"m": month_words(since), "k": months, "a": rupiah(s.owed),
                                                    "d": day_words(s.covered_if_paid_by)}
    if s.status == ARREARS:
        if s.policy.lenient:
            return _("menunggak sejak %(m)s: %(k)s, melewati masa tenggang %(g)s bulan; kejadian tidak "
                     "ditanggung") % {"m": month_words(since), "k": months, "g": s.policy.grace_months}
        return _("menunggak sejak %(m)s: %(k)s; menurut aturan tunggakan ketat kejadian pada masa tunggakan "
                 "tidak ditanggung") % {"m": month_words(since), "k": months}
    assert s.status == NON_ACTIVE
    return _("tidak aktif sejak %(m)s: %(k)s") % {"m": month_words(since), "k": months}


def _wage(participant, event_month: date) -> int:
    dues = live(Due.objects.filter(participant_id=participant.pk), ReversalTarget.DUE)
    row = (dues.filter(month=event_month).order_by("-income").values_list("income", flat=True).first()
           or dues.filter(month__lt=event_month, income__gt=0).order_by("-month").values_list("income", flat=True)
           .first()
           or dues.filter(income__gt=0).order_by("month").values_list("income", flat=True).first())
    return int(row or participant.declared_income or 0)


def refund_after(participant, on: date) -> tuple[int, tuple[date, ...]]:
    """(rupiah, months): the person's own live payments, whenever made, for the months after the month of `on` (a
    month a scheme paid is not counted: it goes back to the scheme)."""
    event_month = on.replace(day=1)
    amounts: dict[date, int] = {}
    for line in due_lines(participant.pk):
        if line.paid and line.self_paid and line.month > event_month:
            amounts[line.month] = amounts.get(line.month, 0) + line.amount
    return sum(amounts.values()), tuple(sorted(amounts))


def eligibility_on(participant, on: date, kind: str, *, paid_by: date | None = None) -> Eligibility:
    """The participant's eligibility on the event day `on` for a claim of `kind` (a ClaimKind value), from the money
    paid by the end of that day. `paid_by` (a later day): for a claim held for arrears under the lenient policy, the
    arrears paid up to that day (and before `pay_by`) restore the cover; once `pay_by` has passed unpaid, neither
    eligible nor held. Writes nothing. Does not check the day itself: see `event_date_problem`."""
    s = status_of(participant, on, paid_by=on)
    held = s.status == ARREARS and s.covered and s.covered_if_paid_by is not None
    eligible = s.status == ACTIVE and s.covered
    shown, reason = s, None
    if held and paid_by is not None and paid_by > on:
        deadline = s.covered_if_paid_by
        later = status_of(participant, on, policy=s.policy, paid_by=min(paid_by, deadline - timedelta(days=1)))
        if later.status == ACTIVE:
            eligible, held, shown = True, False, later
            reason = _("aktif: tunggakan dilunasi sebelum %(d)s (aturan tunggakan longgar), iuran terbayar sampai "
                       "%(m)s") % {"d": day_words(deadline), "m": month_words(later.paid_through or later.last_paid)}
        elif paid_by >= deadline:
            held = False
            reason = _("menunggak sejak %(m)s: %(k)s; tunggakan tidak dilunasi sebelum %(d)s (aturan tunggakan "
                       "longgar): kejadian tidak ditanggung") % {
                "m": month_words(add_months(s.last_paid, 1)), "k": _months_text(s.months_unpaid),
                "d": day_words(deadline)}
        else:  # part paid: what is left, by the same day
            shown = replace(s, owed=later.owed, owed_self=later.owed_self, owed_scheme=later.owed_scheme)
    event_month = on.replace(day=1)
    paid_by_month: dict[date, bool] = {}
    for line in due_lines(participant.pk, paid_by=on):
        paid_by_month[line.month] = paid_by_month.get(line.month, True) and line.paid
    contribution_months = sum(1 for m, paid in paid_by_month.items() if paid and m <= event_month)
    refund, refund_months = refund_after(participant, on)
    return Eligibility(kind=str(kind), on=on, status=shown.status, eligible=eligible, held=held,
                       reason=reason or _reason(participant, shown, held),
                       arrears=shown.owed if shown.status == ARREARS else 0,
                       pay_by=s.covered_if_paid_by if held else None, contribution_months=contribution_months,
                       wage=_wage(participant, event_month), refund=refund,
                       refund_months=refund_months, paid_through=shown.paid_through, policy=s.policy.as_dict())
