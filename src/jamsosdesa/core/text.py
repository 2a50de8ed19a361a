"""Text that may reach the database: no NUL bytes, no lone surrogates, ASCII digits where digits."""

import re

_BAD = re.compile("[\x00\ud800-\udfff]")


def has_bad_chars(value: str) -> bool:
    return bool(_BAD.search(value))


def strip_bad_chars(value: str) -> str:
    return _BAD.sub("", value)


def is_ascii_digits(value: str) -> bool:
    """str.isdigit() also accepts '¹' and full-width digits; ID numbers are ASCII only."""
    return value.isascii() and value.isdigit()
