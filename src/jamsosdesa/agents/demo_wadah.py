"""The demo's wadah: BUMDes Krajan Makmur (Kab. Sukoharjo), its PKS with the Solo branch in force around today,
managed by `wadah.krajan`, with five agents (`agen.krajan`, and agen.krajan2 .. agen.krajan5, demo logins made with
the others by participants.demo), each a BPU participant of Krajan or Sanggung. Runs before billing's demo ledger,
whose packages and payments are agen.krajan's (an agent acts only as the agent of a wadah whose PKS is in force)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from jamsosdesa.core import clock
from jamsosdesa.core.audit import AuditBatch
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.months import add_months
from jamsosdesa.participants.demo import KRAJAN, OTHER_GATAK_DESA
from jamsosdesa.participants.models import Participant, Segment

from .models_wadah import Agent, AgentStatus, Wadah, WadahKind
from .services_wadah import WadahData, pks_latest_end, wadah_create

NAME = "BUMDes Krajan Makmur"
AGENTS = ["agen.krajan", "agen.krajan2", "agen.krajan3", "agen.krajan4", "agen.krajan5"]  # the rules' minimum: 5


@transaction.atomic
def demo_wadah() -> Wadah | None:
    """Create the demo's wadah and agents; running it again adds nothing."""
    if Wadah.objects.filter(name=NAME).exists():
        return None
    User = get_user_model()
    branch = User.objects.get(username="cabang.solo")
    start = add_months(clock.today().replace(day=1), -3)
    wadah = wadah_create(actor=branch, data=WadahData(
        name=NAME, kind=WadahKind.BUMDES, legal_status="Perdes Krajan No. 4 Tahun 2019 tentang Pendirian BUMDes",
        kab_code="33.11", desa_code=KRAJAN, address="Balai Desa Krajan, Gatak, Sukoharjo", phone="0271-000111",
        bank_name="BRI", bank_account="0123-01-004499-53-0", bank_holder=NAME,
        pks_number=f"PKS/BPJSTK-SOLO/PERISAI/{start:%Y}/017", pks_date=start, pks_start=start,
        pks_end=pks_latest_end(start, 12), acquisition_target=1000, managers=["wadah.krajan"]))
    users = {u.username: u for u in User.objects.filter(username__in=AGENTS).prefetch_related("regions")}
    taken: set[int] = set()
    rows = []
    for i, username in enumerate(AGENTS, start=1):
        user = users[username]
        desa = sorted(r.code for r in user.regions.all())
        # the agent is one of its own desa's informal workers (the billing demo's Sanggung packages are the first
        # forty by id: the agents are taken from the other end)
        person = (Participant.objects.filter(desa_id__in=desa or [KRAJAN, OTHER_GATAK_DESA], segment=Segment.BPU,
                                             is_active=True).exclude(pk__in=taken).order_by("-id").first())
        taken.add(person.pk)
        if not user.first_name or user.first_name.startswith("Agen PERISAI"):
            user.first_name = person.full_name[:150]
            user.save(update_fields=["first_name"])
        rows.append(Agent(user=user, wadah=wadah, participant=person, kab_code=wadah.kab_code, bank_name="BRI",
                          bank_account=f"0123-01-00{4500 + i}-53-{i}", bank_holder=person.full_name,
                          training_certificate=f"SERT/PERISAI/SKH/{i:03d}", training_date=start,
                          assignment_letter=f"ST/BUMDES-KM/{start:%Y}/{i:03d}", assignment_date=start,
                          status=AgentStatus.ACTIVE, created_by=branch,
                          # agen.krajan works since the PKS began (billing's demo is its work); the others were
                          # recorded today, so the idle check leaves them until they have had their months
                          active_since=start if username == "agen.krajan" else clock.today()))
    Agent.objects.bulk_create(rows)
    made = Agent.objects.filter(wadah=wadah).select_related("user")
    AuditBatch(actor=branch, event=AuditEventType.AGENT_CREATED, note="data demo").write(
        [(a.pk, wadah.kab_code, None, {"username": a.user.username, "wadah": wadah.pk,
                                       "participant": a.participant_id}) for a in made])
    return wadah
