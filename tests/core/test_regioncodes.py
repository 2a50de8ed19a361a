"""Region-code arithmetic in core: a code's length tells its level, its prefixes are the regions above it."""

import pytest

from jamsosdesa.core.access import region_q
from jamsosdesa.core.regioncodes import Level, ancestor_codes, code_at, code_within, is_desa_code, level_of_code


@pytest.mark.parametrize(("code", "level"), [
    ("51", Level.PROVINSI), ("51.04", Level.KABUPATEN), ("51.04.01", Level.KECAMATAN),
    ("51.04.01.2001", Level.DESA), ("", None), ("51.0", None), ("51.04.01.200", None), ("51.04.01.20011", None),
])
def test_the_length_of_a_code_tells_its_level(code, level):
    assert level_of_code(code) == level
    assert is_desa_code(code) == (level == Level.DESA)


def test_the_regions_above_a_desa_are_its_prefixes():
    assert ancestor_codes("51.04.01.2001") == ["51", "51.04", "51.04.01"]
    assert ancestor_codes("51.04.01.2001", including_self=True)[-1] == "51.04.01.2001"
    assert ancestor_codes("51") == []
    assert code_at("51.04.01.2001", Level.KABUPATEN) == "51.04"
    assert code_at("51.04.01.2001", Level.KECAMATAN) == "51.04.01"


def test_a_region_contains_only_codes_under_it_not_codes_that_merely_start_alike():
    assert code_within("33.11.11.2004", "33.11") and code_within("33.11", "33.11")
    assert not code_within("33.110", "33.11") and not code_within("33.1", "33.11")


def test_region_q_uses_the_column_of_each_level_and_ignores_codes_of_no_level():
    q = str(region_q(["33", "33.11", "33.11.11", "33.11.11.2004", "33.1"]))
    assert "kab_code__startswith', '33.'" in q and "kab_code__in', ['33.11']" in q
    assert "kec_code__in', ['33.11.11']" in q and "desa_id__in', ['33.11.11.2004']" in q
    assert "33.1'" not in q
