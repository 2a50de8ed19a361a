"""Coverage snapshots (docs/design/coverage.md §1): the counts a dashboard reads equal the status lists of billing
for the same day, per desa, and the desa add up to the kecamatan, the kabupaten, the province and the nation."""

import random
from datetime import timedelta

import pytest

from jamsosdesa.billing.status import STATUSES, status_rows
from jamsosdesa.core import clock
from jamsosdesa.coverage.models import Snapshot
from jamsosdesa.coverage.snapshot import COUNT_COLUMNS, snapshot_counts, snapshot_day, snapshot_refresh
from jamsosdesa.participants.models import Participant
from tests.conftest import DESA_A, DESA_B, DESA_C
from tests.coverage.rules_fixtures import due
from tests.funding.conftest import month, people

pytestmark = pytest.mark.django_db

PAYERS = ("self", "apbd", "apbdes")


@pytest.fixture
def world():
    """Thirty people over three desa (two kabupaten) with random histories: paid through any of the last months,
    never paid, paid by a scheme or by themselves, some deactivated."""
    rnd = random.Random(13)
    everyone = people(12, DESA_A) + people(10, DESA_B) + people(8, DESA_C)
    for person in everyone:
        payer = rnd.choice(PAYERS)
        paid_through = rnd.choice((0, -1, -2, -3, -4, None))
        for k in range(-5, 1):
            due(person, month(k), payer_type=payer, paid=paid_through is not None and k <= paid_through)
    gone = everyone[3]
    Participant.objects.filter(pk=gone.pk).update(is_active=False)
    # registered half a year ago: a past day counts only who was registered by its end
    Participant.objects.filter(pk__in=[p.pk for p in everyone]).update(created_at=clock.now() - timedelta(days=200))
    return everyone


def expected(code: str, day) -> dict:
    rows = status_rows(code, day)
    out = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    return {"registered": len(rows), **out}


def counts_of(code: str, day, **kw) -> dict:
    """The snapshot's registered and status counts (the columns billing's status lists give)."""
    found = snapshot_counts(code, day, **kw)
    if kw:
        return {k: {c: v[c] for c in COUNT_COLUMNS} for k, v in found.items()}
    return {c: found[c] for c in COUNT_COLUMNS}


@pytest.mark.parametrize("offset", [0, 14, 20])
def test_a_desas_counts_equal_the_status_lists_of_the_same_day(world, offset):
    day = month(0) + timedelta(days=offset)
    snapshot_refresh(day)
    for code in (DESA_A, DESA_B, DESA_C):
        assert counts_of(code, day) == expected(code, day), code


def test_the_desa_add_up_to_every_level_above(world):
    day = month(0) + timedelta(days=19)
    snapshot_refresh(day)
    nation = counts_of("", day)
    assert nation == expected("", day)
    by_province = counts_of("", day, by="child")
    assert set(by_province) == {"33", "51"}
    assert {c: sum(p[c] for p in by_province.values()) for c in COUNT_COLUMNS} == nation
    kecamatan = DESA_A[:8]
    by_desa = counts_of(kecamatan, day, by="child")
    assert set(by_desa) == {DESA_A, DESA_B}
    assert {c: sum(d[c] for d in by_desa.values()) for c in COUNT_COLUMNS} == counts_of(kecamatan, day)
    assert counts_of("33.11", day) == counts_of("33", day) == expected("33.11", day)


def test_the_payer_breakdown_says_who_pays_the_month(world):
    day = month(0) + timedelta(days=19)
    snapshot_refresh(day)
    by_payer = snapshot_counts(DESA_A, day, by="payer_kind")
    assert set(by_payer) <= {"self", "apbd", "apbdes"}
    assert sum(v["registered"] for v in by_payer.values()) == expected(DESA_A, day)["registered"]


def test_a_refresh_rewrites_the_day_and_a_kabupaten_alone(world):
    day = month(0) + timedelta(days=19)
    snapshot_refresh(day)
    rows = Snapshot.objects.filter(day=day).count()
    assert snapshot_refresh(day) == rows  # again: the same rows, not twice as many
    assert Snapshot.objects.filter(day=day).count() == rows
    person = world[0]  # desa A: pays this month now, so the kabupaten's refresh moves them to active
    due(person, month(1), payer_type="self", paid=True)
    before = snapshot_counts("51.04", day)
    snapshot_refresh(day, kab_codes=["33.11"])
    assert counts_of(DESA_A, day) == expected(DESA_A, day)
    assert snapshot_counts("51.04", day) == before


def test_a_past_day_reads_the_latest_snapshot_on_or_before_it(world):
    day = month(0) + timedelta(days=19)
    snapshot_refresh(day)
    assert snapshot_day(day + timedelta(days=3)) == day
    assert snapshot_day(day - timedelta(days=1)) is None


def test_the_command_gives_a_regions_figures_with_its_children(world, capsys, official_gianyar,
                                                                             admin_user):
    import json

    from django.core.management import CommandError, call_command

    assert snapshot_refresh() == Snapshot.objects.count()  # today (the refresh command is coverage.refresh's)
    call_command("coverage", "--region", "33.11", "--json")
    out = json.loads(capsys.readouterr().out)
    today = expected("33.11", None)
    assert (out["region"], out["protected"], out["registered"]) == ("33.11", today["active"], today["registered"])
    assert out["denominator"] is None and out["coverage"] is None and out["warning"]  # no denominator recorded
    assert [c["region"] for c in out["children"]] == [DESA_A[:8]]
    assert out["children"][0]["protected"] == out["protected"]
    call_command("coverage", "--region", "ID", "--json")
    nation = json.loads(capsys.readouterr().out)
    assert nation["region"] == "ID" and sum(c["protected"] for c in nation["children"]) == nation["protected"]
    with pytest.raises(CommandError, match="tidak ditemukan"):  # Gianyar's official does not see Sukoharjo
        call_command("coverage", "--region", "33.11", "--user", official_gianyar.username)
    with pytest.raises(CommandError, match="--region"):
        call_command("coverage")
