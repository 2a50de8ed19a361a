"""Who sees, reports and processes claims (part C2): the claim scope follows the user's regions, a district official
reads and does not report, and heirs' NIKs and accounts are masked except for the roles that process claims."""

import pytest
from django.http import Http404

from jamsosdesa.claims.access import claim_for_user, heir_data, scope_claims
from jamsosdesa.claims.heirs import HeirRequest, heir_set
from jamsosdesa.claims.models import Claim
from jamsosdesa.core.errors import ServiceError
from tests.claims.file_world import (  # noqa: F401 (fresh_param_cache: a fixture)
    DESA_B,
    SPOUSE_NIK,
    branch_officer,
    district_official,
    fresh_param_cache,
    protected,
    report,
)

pytestmark = pytest.mark.django_db


def test_a_claim_is_seen_in_its_desa_kabupaten_and_nationally_and_nowhere_else(operator_a, operator_b, admin_user):
    claim = report(operator_a, protected(), "jkm")
    elsewhere = report(admin_user, protected(desa=DESA_B), "jkm")
    branch, gianyar, official = branch_officer(), branch_officer("51.04", "cabang_gianyar"), district_official()
    assert set(scope_claims(operator_a)) == {claim}
    assert set(scope_claims(operator_b)) == {elsewhere}
    assert set(scope_claims(branch)) == set(scope_claims(official)) == set(scope_claims(admin_user)) == {
        claim, elsewhere}
    assert not scope_claims(gianyar).exists()
    for outsider in (operator_b, gianyar):
        with pytest.raises(Http404):
            claim_for_user(outsider, claim.number)
    assert claim_for_user(branch, claim.number.lower()) == claim


def test_a_district_official_reads_claims_and_reports_none(operator_a):
    official = district_official()
    with pytest.raises(ServiceError) as exc:
        report(official, protected(), "jkm")
    assert exc.value.code == "forbidden" and not Claim.objects.exists()


def test_heirs_niks_and_accounts_are_masked_for_a_village_operator_and_whole_for_a_branch_officer(operator_a):
    claim = report(operator_a, protected(), "jkm")
    spouse = claim.heirs.get(nik=SPOUSE_NIK)
    heir_set(operator_a, claim, HeirRequest(name=spouse.name, relation="spouse", nik=SPOUSE_NIK, bank_name="BRI",
                                            account_number="001201001234567"), heir_id=spouse.pk)
    mine = heir_data(operator_a)
    assert mine.nik(SPOUSE_NIK) == "3311••••••••0001" and mine.account("001201001234567") == "•••••••••••4567"
    branch = heir_data(branch_officer())
    assert branch.nik(SPOUSE_NIK) == SPOUSE_NIK and branch.account("001201001234567") == "001201001234567"


def test_a_perisai_agent_reports_in_its_area_only_while_it_may_act():
    from jamsosdesa.core.roles import Role
    from tests.agents.wadah.factories import record_agent
    from tests.conftest import DESA_A, make_user

    user = make_user("agen_a", Role.PERISAI_AGENT, [DESA_A])
    agent = record_agent(user)
    claim = report(user, protected(), "jkm")
    assert claim.reported_by == user and set(scope_claims(user)) == {claim}
    assert not scope_claims(user).exclude(desa_code=DESA_A).exists()
    agent.wadah.is_active = False
    agent.wadah.save(update_fields=["is_active"])
    user = type(user).objects.get(pk=user.pk)
    with pytest.raises(ServiceError) as exc:
        report(user, protected(), "jkm")
    assert exc.value.code == "actor_refused" and Claim.objects.count() == 1
