# Transitional: spreadsheet reading moved to jamsosdesa.core.sheets; removed once funding/services imports it there.
from jamsosdesa.core.sheets import CSV_ENCODINGS, FileProblem, Table, normalize_header, open_table  # noqa: F401
