"""What one month of a package costs, as the columns of a due: the one place dues are priced.

The billing run prices each distinct combination (segment, programmes, income, payer, sector) once and joins
the result to the people in SQL; a payment that bills months ahead for one person prices the same way. Both
go through `price`, which asks the contribution engine (`contributions.calculator.quote`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jamsosdesa.contributions.calculator import QuoteError, QuoteRequest, RateBook, quote
from jamsosdesa.funding.models import PROGRAMME_BITS

COLUMNS = {"JKK": "jkk", "JKM": "jkm", "JHT": "jht", "JP": "jp"}


def programmes_of(mask: int) -> tuple[str, ...]:
    """Bits back to programme names, in the usual order (JKK, JKM, JHT, JP)."""
    return tuple(name for name, bit in PROGRAMME_BITS.items() if mask & bit)


@dataclass(frozen=True)
class Combo:
    """What a due's price depends on."""

    segment: str
    mask: int
    income: int
    payer: str
    sector: str


@dataclass(frozen=True)
class Priced:
    """A due's amounts per programme (discount already taken off), or the code of the reason it has none."""

    jkk: int = 0
    jkm: int = 0
    jht: int = 0
    jp: int = 0
    cuts: tuple[int, int, int, int] = (0, 0, 0, 0)  # the discount taken off each programme, in COLUMNS order
    error: str = ""  # an ErrorCode value (no_rate, income_not_allowed, …): the month cannot be billed so

    @property
    def total(self) -> int:
        return self.jkk + self.jkm + self.jht + self.jp

    @property
    def discount(self) -> int:
        return sum(self.cuts)

    def without(self, mask: int) -> Priced:
        """The same due less the programmes in `mask` (those another payer covers that month)."""
        keep = [not mask & PROGRAMME_BITS[name] for name in COLUMNS]
        cols = {col: (getattr(self, col) if kept else 0) for kept, col in zip(keep, COLUMNS.values(), strict=True)}
        cuts = tuple(cut if kept else 0 for kept, cut in zip(keep, self.cuts, strict=True))
        return Priced(**cols, cuts=cuts, error=self.error)


def price(book: RateBook, month: date, combo: Combo) -> Priced:
    """The due of one month for one combination; a refusal of the engine becomes `Priced(error=code)`."""
    programmes = programmes_of(combo.mask)
    try:
        q = quote(book, QuoteRequest(segment=combo.segment, programmes=programmes, month=month, income=combo.income,
                                     sector=combo.sector or "umum", payer=combo.payer))
    except QuoteError as refused:
        return Priced(error=str(refused.code))
    lines = {line.programme: line for line in q.lines}
    cols = {col: lines[name].total for name, col in COLUMNS.items() if name in lines}
    cuts = tuple(lines[name].discount if name in lines else 0 for name in COLUMNS)
    return Priced(**cols, cuts=cuts)
