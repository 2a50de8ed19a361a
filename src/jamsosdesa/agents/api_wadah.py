"""The wadah and agents API (/api/v1/agents/wadah..., /api/v1/agents/agents..., /api/v1/agents/rules): a thin door
onto agents.services_wadah; objects through agents.access (404 outside the user's scope; 404 for every route to a
user whose role has no agents' pages: district officials and village operators)."""

from datetime import date

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E

from .access import get_agent_for_user, get_wadah_for_user, scope_agents
from .models_wadah import Agent, AgentRules, Wadah
from .services_wadah import (
    RULE_LIMITS,
    AgentData,
    WadahData,
    agent_create,
    agent_data,
    agent_deactivate,
    agent_reactivate,
    agent_rules_set,
    agent_update,
    agents_of_wadah,
    flag_below_minimum,
    rules_history,
    sees_agent_pages,
    wadah_create,
    wadah_data,
    wadah_list,
    wadah_update,
)

router = Router()


def _guard(request) -> None:
    if not sees_agent_pages(request.user):
        raise Http404


class WadahIn(Schema):
    name: str
    kind: str = Field(..., description="koperasi, bumdes, yayasan, other")
    legal_status: str
    kab_code: str = Field(..., description="Kode kabupaten/kota kantor cabang, mis. 33.11")
    desa_code: str = ""
    address: str = ""
    phone: str = ""
    bank_name: str = ""
    bank_account: str = ""
    bank_holder: str = ""
    pks_number: str
    pks_date: date
    pks_start: date
    pks_end: date = Field(..., description="Paling lama AgentRules.pks_max_months bulan setelah pks_start")
    acquisition_target: int = 0
    managers: list[str] = Field([], description="Nama pengguna pengelola (peran wadah_manager)")
    is_active: bool = True


class WadahPatch(Schema):
    name: str | None = None
    kind: str | None = None
    legal_status: str | None = None
    desa_code: str | None = None
    address: str | None = None
    phone: str | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    bank_holder: str | None = None
    pks_number: str | None = None
    pks_date: date | None = None
    pks_start: date | None = None
    pks_end: date | None = None
    acquisition_target: int | None = None
    managers: list[str] | None = None
    is_active: bool | None = None


class AgentBrief(Schema):
    id: int
    username: str
    name: str
    wadah_id: int
    status: str
    active_since: date
    deactivated_on: date | None
    deactivation_reason: str


class WadahOut(Schema):
    id: int
    name: str
    kind: str
    legal_status: str
    kab_code: str
    desa_code: str
    pks_number: str
    pks_date: date
    pks_start: date
    pks_end: date
    pks_in_force: bool
    acquisition_target: int
    is_active: bool
    managers: list[str]
    active_agents: int
    min_active_agents: int
    below_minimum: bool = Field(..., description="Agen aktif kurang dari AgentRules.min_active_agents hari ini")


class WadahDetailOut(WadahOut):
    agents: list[AgentBrief]


class AgentIn(Schema):
    username: str
    password: str = Field(..., description="Kata sandi awal; tidak pernah dikembalikan")
    nik: str = Field(..., description="NIK peserta BPU terdaftar yang menjadi agen")
    full_name: str
    phone: str = ""
    desa: list[str] = Field(..., description="Kode desa tugas, di kabupaten/kota wadah")
    bank_name: str
    bank_account: str
    bank_holder: str
    training_certificate: str
    training_date: date | None = None
    assignment_letter: str
    assignment_date: date | None = None


class AgentPatch(Schema):
    full_name: str | None = None
    phone: str | None = None
    desa: list[str] | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    bank_holder: str | None = None
    training_certificate: str | None = None
    training_date: date | None = None
    assignment_letter: str | None = None
    assignment_date: date | None = None


class AgentOut(AgentBrief):
    wadah_name: str
    kab_code: str
    desa: list[str]
    bank_name: str
    bank_account: str
    bank_holder: str
    training_certificate: str
    training_date: date | None
    assignment_letter: str
    assignment_date: date | None


class AgentDeactivateIn(Schema):
    reason: str = Field("manual", description="manual atau left")
    note: str


class AgentReactivateIn(Schema):
    note: str = ""


class AgentRulesIn(Schema):
    valid_from: date
    source: str
    note: str = ""
    min_active_agents: int | None = None
    idle_months: int | None = None
    reactivate_after_months: int | None = None
    pks_max_months: int | None = None
    deposit_due_days: int | None = None


class AgentRulesOut(Schema):
    valid_from: date
    min_active_agents: int
    idle_months: int
    reactivate_after_months: int
    pks_max_months: int
    deposit_due_days: int
    source: str
    note: str


def _brief(a: Agent) -> dict:
    return {"id": a.pk, "username": a.user.username, "name": str(a), "wadah_id": a.wadah_id, "status": a.status,
            "active_since": a.active_since, "deactivated_on": a.deactivated_on,
            "deactivation_reason": a.deactivation_reason}


def _agent_out(a: Agent) -> dict:
    data = agent_data(a)
    return {**_brief(a), "wadah_name": a.wadah.name, "kab_code": a.kab_code, "desa": data.desa,
            **{k: getattr(a, k) for k in ("bank_name", "bank_account", "bank_holder", "training_certificate",
                                          "training_date", "assignment_letter", "assignment_date")}}


def _wadah_out(user, wadah: Wadah, *, detail: bool = False) -> dict:
    (w,) = flag_below_minimum(wadah_list(user).filter(pk=wadah.pk))
    out = {k: getattr(w, k) for k in ("id", "name", "kind", "legal_status", "kab_code", "desa_code", "pks_number",
                                      "pks_date", "pks_start", "pks_end", "pks_in_force", "acquisition_target",
                                      "is_active", "active_agents", "min_active_agents", "below_minimum")}
    out["managers"] = sorted(w.managers.values_list("username", flat=True))
    if detail:
        out["agents"] = [_brief(a) for a in agents_of_wadah(user, w).order_by("user__username")]
    return out


def _rules_out(r: AgentRules) -> dict:
    return {"valid_from": r.valid_from, **{k: getattr(r, k) for k in RULE_LIMITS}, "source": r.source,
            "note": r.note}


@router.get("/agents/wadah", **answers({200: list[WadahOut]}, E.NOT_FOUND), summary="Wadah PERISAI yang boleh dilihat")
def wadah_index(request):
    _guard(request)
    rows = flag_below_minimum(wadah_list(request.user).prefetch_related("managers"))
    out = []
    for w in rows:
        item = {k: getattr(w, k) for k in WadahOut.model_fields if k != "managers"}
        item["managers"] = sorted(m.username for m in w.managers.all())
        out.append(item)
    return out


@router.post("/agents/wadah", **answers({201: WadahDetailOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Catat wadah PERISAI")
def wadah_post(request, payload: WadahIn):
    _guard(request)
    wadah = wadah_create(actor=request.user, data=WadahData(**payload.dict()))
    return Status(201, _wadah_out(request.user, wadah, detail=True))


@router.get("/agents/wadah/{pk}", **answers({200: WadahDetailOut}, E.NOT_FOUND), summary="Satu wadah dan agennya")
def wadah_get(request, pk: int):
    _guard(request)
    return _wadah_out(request.user, get_wadah_for_user(request.user, pk), detail=True)


@router.patch("/agents/wadah/{pk}", **answers({200: WadahDetailOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
              summary="Ubah wadah (kabupaten/kota tetap)")
def wadah_patch(request, pk: int, payload: WadahPatch):
    _guard(request)
    wadah = get_wadah_for_user(request.user, pk)
    data = wadah_data(wadah)
    for key, value in payload.dict(exclude_unset=True).items():
        if value is not None:
            setattr(data, key, value)
    wadah = wadah_update(actor=request.user, wadah=wadah, data=data)
    return _wadah_out(request.user, wadah, detail=True)


@router.post("/agents/wadah/{pk}/agents", **answers({201: AgentOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Catat agen wadah ini (membuat login peran perisai_agent)")
def agent_post(request, pk: int, payload: AgentIn):
    _guard(request)
    wadah = get_wadah_for_user(request.user, pk)
    agent = agent_create(actor=request.user, wadah=wadah, data=AgentData(**payload.dict()))
    return Status(201, _agent_out(agent))


@router.get("/agents/agents", **answers({200: list[AgentBrief]}, E.NOT_FOUND),
            summary="Agen yang boleh dilihat (agen: dirinya)")
def agent_index(request, wadah: int | None = None, status: str = ""):
    _guard(request)
    qs = scope_agents(request.user, Agent.objects.select_related("user"))
    if wadah is not None:
        qs = qs.filter(wadah_id=wadah)
    if status:
        qs = qs.filter(status=status)
    return [_brief(a) for a in qs.order_by("wadah_id", "user__username")[:2000]]


@router.get("/agents/agents/{pk}", **answers({200: AgentOut}, E.NOT_FOUND), summary="Satu agen")
def agent_get(request, pk: int):
    _guard(request)
    return _agent_out(get_agent_for_user(request.user, pk))


@router.patch("/agents/agents/{pk}", **answers({200: AgentOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
              summary="Ubah data agen (login, wadah dan NIK tetap)")
def agent_patch(request, pk: int, payload: AgentPatch):
    _guard(request)
    agent = get_agent_for_user(request.user, pk)
    data = agent_data(agent)
    for key, value in payload.dict(exclude_unset=True).items():
        if value is not None:
            setattr(data, key, value)
    return _agent_out(agent_update(actor=request.user, agent=agent, data=data))


@router.post("/agents/agents/{pk}/deactivate", **answers({200: AgentOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND,
                                                          E.ALREADY_INACTIVE),
             summary="Nonaktifkan agen (manual, dengan keterangan)")
def agent_deactivate_op(request, pk: int, payload: AgentDeactivateIn):
    _guard(request)
    agent = get_agent_for_user(request.user, pk)
    return _agent_out(agent_deactivate(actor=request.user, agent=agent, reason=payload.reason, note=payload.note))


@router.post("/agents/agents/{pk}/reactivate", **answers({200: AgentOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Aktifkan kembali agen (nonaktif karena diam: setelah masa tunggu aturan)")
def agent_reactivate_op(request, pk: int, payload: AgentReactivateIn):
    _guard(request)
    agent = get_agent_for_user(request.user, pk)
    return _agent_out(agent_reactivate(actor=request.user, agent=agent, note=payload.note))


@router.get("/agents/rules", **answers({200: list[AgentRulesOut]}, E.NOT_FOUND),
            summary="Aturan agen PERISAI (riwayat, terbaru dahulu)")
def rules_index(request):
    _guard(request)
    return [_rules_out(r) for r in rules_history()]


@router.post("/agents/rules", **answers({201: AgentRulesOut}, E.INVALID, E.FORBIDDEN, E.NOT_FOUND),
             summary="Tetapkan aturan agen baru mulai suatu tanggal (admin nasional)")
def rules_post(request, payload: AgentRulesIn):
    _guard(request)
    data = payload.dict()
    row = agent_rules_set(actor=request.user, valid_from=data.pop("valid_from"), source=data.pop("source"),
                          note=data.pop("note"), **data)
    return Status(201, _rules_out(row))

