"""The coverage snapshot refresh (docs/design/coverage.md §1): the job, its command, page and API, and the
incremental pass that refreshes exactly the kabupaten whose people or money changed (from the audit trail). Days
count from the suite's clock, never a fixed date."""

import json
from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from jamsosdesa.billing.services.run import billing_run
from jamsosdesa.core import clock
from jamsosdesa.core.jobs import JobStatus
from jamsosdesa.core.months import add_months
from jamsosdesa.coverage.models import CoverageRefresh, RefreshWatermark, Snapshot
from jamsosdesa.coverage.models_snapshot import SnapshotKab
from jamsosdesa.coverage.refresh import periodic_refresh, refresh_run
from jamsosdesa.funding.services.enrolment import EnrolmentSelection, enrolment_batch_run
from tests.billing.conftest import package, unpaid_due
from tests.billing.payment_fixtures import pay
from tests.conftest import DESA_A, DESA_C, JAKARTA, TEST_TIME_OF_DAY, api_client
from tests.funding.conftest import month, people, scheme_data

pytestmark = pytest.mark.django_db

SKH, GIANYAR = "33.11", "51.04"


def changed_pass() -> CoverageRefresh:
    job = refresh_run(actor=None, changed=True)
    assert job.status == JobStatus.DONE, job.message
    return job


def on(day):
    """Travel to `day` at the suite's time of day (WIB)."""
    return time_machine.travel(datetime.combine(day, TEST_TIME_OF_DAY, tzinfo=JAKARTA), tick=False)


@pytest.fixture
def two_kabupaten():
    """Three people in two kabupaten, registered long enough ago to count on a past day's snapshot."""
    from jamsosdesa.participants.models import Participant

    made = people(2, DESA_A) + people(1, DESA_C)
    Participant.objects.update(created_at=clock.now() - timedelta(days=100))
    return made


# --- the job ------------------------------------------------------------------------------------------------------


def test_a_refresh_writes_every_kabupaten_and_reports_progress_per_kabupaten(two_kabupaten):
    told = []
    job = refresh_run(actor=None, progress=lambda done, total, stage=None: told.append((done, total)))
    assert job.status == JobStatus.DONE and job.kab_done == [SKH, GIANYAR]
    assert job.rows_written == Snapshot.objects.filter(day=clock.today()).count() > 0
    assert job.days_written == [clock.today().isoformat()]
    assert told[-2:] == [(1, 2), (2, 2)]
    assert sum(Snapshot.objects.filter(day=clock.today()).values_list("registered", flat=True)) == 3


def test_a_refresh_of_one_kabupaten_leaves_the_others(two_kabupaten):
    job = refresh_run(actor=None, kab_codes=[GIANYAR])
    assert job.kab_done == [GIANYAR]
    assert set(Snapshot.objects.values_list("kab_code", flat=True)) == {GIANYAR}


def test_a_future_day_and_an_unknown_kabupaten_are_refused(two_kabupaten):
    from jamsosdesa.core.errors import ServiceError

    with pytest.raises(ServiceError, match="belum tiba"):
        refresh_run(actor=None, day=clock.today() + timedelta(days=1))
    with pytest.raises(ServiceError, match="99.99"):
        refresh_run(actor=None, kab_codes=["99.99"])
    assert not CoverageRefresh.objects.exists()


# --- the command line -----------------------------------------------------------------------------------------------


def cli(*args) -> str:
    out = StringIO()
    call_command("coverage", "refresh", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_a_past_month_s_last_day_and_says_so(two_kabupaten):
    last = month(0) - timedelta(days=1)
    data = json.loads(cli("--month", f"{month(-1):%Y-%m}", "--json"))
    assert data["status"] == "done" and data["day"] == last.isoformat() and data["kab_done"] == [SKH, GIANYAR]
    assert Snapshot.objects.filter(day=last).exists()
    assert f"{clock.today():%d-%m-%Y}" in cli("--month", f"{month(0):%Y-%m}", "--kab", SKH)  # this month: today


def test_the_command_writes_a_day_asked_for_one_kabupaten(two_kabupaten):
    day = clock.today() - timedelta(days=3)
    text = cli("--day", day.isoformat(), "--kab", GIANYAR)
    assert f"{day:%d-%m-%Y}" in text and "1 kabupaten" in text
    assert set(Snapshot.objects.values_list("day", "kab_code")) == {(day, GIANYAR)}


@pytest.mark.parametrize(("args", "says"), [
    (("--day", "2020-13-01"), "YYYY-MM-DD"),
    (("--month", "bulan"), "YYYY-MM"),
    (("--month", "{next}"), "belum tiba"),
    (("--day", "{tomorrow}"), "belum tiba"),
    (("--day", "{today}", "--month", "{this}"), "jangan keduanya"),
    (("--kab", "99.99"), "99.99"),
    (("--kab", "33.11.11"), "33.11.11"),
    (("--changed", "--day", "{today}"), "--changed"),
])
def test_bad_input_is_refused_with_a_clear_message(two_kabupaten, args, says):
    today = clock.today()
    values = {"next": f"{month(1):%Y-%m}", "this": f"{month(0):%Y-%m}", "today": today.isoformat(),
              "tomorrow": (today + timedelta(days=1)).isoformat()}
    with pytest.raises(CommandError, match=says.replace(".", r"\.")):
        cli(*[a.format(**values) for a in args])
    assert not Snapshot.objects.exists()


def test_changed_through_the_command_says_when_nothing_changed(two_kabupaten):
    cli("--changed")
    assert "Tidak ada yang berubah" in cli("--changed")


# --- the page, the API and who may start a refresh ------------------------------------------------------------------


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_a_national_admin_has_the_button_and_starting_shows_the_refresh(
        two_kabupaten, admin_user, official, django_capture_on_commit_callbacks):
    page = logged_in(official).get("/cakupan/potret/")
    assert page.status_code == 200 and "Perbarui potret hari ini" not in page.content.decode()
    assert "Hanya admin nasional" in page.content.decode()
    assert logged_in(official).post("/cakupan/potret/perbarui/").status_code == 403
    assert not CoverageRefresh.objects.exists()

    admin = logged_in(admin_user)
    assert "Perbarui potret hari ini" in admin.get("/cakupan/potret/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs the queued refresh
        response = admin.post("/cakupan/potret/perbarui/")
    job = CoverageRefresh.objects.get()
    assert response.status_code == 302 and response.url == reverse("coverage:refresh", args=[job.pk])
    assert job.status == JobStatus.DONE and job.trigger == "manual" and job.created_by == admin_user
    detail = admin.get(response.url).content.decode()
    assert f"{job.rows_written} baris potret ditulis untuk 2 kabupaten/kota" in detail
    listing = logged_in(official).get("/cakupan/potret/").content.decode()
    assert "· admin" in listing  # who started it
    assert "sukoharjo" in listing.lower() and "gianyar" not in listing.lower()  # his kabupaten only


def test_a_waiting_refresh_shows_its_progress_and_polls(two_kabupaten, admin_user):
    job = CoverageRefresh.objects.create(day=clock.today(), trigger="manual", created_by=admin_user)
    page = logged_in(admin_user).get("/cakupan/potret/").content.decode()
    assert "Menunggu giliran" in page and f'hx-get="/cakupan/potret/{job.pk}/"' in page and "<progress" in page
    part = logged_in(admin_user).get(f"/cakupan/potret/{job.pk}/", headers={"HX-Request": "true"})
    assert "<progress" in part.content.decode() and "<h1>" not in part.content.decode()
    assert logged_in(admin_user).get("/cakupan/potret/999999/").status_code == 404


def test_the_api_starts_a_refresh_for_a_national_admin_only_and_reads_its_status(
        two_kabupaten, admin_user, official, django_capture_on_commit_callbacks):
    assert api_client(official)("post", "/coverage/refreshes", {}).status_code == 403
    call = api_client(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        made = call("post", "/coverage/refreshes", {"kab": [SKH]})
    assert made.status_code == 201 and made.json()["status"] == "queued"
    read = call("get", f"/coverage/refreshes/{made.json()['id']}")
    assert read.status_code == 200 and read.json()["status"] == "done" and read.json()["kab_done"] == [SKH]
    assert call("get", "/coverage/refreshes/999999").status_code == 404
    bad = call("post", "/coverage/refreshes", {"day": (clock.today() + timedelta(days=1)).isoformat()})
    assert bad.status_code == 422 and "belum tiba" in bad.content.decode()


# --- the incremental pass -------------------------------------------------------------------------------------------


def test_the_first_pass_writes_everything_and_a_second_does_nothing(two_kabupaten):
    first = changed_pass()
    assert first.kab_done == [SKH, GIANYAR]
    assert first.days_written == [(month(0) - timedelta(days=1)).isoformat(), clock.today().isoformat()]
    mark = RefreshWatermark.objects.get()
    again = changed_pass()
    assert again.kab_done == [] and again.days_written == [] and again.rows_written == 0
    assert periodic_refresh() is None  # serve's tick queues nothing either
    assert RefreshWatermark.objects.get().last_event_id == mark.last_event_id


def written_for(job) -> list[str]:
    return sorted(job.kab_done)


def test_a_registration_refreshes_its_kabupaten_only(two_kabupaten, operator_a, register):
    changed_pass()
    before = RefreshWatermark.objects.get().last_event_id
    register(operator_a)
    job = changed_pass()
    assert written_for(job) == [SKH] and job.days_written == [clock.today().isoformat()]
    assert RefreshWatermark.objects.get().last_event_id > before
    assert sum(Snapshot.objects.filter(day=clock.today(), kab_code=SKH).values_list("registered", flat=True)) == 3
    assert changed_pass().kab_done == []


def test_a_payment_refreshes_its_kabupaten_only(two_kabupaten, operator_a):
    person = two_kabupaten[0]
    unpaid_due(package(person), month(0))
    changed_pass()
    pay(operator_a, nik=person.nik, amount=16_800)
    assert written_for(changed_pass()) == [SKH]
    assert Snapshot.objects.filter(day=clock.today(), kab_code=SKH, active=1).exists()


def test_a_billing_run_refreshes_the_kabupaten_it_billed(two_kabupaten, admin_user):
    package(two_kabupaten[2])  # Gianyar's worker pays for themselves from this month
    changed_pass()
    billing_run(actor=admin_user, month=month(0))  # its event names no region: the run's kabupaten are read
    assert written_for(changed_pass()) == [GIANYAR]


def test_an_enrolment_refreshes_its_kabupaten_only(two_kabupaten, official):
    from jamsosdesa.funding.services import scheme_create

    scheme = scheme_create(actor=official, data=scheme_data())
    changed_pass()
    enrolment_batch_run(actor=official, scheme=scheme, selection=EnrolmentSelection(niks=[two_kabupaten[0].nik]))
    assert written_for(changed_pass()) == [SKH]


def test_the_periodic_tick_queues_the_pass_when_something_changed(two_kabupaten, operator_a, register,
                                                                  django_capture_on_commit_callbacks):
    changed_pass()
    register(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        job = periodic_refresh()
    job.refresh_from_db()
    assert job.trigger == "periodic" and job.status == JobStatus.DONE and job.kab_done == [SKH]
    assert periodic_refresh() is None


def test_a_new_day_writes_every_kabupaten_and_drops_yesterday_unless_it_ends_a_month(two_kabupaten):
    changed_pass()
    today = clock.today()
    tomorrow = today + timedelta(days=1)
    with on(tomorrow):
        job = changed_pass()
        assert job.kab_done == [SKH, GIANYAR] and tomorrow.isoformat() in job.days_written
        days = set(Snapshot.objects.values_list("day", flat=True))
        assert tomorrow in days and (today in days) == (tomorrow.day == 1)
        rollup_days = set(SnapshotKab.objects.values_list("day", flat=True))  # the nation reads the rollup
        assert rollup_days == days
        assert changed_pass().days_written == []


def test_a_new_month_writes_the_last_month_s_end_when_it_is_missing(two_kabupaten):
    changed_pass()
    next_first = add_months(month(0), 1)
    end = next_first - timedelta(days=1)
    Snapshot.objects.filter(day=clock.today()).delete()  # the month's last "today" was never written
    with on(next_first + timedelta(days=1)):
        job = changed_pass()
        assert job.days_written == [end.isoformat(), (next_first + timedelta(days=1)).isoformat()]
        assert Snapshot.objects.filter(day=end).exists()
        assert changed_pass().days_written == []


def test_an_arrears_policy_change_refreshes_every_kabupaten(two_kabupaten, admin_user):
    from jamsosdesa.core.audit import audit_record
    from jamsosdesa.core.models import AuditEventType

    changed_pass()
    audit_record(actor=admin_user, event=AuditEventType.ARREARS_POLICY_CHANGED, object_type="arrears_policy",
                 object_id="1", new={"grace_months": 2})
    assert written_for(changed_pass()) == [SKH, GIANYAR]


def test_an_event_that_appears_below_the_watermark_later_is_still_read(two_kabupaten, operator_a, register):
    """An id given out by a transaction still open when the pass read past it (a gap) is read once it appears."""
    from jamsosdesa.core.models import AuditEvent

    changed_pass()
    mark = RefreshWatermark.objects.get()
    register(operator_a)
    ids = list(AuditEvent.objects.filter(pk__gt=mark.last_event_id).order_by("pk").values_list("pk", flat=True))
    RefreshWatermark.objects.filter(pk=mark.pk).update(  # as if the registration had not committed at the last pass
        last_event_id=ids[-1], gaps=[[ids[0], ids[-1], clock.now().isoformat()]])
    assert written_for(changed_pass()) == [SKH]
    assert RefreshWatermark.objects.get().gaps == []
    assert changed_pass().kab_done == []


def test_a_gap_that_never_fills_is_dropped_after_a_while(two_kabupaten):
    changed_pass()
    mark = RefreshWatermark.objects.get()
    RefreshWatermark.objects.filter(pk=mark.pk).update(gaps=[[10**9, 10**9, clock.now().isoformat()]])
    changed_pass()
    assert [gap[:2] for gap in RefreshWatermark.objects.get().gaps] == [[10**9, 10**9]]  # still waited for
    with on(clock.today() + timedelta(days=1)):
        changed_pass()
        assert RefreshWatermark.objects.get().gaps == []


def test_an_unknown_user_sees_no_page(client):
    assert client.get("/cakupan/potret/").status_code == 302



def test_a_move_refreshes_the_kabupaten_left_and_the_one_joined(two_kabupaten, admin_user, register):
    from jamsosdesa.participants.services import participant_update

    person = register(admin_user)
    changed_pass()
    participant_update(actor=admin_user, participant=person, data={"desa": DESA_C}, confirm_warnings=True)
    assert written_for(changed_pass()) == [SKH, GIANYAR]
    assert sum(Snapshot.objects.filter(day=clock.today(), kab_code=SKH).values_list("registered", flat=True)) == 2


def test_the_demo_writes_today_and_the_ends_of_its_past_months():
    from jamsosdesa.billing.models import Due

    call_command("demo", stdout=StringIO())
    days = set(Snapshot.objects.values_list("day", flat=True))
    first = Due.objects.order_by("month").values_list("month", flat=True).first()
    ends, m = set(), first
    while m < month(0):
        m = add_months(m, 1)
        ends.add(m - timedelta(days=1))
    assert clock.today() in days and ends and ends <= days
    assert CoverageRefresh.objects.filter(status=JobStatus.DONE).count() == len(ends) + 1


def test_people_all_registered_this_month_leave_the_last_month_s_end_unwritten_and_the_pass_quiet():
    people(2, DESA_A)  # registered today: the last month's end would count nobody
    assert changed_pass().days_written == [clock.today().isoformat()]
    assert changed_pass().days_written == []
    assert periodic_refresh() is None


def test_an_event_without_a_region_is_traced_through_its_object(two_kabupaten, admin_user, operator_a):
    """A payment whose event names no region (a national scheme's invoice) refreshes the kabupaten of the dues it
    paid; an admin edit of a person, that person's kabupaten."""
    from jamsosdesa.billing.models import Payment
    from jamsosdesa.core.audit import audit_record
    from jamsosdesa.core.models import AuditEventType

    person = two_kabupaten[0]
    unpaid_due(package(person), month(0))
    pay(operator_a, nik=person.nik, amount=16_800)
    changed_pass()
    audit_record(actor=admin_user, event=AuditEventType.PAYMENT_RECORDED, obj=Payment.objects.get(), new={})
    assert written_for(changed_pass()) == [SKH]
    audit_record(actor=admin_user, event=AuditEventType.ADMIN_RECORD_CHANGED, obj=two_kabupaten[2],
                 object_type="participants.participant", new={"full_name": "Warga"})
    assert written_for(changed_pass()) == [GIANYAR]
    audit_record(actor=admin_user, event=AuditEventType.ADMIN_RECORD_CHANGED, obj=admin_user,
                 object_type="accounts.user", new={"email": "x@example.org"})
    assert changed_pass().kab_done == []  # nobody's status


def test_a_day_begun_by_a_refresh_of_one_kabupaten_is_completed_by_the_next_pass(two_kabupaten):
    """A manual refresh of one kabupaten before the day's first pass leaves today written for it only; the pass
    that follows writes the others too (before, it saw today written and the dashboards read today without them)."""
    changed_pass()
    tomorrow = clock.today() + timedelta(days=1)
    with on(tomorrow):
        refresh_run(actor=None, kab_codes=[GIANYAR])
        assert set(Snapshot.objects.filter(day=tomorrow).values_list("kab_code", flat=True)) == {GIANYAR}
        assert periodic_refresh() is not None  # serve's tick sees the day is not whole
        CoverageRefresh.objects.filter(status__in=[JobStatus.QUEUED]).update(status=JobStatus.CANCELLED)
        job = changed_pass()
        assert job.kab_done == [SKH, GIANYAR]
        assert set(Snapshot.objects.filter(day=tomorrow).values_list("kab_code", flat=True)) == {SKH, GIANYAR}
        assert changed_pass().days_written == []
