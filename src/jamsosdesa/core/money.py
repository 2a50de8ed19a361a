"""Whole rupiah, written the Indonesian way."""


def rupiah(amount: int) -> str:
    """16800 -> 'Rp16.800'; -5000 -> '-Rp5.000'."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")
