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

from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.money import rupiah

PPM = 1_000_000
MANDATORY = ("JKK", "JKM")
OPTIONAL = {"BPU": ("JHT",), "PU": ("JHT", "JP"), "JAKON": (), "PMI": ()}
STATE_BUDGETS = ("apbn", "apbd")


def percent_of(amount: int, ppm: int) -> int:
    """amount × ppm / 1,000,000, rounded half up to the rupiah: the one rounding rule."""
    return (amount * ppm * 2 + PPM) // (2 * PPM)


def to_ppm(percent: Decimal | str) -> int:
    """'0.24' (percent) -> 2,400 parts per million; at most four decimals."""
    value = Decimal(str(percent)) * 10_000
    if value != value.to_integral_value():
        raise ValueError(f"percent {percent} has more than four decimals")
    return int(value)


def month_start(value: date) -> date:
    return value.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


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
    basis: str = ""
    regulation: str = ""

    @property
    def total(self) -> int:
        return self.employer + self.worker


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
                           "regulation": x.regulation} for x in self.lines],
                "employer": self.employer, "worker": self.worker, "discount": self.discount, "total": self.total,
                "notes": self.notes}


def _check(book: RateBook, req: QuoteRequest) -> tuple[str, ...]:
    segment = req.segment.upper()
    if segment not in OPTIONAL:
        raise QuoteError("bad_segment", "segment", _("Segmen '%(s)s' tidak dikenal (PU, BPU, JAKON, PMI).")
                         % {"s": req.segment})
    programmes = tuple(dict.fromkeys(p.upper() for p in req.programmes))
    missing = [p for p in MANDATORY if p not in programmes]
    if missing:
        raise QuoteError("programme_required", "programmes", _("Program %(p)s wajib diikutkan.")
                         % {"p": " dan ".join(missing)})
    allowed = (*MANDATORY, *OPTIONAL[segment])
    extra = [p for p in programmes if p not in allowed]
    if extra:
        raise QuoteError("programme_not_allowed", "programmes",
                         _("Program %(p)s tidak tersedia untuk segmen %(s)s (yang boleh: %(a)s).")
                         % {"p": ", ".join(extra), "s": segment, "a": ", ".join(allowed)})
    if book.first_month is None or req.month < book.first_month:
        raise QuoteError("no_rate", "month", _("Belum ada tarif iuran untuk bulan %(m)s.")
                         % {"m": req.month.strftime("%m/%Y")})
    return programmes


def quote(book: RateBook, req: QuoteRequest) -> Quote:
    """The monthly contribution for one person (PMI: the whole contract), programme by programme."""
    programmes = _check(book, req)
    segment = req.segment.upper()
    result = Quote(req)
    if segment == "PMI":
        result.lines.append(_pmi(book, req))
    elif segment == "JAKON":
        if req.contract_value <= 0:
            raise QuoteError("bad_contract_value", "contract_value", _("Nilai kontrak harus lebih dari nol."))
        result.lines.extend(_jakon(book, req, p) for p in programmes)
    else:
        _check_income(book, req, segment)
        for programme in programmes:
            result.lines.append(_by_rate(book, req, segment, programme))
    for line in result.lines:
        _discount(book, req, segment, line)
    return result


def _check_income(book: RateBook, req: QuoteRequest, segment: str) -> None:
    if req.income < 0:
        raise QuoteError("bad_income", "income", _("Upah atau penghasilan tidak boleh kurang dari nol."))
    if segment == "BPU":
        allowed = book.allowed_nominals(req.month)
        if req.income not in allowed:
            nearest = sorted(allowed, key=lambda a: abs(a - req.income))[:2]
            raise QuoteError("income_not_allowed", "income",
                             _("Nominal penghasilan %(v)s tidak ada dalam daftar nominal BPU. Pilih misalnya %(a)s.")
                             % {"v": rupiah(req.income), "a": _(" atau ").join(rupiah(a) for a in sorted(nearest))})
    elif req.income == 0:
        raise QuoteError("bad_income", "income", _("Upah sebulan wajib diisi untuk penerima upah."))
    if segment == "PU" and not 1 <= req.risk_class <= 5:
        raise QuoteError("bad_risk_class", "risk_class", _("Kelas risiko JKK harus 1 sampai 5."))


def _by_rate(book: RateBook, req: QuoteRequest, segment: str, programme: str) -> QuoteLine:
    rows = book.rate_rows(segment, programme, req.month, req.risk_class)
    if not rows:
        raise QuoteError("no_rate", "month", _("Belum ada tarif %(p)s %(s)s untuk bulan %(m)s.")
                         % {"p": programme, "s": segment, "m": req.month.strftime("%m/%Y")})
    line = QuoteLine(programme, regulation="; ".join(dict.fromkeys(r.regulation for r in rows)))
    # (the rows of one programme usually share their regulation's name; each is named once)
    base, line.basis = req.income, rupiah(req.income)
    for row in rows:
        if row.wage_capped:
            found = book.ceiling(req.month)
            if found is None:
                raise QuoteError("no_rate", "month", _("Belum ada plafon upah %(p)s untuk bulan %(m)s.")
                                 % {"p": programme, "m": req.month.strftime("%m/%Y")})
            ceiling, regulation = found
            if req.income > ceiling:
                base = ceiling
                line.basis = _("plafon %(c)s") % {"c": rupiah(ceiling)}
                if regulation not in line.regulation:
                    line.regulation += f"; {regulation}"
        amount = row.flat or percent_of(base if row.wage_capped else req.income, row.ppm)
        if row.share == "employer":
            line.employer += amount
        else:
            line.worker += amount
    return line


def _latest(rows: list) -> list:
    """A table of rows (bands, packages) is replaced as a whole: the set in force from the latest date."""
    if not rows:
        return rows
    newest = max(r.valid_from for r in rows)
    return [r for r in rows if r.valid_from == newest]


def _jakon(book: RateBook, req: QuoteRequest, programme: str) -> QuoteLine:
    bands = _latest([b for b in book.bands if b.programme == programme and b.covers(req.month)])
    bands.sort(key=lambda b: b.lower)
    if not bands:
        raise QuoteError("no_rate", "month", _("Belum ada tarif jasa konstruksi untuk bulan %(m)s.")
                         % {"m": req.month.strftime("%m/%Y")})
    amount = 0
    for band in bands:  # marginal: each band's rate on the part of the value inside it
        top = req.contract_value if band.upper is None else min(req.contract_value, band.upper)
        if top > band.lower:
            amount += percent_of(top - band.lower, band.ppm)
    return QuoteLine(programme, employer=amount, basis=rupiah(req.contract_value),
                     regulation=bands[0].regulation)


def _pmi(book: RateBook, req: QuoteRequest) -> QuoteLine:
    if req.contract_months <= 0:
        raise QuoteError("bad_contract_months", "contract_months",
                         _("Lama kontrak PMI harus paling sedikit 1 bulan."))
    packages = sorted(_latest([p for p in book.pmi if p.covers(req.month)]), key=lambda p: p.contract_months)
    if not packages:
        raise QuoteError("no_rate", "month", _("Belum ada paket iuran PMI untuk bulan %(m)s.")
                         % {"m": req.month.strftime("%m/%Y")})
    fitting = [p for p in packages if p.contract_months <= req.contract_months]
    package = fitting[-1] if fitting else packages[0]  # shorter than every package: the shortest one
    extra = max(req.contract_months - package.contract_months, 0) * package.extra_month
    return QuoteLine("JKK+JKM", worker=package.before_departure + package.during_and_after + extra,
                     basis=_("%(n)s bulan kontrak") % {"n": req.contract_months}, regulation=package.regulation)


def _payer_excluded(book: RateBook, payer: str, excluded: tuple[str, ...]) -> bool:
    if payer in excluded:
        return True
    return payer == "apbdes" and book.apbdes_is_state_budget and any(p in excluded for p in STATE_BUDGETS)


def _discount(book: RateBook, req: QuoteRequest, segment: str, line: QuoteLine) -> None:
    best = None
    for d in book.discounts:
        if (d.segment == segment and line.programme in d.programmes and d.covers(req.month)
                and (not d.sectors or req.sector in d.sectors)
                and not _payer_excluded(book, req.payer, d.excluded_payers)
                and (best is None or d.ppm_off > best.ppm_off)):
            best = d
    if best is None:
        return
    cut_employer = percent_of(line.employer, best.ppm_off) if best.share in ("", "employer") else 0
    cut_worker = percent_of(line.worker, best.ppm_off) if best.share in ("", "worker") else 0
    line.employer -= cut_employer
    line.worker -= cut_worker
    line.discount = cut_employer + cut_worker
    line.discount_name = f"{best.name} ({best.regulation})"


@dataclass
class Budget:
    quote: Quote  # the first month's
    people: int
    months: int
    monthly: list[tuple[date, int]]  # (month, cost for all people)

    @property
    def total(self) -> int:
        return sum(amount for _, amount in self.monthly)


def budget(book: RateBook, req: QuoteRequest, *, people: int, months: int) -> Budget:
    """What `people` cost for `months` contribution months from req.month, month by month (a discount may
    start or end inside the period)."""
    if people < 1 or months < 1:
        field_name = "people" if people < 1 else "months"
        raise QuoteError("bad_count", field_name, _("Jumlah orang dan bulan harus paling sedikit 1."))
    first = quote(book, req)
    monthly = []
    for offset in range(months):
        month = add_months(req.month, offset)
        q = first if offset == 0 else quote(book, replace(req, month=month))
        monthly.append((month, q.total * people))
    return Budget(first, people, months, monthly)
