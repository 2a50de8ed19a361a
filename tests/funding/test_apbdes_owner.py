"""A village-budget (APBDes) scheme is its desa's: the district official and the branch office above the desa see it
(its page, budget, sheet and API), but only who works in the desa itself (and the national admin) changes it. Before,
a district official could change any desa's APBDes scheme in its kabupaten (the manage right followed the region)."""

from datetime import date

import pytest
from django.test import Client

from jamsosdesa.core.errors import PermissionDenied, ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.access import can_manage_scheme
from jamsosdesa.funding.models import Scheme
from jamsosdesa.funding.services import SchemeData, scheme_create, scheme_update, welfare_list_replace
from tests.conftest import DESA_A, api_client, make_user

from .conftest import month

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def village_data(**overrides) -> SchemeData:
    data = dict(name="Perdes Krajan", payer_type="apbdes", apbdes_source="add", owner_code=DESA_A,
                legal_basis_number="Perdes Krajan 3/2026", legal_basis_date=date(2026, 1, 5), start_month=month(0),
                end_month=month(5), budget_ceiling=10_000_000)
    data.update(overrides)
    return SchemeData(**data)


@pytest.fixture
def village_scheme(operator_a) -> Scheme:
    return scheme_create(actor=operator_a, data=village_data())


@pytest.fixture
def branch(db):
    return make_user("cabang_skh", Role.BRANCH_OFFICER, ["33.11"])


def test_the_district_official_sees_a_desas_apbdes_scheme_but_cannot_change_it(village_scheme, official):
    page = logged_in(official)
    detail = page.get(f"/skema/{village_scheme.pk}/")
    assert detail.status_code == 200 and "Perdes Krajan" in detail.content.decode()
    assert f"/skema/{village_scheme.pk}/ubah/" not in detail.content.decode()  # no edit button
    assert page.get(f"/skema/{village_scheme.pk}/lembar-anggaran/").status_code == 200
    assert api_client(official)("get", f"/schemes/{village_scheme.pk}").status_code == 200

    assert page.get(f"/skema/{village_scheme.pk}/ubah/").status_code == 404  # as for another region's scheme
    assert page.post(f"/skema/{village_scheme.pk}/ubah/", {"name": "Diubah Pemkab"}).status_code == 404
    with pytest.raises(PermissionDenied):
        scheme_update(actor=official, scheme=village_scheme, changes={"budget_ceiling": 1})
    with pytest.raises(PermissionDenied):
        welfare_list_replace(actor=official, scheme=village_scheme, niks=[])
    village_scheme.refresh_from_db()
    assert (village_scheme.name, village_scheme.budget_ceiling) == ("Perdes Krajan", 10_000_000)
    assert not AuditEvent.objects.filter(event_type__in=["scheme.updated", "scheme.welfare_list_replaced"]).exists()


def test_the_branch_office_does_not_change_it_either_and_the_desa_and_the_national_admin_do(
        village_scheme, official, branch, operator_a, admin_user):
    assert not can_manage_scheme(branch, village_scheme) and not can_manage_scheme(official, village_scheme)
    assert logged_in(branch).get(f"/skema/{village_scheme.pk}/").status_code == 200
    assert logged_in(branch).get(f"/skema/{village_scheme.pk}/ubah/").status_code == 404
    scheme_update(actor=operator_a, scheme=village_scheme, changes={"name": "Perdes Krajan (desa)"})
    scheme_update(actor=admin_user, scheme=village_scheme, changes={"name": "Perdes Krajan (pusat)"})
    assert AuditEvent.objects.filter(event_type="scheme.updated").count() == 2


def test_the_district_still_changes_its_own_schemes(make_scheme, official):
    district = make_scheme()
    assert can_manage_scheme(official, district)
    scheme_update(actor=official, scheme=district, changes={"note": "ditambah"})


def test_the_district_official_does_not_create_an_apbdes_scheme_for_a_desa(official):
    """What one may not change once made, one does not make for the desa either."""
    with pytest.raises(ServiceError) as err:
        scheme_create(actor=official, data=village_data())
    assert "owner_code" in err.value.fields
    assert not Scheme.objects.exists()
