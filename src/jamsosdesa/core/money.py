"""Whole rupiah, written the Indonesian way."""


def thousands(n: int) -> str:
    """100000 -> '100.000': a count written the Indonesian way."""
    return f"{int(n):,}".replace(",", ".")


def rupiah(amount: int) -> str:
    """16800 -> 'Rp16.800'; -5000 -> '-Rp5.000'."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{thousands(abs(amount))}"
