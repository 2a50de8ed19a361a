"""The branch's ranking of PERISAI agents (issue 14 item 6): each measure on a small world built with the services
(tests/agents/rankings/conftest.py), the same figures on the page, in the API, on the command line and in the
workbook, who sees which kabupaten (404 outside), and the bad inputs."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from python_calamine import CalamineWorkbook

from jamsosdesa.agents.rankings import rankings_read
from jamsosdesa.core.errors import NotFound, ServiceError
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from tests.conftest import DESA_A, api_client, make_user
from tests.funding.conftest import month, month_text

pytestmark = pytest.mark.django_db

FIGURES = ("acquisitions", "new", "collections", "collected", "deposits", "deposited", "retention_6_cohort",
           "retention_6_protected", "retention_6_rate", "retention_12_cohort", "retention_12_protected",
           "retention_12_rate")


def by_user(ranking: dict) -> dict:
    return {row["username"]: {k: row[k] for k in FIGURES} for row in ranking["agents"]}


def test_each_measure_of_this_month(world):
    prices = world["prices"]
    found = rankings_read(user=world["branch"], kab="33.11")
    assert (found["from"], found["to"], found["kab"]) == (month_text(0), month_text(0), "33.11")
    assert found["cohorts"] == {"6": month_text(-6), "12": month_text(-12)}
    rows = by_user(found)
    assert set(rows) == {"a1", "a2", "a3"}  # Gianyar's agent is not Sukoharjo's
    # acquisitions: a package with the agent starting this month; p8 had one before (not new); p10's package only
    # changed this month with the same agent (not an acquisition)
    assert [(rows[u]["acquisitions"], rows[u]["new"]) for u in ("a1", "a2", "a3")] == [(1, 1), (1, 0), (1, 1)]
    # collections: live payments through the agent this month (a1's reversed one is not counted; earlier months' not)
    assert (rows["a1"]["collections"], rows["a1"]["collected"]) == (2, prices["p1"] + prices["p7"])
    assert (rows["a2"]["collections"], rows["a2"]["collected"]) == (1, prices["p6"])
    assert (rows["a3"]["collections"], rows["a3"]["collected"]) == (0, 0)
    # deposits: this month's and not reversed
    assert (rows["a1"]["deposits"], rows["a1"]["deposited"]) == (1, 40_000)
    assert (rows["a2"]["deposits"], rows["a3"]["deposits"]) == (0, 0)
    # retention: of a1's acquisitions 6 months ago (p3, p4 paid ahead; p5 never paid) 2 of 3 are active today; of
    # 12 months ago (p1 paid through next month; p2 paid one month) 1 of 2; a2 keeps p6; a3 acquired nobody then
    a1, a2, a3 = rows["a1"], rows["a2"], rows["a3"]
    assert (a1["retention_6_cohort"], a1["retention_6_protected"], a1["retention_6_rate"]) == (3, 2, 66.7)
    assert (a1["retention_12_cohort"], a1["retention_12_protected"], a1["retention_12_rate"]) == (2, 1, 50.0)
    assert (a2["retention_6_cohort"], a2["retention_6_protected"], a2["retention_6_rate"]) == (1, 1, 100.0)
    assert (a2["retention_12_cohort"], a2["retention_12_rate"], a3["retention_6_rate"]) == (0, None, None)


def test_a_period_of_two_months_and_the_wadah_totals(world):
    prices = world["prices"]
    found = rankings_read(user=world["admin"], kab="33.11", first=month_text(-1), last=month_text(0))
    rows = by_user(found)
    assert (rows["a3"]["acquisitions"], rows["a3"]["new"]) == (2, 2)  # p10 last month, p9 this month
    assert (rows["a3"]["collections"], rows["a3"]["collected"]) == (1, prices["p10"])
    assert (rows["a1"]["deposits"], rows["a1"]["deposited"]) == (2, 45_000)
    w1, w2, _wg = world["wadah"]
    wadah = {row["wadah_id"]: row for row in found["wadah"]}
    assert set(wadah) == {w1.pk, w2.pk}
    assert (wadah[w1.pk]["agents"], wadah[w1.pk]["acquisitions"], wadah[w1.pk]["new"]) == (2, 2, 1)
    assert wadah[w1.pk]["collected"] == rows["a1"]["collected"] + rows["a2"]["collected"]
    assert (wadah[w1.pk]["retention_6_cohort"], wadah[w1.pk]["retention_6_protected"],
            wadah[w1.pk]["retention_6_rate"]) == (4, 3, 75.0)
    assert found["totals"]["acquisitions"] == 4 and found["totals"]["agents"] == 3


def test_a_past_period_counts_nothing_of_this_month(world):
    found = rankings_read(user=world["admin"], kab="33.11", first=month_text(-1), last=month_text(-1))
    rows = by_user(found)
    assert [rows[u]["acquisitions"] for u in ("a1", "a2", "a3")] == [0, 0, 1]
    assert rows["a1"]["deposited"] == 5_000 and rows["a1"]["collected"] == 0
    assert found["cohorts"] == {"6": month_text(-7), "12": month_text(-13)}


def test_the_province_holds_its_kabupaten_and_the_sort_is_the_servers(world):
    found = rankings_read(user=world["admin"], kab="33", sort="penagihan")
    assert [r["username"] for r in found["agents"]] == ["a1", "a2", "a3"]  # the most collected first
    found = rankings_read(user=world["admin"], kab="33", sort="penagihan", order="naik")
    assert [r["username"] for r in found["agents"]] == ["a3", "a2", "a1"]
    found = rankings_read(user=world["admin"], kab="33", sort="nama")
    assert [r["name"] for r in found["agents"]] == ["Budi", "Sri", "Wati"]
    assert rankings_read(user=world["admin"], kab="33", sort="bogus")["sort"] == "akuisisi"


# --- who sees what --------------------------------------------------------------------------------------------------


def test_the_wadah_manager_sees_its_wadah_agents_only(cast):
    world = cast
    found = rankings_read(user=world["manager"], kab="33.11")
    assert sorted(by_user(found)) == ["a1", "a2"]
    assert [w["name"] for w in found["wadah"]] == ["BUMDes Krajan Makmur"]
    with pytest.raises(NotFound):
        rankings_read(user=world["manager"], kab="51.04")


def test_outside_the_area_and_for_other_roles_it_does_not_exist(cast):
    world = cast
    branch_gianyar = make_user("cabang_gianyar", Role.BRANCH_OFFICER, ["51.04"])
    with pytest.raises(NotFound):
        rankings_read(user=branch_gianyar, kab="33.11")
    with pytest.raises(NotFound):
        rankings_read(user=world["branch"], kab="33")  # the province is wider than its kabupaten
    operator = make_user("op", Role.VILLAGE_OPERATOR, [DESA_A])
    official = make_user("pemkab", Role.DISTRICT_OFFICIAL, ["33.11"])
    for someone in (world["users"]["a1"], operator, official):
        with pytest.raises(NotFound):
            rankings_read(user=someone, kab="33.11")
        client = Client()
        client.force_login(someone)
        assert client.get("/agen/peringkat/?kab=33.11").status_code == 404
        assert client.get("/agen/peringkat/ekspor.xlsx?kab=33.11").status_code == 404
        assert api_client(someone)("get", "/agents/rankings?kab=33.11").status_code == 404
    client = Client()
    client.force_login(branch_gianyar)
    assert client.get("/agen/peringkat/?kab=33.11").status_code == 404
    assert client.get("/agen/peringkat/").status_code == 200  # its own kabupaten: Gianyar
    assert api_client(branch_gianyar)("get", "/agents/rankings?kab=33.11").status_code == 404


# --- bad inputs -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("asked", "field", "words"), [
    ({"kab": "99.99"}, "kab", "tidak dikenal"),
    ({"kab": "33.11.11"}, "kab", "tidak dikenal"),  # a kecamatan is no kabupaten
    ({"kab": ""}, "kab", "Pilih kabupaten"),
    ({"kab": "33.11", "first": "Maret"}, "dari", "tidak dikenal"),
    ({"kab": "33.11", "first": "{m0}", "last": "{m-1}"}, "dari", "sesudah bulan akhir"),
    ({"kab": "33.11", "last": "{m1}"}, "sampai", "belum berakhir"),
    ({"kab": "33.11", "first": "{m1}", "last": "{m2}"}, "sampai", "belum berakhir"),
])
def test_bad_inputs_name_their_field(admin_user, asked, field, words):
    world = {"admin": admin_user}
    filled = {k: v.format(**{"m0": month_text(0), "m-1": month_text(-1), "m1": month_text(1),
                             "m2": month_text(2)}) for k, v in asked.items()}
    with pytest.raises(ServiceError) as refused:
        rankings_read(user=world["admin"], **filled)
    assert list(refused.value.fields) == [field] and words in refused.value.message
    # the API answers 422 naming the same field, the page shows the message, the CLI exits with it
    names = {"kab": "kab", "first": "dari", "last": "sampai"}
    query = "&".join(f"{names[k]}={v}" for k, v in filled.items())
    answer = api_client(world["admin"])("get", f"/agents/rankings?{query}")
    assert answer.status_code == 422 and list(answer.json()["error"]["fields"]) == [field]
    client = Client()
    client.force_login(world["admin"])
    page = client.get(f"/agen/peringkat/?{query}")
    assert page.status_code == 200
    if filled.get("kab"):
        assert words in page.content.decode() and 'id="agents-table"' not in page.content.decode()
        options = {"first": "--from", "last": "--to"}
        args = [x for k, v in filled.items() if k != "kab" for x in (options[k], v)]
        with pytest.raises(CommandError, match=words):
            call_command("agents", "ranking", "--kab", filled["kab"], *args, "--user", "admin", stdout=io.StringIO())


# --- the same figures everywhere ------------------------------------------------------------------------------------


def _page_rows(html: str) -> dict:
    rows = {}
    for uid, attrs in re.findall(r'<tr id="agent-(\d+)"([^>]*)>', html):
        values = dict(re.findall(r'data-([a-z0-9-]+)="([^"]*)"', attrs))
        rows[int(uid)] = values
    return rows


def test_the_page_the_api_the_cli_and_the_workbook_agree(world):
    admin = world["admin"]
    query = f"kab=33.11&dari={month_text(-1)}&sampai={month_text(0)}&urut=setoran"
    api = api_client(admin)("get", f"/agents/rankings?{query}")
    assert api.status_code == 200
    api_body = api.json()
    out = io.StringIO()
    call_command("agents", "ranking", "--kab", "33.11", "--from", month_text(-1), "--to", month_text(0), "--sort",
                 "setoran", "--json", "--user", admin.username, stdout=out)
    cli_body = json.loads(out.getvalue())
    assert api_body == cli_body
    assert [r["username"] for r in api_body["agents"]][0] == "a1"  # the most deposited first
    client = Client()
    client.force_login(admin)
    page = client.get(f"/agen/peringkat/?{query}")
    assert page.status_code == 200
    html = page.content.decode()
    shown = _page_rows(html)
    assert list(shown) == [r["user_id"] for r in api_body["agents"]]  # the same order
    for row in api_body["agents"]:
        values = shown[row["user_id"]]
        assert [int(values[k]) for k in ("acquisitions", "new", "collections", "collected", "deposits",
                                         "deposited")] == [row[k] for k in ("acquisitions", "new", "collections",
                                                                            "collected", "deposits", "deposited")]
        assert values["retention-6"] == f"{row['retention_6_protected']}/{row['retention_6_cohort']}"
        assert values["retention-12"] == f"{row['retention_12_protected']}/{row['retention_12_cohort']}"
    assert 'data-chart="chart-ranking"' in html and 'class="table-wrap"' in html
    # the workbook: the same rows in the same order, and the export is audited
    export = client.get(f"/agen/peringkat/ekspor.xlsx?{query}")
    assert export.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    sheet = book.get_sheet_by_index(0).to_python()
    assert [r[1] for r in sheet[1:]] == [r["username"] for r in api_body["agents"]]
    assert [int(r[3]) for r in sheet[1:]] == [r["acquisitions"] for r in api_body["agents"]]
    assert [int(r[8]) for r in sheet[1:]] == [r["deposited"] for r in api_body["agents"]]
    event = AuditEvent.objects.get(event_type=AuditEventType.AGENT_EXPORTED)
    assert (event.actor_id, event.region_code, event.new["rows"], event.new["from"]) == (admin.pk, "33.11", 3,
                                                                                           month_text(-1))


def test_the_national_admin_chooses_a_kabupaten_first(cast):
    world = cast
    client = Client()
    client.force_login(world["admin"])
    page = client.get("/agen/peringkat/")
    assert page.status_code == 200 and 'id="ranking-choose"' in page.content.decode()
    assert client.get("/agen/peringkat/ekspor.xlsx").status_code == 302  # back to the page, which says why
    branch_page = Client()
    branch_page.force_login(world["branch"])
    html = branch_page.get("/agen/peringkat/").content.decode()  # the branch opens on its kabupaten, this month
    assert 'id="agents-table"' in html and f'value="{month(0):%Y-%m}"' in html


def test_one_statement_per_measure_whatever_the_number_of_agents(cast):
    """Set-based: the queries do not grow with the agents (no per-agent loop)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.agents.incentives.conftest import make_agent

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rankings_read(user=cast["branch"], kab="33.11")
        return len(captured.captured_queries)

    queries()  # the first call also reads the user's regions (kept on the user object)
    before = queries()
    for n in range(5):
        make_agent(f"tambahan{n}", cast["wadah"][n % 2])
    assert queries() == before
    assert len(rankings_read(user=cast["branch"], kab="33.11")["agents"]) == 8
