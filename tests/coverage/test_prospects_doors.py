"""The prospects page, its .xlsx export (audited), the API and the CLI: the same list, scoped to the user's area
(outside it: 404), bad input answered with a message."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from python_calamine import CalamineWorkbook

from jamsosdesa.core.models import AuditEvent, AuditEventType
from tests.conftest import DESA_A, DESA_B, api_client
from tests.coverage.test_prospects import PROSPECTS, names, village  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_the_operators_own_desa_by_dusun_with_masked_niks(village, operator_a):  # noqa: F811
    answer = logged_in(operator_a).get("/cakupan/prospek/")
    assert answer.status_code == 200
    page = answer.content.decode()
    for name in names(village, PROSPECTS):
        assert name in page
    assert village["protected"].full_name not in page and village["too_old"].full_name not in page
    assert "Dusun Krajan · RW 1 · RT 2" in page and "15–64 tahun" in page
    nik = village["never_paid"].nik
    assert nik not in page and f"{nik[:4]}••••••••{nik[12:]}" in page
    assert "https://wa.me/6281234567890?text=" in page
    assert 'name="viewport"' in page  # the base layout's phone viewport (cards, no wide table of people)


def test_a_desa_outside_the_area_is_404_and_a_bad_code_a_message(village, operator_b, admin_user):  # noqa: F811
    assert logged_in(operator_b).get(f"/cakupan/prospek/?desa={DESA_A}").status_code == 404
    assert logged_in(operator_b).get(f"/cakupan/prospek/ekspor.xlsx?desa={DESA_A}").status_code == 404
    answer = logged_in(admin_user).get("/cakupan/prospek/?desa=33.11.11")
    assert answer.status_code == 200 and "bukan kode desa/kelurahan" in answer.content.decode()
    assert "Pilih desa dulu" in logged_in(admin_user).get("/cakupan/prospek/").content.decode()
    assert logged_in(operator_b).get("/cakupan/prospek/").status_code == 200  # its own desa B


def test_the_export_has_every_prospect_with_the_reminder_and_is_audited(village, operator_a):  # noqa: F811
    answer = logged_in(operator_a).get(f"/cakupan/prospek/ekspor.xlsx?desa={DESA_A}")
    assert answer.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(answer.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[1][:2] == ["NIK", "Nama"]
    by_name = {r[1]: r for r in rows[2:]}
    assert set(by_name) == names(village, PROSPECTS)
    first = by_name[village["never_paid"].full_name]
    assert first[0] == f"{village['never_paid'].nik[:4]}••••••••{village['never_paid'].nik[12:]}"
    assert first[4] == "Krajan" and first[10].startswith("Yth.") and first[11].startswith("https://wa.me/")
    event = AuditEvent.objects.get(event_type=AuditEventType.COVERAGE_EXPORTED)
    assert event.actor_id == operator_a.pk and event.region_code == DESA_A
    assert event.new["rows"] == 4 and event.new["nik_masked"] is True and event.new["list"] == "prospects"


def test_the_api_gives_the_same_list_and_404_outside_the_area(village, operator_a, operator_b):  # noqa: F811
    answer = api_client(operator_a)("get", f"/coverage/prospects?desa={DESA_A}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["working_age"], body["protected"], body["prospects"]) == (5, 1, 4)
    assert {r["name"] for r in body["rows"]} == names(village, PROSPECTS)
    assert body["age"]["min_years"] == 15 and body["age"]["source"]
    assert api_client(operator_b)("get", f"/coverage/prospects?desa={DESA_A}").status_code == 404
    bad = api_client(operator_a)("get", "/coverage/prospects?desa=33.11")
    assert bad.status_code in (400, 422) and "bukan kode desa/kelurahan" in bad.content.decode()
    bad_day = api_client(operator_a)("get", f"/coverage/prospects?desa={DESA_A}&on=2026-13-01")
    assert bad_day.status_code in (400, 422) and "YYYY-MM-DD" in bad_day.content.decode()


def test_the_cli_gives_the_same_list(village, admin_user, operator_b, capsys):  # noqa: F811
    call_command("coverage", "prospects", "--desa", DESA_A, "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["prospects"] == 4 and {r["name"] for r in body["rows"]} == names(village, PROSPECTS)
    assert body["rows"][0]["nik"] == village["never_paid"].nik  # the national admin the CLI acts as
    call_command("coverage", "prospects", "--desa", DESA_A)
    text = capsys.readouterr().out
    assert "4 belum terlindungi" in text and "Dusun Krajan · RW 1 · RT 2 (1)" in text
    with pytest.raises(CommandError, match="bukan kode desa/kelurahan"):
        call_command("coverage", "prospects", "--desa", "33.11")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("coverage", "prospects", "--desa", DESA_A, "--user", operator_b.username)
    call_command("coverage", "prospects", "--desa", DESA_B, "--user", operator_b.username, "--json")
    assert json.loads(capsys.readouterr().out)["prospects"] == 1


def test_a_desa_with_many_prospects_is_shown_a_page_at_a_time(village, operator_a, monkeypatch):  # noqa: F811
    """Hundreds of prospect cards on one page are too heavy for a cheap phone on a weak connection: the page shows
    PAGE_ROWS people at a time with a pager, and the counts and the occupations still cover everyone."""
    from jamsosdesa.coverage import views_prospects

    monkeypatch.setattr(views_prospects, "PAGE_ROWS", 3)
    client = logged_in(operator_a)
    first, second = (client.get(f"/cakupan/prospek/?page={n}").content.decode() for n in (1, 2))
    everyone = names(village, PROSPECTS)
    on_first = {n for n in everyone if n in first}
    on_second = {n for n in everyone if n in second}
    assert len(on_first) == 3 and on_second == everyone - on_first
    assert "halaman 1 dari 2" in first and "page=2" in first and "halaman 2 dari 2" in second
    assert "<strong>4 belum terlindungi</strong>" in first and "<strong>4 belum terlindungi</strong>" in second
    assert "Warga ke-1 sampai 3 dari 4" in first
    assert client.get("/cakupan/prospek/?page=xyz").status_code == 200  # a broken page number: the first page
