"""Scholarships year by year up to the caps: at most two children, the per-child and per-claim caps, the JKM route's
36 contribution months (none on the JKK route), one per child and year, a child heir only; audited; the summary
says what each child received and what is left."""

import pytest

from jamsosdesa.claims.models import Claim, ClaimHeir, ScholarshipGrant
from jamsosdesa.claims.scholarships import ScholarshipRefusal, grant, summary
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.roles import Role
from tests.claims.engine_fixtures import day, fresh_param_cache, month, people  # noqa: F401
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

_numbers = iter(range(1, 10_000))


@pytest.fixture
def officer(db):
    return make_user("cabang_skh_beasiswa", Role.BRANCH_OFFICER, ["33.11"])


def approved_claim(officer, *, kind="jkm", months=40, children=2, others=0, person=None, niks=None):
    """An approved claim of `person` (a new participant by default) with `children` child heirs (NIKs `niks`, else
    one per position) and `others` spouses."""
    if person is None:
        person, = people(1)
    claim = Claim.objects.create(number=f"KLM-T-{next(_numbers)}", participant=person, kab_code=person.kab_code,
                                 desa_code=person.desa_id, kind=kind, event_date=day(-1, 20), reported_by=officer,
                                 status="approved", eligibility={"contribution_months": months, "eligible": True})
    niks = niks or [f"33111101{i:08d}" for i in range(children)]
    heirs = [ClaimHeir.objects.create(claim=claim, name=f"Anak {i + 1}", relation="child", nik=niks[i])
             for i in range(children)]
    heirs += [ClaimHeir.objects.create(claim=claim, name="Istri", relation="spouse", nik=f"3311114{i:09d}")
              for i in range(others)]
    return claim, heirs


def refusal(call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value


def test_a_year_is_granted_at_its_level_s_amount_and_audited(officer):
    claim, (first, second) = approved_claim(officer)
    year = clock.today().year
    row = grant(officer, claim, first, year, "smp")
    assert row.amount == 2_000_000
    assert grant(officer, claim, second, year, "higher").amount == 12_000_000
    assert AuditEvent.objects.filter(event_type="scholarship.granted", object_id=str(row.pk)).count() == 1


def test_a_third_child_is_refused(officer):
    claim, (a, b, c) = approved_claim(officer, children=3)
    year = clock.today().year
    grant(officer, claim, a, year, "tk_sd")
    grant(officer, claim, b, year, "tk_sd")
    error = refusal(lambda: grant(officer, claim, c, year, "tk_sd"))
    assert error.code == ScholarshipRefusal.TOO_MANY_CHILDREN
    assert "paling banyak untuk 2 anak" in error.message
    assert grant(officer, claim, a, year + 1, "tk_sd").amount == 1_500_000  # the two chosen go on


def test_a_child_s_cap_is_reached_its_last_year_gets_what_is_left_then_nothing(officer):
    claim, (child, _other) = approved_claim(officer)
    first = clock.today().year
    for offset in range(7):  # 7 × 12 000 000 = 84 000 000 of the 87 000 000
        grant(officer, claim, child, first + offset, "higher")
    assert grant(officer, claim, child, first + 7, "higher").amount == 3_000_000
    error = refusal(lambda: grant(officer, claim, child, first + 8, "tk_sd"))
    assert error.code == ScholarshipRefusal.CAP_REACHED
    assert "Rp87.000.000" in error.message
    assert summary(claim)[0].granted == 87_000_000 and summary(claim)[0].remaining == 0


def test_the_jkm_route_needs_36_contribution_months_and_the_jkk_route_none(officer):
    claim, (child, _other) = approved_claim(officer, months=35)
    error = refusal(lambda: grant(officer, claim, child, clock.today().year, "sma"))
    assert error.code == ScholarshipRefusal.TOO_FEW_MONTHS
    assert "36 bulan" in error.message and "35 bulan" in error.message
    jkk, (jkk_child, _o) = approved_claim(officer, kind="jkk_death", months=1)
    assert grant(officer, jkk, jkk_child, clock.today().year, "sma").amount == 3_000_000


def test_a_spouse_is_not_a_child(officer):
    claim, heirs = approved_claim(officer, children=1, others=1)
    error = refusal(lambda: grant(officer, claim, heirs[1], clock.today().year, "sma"))
    assert error.code == ScholarshipRefusal.NOT_A_CHILD
    assert "Istri bukan anak" in error.message
    assert not ScholarshipGrant.objects.exists()


def test_one_grant_per_child_and_year(officer):
    claim, (child, _other) = approved_claim(officer)
    year = clock.today().year
    grant(officer, claim, child, year, "tk_sd")
    error = refusal(lambda: grant(officer, claim, child, year, "smp"))
    assert error.code == ScholarshipRefusal.ALREADY_GRANTED


def test_a_claim_not_yet_approved_or_outside_scope_gets_none(officer, operator_b):
    claim, (child, _other) = approved_claim(officer)
    Claim.objects.filter(pk=claim.pk).update(status="reported")
    assert refusal(lambda: grant(officer, claim, child, clock.today().year, "smp")).code == \
        ScholarshipRefusal.CLAIM_NOT_DECIDED
    assert refusal(lambda: grant(operator_b, claim, child, clock.today().year, "smp")).code == "not_found"


def test_the_summary_tracks_each_child_by_year(officer):
    claim, (a, b) = approved_claim(officer)
    year = clock.today().year
    grant(officer, claim, a, year, "sma")
    grant(officer, claim, a, year + 1, "higher")
    rows = {r.name: r for r in summary(claim)}
    assert rows["Anak 1"].granted == 15_000_000 and rows["Anak 1"].remaining == 72_000_000
    assert [y["year"] for y in rows["Anak 1"].years] == [year, year + 1]
    assert rows["Anak 2"].granted == 0 and rows["Anak 2"].remaining == 87_000_000


def test_the_cli_grants_a_year_and_prints_the_summary(officer, operator_b):
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    claim, (child, _other) = approved_claim(officer)
    year = clock.today().year
    out = StringIO()
    call_command("claim", "scholarship", claim.number, "--child", str(child.pk), "--year", str(year), "--level",
                 "smp", "--json", "--user", officer.username, stdout=out)
    rows = json.loads(out.getvalue())["children"]
    assert rows[0]["name"] == "Anak 1" and rows[0]["granted"] == 2_000_000 and rows[0]["remaining"] == 85_000_000
    out = StringIO()
    call_command("claim", "scholarship", claim.number, "--user", officer.username, stdout=out)
    assert "Anak 1" in out.getvalue() and "Rp85.000.000" in out.getvalue()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("claim", "scholarship", claim.number, "--user", operator_b.username, stdout=StringIO())


def test_a_worker_s_disability_and_death_claims_share_the_caps_by_the_child_s_nik(officer):
    """Caps belong to the participant: a child granted under the total-disability claim is the same child (by NIK) on
    the later death claim; its year, its Rp87,000,000 and the two places are not granted again."""
    disability, (a, b, c) = approved_claim(officer, kind="jkk_disability_total", children=3)
    death, (a2, b2, c2) = approved_claim(officer, kind="jkm", children=3, person=disability.participant,
                                         niks=[a.nik, b.nik, c.nik])
    first = clock.today().year
    for offset in range(7):
        grant(officer, disability, a, first + offset, "higher")
    grant(officer, disability, b, first, "tk_sd")
    assert refusal(lambda: grant(officer, death, b2, first, "tk_sd")).code == ScholarshipRefusal.ALREADY_GRANTED
    assert grant(officer, death, a2, first + 7, "higher").amount == 3_000_000  # 87 000 000 - 84 000 000
    error = refusal(lambda: grant(officer, death, a2, first + 8, "higher"))
    assert error.code == ScholarshipRefusal.CAP_REACHED and "Rp87.000.000" in error.message
    assert refusal(lambda: grant(officer, death, c2, first, "tk_sd")).code == ScholarshipRefusal.TOO_MANY_CHILDREN
    rows = {r.name: r for r in summary(death)}
    assert rows["Anak 1"].granted == 87_000_000 and rows["Anak 1"].remaining == 0
    assert rows["Anak 2"].granted == 1_500_000 and [y["claim"] for y in rows["Anak 2"].years] == [disability.number]
    assert "Anak 3" not in rows  # the participant's two places are taken


def test_a_child_of_two_deceased_participants_receives_under_each_participant_s_caps(officer):
    """DOMAIN gives the caps per participant ("at most two children if the participant had ..."): both parents
    insured and dead, the child's schooling is granted on each parent's claim (docs/design/claims.md)."""
    father, (child,) = approved_claim(officer, children=1)
    mother, (same_child,) = approved_claim(officer, children=1, niks=[child.nik])
    year = clock.today().year
    assert grant(officer, father, child, year, "sma").amount == 3_000_000
    assert grant(officer, mother, same_child, year, "sma").amount == 3_000_000
