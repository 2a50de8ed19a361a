from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema
from pydantic import AfterValidator

from jamsosdesa.core import clock
from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.months import checked_month_text, parse_month

from .book import rate_book
from .calculator import QuoteRequest, budget
from .models import PayerType, Sector

router = Router()


class QuoteQuery(Schema):
    segment: str = Field(..., description="BPU, PU, JAKON atau PMI")
    programs: str = Field("JKK,JKM", description="Program dipisah koma, mis. JKK,JKM,JHT")
    income: Annotated[int, Field(ge=0, le=10**12)] = 0
    month: Annotated[str, AfterValidator(checked_month_text)] | None = Field(
        None, description="Bulan iuran YYYY-MM (bawaan: bulan ini)",
        json_schema_extra={"pattern": r"^\d{4}-(0[1-9]|1[0-2])$"})
    payer: Literal[tuple(PayerType.values)] = "self"
    sector: Literal[tuple(Sector.values)] = "umum"
    risk_class: Annotated[int, Field(ge=1, le=5)] = 1
    contract_value: Annotated[int, Field(ge=0, le=10**15)] = 0
    contract_months: Annotated[int, Field(ge=0, le=120)] = 0
    people: Annotated[int, Field(ge=1, le=10_000_000)] = 1
    months: Annotated[int, Field(ge=1, le=120)] = 1


class LineOut(Schema):
    programme: str
    employer: int
    worker: int
    total: int
    discount: int
    discount_name: str
    basis: str
    rule: str = Field(..., description="Cara menghitung dalam bahasa pengguna, mis. 1% dari Rp1.000.000")
    regulation: str


class MonthOut(Schema):
    month: str
    amount: int


class DiscountOut(Schema):
    name: str = Field(..., description="Nama diskon seperti tersimpan di aturan")
    regulation: str = Field(..., description="Dasar hukum seperti tersimpan di aturan, mis. PP 50/2025")
    programmes: list[str]
    percent_off: str
    valid_from: str | None
    valid_until: str | None = Field(..., description="Bulan iuran terakhir diskon berlaku (YYYY-MM)")
    text: str = Field(..., description="Uraian dalam bahasa pengguna")


class ChangeOut(Schema):
    kind: Literal["discount_ended", "discount_started", "rate_changed"]
    month: str = Field(..., description="discount_ended: bulan terakhir diskon; lainnya: bulan pertama jumlah baru")
    regulation: str
    programme: str
    discount: DiscountOut | None
    text: str


class RunOut(Schema):
    """Bulan-bulan berturut-turut dengan iuran sebulan per orang dan aturan yang sama."""

    from_month: str = Field(..., description="Bulan pertama (YYYY-MM)")
    to_month: str = Field(..., description="Bulan terakhir (YYYY-MM)")
    months: int
    amount: int = Field(..., description="Iuran sebulan per orang")
    people: int
    total: int = Field(..., description="amount × months × people")
    discounts: list[DiscountOut]
    regulations: list[str]
    changes: list[ChangeOut] = Field(..., description="Mengapa jumlahnya berbeda dari run sebelumnya")
    reason: str


class QuoteOut(Schema):
    segment: str
    programmes: list[str]
    month: str
    payer: str
    sector: str
    lines: list[LineOut]
    employer: int
    worker: int
    discount: int
    total: int
    notes: list[str]
    people: int
    months: int
    budget_total: int
    monthly: list[MonthOut]
    amount_changes: bool = Field(..., description="Iuran sebulan per orang berubah di dalam periode")
    runs: list[RunOut] = Field(..., description="Periode dipecah menjadi run dengan jumlah sama; "
                                                "budget_total = jumlah total semua run")


@router.get("/quote",
            **answers({200: QuoteOut}, E.BAD_SEGMENT, E.PROGRAMME_REQUIRED, E.PROGRAMME_NOT_ALLOWED, E.NO_RATE,
                      E.BAD_RISK_CLASS, E.BAD_CONTRACT_VALUE, E.BAD_CONTRACT_MONTHS, E.BAD_INCOME,
                      E.INCOME_NOT_ALLOWED, E.BAD_COUNT),
            summary="Simulasi iuran (dan anggaran untuk banyak orang dan bulan)")
def quote(request, q: Query[QuoteQuery]):
    """Every amount is whole rupiah. Bad input answers 422 with a code (`income_not_allowed`, `no_rate`, ...)
    and the field it concerns."""
    start = parse_month(q.month) if q.month else clock.this_month()
    req = QuoteRequest(segment=q.segment.upper(), month=start,
                       programmes=tuple(p.strip().upper() for p in q.programs.split(",") if p.strip()),
                       income=q.income, contract_value=q.contract_value, contract_months=q.contract_months,
                       risk_class=q.risk_class, sector=q.sector, payer=q.payer)
    return budget(rate_book(), req, people=q.people, months=q.months).as_dict()
