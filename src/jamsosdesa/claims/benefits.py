"""The benefit of a claim to the rupiah, from the parameters in force on the event day (issue 15 item 3).

`compute(kind, facts, on) -> Benefit(total, parts)` writes nothing; every part names its rule and regulation in
words. The figures (DOMAIN.md, PP 44/2015 as amended by PP 82/2019) are `BenefitParameter` rows (claims.parameters):

- JKM: lump sum + periodic (paid at once) + funeral (20M + 12M + 10M = 42M).
- JKK death: max(multiplier × wage, minimum) + funeral + periodic (48 × wage, at least 20M; + 10M + 12M).
- JKK permanent total disability: multiplier × wage + periodic (56 × wage + 12M).
- JKK temporary incapacity and occupational disease, by days from `incapacity_from` to `incapacity_to` (both
  included): the daily wage is the monthly wage / 30 (a month counted as 30 days, as BPJS's STMB practice does);
  days before the same day `jkk_temporary_full_months` months after `incapacity_from` are paid at
  `jkk_temporary_full_percent`, later days at `jkk_temporary_after_percent`. Each part is days × wage × percent /
  (30 × 100), rounded half up to the rupiah once per part (so the total is the sum of the parts).
- Refund: the months paid beyond the event month are refunded with a claim that ends the participation (JKM, JKK
  death, total disability); a worker who is temporarily unable to work stays a participant and keeps them.

Scholarships are not in this lump: they are granted year by year (claims.scholarships).
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.money import rupiah, terbilang
from jamsosdesa.core.months import FIRST_YEAR, LAST_YEAR

from .eligibility import month_words
from .models import ClaimKind
from .parameters import value_on

REFUND_KINDS = (ClaimKind.JKM, ClaimKind.JKK_DEATH, ClaimKind.JKK_DISABILITY_TOTAL)
DAYS_KINDS = (ClaimKind.JKK_TEMPORARY, ClaimKind.JKK_DISEASE)
REFUND_RULE_SOURCE = "PROBIS Kepesertaan 908 (BPJS Ketenagakerjaan)"
DAYS_IN_MONTH = 30  # the daily wage is the monthly wage / 30


@dataclass(frozen=True)
class Facts:
    """What the benefit depends on besides the rules: the wage (for BPU the declared nominal), the refund, and
    for temporary incapacity the days unable to work."""

    wage: int = 0
    refund: int = 0
    refund_months: tuple[date, ...] = ()
    incapacity_from: date | None = None
    incapacity_to: date | None = None


@dataclass(frozen=True)
class Part:
    code: str
    name: str
    amount: int
    rule: str

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "amount": self.amount, "rule": self.rule}


@dataclass(frozen=True)
class Benefit:
    kind: str
    total: int
    parts: tuple[Part, ...] = field(default_factory=tuple)

    @property
    def words(self) -> str:
        return terbilang(self.total)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "total": self.total, "words": self.words,
                "parts": [p.as_dict() for p in self.parts]}


def _flat(code: str, name: str, on: date) -> Part:
    v = value_on(code, on)
    return Part(code=code, name=name, amount=v.value, rule=_("%(a)s (%(r)s)") % {"a": rupiah(v.value),
                                                                                  "r": v.regulation})


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def plus_months(day: date, count: int) -> date:
    """The same day `count` months later (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 + count
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _days_parts(facts: Facts, on: date) -> list[Part]:
    start, end = facts.incapacity_from, facts.incapacity_to
    if start is None or end is None:
        message = _("Isi tanggal mulai dan akhir tidak mampu bekerja untuk menghitung santunan sementara.")
        raise ServiceError(code=ErrorCode.INVALID, message=message,
                           fields={"incapacity_from" if start is None else "incapacity_to": [message]})
    for name, value in (("incapacity_from", start), ("incapacity_to", end)):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            message = _("Tanggal %(d)s di luar tahun %(a)s sampai %(b)s.") % {
                "d": f"{value:%d-%m-%Y}", "a": FIRST_YEAR, "b": LAST_YEAR}
            raise ServiceError(code=ErrorCode.INVALID, message=message, fields={name: [message]})
    if start < on:
        message = _("Tidak mampu bekerja sejak %(s)s, sebelum tanggal kejadian %(on)s: tidak mampu bekerja dihitung "
                    "sejak kejadian.") % {"s": f"{start:%d-%m-%Y}", "on": f"{on:%d-%m-%Y}"}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"incapacity_from": [message]})
    if end < start:
        message = _("Tanggal akhir tidak mampu bekerja (%(e)s) sebelum tanggal mulainya (%(s)s).") % {
            "e": f"{end:%d-%m-%Y}", "s": f"{start:%d-%m-%Y}"}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"incapacity_to": [message]})
    full_pct, full_months = value_on("jkk_temporary_full_percent", on), value_on("jkk_temporary_full_months", on)
    after_pct = value_on("jkk_temporary_after_percent", on)
    boundary = plus_months(start, full_months.value)  # the first day paid at the lower percent
    days_full = (min(end, boundary - timedelta(days=1)) - start).days + 1
    days_after = max((end - boundary).days + 1, 0)
    parts = []
    for code, days, pct, first, last in (
            ("temporary_full", days_full, full_pct, start, min(end, boundary - timedelta(days=1))),
            ("temporary_after", days_after, after_pct, boundary, end)):
        if days <= 0:
            continue
        amount = _half_up(days * facts.wage * pct.value, DAYS_IN_MONTH * 100)
        name = _("Santunan tidak mampu bekerja %(p)s%% upah") % {"p": pct.value}
        rule = _("%(n)s hari (%(f)s s.d. %(l)s) × upah %(w)s / 30 × %(p)s%% = %(a)s, dibulatkan ke rupiah "
                 "terdekat; %(p0)s%% selama %(m)s bulan pertama, sesudahnya %(p1)s%% (%(r)s)") % {
            "n": days, "f": f"{first:%d-%m-%Y}", "l": f"{last:%d-%m-%Y}", "w": rupiah(facts.wage),
            "p": pct.value, "a": rupiah(amount), "p0": full_pct.value, "m": full_months.value,
            "p1": after_pct.value, "r": pct.regulation}
        parts.append(Part(code=code, name=name, amount=amount, rule=rule))
    return parts


def _refund_part(facts: Facts) -> Part:
    months = ", ".join(month_words(m) for m in facts.refund_months)
    rule = _("iuran yang sudah dibayar untuk bulan sesudah bulan kejadian (%(m)s) dikembalikan bersama klaim "
             "(%(r)s)") % {"m": months, "r": REFUND_RULE_SOURCE}
    return Part(code="refund", name=_("Pengembalian iuran"), amount=facts.refund, rule=rule)


def compute(kind: str, facts: Facts, on: date) -> Benefit:
    """The benefit of a claim of `kind` for an event on `on` (the parameters in force that day). Writes nothing."""
    kind = ClaimKind(kind)
    wage = max(int(facts.wage or 0), 0)
    if kind != ClaimKind.JKM and wage == 0:
        # every JKK benefit is a multiple of the wage: none known is a question to answer, never a benefit of 0
        # (or of only the death minimum) paid without a word
        message = _("Upah peserta tidak diketahui (iurannya tanpa nominal penghasilan dan penghasilan per bulan di "
                    "data peserta kosong): isi penghasilan per bulan peserta sebelum menghitung manfaat JKK.")
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"wage": [message]})
    parts: list[Part] = []
    if kind == ClaimKind.JKM:
        parts += [_flat("jkm_lump_sum", _("Santunan sekaligus"), on),
                  _flat("jkm_periodic", _("Santunan berkala (dibayar sekaligus)"), on),
                  _flat("jkm_funeral", _("Biaya pemakaman"), on)]
    elif kind == ClaimKind.JKK_DEATH:
        mult, minimum = value_on("jkk_death_multiplier", on), value_on("jkk_death_minimum", on)
        amount = max(mult.value * wage, minimum.value)
        rule = _("%(k)s × upah %(w)s = %(p)s; paling sedikit %(m)s (%(r)s)") % {
            "k": mult.value, "w": rupiah(wage), "p": rupiah(mult.value * wage), "m": rupiah(minimum.value),
            "r": minimum.regulation}
        parts += [Part(code="jkk_death", name=_("Santunan kematian karena kecelakaan kerja"), amount=amount,
                       rule=rule),
                  _flat("jkk_funeral", _("Biaya pemakaman"), on),
                  _flat("jkk_periodic", _("Santunan berkala (dibayar sekaligus)"), on)]
    elif kind == ClaimKind.JKK_DISABILITY_TOTAL:
        mult = value_on("jkk_disability_multiplier", on)
        rule = _("%(k)s × upah %(w)s = %(p)s (%(r)s)") % {"k": mult.value, "w": rupiah(wage),
                                                         "p": rupiah(mult.value * wage), "r": mult.regulation}
        parts += [Part(code="jkk_disability", name=_("Santunan cacat total tetap"), amount=mult.value * wage,
                       rule=rule),
                  _flat("jkk_disability_periodic", _("Santunan berkala (dibayar sekaligus)"), on)]
    else:
        parts += _days_parts(Facts(wage=wage, incapacity_from=facts.incapacity_from,
                                   incapacity_to=facts.incapacity_to), on)
    if kind in REFUND_KINDS and facts.refund > 0:
        parts.append(_refund_part(facts))
    return Benefit(kind=kind.value, total=sum(p.amount for p in parts), parts=tuple(parts))
