"""The claims of the demo (issue 15; DOMAIN.md's field example): in Desa Krajan two registered workers died and
their heirs received Rp84,000,000 between them (2 × JKM Rp42,000,000), and in Sanggung a worker whose contributions
had stopped died unprotected: the claim refused because the worker had lapsed.

Everything goes through the services the pages use: the deaths are reported by Krajan's village operator (the
eligibility found on the day: covered by the village's ADD scheme for its RT/RW heads, paid in full), the heirs and
documents gathered (seen in the original), the claim prepared by the branch officer (cabang.solo) and approved by
another person (admin: four eyes), each heir paid by the branch, and the registry records the deaths
(participants.services.participant_deactivate). Running it again adds nothing."""

from datetime import date

from django.db import transaction

from jamsosdesa.accounts.models import User
from jamsosdesa.core import clock
from jamsosdesa.participants.models import DeactivationReason, Participant

from .models import Claim, ClaimKind, ClaimStatus

KRAJAN = "33.11.11.2004"
SANGGUNG = "33.11.11.2001"
TRADER = 84  # pekerjaan.csv: PEDAGANG
# (name, relation, birth date, female): the widow or widower and one child of each deceased
HEIRS = ((("Sri Wahyuni", "spouse", date(1978, 4, 12), True), ("Dimas Prasetyo", "child", date(2004, 9, 3), False)),
         (("Sumarni", "spouse", date(1981, 11, 23), True), ("Ayu Lestari", "child", date(2006, 2, 17), True)))


def _nik(birth: date, female: bool, serial: int) -> str:
    """A NIK of Kec. Gatak (33.11.11) for the birth date and sex (the day + 40 for women)."""
    return f"331111{birth.day + (40 if female else 0):02d}{birth:%m%y}{serial:04d}"


def _protected_krajan(limit: int) -> list[Participant]:
    """Krajan's RT/RW heads covered today (the village pays them), a trader among them first."""
    from .eligibility import eligibility_on

    chosen = []
    people = (Participant.objects.filter(desa_id=KRAJAN, is_active=True, village_role__in=("rt_head", "rw_head"))
              .order_by("-occupation_id", "id"))
    today = clock.today()
    for p in sorted(people[:40], key=lambda p: (p.occupation_id != TRADER, p.pk)):
        if eligibility_on(p, today, ClaimKind.JKM).eligible:
            chosen.append(p)
            if len(chosen) == limit:
                break
    return chosen


def _lapsed_sanggung() -> Participant | None:
    """A Sanggung worker whose package stopped after its first month (billing's demo): lapsed today."""
    from .eligibility import eligibility_on

    today = clock.today()
    for p in Participant.objects.filter(desa_id=SANGGUNG, is_active=True, segment="BPU",
                                        village_role="vulnerable_worker").order_by("id")[:40]:
        e = eligibility_on(p, today, ClaimKind.JKM)
        if not e.eligible and not e.held and e.status == "non_active":
            return p
    return None


def _documents(user, claim: Claim) -> None:
    from .documents import add_document, checklist

    for item in checklist(claim):  # each receiving heir's e-KTP and bank book: one item per heir
        if item.required and not item.done:
            add_document(user, claim, item.kind, seen_in_original=True,
                         heir_id=item.heir.pk if item.heir is not None else None)


@transaction.atomic
def demo_claims() -> int:
    """The demo's claims; 0 when they exist already or the demo's users and schemes are missing."""
    if Claim.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=(
        "admin", "cabang.solo", "operator.krajan", "operator.sanggung"))}
    if len(users) < 4:
        return 0
    from jamsosdesa.participants.services import participant_deactivate

    from .decision import approve, prepare
    from .heirs import HeirRequest, heir_set
    from .payments import record_payment
    from .services import ReportRequest, report_claim

    operator, branch, admin = users["operator.krajan"], users["cabang.solo"], users["admin"]
    today = clock.today()
    made = 0
    for n, person in enumerate(_protected_krajan(2)):
        claim = report_claim(operator, ReportRequest(
            nik=person.nik, kind=ClaimKind.JKM, event_date=today, event_place="Desa Krajan",
            description="Meninggal dunia karena sakit (data demo)."))
        if claim.status != ClaimStatus.REPORTED:
            continue
        for i, (name, relation, birth, female) in enumerate(HEIRS[n]):
            heir_set(operator, claim, HeirRequest(
                name=name, relation=relation, nik=_nik(birth, female, 11 + 2 * n + i), birth_date=birth,
                bank_name="BRI", account_number=f"3311{n}{i}0100{person.pk:06d}", account_holder=name))
        _documents(operator, claim)
        claim.refresh_from_db()
        prepare(branch, claim)
        approve(admin, claim)  # another person decides: four eyes
        for heir in claim.heirs.filter(share__gt=0).order_by("rank", "id"):
            record_payment(branch, claim, heir, today, heir.bank_name, heir.account_number,
                           f"DEMO-{claim.number}-{heir.pk}")
        participant_deactivate(actor=operator, participant=person, reason=DeactivationReason.DIED,
                               note=f"JKM {claim.number} dibayarkan kepada ahli waris")
        made += 1
    lapsed = _lapsed_sanggung()
    if lapsed is not None:  # refused by the system on the report: not protected on the day (lapsed)
        report_claim(users["operator.sanggung"], ReportRequest(
            nik=lapsed.nik, kind=ClaimKind.JKM, event_date=today, event_place="Desa Sanggung",
            description="Meninggal dunia; iuran berhenti sesudah bulan pertama (data demo)."))
        made += 1
    return made
