"""Text that may reach the database: no NUL bytes, no lone surrogates, no other control characters (tab and line
breaks aside), ASCII digits where digits."""

import re

# NUL (PostgreSQL stores no NUL), the other C0 and C1 control characters (a file read in the wrong encoding or
# garbage bytes decode to them: stored, they are invisible in every page and export), and lone surrogates.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_bad_chars(value: str) -> bool:
    if value.isascii() and value.isprintable():  # almost every value: no regular expression needed
        return False
    return bool(_BAD.search(value))


def strip_bad_chars(value: str) -> str:
    return _BAD.sub("", value)


def is_ascii_digits(value: str) -> bool:
    """str.isdigit() also accepts '¹' and full-width digits; ID numbers are ASCII only."""
    return value.isascii() and value.isdigit()
