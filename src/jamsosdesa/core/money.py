"""Whole rupiah, written the Indonesian way."""


def thousands(n: int) -> str:
    """100000 -> '100.000': a count written the Indonesian way."""
    return f"{int(n):,}".replace(",", ".")


def rupiah(amount: int) -> str:
    """16800 -> 'Rp16.800'; -5000 -> '-Rp5.000'."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{thousands(abs(amount))}"


TERBILANG_LANGUAGES = ("id", "en")


def terbilang(amount: int, lang: str = "id") -> str:
    """A whole rupiah amount in words, as a printed statement writes it under the figure ("terbilang"):
    1234567 -> 'Satu juta dua ratus tiga puluh empat ribu lima ratus enam puluh tujuh rupiah' (lang='en':
    'One million, two hundred and thirty-four thousand, five hundred and sixty-seven rupiah').

    A negative amount, a fraction or another language is refused (ValueError): a statement writes what is owed
    or paid, and a balance below zero is written as credit, never as 'minus'."""
    from num2words import num2words

    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"terbilang takes whole rupiah (int), not {type(amount).__name__}")
    if amount < 0:
        raise ValueError("terbilang takes an amount of zero or more")
    if lang not in TERBILANG_LANGUAGES:
        raise ValueError(f"terbilang speaks {', '.join(TERBILANG_LANGUAGES)}, not {lang!r}")
    words = num2words(amount, lang=lang)
    return f"{words[:1].upper()}{words[1:]} rupiah"
