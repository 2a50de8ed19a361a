"""The snapshot's added columns and `coverage_figures` (/work/notes/FIGURES_CONTRACT.md; docs/design/coverage.md
§6): counted equals the counting rule's own figure, lapse next month equals billing's worklist, every column adds up
from the desa to the nation, a mover keeps their payer, a past day counts only who was registered by then, and the
figures are scoped."""

import json
from datetime import date, timedelta
from math import ceil

import pytest
from django.core.management import CommandError, call_command

from jamsosdesa.billing.status import STATUSES, participant_ids_with_status
from jamsosdesa.billing.worklists import cutoff_month, non_active_next_month
from jamsosdesa.core import clock
from jamsosdesa.core.errors import NotFound, ServiceError
from jamsosdesa.core.months import add_months
from jamsosdesa.coverage.models import Denominator, Snapshot, Target
from jamsosdesa.coverage.rules import counts
from jamsosdesa.coverage.snapshot import coverage_figures, month_end, snapshot_counts, snapshot_refresh
from jamsosdesa.participants.models import Participant
from jamsosdesa.regions.selectors import region_names
from tests.conftest import DESA_A, DESA_B, DESA_C
from tests.coverage.rules_fixtures import due
from tests.coverage.test_snapshot import expected, world  # noqa: F401 (the fixture, used by name)
from tests.funding.conftest import month, people

pytestmark = pytest.mark.django_db

REGIONS = ("", "33", "33.11", DESA_A[:8], DESA_A, DESA_B, "51", "51.04", DESA_C[:8], DESA_C)
CONTRACT_KEYS = {"region", "name", "level", "parents", "on", "asked", "refreshed_at", "protected", "registered",
                 "statuses", "counted", "counting_rule", "denominator", "denominator_source", "coverage", "warning",
                 "target", "target_due", "target_progress", "target_progress_counted", "target_gap", "months_left",
                 "pace_per_month", "lapse_next_month", "breakdowns", "trend", "children"}
CHILD_KEYS = {"region", "name", "level", "protected", "registered", "statuses", "counted", "denominator",
              "denominator_source", "coverage", "warning", "target", "target_due", "target_progress",
              "target_progress_counted", "target_gap", "pace_per_month", "lapse_next_month"}


@pytest.mark.usefixtures("world")
def test_each_status_count_equals_billings_list_filtered_by_that_status():
    from django.db import connection

    day = clock.today()
    snapshot_refresh(day)
    for code in (DESA_A, DESA_B, DESA_C, "33.11", "51.04"):
        found = snapshot_counts(code, day)
        for status in STATUSES:
            sql, params = participant_ids_with_status(status, day, region_code=code)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({sql}) ids", params)
                assert found[status] == cursor.fetchone()[0], (code, status)


@pytest.mark.usefixtures("world")
def test_counted_is_the_counting_rules_figure_and_lapse_the_worklist():
    day = clock.today()
    lapses = people(1, DESA_B)[0]  # paid up to two months before the cut-off: one deadline from losing protection
    due(lapses, add_months(cutoff_month(day), -2), payer_type="self", paid=True)
    snapshot_refresh(day)
    lapsing = 0
    for code in REGIONS:
        found = snapshot_counts(code, day)
        assert found["counted"] == counts(code or None, day).counted, code
        if code and len(code) >= 5:
            assert found["lapse_next_month"] == len(non_active_next_month(code, day)), code
            lapsing += found["lapse_next_month"] if len(code) == 5 else 0
    assert snapshot_counts("", day)["lapse_next_month"] == lapsing > 0  # the world has people about to lapse
    assert 0 < snapshot_counts("", day)["counted"] <= snapshot_counts("", day)["active"]


@pytest.mark.usefixtures("world")
def test_every_column_of_the_desa_adds_up_to_each_level_above():
    day = clock.today()
    snapshot_refresh(day)
    for code in ("", "33", "33.11", DESA_A[:8], "51", "51.04", DESA_C[:8]):
        whole = snapshot_counts(code, day)
        parts = snapshot_counts(code, day, by="child")
        assert parts, code
        assert {c: sum(p[c] for p in parts.values()) for c in whole} == whole, code


def test_a_mover_keeps_the_payer_billed_in_the_old_kabupaten():
    person = people(1, DESA_C)[0]
    due(person, month(0), payer_type="apbd", paid=True)  # enrolled and billed in Gianyar (51.04)
    Participant.objects.filter(pk=person.pk).update(desa_id=DESA_A, kec_code=DESA_A[:8], kab_code=DESA_A[:5])
    day = clock.today()
    snapshot_refresh(day)
    row = Snapshot.objects.get(day=day, kab_code="33.11")
    assert (row.desa_code, row.payer_kind, row.programmes, row.registered, row.active) == (
        DESA_A, "apbd", "JKK+JKM", 1, 1)
    assert not Snapshot.objects.filter(day=day, kab_code="51.04").exists()


def test_a_past_day_counts_only_who_was_registered_by_its_end():
    earlier = people(2, DESA_A)
    Participant.objects.filter(pk__in=[p.pk for p in earlier]).update(created_at=clock.now() - timedelta(days=10))
    people(1, DESA_A)  # registered today
    today = clock.today()
    yesterday = today - timedelta(days=1)
    snapshot_refresh(yesterday)
    snapshot_refresh(today)
    assert snapshot_counts(DESA_A, yesterday)["registered"] == 2
    assert snapshot_counts(DESA_A, today)["registered"] == 3


@pytest.mark.usefixtures("world")
def test_the_figures_carry_the_whole_contract(admin_user):
    day = clock.today()
    snapshot_refresh(day)
    due_date = date(day.year, 12, 31)
    Target.objects.create(region_code="33.11", year=day.year, due_date=due_date, count=100)
    Denominator.objects.create(region_code="33.11", year=day.year, count=1000, source="bps_sakernas",
                               source_note="Sakernas Agustus")
    found = coverage_figures(user=admin_user, region="33.11", on=day)
    json.dumps(found)
    assert set(found) == CONTRACT_KEYS
    names = region_names(["33", "33.11"])
    assert (found["region"], found["name"], found["level"]) == ("33.11", names["33.11"], "kabupaten")
    assert found["parents"] == [{"region": "ID", "name": "Indonesia"}, {"region": "33", "name": names["33"]}]
    protected = expected("33.11", day)["active"]
    assert found["protected"] == protected and found["on"] == found["asked"] == day.isoformat()
    assert found["counted"] == round(float(counts("33.11", day).counted), 3)
    assert found["counting_rule"] == "Dihitung untuk target"
    assert found["coverage"] == round(100 * protected / 1000, 1) and "Sakernas Agustus" in found["denominator_source"]
    months_left = max(12 - day.month, 1)
    gap = max(100 - protected, 0)
    assert (found["target"], found["target_due"], found["target_gap"], found["months_left"]) == (
        100, due_date.isoformat(), gap, months_left)
    assert found["target_progress"] == round(float(protected), 1)  # of 100
    assert found["pace_per_month"] == ceil(gap / months_left)
    assert found["lapse_next_month"] == len(non_active_next_month("33.11", day))
    for name in ("segment", "village_role", "payer_kind"):
        entries = found["breakdowns"][name]
        assert sum(e["registered"] for e in entries) == found["registered"], name
        assert sum(e["protected"] for e in entries) == protected, name
        assert all(e["label"] for e in entries)
    programmes = {e["key"]: e for e in found["breakdowns"]["programme"]}
    assert set(programmes) == {"JKK", "JKM"}  # every due of the world is JKK+JKM
    assert programmes["JKK"]["protected"] == programmes["JKM"]["protected"] == protected
    assert found["trend"] == [{"month": f"{day:%Y-%m}", "on": day.isoformat(), "protected": protected,
                               "registered": found["registered"], "counted": found["counted"]}]
    assert [set(c) for c in found["children"]] == [CHILD_KEYS]


@pytest.mark.usefixtures("world")
def test_the_trend_reads_the_month_ends_then_the_day(admin_user):
    day = clock.today()
    ends = [month_end(month(-2)), month_end(month(-1))]
    for d in (*ends, day):
        snapshot_refresh(d)
    trend = coverage_figures(user=admin_user, region="ID", on=day)["trend"]
    assert [t["on"] for t in trend] == [d.isoformat() for d in (*ends, day)]
    assert [t["registered"] for t in trend] == [snapshot_counts("", d)["registered"] for d in (*ends, day)]


@pytest.mark.usefixtures("world")
def test_children_outside_the_users_area_are_left_out(operator_a, official_gianyar):
    day = clock.today()
    snapshot_refresh(day)
    kab = coverage_figures(user=operator_a, region="33.11", on=day)
    assert [c["region"] for c in kab["children"]] == [DESA_A[:8]]
    kec = coverage_figures(user=operator_a, region=DESA_A[:8], on=day)
    assert [c["region"] for c in kec["children"]] == [DESA_A]  # desa B is not his
    assert kec["protected"] == snapshot_counts(DESA_A[:8], day)["active"]  # the kecamatan's own figure is whole
    assert [p["region"] for p in kec["parents"]] == ["ID", "33", "33.11"]
    with pytest.raises(NotFound):
        coverage_figures(user=operator_a, region="51.04", on=day)
    with pytest.raises(NotFound):
        coverage_figures(user=official_gianyar, region=DESA_A, on=day)


@pytest.mark.usefixtures("world")
def test_a_day_before_any_snapshot_says_to_refresh(admin_user):
    snapshot_refresh(clock.today())
    with pytest.raises(ServiceError, match="Belum ada potret cakupan"):
        coverage_figures(user=admin_user, region="ID", on=clock.today() - timedelta(days=1))


@pytest.mark.usefixtures("world")
def test_the_command_refuses_a_day_to_come_as_the_page_and_the_api_do(admin_user):
    """`--on` a day after today gave today's figures labelled with the day asked; the API answers 422 for it."""
    snapshot_refresh(clock.today())
    tomorrow = clock.today() + timedelta(days=1)
    with pytest.raises(CommandError, match="belum tiba"):
        call_command("coverage", "--region", "33.11", "--on", tomorrow.isoformat())


@pytest.mark.usefixtures("world")
def test_the_command_prints_the_figures_in_words_and_the_dict_as_json(capsys, admin_user):
    day = clock.today()
    snapshot_refresh(day)
    Target.objects.create(region_code="33.11", year=day.year, due_date=date(day.year, 12, 31), count=100)
    call_command("coverage", "--region", "33.11")
    out = capsys.readouterr().out
    for words in ("Terlindungi (status aktif)", "Dihitung untuk target", "Cakupan: -", "Target: 100 sampai",
                  "per bulan", "Berhenti terlindungi bulan depan", DESA_A[:8]):
        assert words in out, words
    call_command("coverage", "--region", "33.11", "--json")
    assert json.loads(capsys.readouterr().out) == coverage_figures(user=admin_user, region="33.11")


@pytest.mark.usefixtures("world")
def test_the_kabupaten_rollup_is_the_sum_of_its_desa_rows_and_can_be_rebuilt(admin_user):
    from jamsosdesa.coverage.snapshot import snapshot_rollup

    day = clock.today()
    snapshot_refresh(day)
    for kab in ("33.11", "51.04"):
        by_desa = snapshot_counts(kab, day, by="desa_code")
        whole = snapshot_counts(kab, day)  # read from the rollup
        assert {c: sum(d[c] for d in by_desa.values()) for c in whole} == whole, kab
    # desa rows written another way (a benchmark planting history) are rolled up on demand
    past = month_end(month(-1))
    Snapshot.objects.bulk_create([Snapshot(**{**{f.name: getattr(r, f.name) for f in Snapshot._meta.concrete_fields
                                                  if not f.primary_key}, "day": past})
                                  for r in Snapshot.objects.filter(day=day)])
    assert snapshot_rollup(past) > 0
    trend = coverage_figures(user=admin_user, region="ID", on=day)["trend"]
    assert [t["on"] for t in trend] == [past.isoformat(), day.isoformat()]
    assert trend[0]["registered"] == trend[1]["registered"] == snapshot_counts("", day)["registered"]


@pytest.mark.usefixtures("world")
def test_a_forgotten_day_is_gone_at_every_level():
    from jamsosdesa.coverage.models_snapshot import SnapshotKab
    from jamsosdesa.coverage.snapshot import snapshot_day, snapshot_delete

    day = clock.today()
    snapshot_refresh(day)
    assert snapshot_delete(day) > 0
    assert not SnapshotKab.objects.filter(day=day).exists() and snapshot_day(day) is None
    assert snapshot_counts("", day)["registered"] == 0


@pytest.mark.usefixtures("world")
def test_a_full_refresh_drops_a_kabupaten_whose_people_all_moved_away():
    day = clock.today()
    snapshot_refresh(day)
    assert snapshot_counts("51.04", day)["registered"] > 0
    Participant.objects.filter(kab_code="51.04").update(desa_id=DESA_A, kec_code=DESA_A[:8], kab_code=DESA_A[:5])
    snapshot_refresh(day)
    assert not Snapshot.objects.filter(day=day, kab_code="51.04").exists()
    assert snapshot_counts("51", day)["registered"] == 0
    assert snapshot_counts("", day)["registered"] == expected("", day)["registered"] == Participant.objects.count()
