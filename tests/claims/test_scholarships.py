"""Scholarships year by year up to the caps: at most two children, the per-child and per-participant caps, the JKM
route's 36 contribution months (none on the JKK route), one per child and year, a child heir only; proposed by one
person and approved or rejected by another; audited; the summary says what each child received, what is proposed and
what is left."""

from datetime import timedelta

import pytest

from jamsosdesa.claims.models import Claim, ClaimHeir, ClaimPayment, ScholarshipGrant
from jamsosdesa.claims.scholarships import ScholarshipRefusal, approve, pay, propose, reject, summary
from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.roles import Role
from tests.browser.conftest import reference_data  # noqa: F401 (regions and occupations after a flush)
from tests.claims.engine_fixtures import day, fresh_param_cache, month, people  # noqa: F401
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

_numbers = iter(range(1, 10_000))


@pytest.fixture
def officer(db):
    return make_user("cabang_skh_beasiswa", Role.BRANCH_OFFICER, ["33.11"])


@pytest.fixture
def second(db):
    """Another branch officer of the kabupaten: the second pair of eyes."""
    return make_user("cabang_skh_beasiswa_2", Role.BRANCH_OFFICER, ["33.11"])


def granted(officer, second, claim, child, year, level):
    """A year proposed by `officer` and approved by `second`."""
    return approve(second, propose(officer, claim, child, year, level))


def approved_claim(officer, *, kind="jkm", months=40, children=2, others=0, person=None, niks=None):
    """An approved claim of `person` (a new participant by default) with `children` child heirs (NIKs `niks`, else
    one per position) and `others` spouses."""
    if person is None:
        person, = people(1)
    claim = Claim.objects.create(number=f"KLM-T-{next(_numbers)}", participant=person, kab_code=person.kab_code,
                                 desa_code=person.desa_id, kind=kind, event_date=day(-1, 20), reported_by=officer,
                                 status="approved", eligibility={"contribution_months": months, "eligible": True})
    niks = niks or [f"33111101{i:08d}" for i in range(children)]
    heirs = [ClaimHeir.objects.create(claim=claim, name=f"Anak {i + 1}", relation="child", nik=niks[i],
                                      bank_name="BRI", account_number=f"0012{claim.pk:04d}{i:04d}")
             for i in range(children)]
    heirs += [ClaimHeir.objects.create(claim=claim, name="Istri", relation="spouse", nik=f"3311114{i:09d}",
                                       bank_name="BNI", account_number=f"0099{claim.pk:04d}{i:04d}")
              for i in range(others)]
    return claim, heirs


def refusal(call) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value


def test_a_year_is_granted_at_its_level_s_amount_and_audited(officer):
    claim, (first, second) = approved_claim(officer)
    year = clock.today().year
    row = propose(officer, claim, first, year, "smp")
    assert row.amount == 2_000_000
    assert propose(officer, claim, second, year, "higher").amount == 12_000_000
    assert AuditEvent.objects.filter(event_type="scholarship.granted", object_id=str(row.pk)).count() == 1


def test_a_third_child_is_refused(officer):
    claim, (a, b, c) = approved_claim(officer, children=3)
    year = clock.today().year
    propose(officer, claim, a, year, "tk_sd")
    propose(officer, claim, b, year, "tk_sd")
    error = refusal(lambda: propose(officer, claim, c, year, "tk_sd"))
    assert error.code == ScholarshipRefusal.TOO_MANY_CHILDREN
    assert "paling banyak untuk 2 anak" in error.message
    assert propose(officer, claim, a, year + 1, "tk_sd").amount == 1_500_000  # the two chosen go on


def test_a_child_s_cap_is_reached_its_last_year_gets_what_is_left_then_nothing(officer, second):
    claim, (child, _other) = approved_claim(officer)
    first = clock.today().year
    for offset in range(7):  # 7 × 12 000 000 = 84 000 000 of the 87 000 000
        granted(officer, second, claim, child, first + offset, "higher")
    assert granted(officer, second, claim, child, first + 7, "higher").amount == 3_000_000
    error = refusal(lambda: propose(officer, claim, child, first + 8, "tk_sd"))
    assert error.code == ScholarshipRefusal.CAP_REACHED
    assert "Rp87.000.000" in error.message
    assert summary(claim)[0].granted == 87_000_000 and summary(claim)[0].remaining == 0


def test_the_jkm_route_needs_36_contribution_months_and_the_jkk_route_none(officer):
    claim, (child, _other) = approved_claim(officer, months=35)
    error = refusal(lambda: propose(officer, claim, child, clock.today().year, "sma"))
    assert error.code == ScholarshipRefusal.TOO_FEW_MONTHS
    assert "36 bulan" in error.message and "35 bulan" in error.message
    jkk, (jkk_child, _o) = approved_claim(officer, kind="jkk_death", months=1)
    assert propose(officer, jkk, jkk_child, clock.today().year, "sma").amount == 3_000_000


def test_a_spouse_is_not_a_child(officer):
    claim, heirs = approved_claim(officer, children=1, others=1)
    error = refusal(lambda: propose(officer, claim, heirs[1], clock.today().year, "sma"))
    assert error.code == ScholarshipRefusal.NOT_A_CHILD
    assert "Istri bukan anak" in error.message
    assert not ScholarshipGrant.objects.exists()


def test_one_grant_per_child_and_year(officer):
    claim, (child, _other) = approved_claim(officer)
    year = clock.today().year
    propose(officer, claim, child, year, "tk_sd")
    error = refusal(lambda: propose(officer, claim, child, year, "smp"))
    assert error.code == ScholarshipRefusal.ALREADY_GRANTED


def test_a_claim_not_yet_approved_or_outside_scope_gets_none(officer, operator_b):
    claim, (child, _other) = approved_claim(officer)
    Claim.objects.filter(pk=claim.pk).update(status="reported")
    assert refusal(lambda: propose(officer, claim, child, clock.today().year, "smp")).code == \
        ScholarshipRefusal.CLAIM_NOT_DECIDED
    assert refusal(lambda: propose(operator_b, claim, child, clock.today().year, "smp")).code == "not_found"


def test_the_summary_tracks_each_child_by_year(officer, second):
    claim, (a, b) = approved_claim(officer)
    year = clock.today().year
    granted(officer, second, claim, a, year, "sma")
    propose(officer, claim, a, year + 1, "higher")
    rows = {r.name: r for r in summary(claim)}
    assert rows["Anak 1"].granted == 3_000_000 and rows["Anak 1"].proposed == 12_000_000
    assert rows["Anak 1"].remaining == 72_000_000  # a proposal holds its amount until it is decided
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
    assert rows[0]["name"] == "Anak 1" and rows[0]["proposed"] == 2_000_000 and rows[0]["remaining"] == 85_000_000
    assert rows[0]["granted"] == 0 and rows[0]["years"][0]["status"] == "proposed"
    out = StringIO()
    call_command("claim", "scholarship", claim.number, "--user", officer.username, stdout=out)
    assert "Anak 1" in out.getvalue() and "Rp85.000.000" in out.getvalue()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("claim", "scholarship", claim.number, "--user", operator_b.username, stdout=StringIO())


def test_a_worker_s_disability_and_death_claims_share_the_caps_by_the_child_s_nik(officer, second):
    """Caps belong to the participant: a child granted under the total-disability claim is the same child (by NIK) on
    the later death claim; its year, its Rp87,000,000 and the two places are not granted again."""
    disability, (a, b, c) = approved_claim(officer, kind="jkk_disability_total", children=3)
    death, (a2, b2, c2) = approved_claim(officer, kind="jkm", children=3, person=disability.participant,
                                         niks=[a.nik, b.nik, c.nik])
    first = clock.today().year
    for offset in range(7):
        granted(officer, second, disability, a, first + offset, "higher")
    granted(officer, second, disability, b, first, "tk_sd")
    assert refusal(lambda: propose(officer, death, b2, first, "tk_sd")).code == ScholarshipRefusal.ALREADY_GRANTED
    assert granted(officer, second, death, a2, first + 7, "higher").amount == 3_000_000  # 87 000 000 - 84 000 000
    error = refusal(lambda: propose(officer, death, a2, first + 8, "higher"))
    assert error.code == ScholarshipRefusal.CAP_REACHED and "Rp87.000.000" in error.message
    assert refusal(lambda: propose(officer, death, c2, first, "tk_sd")).code == ScholarshipRefusal.TOO_MANY_CHILDREN
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
    assert propose(officer, father, child, year, "sma").amount == 3_000_000
    assert propose(officer, mother, same_child, year, "sma").amount == 3_000_000


def test_a_proposal_is_granted_only_once_another_person_approves_it(officer, second):
    from django.db import IntegrityError, transaction

    claim, (child, _other) = approved_claim(officer)
    year = clock.today().year
    row = propose(officer, claim, child, year, "smp")
    assert row.status == "proposed" and summary(claim)[0].granted == 0
    error = refusal(lambda: approve(officer, row))
    assert error.code == "forbidden" and "orang lain" in error.message
    row.refresh_from_db()
    assert row.status == "proposed" and row.decided_by is None
    approve(second, row)
    row.refresh_from_db()
    assert row.status == "approved" and row.decided_by == second and row.decided_at is not None
    assert summary(claim)[0].granted == 2_000_000 and summary(claim)[0].proposed == 0
    notes = list(AuditEvent.objects.filter(event_type="scholarship.granted", object_id=str(row.pk))
                 .order_by("id").values_list("note", "new__status", "actor_name"))
    assert notes == [("proposed", "proposed", officer.username), ("approved", "approved", second.username)]
    assert refusal(lambda: approve(second, row)).code == ScholarshipRefusal.NOT_PROPOSED
    with pytest.raises(IntegrityError), transaction.atomic():  # the table keeps the four eyes too
        ScholarshipGrant.objects.filter(pk=row.pk).update(decided_by=officer)


def test_a_rejected_proposal_frees_its_place_and_its_year(officer, second):
    claim, (a, b, c) = approved_claim(officer, children=3)
    year = clock.today().year
    propose(officer, claim, a, year, "tk_sd")
    wrong = propose(officer, claim, b, year, "higher")
    assert refusal(lambda: propose(officer, claim, c, year, "tk_sd")).code == ScholarshipRefusal.TOO_MANY_CHILDREN
    assert refusal(lambda: reject(officer, wrong, "salah jenjang")).code == "forbidden"
    reject(second, wrong, "salah jenjang: anak masih SD")
    wrong.refresh_from_db()
    assert wrong.status == "rejected" and wrong.decision_note == "salah jenjang: anak masih SD"
    assert refusal(lambda: approve(second, wrong)).code == ScholarshipRefusal.NOT_PROPOSED
    assert propose(officer, claim, b, year, "tk_sd").amount == 1_500_000  # the same year, proposed again
    assert AuditEvent.objects.filter(object_id=str(wrong.pk), note="rejected").count() == 1


def test_only_those_who_process_claims_in_scope_decide(officer, second, operator_b):
    claim, (child, _other) = approved_claim(officer)
    row = propose(officer, claim, child, clock.today().year, "sma")
    village = make_user("operator_beasiswa", Role.VILLAGE_OPERATOR, [claim.desa_code])
    assert refusal(lambda: approve(village, row)).code == "forbidden"  # sees the claim, processes nothing
    assert refusal(lambda: approve(operator_b, row)).code == "not_found"
    assert refusal(lambda: propose(village, claim, child, clock.today().year + 1, "sma")).code == "forbidden"
    approve(second, row)
    assert refusal(lambda: pay(village, row, clock.today(), reference="TRF-X")).code == "forbidden"
    assert refusal(lambda: pay(operator_b, row, clock.today(), reference="TRF-X")).code == "not_found"
    assert not ClaimPayment.objects.exists()


def test_an_approved_grant_is_paid_once_to_the_account_fixed_at_approval(officer, second):
    from django.db import IntegrityError, transaction

    claim, (child, _other) = approved_claim(officer)
    year = clock.today().year
    row = granted(officer, second, claim, child, year, "sma")
    assert (row.bank_name, row.account_number, row.guardian) == ("BRI", child.account_number, child)
    ClaimHeir.objects.filter(pk=child.pk).update(account_number="777777777")  # corrected later: not where it goes
    payment = pay(officer, row, clock.today(), reference="TRF-BEA-1")
    assert (payment.purpose, payment.amount, payment.heir_id) == (f"scholarship:{year}", 3_000_000, child.pk)
    assert (payment.bank_name, payment.account_number) == ("BRI", row.account_number)
    row.refresh_from_db()
    assert row.payment == payment and summary(claim)[0].years[0]["paid_on"] == clock.today().isoformat()
    event = AuditEvent.objects.get(event_type="claim_payment.recorded", object_id=str(payment.pk))
    assert event.new["scholarship"] == row.pk and event.new["purpose"] == f"scholarship:{year}"
    error = refusal(lambda: pay(second, row, clock.today(), reference="TRF-BEA-2"))
    assert error.code == ScholarshipRefusal.ALREADY_PAID and "tidak dibayar dua kali" in error.message
    assert "TRF-BEA-1" in error.message
    with pytest.raises(IntegrityError), transaction.atomic():  # once per grant: the table's constraint
        ClaimPayment.objects.create(claim=claim, heir=child, purpose=f"scholarship:{year}", amount=1,
                                    paid_on=clock.today(), bank_name="BRI", account_number="1", reference="TRF-BEA-3",
                                    recorded_by=officer)
    assert ClaimPayment.objects.count() == 1


def test_a_proposed_or_rejected_grant_is_not_paid(officer, second):
    claim, (a, b) = approved_claim(officer)
    year = clock.today().year
    proposed = propose(officer, claim, a, year, "smp")
    error = refusal(lambda: pay(second, proposed, clock.today(), reference="TRF-P"))
    assert error.code == ScholarshipRefusal.NOT_APPROVED and "hanya beasiswa yang disetujui" in error.message
    rejected = reject(second, propose(officer, claim, b, year, "smp"))
    assert refusal(lambda: pay(officer, rejected, clock.today(), reference="TRF-R")).code == \
        ScholarshipRefusal.NOT_APPROVED
    assert not ClaimPayment.objects.exists()


def test_paid_to_the_account_given_at_approval_or_else_the_guardian_heir_s(officer, second):
    claim, (child, spouse) = approved_claim(officer, children=1, others=1)
    ClaimHeir.objects.filter(pk=child.pk).update(bank_name="", account_number="")  # a minor without an account
    year = clock.today().year
    to_mother = approve(second, propose(officer, claim, child, year, "tk_sd"))
    assert (to_mother.guardian, to_mother.bank_name, to_mother.account_number) == (
        spouse, "BNI", spouse.account_number)
    given = approve(second, propose(officer, claim, child, year + 1, "tk_sd"), bank="Bank Jateng",
                    account="3-100-200-300")
    assert (given.bank_name, given.account_number, given.guardian) == ("Bank Jateng", "3100200300", None)
    error = refusal(lambda: pay(officer, given, clock.today(), account=spouse.account_number, reference="TRF-G"))
    assert error.code == ScholarshipRefusal.BAD_ACCOUNT and "3100200300" in error.message
    assert pay(officer, given, clock.today(), bank="bank jateng", account="3100200300",
               reference="TRF-G").account_number == "3100200300"
    ClaimHeir.objects.filter(pk=spouse.pk).update(account_number="")
    nowhere = propose(officer, claim, child, year + 2, "tk_sd")
    error = refusal(lambda: approve(second, nowhere))
    assert error.code == ScholarshipRefusal.BAD_ACCOUNT and "rekening tujuan" in error.message


def test_a_payment_day_in_the_future_or_a_used_reference_is_refused(officer, second):
    claim, (a, b) = approved_claim(officer)
    year = clock.today().year
    first, other = granted(officer, second, claim, a, year, "sma"), granted(officer, second, claim, b, year, "sma")
    tomorrow = clock.today() + timedelta(days=1)
    assert "belum tiba" in refusal(lambda: pay(officer, first, tomorrow, reference="TRF-F")).message
    pay(officer, first, clock.today(), reference="TRF-SAME")
    assert "sudah dipakai" in refusal(lambda: pay(officer, other, clock.today(), reference="TRF-SAME")).message


def _browser(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_claim_page_proposes_approves_and_pays_with_four_eyes(officer, second, operator_b):
    claim, (child, _other) = approved_claim(officer)
    year = clock.today().year
    base = f"/klaim/{claim.number}/beasiswa/"
    page = _browser(officer).get(f"/klaim/{claim.number}/").content.decode()
    assert 'id="scholarships"' in page and 'id="scholarship-form"' in page
    answer = _browser(officer).post(base, {"child": child.pk, "year": year, "level": "smp"}, follow=True)
    assert "diusulkan" in answer.content.decode()
    row = ScholarshipGrant.objects.get()
    own = _browser(officer).get(f"/klaim/{claim.number}/").content.decode()
    assert f"{base}{row.pk}/setujui/" not in own and "petugas lain yang memutuskannya" in own
    refused = _browser(officer).post(f"{base}{row.pk}/setujui/", follow=True).content.decode()
    assert "empat mata" in refused
    row.refresh_from_db()
    assert row.status == "proposed"
    assert f"{base}{row.pk}/setujui/" in _browser(second).get(f"/klaim/{claim.number}/").content.decode()
    assert _browser(second).post(f"{base}{row.pk}/setujui/", {"guardian": "", "bank": "", "account": ""}
                                 ).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.decided_by, row.account_number) == ("approved", second, child.account_number)
    assert f"{base}{row.pk}/bayar/" in _browser(officer).get(f"/klaim/{claim.number}/").content.decode()
    _browser(officer).post(f"{base}{row.pk}/bayar/", {"paid_on": clock.today().isoformat(), "reference": "TRF-PG"})
    row.refresh_from_db()
    assert row.payment is not None and row.payment.reference == "TRF-PG"
    again = _browser(officer).post(f"{base}{row.pk}/bayar/", {"paid_on": clock.today().isoformat(),
                                                                "reference": "TRF-PG2"}, follow=True)
    assert "tidak dibayar dua kali" in again.content.decode()
    village = make_user("operator_beasiswa_halaman", Role.VILLAGE_OPERATOR, [claim.desa_code])
    reads = _browser(village).get(f"/klaim/{claim.number}/").content.decode()
    assert 'id="scholarship-grants"' in reads and "/beasiswa/" not in reads  # reads, no button
    assert row.account_number not in reads  # the account masked for a role that does not process claims
    assert _browser(operator_b).post(f"{base}{row.pk}/bayar/", {"reference": "x"}).status_code == 404
    assert _browser(operator_b).post(base, {"child": child.pk}).status_code == 404
    assert _browser(officer).post(f"/klaim/{claim.number}/beasiswa/999999/setujui/").status_code == 404


def test_the_api_proposes_approves_rejects_and_pays(officer, second, operator_b):
    from tests.conftest import api_client

    claim, (a, b) = approved_claim(officer)
    year = clock.today().year
    one, two, outside = api_client(officer), api_client(second), api_client(operator_b)
    path = f"/claims/{claim.number}/scholarships"
    made = one("post", path, {"child": a.pk, "year": year, "level": "sma"})
    assert made.status_code == 201 and made.json()["status"] == "proposed" and made.json()["amount"] == 3_000_000
    grant_id = made.json()["id"]
    assert one("post", f"{path}/{grant_id}/approve", {}).status_code == 403
    assert outside("post", f"{path}/{grant_id}/approve", {}).status_code == 404
    approved = two("post", f"{path}/{grant_id}/approve", {"bank": "Bank Jateng", "account": "3100200300"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["account_number"] == "3100200300" and approved.json()["decided_by"] == second.username
    other = one("post", path, {"child": b.pk, "year": year, "level": "smp"}).json()["id"]
    rejected = two("post", f"{path}/{other}/reject", {"note": "bukan jenjangnya"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    unpaid = one("post", f"{path}/{other}/payments", {"paid_on": clock.today().isoformat(), "reference": "TRF-A0"})
    assert unpaid.status_code == 422 and unpaid.json()["error"]["code"] == ScholarshipRefusal.NOT_APPROVED
    paid = one("post", f"{path}/{grant_id}/payments", {"paid_on": clock.today().isoformat(), "reference": "TRF-A1"})
    assert paid.status_code == 201 and paid.json()["purpose"] == f"scholarship:{year}"
    twice = two("post", f"{path}/{grant_id}/payments", {"paid_on": clock.today().isoformat(), "reference": "TRF-A2"})
    assert twice.status_code == 422 and twice.json()["error"]["code"] == ScholarshipRefusal.ALREADY_PAID
    listed = one("get", path).json()
    assert [g["status"] for g in listed["grants"]] == ["approved", "rejected"]
    assert listed["grants"][0]["reference"] == "TRF-A1" and listed["children"][0]["granted"] == 3_000_000
    assert outside("get", path).status_code == 404


def test_the_cli_approves_rejects_and_pays_following_the_scholarship_command(officer, second):
    from io import StringIO

    from django.core.management import CommandError, call_command

    claim, (a, b) = approved_claim(officer)
    year = str(clock.today().year)

    def run(*args, user=officer):
        out = StringIO()
        call_command("claim", "scholarship", *args, "--user", user.username, stdout=out)
        return out.getvalue()

    assert "menunggu persetujuan" in run(claim.number, "--child", str(a.pk), "--year", year, "--level", "smp")
    run(claim.number, "--child", str(b.pk), "--year", year, "--level", "smp")
    with pytest.raises(CommandError, match="empat mata"):
        run("approve", claim.number, "--child", str(a.pk), "--year", year)
    assert "disetujui" in run("approve", claim.number, "--child", str(a.pk), "--year", year, user=second)
    assert "ditolak" in run("reject", claim.number, "--child", str(b.pk), "--year", year, "--note", "salah",
                            user=second)
    assert "dicatat" in run("pay", claim.number, "--child", str(a.pk), "--year", year, "--paid-on",
                            clock.today().isoformat(), "--reference", "TRF-C1")
    with pytest.raises(CommandError, match="tidak dibayar dua kali"):
        run("pay", claim.number, "--child", str(a.pk), "--year", year, "--paid-on", clock.today().isoformat(),
            "--reference", "TRF-C2")
    with pytest.raises(CommandError, match="Tidak ada usulan"):
        run("pay", claim.number, "--child", str(b.pk), "--year", year, "--paid-on", clock.today().isoformat(),
            "--reference", "TRF-C3")
    with pytest.raises(CommandError, match="approve|reject|pay"):
        run("grant", claim.number)
    assert "Rp2.000.000" in run(claim.number)


@pytest.fixture
def parameters_after_a_flush(reference_data):  # noqa: F811
    """A transactional test's flush empties the parameters migration 0002 seeded: seed them again."""
    import importlib

    from django.apps import apps

    from jamsosdesa.claims.parameters import param_cache_clear

    importlib.import_module("jamsosdesa.claims.migrations.0002_engine").seed(apps, None)
    param_cache_clear()


def _at_once(calls) -> list:
    """Run the calls in threads released together (PostgreSQL: each its own connection): "ok" or the refusal."""
    import threading

    from django.db import connections

    results, barrier = [], threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            call()
            results.append("ok")
        except ServiceError as exc:
            results.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_double_submit_pays_a_grant_once(parameters_after_a_flush, officer, second):
    claim, (child, _other) = approved_claim(officer)
    row = granted(officer, second, claim, child, clock.today().year, "smp")
    results = _at_once([lambda ref=ref: pay(officer, row, clock.today(), reference=ref) for ref in ("TRF-1", "TRF-2")])
    assert results.count("ok") == 1, results
    assert any("tidak dibayar dua kali" in r for r in results if r != "ok")
    assert ClaimPayment.objects.count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_proposals_on_a_worker_s_two_claims_at_once_keep_the_two_places(parameters_after_a_flush, officer):
    disability, (a, b, c) = approved_claim(officer, kind="jkk_disability_total", children=3)
    death, (_a2, b2, c2) = approved_claim(officer, kind="jkm", children=3, person=disability.participant,
                                          niks=[a.nik, b.nik, c.nik])
    year = clock.today().year
    propose(officer, disability, a, year, "tk_sd")
    results = _at_once([lambda: propose(officer, disability, b, year, "tk_sd"),
                        lambda: propose(officer, death, c2, year, "tk_sd")])
    assert results.count("ok") == 1, results
    assert any("paling banyak untuk 2 anak" in r for r in results if r != "ok")
    assert len({g.child.nik for g in ScholarshipGrant.objects.select_related("child")}) == 2
