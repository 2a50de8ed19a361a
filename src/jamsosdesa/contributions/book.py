"""Build a `RateBook` from the rule tables, or from the shipped defaults (no database)."""

from decimal import Decimal

from django.conf import settings

from . import defaults
from .calculator import BandRow, Dated, DiscountRow, PmiRow, RateBook, RateRow, to_ppm


def rate_book() -> RateBook:
    """The rules as the administrators keep them in the database."""
    from .models import ContractBand, Discount, IncomeNominal, PmiPackage, Rate, WageCeiling

    return RateBook(
        rates=[RateRow(r.valid_from, r.valid_until, r.regulation, segment=r.segment, programme=r.programme,
                       share=r.share, risk_class=r.risk_class, ppm=to_ppm(r.percent), flat=r.flat_amount,
                       wage_capped=r.wage_capped) for r in Rate.objects.all()],
        ceilings=[(c.valid_from, c.amount, c.regulation) for c in WageCeiling.objects.filter(programme="JP")],
        bands=[BandRow(b.valid_from, b.valid_until, b.regulation, programme=b.programme, lower=b.lower,
                       upper=b.upper, ppm=to_ppm(b.percent)) for b in ContractBand.objects.all()],
        pmi=[PmiRow(p.valid_from, p.valid_until, p.regulation, contract_months=p.contract_months,
                    before_departure=p.before_departure, during_and_after=p.during_and_after,
                    extra_month=p.extra_month) for p in PmiPackage.objects.all()],
        nominals=[(Dated(n.valid_from, n.valid_until, n.regulation), n.amount) for n in IncomeNominal.objects.all()],
        discounts=[DiscountRow(d.valid_from, d.valid_until, d.regulation, name=d.name, segment=d.segment,
                               programmes=tuple(d.programmes), share=d.share, ppm_off=to_ppm(d.percent_off),
                               sectors=tuple(d.sectors), excluded_payers=tuple(d.excluded_payers))
                   for d in Discount.objects.all()],
        apbdes_is_state_budget=settings.CONTRIBUTION_APBDES_IS_STATE_BUDGET,
    )


def default_rate_book(*, apbdes_is_state_budget: bool = True) -> RateBook:
    """The shipped defaults, without a database (tests of the arithmetic, benchmarks)."""
    return RateBook(
        rates=[RateRow(since, None, reg, segment=s, programme=p, share=sh, risk_class=rc, ppm=to_ppm(pct),
                       flat=flat, wage_capped=capped)
               for s, p, sh, rc, pct, flat, capped, since, reg in defaults.RATES],
        ceilings=[(since, amount, reg) for since, amount, reg in defaults.CEILINGS],
        bands=[BandRow(since, None, reg, programme=p, lower=lo, upper=hi, ppm=to_ppm(pct))
               for p, lo, hi, pct, since, reg in defaults.BANDS],
        pmi=[PmiRow(since, None, reg, contract_months=m, before_departure=b, during_and_after=d, extra_month=x)
             for m, b, d, x, since, reg in defaults.PMI_PACKAGES],
        nominals=[(Dated(defaults.SINCE, None, defaults.NOMINALS_REGULATION), a) for a in defaults.NOMINALS],
        discounts=[DiscountRow(start, end, reg, name=n, segment=s, programmes=tuple(ps), share=sh,
                               ppm_off=to_ppm(Decimal(pct)), sectors=tuple(sec), excluded_payers=tuple(ex))
                   for n, s, ps, sh, pct, sec, ex, start, end, reg in defaults.DISCOUNTS],
        apbdes_is_state_budget=apbdes_is_state_budget,
    )
