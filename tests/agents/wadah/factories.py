"""Wadah and agents written directly (their services have their own tests here): for tests of other packages where
a user with the agent role acts, which it may only as the agent of a wadah with a PKS in force (agents.rules)."""

from datetime import date, timedelta

from jamsosdesa.agents.models import Agent, Wadah
from jamsosdesa.core import clock
from jamsosdesa.participants.models import Participant

ELSEWHERE = "33.11.01.2001"  # Grogol, Kab. Sukoharjo: the agents' own registrations stay out of desa A and B
_serial = iter(range(9000, 10**6))


def wadah_row(kab: str = "33.11", **more) -> Wadah:
    today = clock.today()
    n = next(_serial)
    data = dict(name=f"BUMDes Uji {n}", kind="bumdes", legal_status="Perdes 1/2020", kab_code=kab,
                pks_number=f"PKS/UJI/{n}", pks_date=today - timedelta(days=60), pks_start=today - timedelta(days=60),
                pks_end=today + timedelta(days=300))
    data.update(more)
    return Wadah.objects.create(**data)


def bpu_person(desa: str = ELSEWHERE, **more) -> Participant:
    n = next(_serial)
    data = dict(nik=f"{desa[:2]}{desa[3:5]}{desa[6:8]}070385{n % 10000:04d}", full_name=f"Agen Uji {n}",
                birth_date=date(1985, 3, 7), sex="L", desa_id=desa, segment="BPU",
                village_role="vulnerable_worker")
    data.update(more)
    return Participant.objects.bulk_create([Participant(**data).fill_derived()])[0]


def record_agent(user, *, wadah: Wadah | None = None, **more) -> Agent:
    """Make an existing user with the agent role an active agent of a wadah (a new one in Sukoharjo by default)."""
    wadah = wadah or wadah_row()
    if not user.first_name:  # an agent has a name (the agent forms require it)
        user.first_name = user.username
        user.save(update_fields=["first_name"])
    data = dict(user=user, wadah=wadah, participant=bpu_person(), kab_code=wadah.kab_code, bank_name="BRI",
                bank_account="0011", bank_holder=user.username, training_certificate="SERT-1",
                assignment_letter="ST-1", active_since=clock.today() - timedelta(days=60))
    data.update(more)
    return Agent.objects.create(**data)
