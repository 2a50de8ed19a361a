"""A small world for the decision, payment, worklist and dashboard tests: two branch officers of Kab. Sukoharjo
(one prepares, the other decides), a branch officer of another kabupaten, and claims built row by row at a chosen
status (the report and the benefit engine have their own tests)."""

from datetime import timedelta

from jamsosdesa.claims.models import Claim, ClaimHeir, ClaimKind, ClaimStatus
from jamsosdesa.core import clock
from jamsosdesa.core.roles import Role
from tests.conftest import DESA_A, make_user, person

SPOUSE_NIK = "3311114506920001"
CHILD_NIK = "3311110101150002"
CHILD2_NIK = "3311115203180003"


def officers():
    return (make_user("cabang.satu", Role.BRANCH_OFFICER, ["33.11"]),
            make_user("cabang.dua", Role.BRANCH_OFFICER, ["33.11"]),
            make_user("cabang.gianyar", Role.BRANCH_OFFICER, ["51.04"]))


_serial = [0]


def participant(actor, **overrides):
    from jamsosdesa.participants import services

    _serial[0] += 1
    nik = overrides.pop("nik", None) or f"331111050590{_serial[0] + 10:04d}"
    overrides.setdefault("full_name", f"Peserta Krajan {_serial[0]}")
    return services.participant_register(actor=actor, data=person(nik=nik, **overrides), heirs=[],
                                         confirm_warnings=True)


def claim(actor, *, status=ClaimStatus.REPORTED, kind=ClaimKind.JKM, total=42_000_000, heirs=2, prepared_by=None,
          complete_days_ago=1, number=None, participant_row=None, event_days_ago=10, **fields) -> Claim:
    """A claim of a Krajan participant with `heirs` rank-1 heirs (spouse, children), at `status`; PREPARED and later
    carry the benefit and the shares as prepare() leaves them."""
    p = participant_row or participant(actor)
    now = clock.now()
    c = Claim.objects.create(
        number=number or f"KLM-T-{p.pk:06d}", participant=p, kab_code=DESA_A[:5], desa_code=DESA_A, kind=kind,
        event_date=clock.today() - timedelta(days=event_days_ago), reported_by=actor, status=status,
        complete_at=(now - timedelta(days=complete_days_ago)) if complete_days_ago is not None else None,
        eligibility={"eligible": True, "reason": "aktif"}, **fields)
    rows = [("Siti Aminah", "spouse", SPOUSE_NIK), ("Bagus", "child", CHILD_NIK), ("Dewi", "child", CHILD2_NIK)]
    for i, (name, relation, nik) in enumerate(rows[:heirs]):
        ClaimHeir.objects.create(claim=c, name=name, relation=relation, nik=nik, rank=1, bank_name="BRI",
                                 account_number=f"00120100{i}567")
    if c.complete_at is not None:  # the checklist as the file's part leaves it: every required item seen
        from jamsosdesa.claims.documents import required_items
        from jamsosdesa.claims.models import ClaimDocument

        for kind, heir in required_items(c):  # an e-KTP and a bank book per receiving heir
            ClaimDocument.objects.create(claim=c, kind=kind, heir=heir, seen_in_original=True, added_by=actor)
    if status in (ClaimStatus.PREPARED, ClaimStatus.APPROVED, ClaimStatus.PAID):
        from jamsosdesa.claims.decision import split_shares

        shares = split_shares(total, list(c.heirs.all()))
        for h in c.heirs.all():
            h.share = shares[h.pk]
            if status != ClaimStatus.PREPARED:  # as approve() leaves them: the share and account approved
                h.approved_share, h.approved_bank_name = h.share, h.bank_name
                h.approved_account_number, h.approved_account_holder = h.account_number, h.account_holder
            h.save()
        c.benefit_total = total
        c.benefit_parts = [{"code": "jkm_lump_sum", "name": "Santunan", "amount": total, "rule": "PP"}]
        c.prepared_by, c.prepared_at = prepared_by or actor, now
        c.save()
    return c
