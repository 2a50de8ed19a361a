"""Values the system writes into files that people open in a spreadsheet (CSV exports, reports).

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab or a carriage return before one) as
a formula: a participant named `=HYPERLINK("http://…")` would run in the operator's Excel. Every CSV the
system writes goes through `csv_safe`; .xlsx files are written with `XLSX_OPTIONS` (strings stay strings).
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Options for every xlsxwriter.Workbook the system writes: a string is never turned into a formula (or a number
# or a link) because of how it looks.
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def csv_safe(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe (shown as text, as Excel
    does itself); other values are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_safe_row(row) -> list:
    return [csv_safe(value) for value in row]


def csv_unsafe(value: str) -> str:
    """`csv_safe` undone: a text read back from a CSV loses the one apostrophe `csv_safe` put before a formula
    start, so our own export imports as it was (a phone '+62…, a name '=x); any other apostrophe stays."""
    if value[:1] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
