"""A quota "per desa" covers desa and desa adat; kelurahan only when the scheme includes them.

Kab. Gianyar (51.04) has 64 desa and 6 kelurahan: its "1 desa 100" plans 6,400 people, not 7,000."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from jamsosdesa.core.errors import ServiceError
from jamsosdesa.funding.models import Scheme
from jamsosdesa.funding.selectors import scheme_budget, scheme_planned_quota
from jamsosdesa.funding.services import enrolment_create, scheme_update
from tests.conftest import api_client

from .conftest import month, month_text, people, scheme_data

pytestmark = pytest.mark.django_db

KELURAHAN_UBUD = "51.04.05.1005"
DESA_BATUBULAN = "51.04.01.2001"


@pytest.fixture
def gianyar_scheme(official_gianyar):
    from jamsosdesa.funding.services import scheme_create

    def _make(**overrides):
        return scheme_create(actor=official_gianyar, data=scheme_data(owner_code="51.04", name="Gianyar 100",
                                                                     **overrides))

    return _make


def test_a_per_desa_quota_plans_the_desa_only_unless_the_scheme_includes_kelurahan(gianyar_scheme):
    assert scheme_planned_quota(gianyar_scheme()) == 6_400
    assert scheme_planned_quota(gianyar_scheme(includes_kelurahan=True)) == 7_000
    # a kelurahan's own quota counts either way
    assert scheme_planned_quota(gianyar_scheme(quotas={KELURAHAN_UBUD: 20})) == 6_420


def test_a_kelurahan_resident_is_refused_as_such_unless_the_scheme_includes_kelurahan(
        gianyar_scheme, official_gianyar):
    without = gianyar_scheme()
    resident = people(1, KELURAHAN_UBUD)[0]
    villager = people(1, DESA_BATUBULAN)[0]
    with pytest.raises(ServiceError) as refused:
        enrolment_create(actor=official_gianyar, scheme=without, participant=resident, start_month=month(0))
    assert refused.value.code == "kelurahan"  # said as it is, not as a full quota
    assert "kelurahan" in refused.value.message
    assert enrolment_create(actor=official_gianyar, scheme=without, participant=villager, start_month=month(0))
    budget = {d.code: d for d in scheme_budget(user=official_gianyar, scheme=without).desa}
    assert (budget[KELURAHAN_UBUD].quota, budget[KELURAHAN_UBUD].room) == (0, 0)
    assert budget[DESA_BATUBULAN].quota == 100
    assert scheme_budget(user=official_gianyar, scheme=without).planned_people == 6_400

    including = scheme_update(actor=official_gianyar, scheme=without, changes={"includes_kelurahan": True})
    assert enrolment_create(actor=official_gianyar, scheme=including, participant=resident, start_month=month(0))
    assert scheme_budget(user=official_gianyar, scheme=including).planned_people == 7_000


def test_a_kelurahan_with_its_own_quota_takes_part_without_the_setting(gianyar_scheme, official_gianyar):
    scheme = gianyar_scheme(quotas={KELURAHAN_UBUD: 1})
    first, second = people(2, KELURAHAN_UBUD)
    assert enrolment_create(actor=official_gianyar, scheme=scheme, participant=first, start_month=month(0))
    with pytest.raises(ServiceError) as refused:
        enrolment_create(actor=official_gianyar, scheme=scheme, participant=second, start_month=month(0))
    assert refused.value.code == "quota"


def test_the_setting_is_on_the_page_the_api_and_the_command_line(official_gianyar, gianyar_scheme):
    api = api_client(official_gianyar)
    body = {"name": "Gianyar API", "payer_type": "apbd", "owner_code": "51.04", "legal_basis_number": "Perbup 1/2026",
            "legal_basis_date": "2026-10-01", "start_month": month_text(0), "end_month": month_text(5),
            "budget_ceiling": 2_000_000_000, "quota_per_desa": 100, "includes_kelurahan": True}
    created = api("post", "/schemes", body)
    assert created.status_code == 201, created.content
    assert created.json()["includes_kelurahan"] is True
    assert scheme_planned_quota(Scheme.objects.get(pk=created.json()["id"])) == 7_000

    out = StringIO()
    call_command("scheme", "create", "--user", official_gianyar.username, "--name", "Gianyar CLI", "--payer", "apbd",
                 "--owner", "51.04", "--legal-number", "Perbup 2/2026", "--legal-date", "2026-10-01",
                 "--start", month_text(0), "--end", month_text(5), "--budget", "2000000000", "--quota-per-desa", "100",
                 "--include-kelurahan", "--json", stdout=out)
    assert Scheme.objects.get(pk=json.loads(out.getvalue())["id"]).includes_kelurahan

    client = Client()
    client.force_login(official_gianyar)
    page = client.get(f"/skema/{gianyar_scheme().pk}/").content.decode()
    assert "kelurahan tidak termasuk" in page
    form = client.get("/skema/baru/").content.decode()
    assert 'name="includes_kelurahan"' in form
