"""A branch officer records a wadah of its kabupaten with a PKS of at most the rules' months; each change is
audited."""

from datetime import timedelta

import pytest

from jamsosdesa.agents.models import Wadah
from jamsosdesa.agents.services_wadah import pks_latest_end, wadah_create, wadah_data, wadah_update
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.roles import Role
from tests.conftest import make_user

from .conftest import wadah_form

pytestmark = pytest.mark.django_db


def test_the_branch_records_a_wadah_and_the_trail_says_who_and_what(branch, manager):
    wadah = wadah_create(actor=branch, data=wadah_form(name="BUMDes Krajan Makmur"))
    assert list(wadah.managers.all()) == [manager]
    event = AuditEvent.objects.get(event_type="wadah.created", object_id=str(wadah.pk))
    assert event.actor == branch and event.new["name"] == "BUMDes Krajan Makmur" and event.region_code == "33.11"


def test_a_pks_longer_than_the_rules_maximum_is_refused_naming_the_last_day(branch, manager):
    form = wadah_form()
    form.pks_end = pks_latest_end(form.pks_start, 12) + timedelta(days=1)
    with pytest.raises(ServiceError) as refused:
        wadah_create(actor=branch, data=form)
    assert "12 bulan" in refused.value.fields["pks_end"][0]
    assert f"{pks_latest_end(form.pks_start, 12):%d-%m-%Y}" in refused.value.fields["pks_end"][0]
    assert not Wadah.objects.exists()


def test_the_pks_may_not_end_before_it_starts(branch, manager):
    form = wadah_form()
    form.pks_end = form.pks_start - timedelta(days=1)
    with pytest.raises(ServiceError) as refused:
        wadah_create(actor=branch, data=form)
    assert "pks_end" in refused.value.fields


def test_pks_latest_end_is_the_day_before_the_same_day_a_year_later():
    from datetime import date

    assert pks_latest_end(date(2026, 1, 1), 12) == date(2026, 12, 31)
    assert pks_latest_end(date(2026, 3, 15), 12) == date(2027, 3, 14)


def test_a_pks_number_is_unique_per_kabupaten_only(branch, manager, admin_user):
    wadah_create(actor=branch, data=wadah_form(pks_number="PKS/1"))
    with pytest.raises(ServiceError) as refused:
        wadah_create(actor=branch, data=wadah_form(pks_number="PKS/1", name="Koperasi Lain"))
    assert "PKS/1" in refused.value.fields["pks_number"][0]
    assert wadah_create(actor=admin_user, data=wadah_form(pks_number="PKS/1", kab_code="33.10", managers=[]))


def test_a_branch_records_only_in_its_own_kabupaten_the_national_admin_anywhere(branch_klaten, admin_user, manager):
    with pytest.raises(ServiceError) as refused:
        wadah_create(actor=branch_klaten, data=wadah_form())
    assert "33.11" in refused.value.fields["kab_code"][0]
    assert wadah_create(actor=admin_user, data=wadah_form()).kab_code == "33.11"


def test_an_unknown_kabupaten_or_a_manager_without_the_role_is_refused(branch, manager):
    with pytest.raises(ServiceError) as refused:
        wadah_create(actor=branch, data=wadah_form(kab_code="99.99"))
    assert "kab_code" in refused.value.fields
    make_user("bukan_pengelola", Role.VILLAGE_OPERATOR)
    with pytest.raises(ServiceError) as refused:
        wadah_create(actor=branch, data=wadah_form(managers=["bukan_pengelola"]))
    assert "bukan_pengelola" in refused.value.fields["managers"][0]


def test_only_a_branch_or_the_national_admin_records_a_wadah(manager):
    with pytest.raises(ServiceError) as refused:
        wadah_create(actor=manager, data=wadah_form())
    assert refused.value.code == "forbidden"


def test_a_change_is_audited_with_old_and_new_and_the_manager_may_not_change_it(branch, manager, wadah):
    data = wadah_data(wadah)
    data.acquisition_target = 1500
    wadah_update(actor=branch, wadah=wadah, data=data)
    event = AuditEvent.objects.get(event_type="wadah.updated", object_id=str(wadah.pk))
    assert event.old == {"acquisition_target": 1000} and event.new == {"acquisition_target": 1500}
    with pytest.raises(ServiceError) as refused:
        wadah_update(actor=manager, wadah=wadah, data=data)
    assert refused.value.code == "forbidden"
