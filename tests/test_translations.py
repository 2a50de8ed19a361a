"""The English catalogue stays complete: every Indonesian source string has a translation."""

import re
from pathlib import Path

import jamsosdesa

PO = Path(jamsosdesa.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the header
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""\n?$', e, re.M)
                    and not re.search(r'^msgstr(\[\d\])? ""\n"', e, re.M)]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in "\n\n".join(entries)
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 1
