import time

import pytest

from jamsosdesa.core.regioncodes import Level
from jamsosdesa.regions.loader import regions_load
from jamsosdesa.regions.models import Region
from jamsosdesa.regions.selectors import region_ancestors, region_children, region_desa_under, region_search

pytestmark = pytest.mark.django_db


def test_all_regions_are_loaded_with_the_documented_counts():
    counts = {lvl: Region.objects.filter(level=lvl, is_historical=False).count() for lvl in Level.values}
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert Region.objects.filter(is_historical=True).count() == 620


def test_loading_again_changes_nothing():
    before = Region.objects.count()
    started = time.perf_counter()
    regions_load()
    assert Region.objects.count() == before
    assert time.perf_counter() - started < 60  # the 15 s target is measured by hand; this only catches a hang


def test_children_and_ancestors():
    assert "33.11.11.2004" in set(region_children("33.11.11").values_list("code", flat=True))
    assert [r.name for r in region_ancestors("33.11.11.2004")] == [
        "Jawa Tengah", "Kabupaten Sukoharjo", "Gatak", "Krajan"]
    assert region_children(None).count() == 38


def test_all_desa_under_a_region_by_code_prefix():
    gatak = set(region_desa_under("33.11.11").values_list("code", flat=True))
    assert "33.11.11.2004" in gatak and all(c.startswith("33.11.11.") for c in gatak)
    sukoharjo = region_desa_under("33.11")
    assert sukoharjo.count() > len(gatak) and not sukoharjo.filter(code__startswith="33.10").exists()


def test_search_by_name_finds_every_krajan_with_its_kecamatan_and_kabupaten():
    hits = region_search("krajan", level=Level.DESA, limit=50)
    exact = [h for h in hits if h["name"] == "Krajan"]
    assert len(exact) == 8
    gatak = next(h for h in exact if h["code"] == "33.11.11.2004")
    assert gatak["label"] == "Krajan, Gatak, Kabupaten Sukoharjo, Jawa Tengah"
    assert hits[0]["name"] == "Krajan"  # exact matches before "Krajanbogo"


def test_historical_codes_are_known_but_marked():
    merauke_old = Region.objects.get(code="91.01")
    assert merauke_old.is_historical and merauke_old.level == Level.KABUPATEN
    assert not region_children("91").filter(code="91.01").exists()
