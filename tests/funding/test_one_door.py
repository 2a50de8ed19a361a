"""The page, the API and the command line enrol through one service (`enrolment_submit`) with one typed request,
and show a scheme's budget in one JSON shape: the same input gets the same answer from each door."""

import json
from io import StringIO
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.test import Client

from jamsosdesa.funding import services
from jamsosdesa.funding.models import Enrolment, EnrolmentBatch
from tests.conftest import DESA_A, DESA_B, api_client

from .conftest import people

pytestmark = pytest.mark.django_db

NOT_REGISTERED = "NIK {} tidak ada di registri (atau di luar wilayah Anda)."
OUTSIDE = f"Wilayah {DESA_A} di luar wilayah kerja Anda."


def cli(*args) -> str:
    out = StringIO()
    call_command("scheme", *args, stdout=out)
    return out.getvalue()


def page_messages(user, path: str, data: dict) -> list[str]:
    client = Client()
    client.force_login(user)
    answer = client.post(path, data)
    assert answer.status_code == 302
    return [str(m) for m in get_messages(answer.wsgi_request)]


@pytest.mark.parametrize("who", ["official", "operator_a"])
def test_the_api_and_the_cli_give_the_same_budget_json(make_scheme, official, operator_a, who):
    """Regression: the CLI said `scheme` where the API says `scheme_id`, and left out the months and ended."""
    scheme = make_scheme(quotas={DESA_A: 10})
    people(2, DESA_A)
    people(1, DESA_B)
    services.enrolment_submit(actor=official, scheme=scheme, request=services.EnrolmentRequest(region="33.11.11"))
    user = {"official": official, "operator_a": operator_a}[who]
    from_api = api_client(user)("get", f"/schemes/{scheme.pk}/budget").json()
    from_cli = json.loads(cli("budget", str(scheme.pk), "--user", user.username, "--json"))
    assert from_api == from_cli
    assert from_cli["scheme_id"] == scheme.pk and from_cli["enrolled"] == 3 and len(from_cli["months"]) == 6
    assert from_cli["whole_scheme"] is (who == "official")


def test_the_api_and_the_cli_list_schemes_in_the_same_json(make_scheme, official):
    """Regression: the CLI said payer/owner/start/budget where the API says payer_type/owner_code/start_month/..."""
    scheme = make_scheme(quotas={DESA_A: 10})
    from_api = api_client(official)("get", "/schemes").json()
    from_cli = json.loads(cli("list", "--user", official.username, "--json"))
    assert from_api == from_cli
    assert [s["id"] for s in from_cli] == [scheme.pk] and from_cli[0]["owner_code"] == scheme.owner_code


def test_the_api_and_the_cli_give_the_same_batch_json(make_scheme, official):
    """Regression: `scheme enrol --json` said batch/enrolled/refused/refusals[nik, reason] only."""
    first, second = make_scheme(quotas={DESA_A: 1}), make_scheme(quotas={DESA_B: 1})
    people(2, DESA_A)
    people(2, DESA_B)  # in each desa one fits its scheme's quota, one is refused
    from_api = api_client(official)("post", f"/schemes/{first.pk}/enrolments", {"region": DESA_A}).json()
    from_cli = json.loads(cli("enrol", str(second.pk), "--user", official.username, "--region", DESA_B, "--json"))
    assert set(from_api) == set(from_cli) == {"id", "scheme_id", "how", "start_month", "end_month", "candidates",
                                              "enrolled", "refused", "cost_per_person", "refusals",
                                              "refusals_left_out"}
    assert [set(r) for r in from_api["refusals"]] == [set(r) for r in from_cli["refusals"]] == [
        {"nik", "desa_code", "reason", "message"}]
    assert (from_cli["scheme_id"], from_cli["enrolled"], from_cli["refused"]) == (second.pk, 1, 1)
    assert from_cli["refusals"][0]["reason"] == from_api["refusals"][0]["reason"] == "quota"


def test_each_door_says_a_nik_outside_the_users_regions_is_not_registered(make_scheme, operator_b):
    scheme = make_scheme()
    krajan = people(1, DESA_A)[0]  # operator B (Sanggung) cannot see a villager of Krajan
    expected = NOT_REGISTERED.format(krajan.nik)
    assert expected in page_messages(operator_b, f"/skema/{scheme.pk}/daftarkan/", {"nik": krajan.nik})
    answer = api_client(operator_b)("post", f"/schemes/{scheme.pk}/enrolments", {"nik": krajan.nik})
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert answer.json()["error"]["message"] == expected
    with pytest.raises(CommandError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        cli("enrol", str(scheme.pk), "--user", operator_b.username, "--nik", krajan.nik)
    assert not Enrolment.objects.exists()


def test_each_door_refuses_a_filter_region_outside_the_users_regions_with_the_same_words(make_scheme, operator_b):
    scheme = make_scheme()
    people(2, DESA_A)
    assert OUTSIDE in page_messages(operator_b, f"/skema/{scheme.pk}/daftarkan/", {"region": DESA_A})
    answer = api_client(operator_b)("post", f"/schemes/{scheme.pk}/enrolments", {"region": DESA_A})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "outside_region"
    assert answer.json()["error"]["message"] == OUTSIDE
    with pytest.raises(CommandError, match=OUTSIDE):
        cli("enrol", str(scheme.pk), "--user", operator_b.username, "--region", DESA_A)
    assert not EnrolmentBatch.objects.exists() and not Enrolment.objects.exists()


def test_every_door_enrols_through_the_one_service(make_scheme, official, tmp_path,
                                                   django_capture_on_commit_callbacks):
    scheme = make_scheme()
    a, b, c, d = people(4, DESA_A)
    listed = tmp_path / "daftar.csv"
    listed.write_text(f"NIK\n{d.nik}\n")
    client = Client()
    client.force_login(official)
    with mock.patch.object(services, "enrolment_submit", wraps=services.enrolment_submit) as door:
        client.post(f"/skema/{scheme.pk}/daftarkan/", {"nik": a.nik})
        api_client(official)("post", f"/schemes/{scheme.pk}/enrolments", {"niks": [b.nik]})
        cli("enrol", str(scheme.pk), "--user", official.username, "--nik", c.nik)
        cli("enrol", str(scheme.pk), "--user", official.username, "--file", str(listed))
    asked = [call.kwargs["request"] for call in door.call_args_list]
    assert [(r.nik, r.niks, r.file, r.background) for r in asked] == [
        (a.nik, None, None, True), (None, [b.nik], None, False), (c.nik, None, None, False),
        (None, None, str(listed), False)]
    assert Enrolment.objects.count() == 4
    assert EnrolmentBatch.objects.get(how="list", description__startswith="API").description == "API: daftar NIK"


def test_a_request_names_one_way_of_choosing_people(make_scheme, official):
    scheme = make_scheme()
    worker = people(1, DESA_A)[0]
    answer = api_client(official)("post", f"/schemes/{scheme.pk}/enrolments", {"nik": worker.nik,
                                                                               "niks": [worker.nik]})
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "invalid"
    assert "salah satu" in answer.json()["error"]["message"]
    assert not Enrolment.objects.exists()


def test_a_page_filter_is_queued_and_one_nik_runs_at_once(make_scheme, official):
    scheme = make_scheme()
    worker = people(1, DESA_A)[0]
    queued = services.enrolment_submit(actor=official, scheme=scheme, request=services.EnrolmentRequest(
        region=f" {DESA_A} ", background=True))
    assert queued.status == "queued" and queued.params == {"region": DESA_A, "village_role": ""}
    at_once = services.enrolment_submit(actor=official, scheme=scheme, request=services.EnrolmentRequest(
        nik=worker.nik, background=True))
    assert at_once.status == "done" and at_once.enrolled == 1


def test_one_nik_is_read_as_a_list_reads_it(make_scheme, official):
    """Regression: a NIK typed with spaces or dots was found in a list, but 'not registered' on its own."""
    scheme = make_scheme()
    first, second = people(2, DESA_A)
    spaced = " ".join(first.nik[i:i + 4] for i in range(0, 16, 4))
    batch = services.enrolment_submit(actor=official, scheme=scheme, request=services.EnrolmentRequest(nik=spaced))
    assert batch.enrolled == 1
    dotted = ".".join(second.nik[i:i + 4] for i in range(0, 16, 4))
    answer = api_client(official)("post", f"/schemes/{scheme.pk}/enrolments", {"nik": dotted})
    assert answer.status_code == 201 and answer.json()["enrolled"] == 1
    assert Enrolment.objects.filter(scheme=scheme).count() == 2
