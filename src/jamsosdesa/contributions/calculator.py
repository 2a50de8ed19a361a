"""What a participant's protection costs: pure functions over a `RateBook`, no database needed.

Every amount is whole rupiah. A percentage is applied as parts per million with one rounding rule
(`percent_of`: half up to the rupiah), per programme and per share (employer, worker).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.months import add_months

PPM = 1_000_000
MANDATORY = ("JKK", "JKM")
OPTIONAL = {"BPU": ("JHT",), "PU": ("JHT", "JP"), "JAKON": (), "PMI": ()}
STATE_BUDGETS = ("apbn", "apbd")


def percent_of(amount: int, ppm: int) -> int:
    """amount × ppm / 1,000,000, rounded half up to the rupiah: the one rounding rule."""
    return (amount * ppm * 2 + PPM) // (2 * PPM)


def percent_text(ppm: int) -> str:
    """2,400 parts per million -> '0,24%' (Indonesian) or '0.24%' (English)."""
    from django.utils.formats import number_format

    value = (Decimal(ppm) / 10_000).normalize()
    return f"{number_format(value if value.as_tuple().exponent < 0 else value.quantize(1))}%"


def to_ppm(percent: Decimal | str) -> int:
    """'0.24' (percent) -> 2,400 parts per million; at most four decimals."""
    value = Decimal(str(percent)) * 10_000
    if value != value.to_integral_value():
        raise ValueError(f"percent {percent} has more than four decimals")
    return int(value)


class QuoteError(ServiceError):
    def __init__(self, code: str, field_name: str, message: str):
        super().__init__(code=code, message=message, fields={field_name: [message]})


@dataclass(frozen=True)
class Dated:
    valid_from: date
    valid_until: date | None
    regulation: str

    def covers(self, month: date) -> bool:
        return self.valid_from <= month and (self.valid_until is None or month <= self.valid_until)


@dataclass(frozen=True)
class RateRow(Dated):
    segment: str = ""
    programme: str = ""
    share: str = "worker"
    risk_class: int = 0
    ppm: int = 0
    flat: int = 0
    wage_capped: bool = False


@dataclass(frozen=True)
class BandRow(Dated):
    programme: str = ""
    lower: int = 0
    upper: int | None = None
    ppm: int = 0


@dataclass(frozen=True)
class PmiRow(Dated):
    contract_months: int = 0
    before_departure: int = 0
    during_and_after: int = 0
    extra_month: int = 0


@dataclass(frozen=True)
class DiscountRow(Dated):
    name: str = ""
    segment: str = ""
    programmes: tuple[str, ...] = ()
    share: str = ""
    ppm_off: int = 0
    sectors: tuple[str, ...] = ()
    excluded_payers: tuple[str, ...] = ()


class RateBook:
    """A snapshot of the rules, indexed for quick lookups (a quote takes a few microseconds)."""

    def __init__(self, *, rates: list[RateRow], ceilings: list[tuple[date, int, str]], bands: list[BandRow],
                 pmi: list[PmiRow], nominals: list[tuple[Dated, int]], discounts: list[DiscountRow],
                 apbdes_is_state_budget: bool = True):
        self.rates: dict[tuple[str, str], list[RateRow]] = {}
        for row in rates:
            self.rates.setdefault((row.segment, row.programme), []).append(row)
        ceilings = sorted(ceilings)
        self.ceiling_starts = [c[0] for c in ceilings]
        self.ceilings = ceilings
        self.bands = bands
        self.pmi = sorted(pmi, key=lambda p: p.contract_months)
        self.nominals = nominals
        self.nominal_cache: dict[date, frozenset[int]] = {}
        self.discounts = discounts
        self.apbdes_is_state_budget = apbdes_is_state_budget
        self.first_month = min((r.valid_from for r in rates), default=None)
        self.plans: dict[tuple, _Plan] = {}  # see _plan

    def allowed_nominals(self, month: date) -> frozenset[int]:
        found = self.nominal_cache.get(month)
        if found is None:
            found = frozenset(amount for dated, amount in self.nominals if dated.covers(month))
            self.nominal_cache[month] = found
        return found

    def ceiling(self, month: date) -> tuple[int, str] | None:
        at = bisect_right(self.ceiling_starts, month) - 1
        if at < 0:
            return None
        return self.ceilings[at][1], self.ceilings[at][2]

    def rate_rows(self, segment: str, programme: str, month: date, risk_class: int) -> list[RateRow]:
        """One row per share: of the rows covering the month, the one in force from the latest date (a new
        row supersedes an open-ended older one from its month on)."""
        chosen: dict[str, RateRow] = {}
        for r in self.rates.get((segment, programme), ()):
            if r.covers(month) and r.risk_class in (0, risk_class):
                held = chosen.get(r.share)
                if held is None or r.valid_from > held.valid_from:
                    chosen[r.share] = r
        return list(chosen.values())


@dataclass(frozen=True)
class QuoteRequest:
    segment: str
    programmes: tuple[str, ...]
    month: date
    income: int = 0  # BPU declared nominal, PU monthly wage
    contract_value: int = 0  # Jakon
    contract_months: int = 0  # PMI
    risk_class: int = 1  # PU JKK
    sector: str = "umum"
    payer: str = "self"


@dataclass
class QuoteLine:
    programme: str
    employer: int = 0
    worker: int = 0
    discount: int = 0  # already taken off employer/worker
    discount_name: str = ""
    basis_amount: int = 0  # what the percentages apply to (income, ceiling, contract value, months)
    basis_kind: str = "amount"  # amount | ceiling | months
    regulation: str = ""
    cut: _Cut | None = None  # the discount rule taken off, when there is one
    parts: tuple = ()  # the rate rows applied (_Part), to describe the rule in the user's language

    @property
    def rule(self) -> str:
        """How the amount is computed, in the user's language: '1% dari Rp1.000.000', 'Rp6.800 sebulan',
        'pemberi kerja 3,7% + pekerja 2% dari Rp5.000.000' (the regulation's name is shown beside it, as data)."""
        if self.basis_kind == "months":
            return self.basis  # PMI: the package for the contract's length
        if not self.parts:  # Jakon
            return _("lapisan tarif atas nilai kontrak %(b)s") % {"b": self.basis}
        both = len({part.employer for part in self.parts}) > 1
        pieces = []
        for part in self.parts:
            rate = rupiah(part.flat) if part.flat else percent_text(part.ppm)
            if both:
                rate = (_("pemberi kerja %(r)s") if part.employer else _("pekerja %(r)s")) % {"r": rate}
            pieces.append(rate)
        if all(part.flat for part in self.parts):
            return _("%(r)s sebulan") % {"r": " + ".join(pieces)}
        return _("%(r)s dari %(b)s") % {"r": " + ".join(pieces), "b": self.basis}

    @property
    def total(self) -> int:
        return self.employer + self.worker

    @property
    def discount_rule(self) -> RuleInForce | None:
        """The discount taken off this line, described in the user's language (the regulation as data)."""
        cut = self.cut
        if cut is None:
            return None
        return RuleInForce(cut.title, cut.regulation, (self.programme,), Decimal(cut.ppm_off) / 10_000,
                           cut.valid_from, cut.valid_until)

    @property
    def basis(self) -> str:
        if self.basis_kind == "ceiling":
            return _("plafon %(c)s") % {"c": rupiah(self.basis_amount)}
        if self.basis_kind == "months":
            return _("%(n)s bulan kontrak") % {"n": self.basis_amount}
        return rupiah(self.basis_amount)


@dataclass
class Quote:
    request: QuoteRequest
    lines: list[QuoteLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def employer(self) -> int:
        return sum(line.employer for line in self.lines)

    @property
    def worker(self) -> int:
        return sum(line.worker for line in self.lines)

    @property
    def discount(self) -> int:
        return sum(line.discount for line in self.lines)

    @property
    def total(self) -> int:
        return self.employer + self.worker

    def as_dict(self) -> dict:
        r = self.request
        return {"segment": r.segment, "programmes": list(r.programmes), "month": r.month.strftime("%Y-%m"),
                "payer": r.payer, "sector": r.sector,
                "lines": [{"programme": x.programme, "employer": x.employer, "worker": x.worker, "total": x.total,
                           "discount": x.discount, "discount_name": x.discount_name, "basis": x.basis,
                           "rule": x.rule,
                           "regulation": x.regulation} for x in self.lines],
                "employer": self.employer, "worker": self.worker, "discount": self.discount, "total": self.total,
                "notes": self.notes}


# --- plans -----------------------------------------------------------------------------------------------
# Everything about a quote that does not depend on the amount (which rows, ceiling, discount, regulation
# names) is worked out once per (segment, programmes, month, risk class, sector, payer) and kept on the
# book; a quote then only does the arithmetic. Refusals are never kept: a bad request is checked each time.

@dataclass(frozen=True)
class _Part:
    employer: bool
    ppm: int
    flat: int
    capped: bool


@dataclass(frozen=True)
class _Cut:
    ppm_off: int
    employer: bool
    worker: bool
    name: str  # "name (regulation)", as shown so far
    title: str = ""  # the discount's name as stored
    regulation: str = ""
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class _LinePlan:
    programme: str
    parts: tuple[_Part, ...]
    regulation: str
    capped_regulation: str  # the regulation names when the wage ceiling applies
    cut: _Cut | None
    bands: tuple[BandRow, ...] = ()  # Jakon


@dataclass(frozen=True)
class _Plan:
    segment: str
    lines: tuple[_LinePlan, ...]
    allowed: frozenset[int] | None  # BPU income nominals
    ceiling: int | None
    pmi: tuple[PmiRow, ...] = ()


def _check(book: RateBook, req: QuoteRequest) -> tuple[str, ...]:
    segment = req.segment.upper()
    if segment not in OPTIONAL:
        raise QuoteError(ErrorCode.BAD_SEGMENT, "segment", _("Segmen '%(s)s' tidak dikenal (PU, BPU, JAKON, PMI).")
                         % {"s": req.segment})
    programmes = tuple(dict.fromkeys(p.upper() for p in req.programmes))
    missing = [p for p in MANDATORY if p not in programmes]
    if missing:
        raise QuoteError(ErrorCode.PROGRAMME_REQUIRED, "programmes", _("Program %(p)s wajib diikutkan.")
                         % {"p": _(" dan ").join(missing)})
    allowed = (*MANDATORY, *OPTIONAL[segment])
    extra = [p for p in programmes if p not in allowed]
    if extra:
        raise QuoteError(ErrorCode.PROGRAMME_NOT_ALLOWED, "programmes",
                         _("Program %(p)s tidak tersedia untuk segmen %(s)s (yang boleh: %(a)s).")
                         % {"p": ", ".join(extra), "s": segment, "a": ", ".join(allowed)})
    if book.first_month is None or req.month < book.first_month:
        raise QuoteError(ErrorCode.NO_RATE, "month", _("Belum ada tarif iuran untuk bulan %(m)s.")
                         % {"m": req.month.strftime("%m/%Y")})
    if segment == "PU" and not 1 <= req.risk_class <= 5:
        raise QuoteError(ErrorCode.BAD_RISK_CLASS, "risk_class", _("Kelas risiko JKK harus 1 sampai 5."))
    return programmes


def _plan(book: RateBook, req: QuoteRequest) -> _Plan:
    key = (req.segment, req.programmes, req.month, req.risk_class, req.sector, req.payer)
    found = book.plans.get(key)
    if found is None:
        if len(book.plans) >= 50_000:  # a long-lived book quoting every combination: start again
            book.plans.clear()
        found = book.plans[key] = _make_plan(book, req)
    return found


def _make_plan(book: RateBook, req: QuoteRequest) -> _Plan:
    programmes = _check(book, req)
    segment = req.segment.upper()
    month = req.month
    if segment == "PMI":
        packages = sorted(_latest([p for p in book.pmi if p.covers(month)]), key=lambda p: p.contract_months)
        if not packages:
            raise QuoteError(ErrorCode.NO_RATE, "month", _("Belum ada paket iuran PMI untuk bulan %(m)s.")
                             % {"m": month.strftime("%m/%Y")})
        return _Plan(segment, (), None, None, pmi=tuple(packages))
    if segment == "JAKON":
        lines = []
        for programme in programmes:
            rows = sorted(_latest([b for b in book.bands if b.programme == programme and b.covers(month)]),
                          key=lambda b: b.lower)
            if not rows:
                raise QuoteError(ErrorCode.NO_RATE, "month", _("Belum ada tarif jasa konstruksi untuk bulan %(m)s.")
                                 % {"m": month.strftime("%m/%Y")})
            lines.append(_LinePlan(programme, (), rows[0].regulation, rows[0].regulation,
                                   _best_cut(book, req, segment, programme), bands=tuple(rows)))
        return _Plan(segment, tuple(lines), None, None)
    ceiling = None
    lines = []
    for programme in programmes:
        rows = book.rate_rows(segment, programme, month, req.risk_class)
        if not rows:
            raise QuoteError(ErrorCode.NO_RATE, "month", _("Belum ada tarif %(p)s %(s)s untuk bulan %(m)s.")
                             % {"p": programme, "s": segment, "m": month.strftime("%m/%Y")})
        # the rows of one programme usually share their regulation's name; each is named once
        regulation = capped_regulation = "; ".join(dict.fromkeys(r.regulation for r in rows))
        if any(r.wage_capped for r in rows):
            found = book.ceiling(month)
            if found is None:
                raise QuoteError(ErrorCode.NO_RATE, "month", _("Belum ada plafon upah %(p)s untuk bulan %(m)s.")
                                 % {"p": programme, "m": month.strftime("%m/%Y")})
            ceiling, ceiling_regulation = found
            if ceiling_regulation not in regulation:
                capped_regulation = f"{regulation}; {ceiling_regulation}"
        parts = tuple(_Part(r.share == "employer", r.ppm, r.flat, r.wage_capped) for r in rows)
        lines.append(_LinePlan(programme, parts, regulation, capped_regulation,
                               _best_cut(book, req, segment, programme)))
    allowed = book.allowed_nominals(month) if segment == "BPU" else None
    return _Plan(segment, tuple(lines), allowed, ceiling)


def _payer_excluded(book: RateBook, payer: str, excluded: tuple[str, ...]) -> bool:
    if payer in excluded:
        return True
    return payer == "apbdes" and book.apbdes_is_state_budget and any(p in excluded for p in STATE_BUDGETS)


def _best_cut(book: RateBook, req: QuoteRequest, segment: str, programme: str) -> _Cut | None:
    best = None
    for d in book.discounts:
        if (d.segment == segment and programme in d.programmes and d.covers(req.month)
                and (not d.sectors or req.sector in d.sectors)
                and not _payer_excluded(book, req.payer, d.excluded_payers)
                and (best is None or d.ppm_off > best.ppm_off)):
            best = d
    if best is None:
        return None
    return _Cut(best.ppm_off, best.share in ("", "employer"), best.share in ("", "worker"),
                f"{best.name} ({best.regulation})", best.name, best.regulation, best.valid_from, best.valid_until)


# --- the quote -------------------------------------------------------------------------------------------

def quote(book: RateBook, req: QuoteRequest) -> Quote:
    """The monthly contribution for one person (PMI: the whole contract), programme by programme."""
    plan = _plan(book, req)
    segment = plan.segment
    if segment == "PMI":
        return Quote(req, [_pmi(plan, req)])
    if segment == "JAKON":
        value = req.contract_value
        if value <= 0:
            raise QuoteError(ErrorCode.BAD_CONTRACT_VALUE, "contract_value", _("Nilai kontrak harus lebih dari nol."))
        lines = []
        for line_plan in plan.lines:
            amount = 0
            for band in line_plan.bands:  # marginal: each band's rate on the part of the value inside it
                top = value if band.upper is None else min(value, band.upper)
                if top > band.lower:
                    amount += percent_of(top - band.lower, band.ppm)
            lines.append(_cut(QuoteLine(line_plan.programme, employer=amount, basis_amount=value,
                                        regulation=line_plan.regulation), line_plan.cut))
        return Quote(req, lines)
    income = req.income
    if income < 0:
        raise QuoteError(ErrorCode.BAD_INCOME, "income", _("Upah atau penghasilan tidak boleh kurang dari nol."))
    if plan.allowed is not None:
        if income not in plan.allowed:
            nearest = sorted(plan.allowed, key=lambda a: abs(a - income))[:2]
            raise QuoteError(ErrorCode.INCOME_NOT_ALLOWED, "income",
                             _("Nominal penghasilan %(v)s tidak ada dalam daftar nominal BPU. Pilih misalnya %(a)s.")
                             % {"v": rupiah(income), "a": _(" atau ").join(rupiah(a) for a in sorted(nearest))})
    elif income == 0:
        raise QuoteError(ErrorCode.BAD_INCOME, "income", _("Upah sebulan wajib diisi untuk penerima upah."))
    ceiling = plan.ceiling
    over = ceiling is not None and income > ceiling
    lines = []
    for line_plan in plan.lines:
        employer = worker = 0
        capped = False
        for part in line_plan.parts:
            if part.flat:
                amount = part.flat
            elif part.capped and over:
                amount = percent_of(ceiling, part.ppm)
                capped = True
            else:
                amount = percent_of(income, part.ppm)
            if part.employer:
                employer += amount
            else:
                worker += amount
        line = QuoteLine(line_plan.programme, employer, worker,
                         basis_amount=ceiling if capped else income, basis_kind="ceiling" if capped else "amount",
                         regulation=line_plan.capped_regulation if capped else line_plan.regulation,
                         parts=line_plan.parts)
        lines.append(_cut(line, line_plan.cut) if line_plan.cut else line)
    return Quote(req, lines)


def _cut(line: QuoteLine, cut: _Cut | None) -> QuoteLine:
    if cut is None:
        return line
    cut_employer = percent_of(line.employer, cut.ppm_off) if cut.employer else 0
    cut_worker = percent_of(line.worker, cut.ppm_off) if cut.worker else 0
    line.employer -= cut_employer
    line.worker -= cut_worker
    line.discount = cut_employer + cut_worker
    line.discount_name = cut.name
    line.cut = cut
    return line


def _latest(rows: list) -> list:
    """A table of rows (bands, packages) is replaced as a whole: the set in force from the latest date."""
    if not rows:
        return rows
    newest = max(r.valid_from for r in rows)
    return [r for r in rows if r.valid_from == newest]


def _pmi(plan: _Plan, req: QuoteRequest) -> QuoteLine:
    if req.contract_months <= 0:
        raise QuoteError(ErrorCode.BAD_CONTRACT_MONTHS, "contract_months",
                         _("Lama kontrak PMI harus paling sedikit 1 bulan."))
    packages = plan.pmi
    fitting = [p for p in packages if p.contract_months <= req.contract_months]
    package = fitting[-1] if fitting else packages[0]  # shorter than every package: the shortest one
    extra = max(req.contract_months - package.contract_months, 0) * package.extra_month
    return QuoteLine("JKK+JKM", worker=package.before_departure + package.during_and_after + extra,
                     basis_amount=req.contract_months, basis_kind="months", regulation=package.regulation)


@dataclass(frozen=True)
class RuleInForce:
    """A discount taken off in some months, as the rule data names it (name and regulation are data)."""
    name: str
    regulation: str
    programmes: tuple[str, ...]
    percent_off: Decimal
    valid_from: date | None
    valid_until: date | None

    def as_dict(self) -> dict:
        return {"name": self.name, "regulation": self.regulation, "programmes": list(self.programmes),
                "percent_off": f"{self.percent_off.normalize():f}", "valid_from": _month_key(self.valid_from),
                "valid_until": _month_key(self.valid_until), "text": self.text}

    @property
    def label(self) -> str:
        """'potongan 50% JKK dan JKM (PP 50/2025)': fixed words translated, the regulation as the data names it."""
        return _("potongan %(p)s %(g)s (%(r)s)") % {"p": f"{self.percent_off.normalize():f}%",
                                                    "g": _(" dan ").join(self.programmes), "r": self.regulation}

    @property
    def text(self) -> str:
        """The label and, when the rule has one, its last month: '... sampai Desember 2026'."""
        if self.valid_until is None:
            return self.label
        return _("%(d)s sampai %(u)s") % {"d": self.label, "u": month_name(self.valid_until)}


@dataclass(frozen=True)
class Change:
    """Why a run's amount differs from the run before: a discount ended or started, or a rate changed."""
    kind: str  # discount_ended | discount_started | rate_changed
    month: date  # discount_ended: its last month; otherwise the first month of the new amount
    regulation: str
    discount: RuleInForce | None = None
    programme: str = ""

    @property
    def text(self) -> str:
        if self.kind == "discount_ended":
            return _("%(d)s berakhir setelah bulan iuran %(m)s") % {"d": self.discount.label,
                                                                      "m": month_name(self.month)}
        if self.kind == "discount_started":
            return _("%(d)s mulai berlaku bulan iuran %(m)s") % {"d": self.discount.label,
                                                                  "m": month_name(self.month)}
        return _("tarif %(p)s berubah mulai bulan iuran %(m)s (%(r)s)") % {
            "p": self.programme, "m": month_name(self.month), "r": self.regulation}

    def as_dict(self) -> dict:
        return {"kind": self.kind, "month": _month_key(self.month), "regulation": self.regulation,
                "programme": self.programme, "discount": self.discount.as_dict() if self.discount else None,
                "text": self.text}


@dataclass
class Run:
    """Consecutive months of a period in which one person's monthly amount and the rules behind it stay the same."""
    start: date
    end: date
    months: int
    amount: int  # per person per month
    people: int
    discounts: tuple[RuleInForce, ...]
    regulations: tuple[str, ...]  # the rate rules in force, one per programme
    changes: tuple[Change, ...] = ()  # why this run differs from the one before (empty for the first)

    @property
    def total(self) -> int:
        return self.amount * self.months * self.people

    @property
    def reason(self) -> str:
        """'Mulai Januari 2027: Rp16.800 sebulan per orang, karena ...' ('' for the first run)."""
        if not self.changes:
            return ""
        return _("Mulai %(m)s: %(a)s sebulan per orang, karena %(why)s.") % {
            "m": month_name(self.start), "a": rupiah(self.amount), "why": "; ".join(c.text for c in self.changes)}

    def as_dict(self) -> dict:
        return {"from_month": _month_key(self.start), "to_month": _month_key(self.end), "months": self.months,
                "amount": self.amount, "people": self.people, "total": self.total,
                "discounts": [d.as_dict() for d in self.discounts], "regulations": list(self.regulations),
                "changes": [c.as_dict() for c in self.changes], "reason": self.reason}


def month_name(month: date) -> str:
    """'Desember 2026' / 'December 2026': the month in the active language."""
    from django.utils.formats import date_format

    return date_format(month, "F Y")


def _month_key(month: date | None) -> str | None:
    return month.strftime("%Y-%m") if month else None


def _rules(q: Quote) -> tuple[tuple[RuleInForce, ...], tuple[tuple[str, str], ...]]:
    """The discounts taken off a month's quote (programmes of one discount together) and each programme's rule."""
    found: dict[tuple[str, str], list] = {}
    for line in q.lines:
        if line.cut is not None:
            entry = found.setdefault((line.cut.title, line.cut.regulation), [line.cut, []])
            entry[1].append(line.programme)
    discounts = tuple(RuleInForce(cut.title, cut.regulation, tuple(programmes), Decimal(cut.ppm_off) / 10_000,
                                  cut.valid_from, cut.valid_until) for cut, programmes in found.values())
    return discounts, tuple((line.programme, line.regulation) for line in q.lines)


def _changes(before: Run, after: Run, before_rates: tuple, after_rates: tuple) -> tuple[Change, ...]:
    key = {(d.name, d.regulation) for d in after.discounts}
    ended = [Change("discount_ended", before.end, d.regulation, d) for d in before.discounts
             if (d.name, d.regulation) not in key]
    key = {(d.name, d.regulation) for d in before.discounts}
    started = [Change("discount_started", after.start, d.regulation, d) for d in after.discounts
               if (d.name, d.regulation) not in key]
    old = dict(before_rates)
    rates = [Change("rate_changed", after.start, regulation, programme=programme)
             for programme, regulation in after_rates if old.get(programme) != regulation]
    return tuple(ended + started + rates)


@dataclass
class Budget:
    quote: Quote  # the first month's
    people: int
    months: int
    monthly: list[tuple[date, int]]  # (month, cost for all people)
    runs: list[Run] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(amount for _, amount in self.monthly)

    @property
    def amount_changes(self) -> bool:
        """Whether one person's monthly amount differs between months of the period."""
        return len({run.amount for run in self.runs}) > 1

    def as_dict(self) -> dict:
        return self.quote.as_dict() | {"people": self.people, "months": self.months, "budget_total": self.total,
                                       "monthly": [{"month": m.strftime("%Y-%m"), "amount": a}
                                                   for m, a in self.monthly],
                                       "amount_changes": self.amount_changes,
                                       "runs": [run.as_dict() for run in self.runs]}


def budget(book: RateBook, req: QuoteRequest, *, people: int, months: int) -> Budget:
    """What `people` cost for `months` contribution months from req.month, month by month (a discount may
    start or end inside the period), and the period as runs of months with the same amount and rules, each
    saying why it differs from the run before. The total is the sum of the runs."""
    if people < 1 or months < 1:
        field_name = "people" if people < 1 else "months"
        raise QuoteError(ErrorCode.BAD_COUNT, field_name, _("Jumlah orang dan bulan harus paling sedikit 1."))
    first = quote(book, req)
    monthly = []
    runs: list[Run] = []
    rates_of_run: list[tuple] = []
    for offset in range(months):
        month = add_months(req.month, offset)
        q = first if offset == 0 else quote(book, replace(req, month=month))
        monthly.append((month, q.total * people))
        discounts, rates = _rules(q)
        last = runs[-1] if runs else None
        if last and (last.amount, last.discounts, rates_of_run[-1]) == (q.total, discounts, rates):
            last.end = month
            last.months += 1
            continue
        run = Run(month, month, 1, q.total, people, discounts, tuple(dict.fromkeys(r for _p, r in rates)))
        if last:
            run.changes = _changes(last, run, rates_of_run[-1], rates)
        runs.append(run)
        rates_of_run.append(rates)
    return Budget(first, people, months, monthly, runs)
