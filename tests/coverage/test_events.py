"""Outreach events: recording one gives it a code and an audit event; changing it is audited with old and new values;
who may record where; who sees it (others 404); and the conversion of its registrations into protection."""

import pytest
from django.test import Client

from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent, AuditEventType
from jamsosdesa.core.roles import Role
from jamsosdesa.coverage.event_selectors import conversions, event_conversion, events_for_region
from jamsosdesa.coverage.event_services import CODE_ALPHABET, event_data, outreach_event_update
from jamsosdesa.coverage.models import OutreachEvent
from tests.billing.conftest import month
from tests.billing.status_fixtures import history
from tests.conftest import DESA_A, DESA_B, DESA_C, api_client, make_user

from .events_fixtures import make_event, register_with

pytestmark = pytest.mark.django_db


def test_recording_an_event_gives_it_a_short_code_and_audits_it(operator_a):
    event = make_event(operator_a)
    assert len(event.code) == 6 and set(event.code) <= set(CODE_ALPHABET)
    assert event.organiser_type == "village"  # taken from the recorder's role
    assert event.kab_code == "33.11"
    row = AuditEvent.objects.get(event_type=AuditEventType.OUTREACH_EVENT_CREATED)
    assert row.object_id == str(event.pk) and row.actor_id == operator_a.pk and row.region_code == DESA_A
    assert row.new["code"] == event.code and row.new["attendance"] == 40
    assert row.new["audience"] == ["village_officials", "informal_workers"]


def test_changing_an_event_is_audited_with_old_and_new_values_and_keeps_its_code(operator_a):
    event = make_event(operator_a)
    data = event_data(event)
    data.attendance, data.audience = 55, ["dprd"]
    changed = outreach_event_update(actor=operator_a, event=event, data=data)
    assert changed.code == event.code and changed.attendance == 55
    row = AuditEvent.objects.get(event_type=AuditEventType.OUTREACH_EVENT_UPDATED)
    assert row.old == {"attendance": 40, "audience": ["village_officials", "informal_workers"]}
    assert row.new == {"attendance": 55, "audience": ["dprd"]}
    outreach_event_update(actor=operator_a, event=event, data=event_data(changed))  # nothing changed
    assert AuditEvent.objects.filter(event_type=AuditEventType.OUTREACH_EVENT_UPDATED).count() == 1


@pytest.mark.parametrize("change, field", [
    ({"title": "  "}, "title"), ({"audience": []}, "audience"), ({"audience": ["aliens"]}, "audience"),
    ({"region": "33.11.11.9999"}, "region"), ({"region": "33"}, "region"), ({"attendance": -1}, "attendance"),
    ({"organiser_type": "mayor"}, "organiser_type")])
def test_bad_event_input_names_the_field_and_records_nothing(operator_a, change, field):
    with pytest.raises(ServiceError) as refused:
        make_event(operator_a, **change)
    assert field in refused.value.fields
    assert not OutreachEvent.objects.exists() and not AuditEvent.objects.exists()


def test_organisers_record_events_only_within_their_own_area(operator_b):
    agent = make_user("agen_a", Role.PERISAI_AGENT, [DESA_A])
    branch = make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])
    assert make_event(agent).organiser_type == "agent"
    assert make_event(branch, region="33.11").organiser_type == "branch"  # a kabupaten-wide event
    with pytest.raises(ServiceError) as refused:
        make_event(operator_b)  # desa A is not operator B's
    assert "region" in refused.value.fields
    with pytest.raises(ServiceError):
        make_event(branch, region=DESA_C)  # Gianyar is another branch's


def test_an_event_outside_the_users_area_is_not_found_on_page_and_api(operator_a, operator_b):
    event = make_event(operator_a)
    other = Client()
    other.force_login(operator_b)
    assert other.get(f"/cakupan/sosialisasi/{event.pk}/").status_code == 404
    assert other.get(f"/cakupan/sosialisasi/{event.pk}/ubah/").status_code == 404
    call = api_client(operator_b)
    assert call("get", f"/coverage/outreach-events/{event.code}").status_code == 404
    assert call("patch", f"/coverage/outreach-events/{event.code}", {"attendance": 1}).status_code == 404
    assert call("get", "/coverage/outreach-events").json()["items"] == []
    assert list(events_for_region(DESA_A, operator_b)) == []
    assert OutreachEvent.objects.get().attendance == 40
    mine = Client()
    mine.force_login(operator_a)
    assert event.code in mine.get(f"/cakupan/sosialisasi/{event.pk}/").content.decode()


def test_events_held_above_a_desa_are_seen_there_but_not_those_of_another_desa(operator_a, operator_b):
    official = make_user("pemkab_skh", Role.DISTRICT_OFFICIAL, ["33.11"])
    kabupaten = make_event(official, region="33.11", title="Sosialisasi tingkat kabupaten")
    desa_b = make_event(operator_b, region=DESA_B)
    desa_a = make_event(operator_a)
    assert set(events_for_region("", operator_a)) == {kabupaten, desa_a}
    assert set(events_for_region("33.11", official)) == {kabupaten, desa_a, desa_b}
    assert list(events_for_region(DESA_A, official)) == [desa_a]
    assert set(events_for_region("ID", official)) == {kabupaten, desa_a, desa_b}


def test_conversion_counts_the_registrations_with_the_code_still_protected_today(operator_a, operator_b):
    event = make_event(operator_a)
    other = make_event(operator_a, title="Sosialisasi kedua")
    paid, lapsed, unpaid = (register_with(operator_a, event.code, i) for i in range(3))
    outsider = register_with(operator_b, event.code, 3, desa=DESA_B)  # counted, not listed for operator A
    without_code = register_with(operator_a, "", 4)
    other_event = register_with(operator_a, other.code, 5)
    for p in (paid, outsider, without_code, other_event):
        history(p, paid=[month(-1), month(0)])
    history(lapsed, paid=[month(-6)], unpaid=[month(-5), month(-4), month(-3), month(-2), month(-1)])
    result = event_conversion(event)
    assert (result.registered, result.protected, result.rate) == (4, 2, 50.0)
    both = conversions([event.code, other.code])
    assert (both[other.code].registered, both[other.code].protected) == (1, 1)
    page = Client()
    page.force_login(operator_a)
    html = page.get(f"/cakupan/sosialisasi/{event.pk}/").content.decode()
    assert '<dd id="registered">4</dd>' in html and "<strong>2</strong> (50,0%)" in html  # Indonesian decimals
    assert "Warga 0" in html and "Warga 3" not in html  # operator B's person is counted but not named
    assert "1 pendaftar lain di luar wilayah Anda" in html
    body = api_client(operator_a)("get", f"/coverage/outreach-events/{event.code.lower()}").json()
    assert body["result"]["registered"] == 4 and body["result"]["protected"] == 2
    assert body["result"]["conversion"] == 50.0
    listed = {item["code"]: item["result"]["protected"] for item in api_client(operator_a)(
        "get", f"/coverage/outreach-events?region={DESA_A}").json()["items"]}
    assert listed == {event.code: 2, other.code: 1}


def test_an_event_without_registrations_has_no_conversion_rate(operator_a):
    event = make_event(operator_a)
    result = event_conversion(event)
    assert (result.registered, result.protected, result.rate) == (0, 0, None)
