"""The demo data set: the villages from the field, demo users for every role, a few thousand people."""

from datetime import timedelta

from django.db import transaction

from jamsosdesa.accounts.models import User
from jamsosdesa.core import clock
from jamsosdesa.core.audit import AuditBatch
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.regioncodes import Level
from jamsosdesa.core.registry import Registry
from jamsosdesa.core.roles import Role
from jamsosdesa.regions.models import Region

from .fake import fake_participants
from .models import Channel, Participant

DEMO_PASSWORD = "demo12345"
DEMO_HISTORY_DAYS = 183
KRAJAN = "33.11.11.2004"  # Desa Krajan, Kec. Gatak, Kab. Sukoharjo
OTHER_GATAK_DESA = "33.11.11.2001"  # Sanggung, the second operator's desa
KABUPATEN = {"51.04": 5, "35.25": 5, "33.10": 4, "12.71": 4}  # Gianyar, Gresik, Klaten, Kota Medan: desa each
# What packages above participants add to the demo once its users and people exist (funding: the demo schemes),
# each a function without arguments, registered from the package's AppConfig.ready().
demo_steps: Registry = Registry("demo data added by other packages")

USERS = [
    # username, role, regions, description
    ("admin", Role.NATIONAL_ADMIN, [], "Admin nasional (semua wilayah)"),
    ("cabang.solo", Role.BRANCH_OFFICER, ["33.11", "33.10"], "Kantor cabang BPJS: Kab. Sukoharjo & Kab. Klaten"),
    ("pemkab.gianyar", Role.DISTRICT_OFFICIAL, ["51.04"], "Pejabat Kab. Gianyar"),
    ("operator.krajan", Role.VILLAGE_OPERATOR, [KRAJAN], "Operator Desa Krajan, Gatak, Sukoharjo"),
    ("operator.sanggung", Role.VILLAGE_OPERATOR, [OTHER_GATAK_DESA], "Operator Desa Sanggung, Gatak, Sukoharjo"),
    ("agen.krajan", Role.PERISAI_AGENT, [KRAJAN, OTHER_GATAK_DESA], "Agen PERISAI (BUMDes) Krajan & Sanggung"),
    ("wadah.krajan", Role.WADAH_MANAGER, [KRAJAN, OTHER_GATAK_DESA], "Pengelola wadah PERISAI BUMDes Krajan"),
    # the other agents of BUMDes Krajan Makmur (agents.demo_wadah makes all five its agents)
    ("agen.krajan2", Role.PERISAI_AGENT, [KRAJAN], "Agen PERISAI BUMDes Krajan Makmur (Krajan)"),
    ("agen.krajan3", Role.PERISAI_AGENT, [KRAJAN], "Agen PERISAI BUMDes Krajan Makmur (Krajan)"),
    ("agen.krajan4", Role.PERISAI_AGENT, [OTHER_GATAK_DESA], "Agen PERISAI BUMDes Krajan Makmur (Sanggung)"),
    ("agen.krajan5", Role.PERISAI_AGENT, [OTHER_GATAK_DESA], "Agen PERISAI BUMDes Krajan Makmur (Sanggung)"),
]


def demo_desa() -> list[tuple[str, int]]:
    """(desa code, people) for every demo village: Krajan's 350, then the districts' villages."""
    plan = [(KRAJAN, 350), (OTHER_GATAK_DESA, 120)]
    for kab, n in KABUPATEN.items():
        codes = list(Region.objects.filter(level=Level.DESA, code__startswith=kab + ".", is_historical=False)
                     .order_by("code").values_list("code", flat=True)[:n])
        plan += [(code, 150 + 37 * (i % 4)) for i, code in enumerate(codes)]
    return plan


@transaction.atomic
def demo_load() -> dict:
    """Create demo users and participants; running it again adds nothing twice."""
    if not Region.objects.filter(code=KRAJAN).exists():
        raise RuntimeError("Daftar wilayah belum dimuat: jalankan `jamsosdesa regions load` dulu.")
    users = {}
    for username, role, regions, description in USERS:
        user, created = User.objects.get_or_create(username=username, defaults={
            "role": role, "first_name": description[:150], "is_staff": role == Role.NATIONAL_ADMIN,
            "is_superuser": role == Role.NATIONAL_ADMIN})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.regions.set(regions)
        users[username] = user

    plan = demo_desa()
    registrar = {KRAJAN: users["agen.krajan"], OTHER_GATAK_DESA: users["operator.sanggung"]}
    now = clock.now()
    # The demo's people were registered half a year ago: the registry existed before today, and billing (which
    # never bills a month before a person existed) can show months of history on them.
    registered = now - timedelta(days=DEMO_HISTORY_DAYS)
    rows = []
    for data in fake_participants([c for c, _ in plan], [n for _, n in plan], seed=2026):
        actor = registrar.get(data["desa"], users["admin"])
        p = Participant(**{k: v for k, v in data.items() if k not in ("desa", "occupation")},
                        desa_id=data["desa"], occupation_id=data["occupation"], registered_by=actor,
                        channel=Channel.AGENT if actor.role == Role.PERISAI_AGENT else Channel.WEB,
                        created_at=registered, updated_at=registered)
        rows.append(p.fill_derived())
    existing = set(Participant.objects.filter(nik__in=[p.nik for p in rows]).values_list("nik", flat=True))
    new = [p for p in rows if p.nik not in existing]
    Participant.objects.bulk_create(new, batch_size=1000)
    created = {p.nik: p.pk for p in Participant.objects.filter(nik__in=[p.nik for p in new]).only("pk", "nik")}
    for actor in {p.registered_by for p in new}:
        AuditBatch(actor=actor, event=AuditEventType.PARTICIPANT_REGISTERED, note="data demo", at=now).write(
            [(created[p.nik], p.desa_id, None, {"nik": p.nik, "full_name": p.full_name, "desa": p.desa_id})
             for p in new if p.registered_by == actor])

    # Two Krajan participants died and their heirs received JKM (the field example): the claims' demo step
    # (claims.demo) reports the deaths of two people covered that day, pays the heirs and records the deaths here.
    return {"users": USERS, "participants_new": len(new), "participants_total": Participant.objects.count()}
