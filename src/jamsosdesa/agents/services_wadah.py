"""Wadah, agents and the programme's numbers (design §1): the services that record and change them. Each checks its
input (messages per field), writes and audits (who, old, new) in one transaction; pages, API and CLI call these.

Who may do what:
- a wadah is recorded and changed by the BPJS branch officer of its kabupaten, or a national admin anywhere;
- an agent is recorded by the same (the branch verifies that the person is a registered BPU participant);
- an agent is changed, deactivated and reactivated by those, and by the managers of its wadah;
- the programme's numbers (AgentRules) are set by a national admin, as a new row from a day on.
Anyone else who sees the object gets `forbidden`; who does not see it never gets here (404, agents.access).

The agent's login: the form gives the username and a first password (checked by the site's password rules, stored
hashed, never shown back nor audited); the agent changes it after the first login like any user. Its assigned desa
are the login's regions, each a current desa of the wadah's kabupaten.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.access import code_in_scope, sees_everything
from jamsosdesa.core.audit import audit_record, diff
from jamsosdesa.core.errors import ErrorCode, FieldErrors, PermissionDenied, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.regioncodes import Level
from jamsosdesa.core.roles import Role
from jamsosdesa.core.text import has_bad_chars
from jamsosdesa.participants.access import scope_participants
from jamsosdesa.participants.models import Participant, Segment
from jamsosdesa.participants.nik import is_nik_shaped, normalize_number
from jamsosdesa.regions.models import Region

from .access import scope_agents, scope_wadah
from .models_wadah import Agent, AgentRules, AgentStatus, DeactivationReason, Wadah, WadahKind
from .rules import rules_on

WADAH_TEXT = {"name": 150, "legal_status": 200, "address": 250, "phone": 20, "bank_name": 60, "bank_account": 30,
              "bank_holder": 120, "pks_number": 100}
AGENT_TEXT = {"full_name": 150, "phone": 20, "bank_name": 60, "bank_account": 30, "bank_holder": 120,
              "training_certificate": 100, "assignment_letter": 100}
MAX_TARGET = 10_000_000
RULE_LIMITS = {"min_active_agents": (1, 1000), "idle_months": (1, 60), "reactivate_after_months": (0, 120),
               "pks_max_months": (1, 120), "deposit_due_days": (0, 365)}
EARLIEST = date(2000, 1, 1)


# --- who may -------------------------------------------------------------------------------------------------------

def sees_agent_pages(user) -> bool:
    """The wadah and agent pages are for national admins, branch officers, wadah managers and agents (everyone else:
    404)."""
    return bool(user.is_authenticated and user.is_active and (
        sees_everything(user) or user.role in (Role.BRANCH_OFFICER, Role.WADAH_MANAGER, Role.PERISAI_AGENT)))


def can_manage_wadah_in(user, kab_code: str) -> bool:
    """Record or change a wadah (and record its agents) of a kabupaten: its branch officer, a national admin."""
    if not (user.is_authenticated and user.is_active):
        return False
    if sees_everything(user):
        return True
    return user.role == Role.BRANCH_OFFICER and bool(kab_code) and code_in_scope(user, kab_code)


def can_record_wadah(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (sees_everything(user)
                                                              or user.role == Role.BRANCH_OFFICER))


def can_manage_agent(user, agent: Agent) -> bool:
    """Change, deactivate or reactivate an agent: the branch of its kabupaten, a national admin, its wadah's
    managers."""
    if can_manage_wadah_in(user, agent.kab_code):
        return True
    return bool(user.is_authenticated and user.is_active and user.role == Role.WADAH_MANAGER
                and agent.wadah.managers.filter(pk=user.pk).exists())


def can_set_rules(user) -> bool:
    return bool(user.is_authenticated and user.is_active and sees_everything(user))


# --- small checks ----------------------------------------------------------------------------------------------------

def pks_latest_end(start: date, months: int) -> date:
    """The last day a PKS from `start` may run for `months` months: the day before the same day `months` later
    (1 January + 12 months -> 31 December; 31 January + 1 month -> 28/29 February)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1])) - timedelta(days=1)


def reactivate_from(agent: Agent) -> date | None:
    """The first day an agent deactivated for idleness may be reactivated (None: at once)."""
    if agent.deactivation_reason != DeactivationReason.IDLE or agent.deactivated_on is None:
        return None
    months = rules_on(agent.deactivated_on).reactivate_after_months
    return pks_latest_end(agent.deactivated_on, months) + timedelta(days=1)


def _text(errors: FieldErrors, name: str, value, limit: int, *, required: bool, label: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value).strip())
    if required and not text:
        errors.add(name, _("%(f)s wajib diisi.") % {"f": label})
    elif len(text) > limit:
        errors.add(name, _("%(f)s paling banyak %(n)d karakter.") % {"f": label, "n": limit})
    elif has_bad_chars(text):
        errors.add(name, _("%(f)s berisi karakter yang tidak sah.") % {"f": label})
    return text


def _day(errors: FieldErrors, name: str, value, *, required: bool, label: str) -> date | None:
    if value in (None, ""):
        if required:
            errors.add(name, _("%(f)s wajib diisi.") % {"f": label})
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            errors.add(name, _("%(f)s: tulis tanggal sebagai YYYY-MM-DD.") % {"f": label})
            return None
    if not isinstance(value, date) or not (EARLIEST <= value <= date(2199, 12, 31)):
        errors.add(name, _("%(f)s di luar rentang tanggal yang masuk akal.") % {"f": label})
        return None
    return value


def _whole(errors: FieldErrors, name: str, value, low: int, high: int, *, label: str) -> int:
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        errors.add(name, _("%(f)s harus bilangan bulat %(a)s sampai %(b)s.") % {"f": label, "a": low, "b": high})
        return low
    return number


def _kabupaten(errors: FieldErrors, code: str) -> str:
    code = (code or "").strip()
    if not code:
        errors.add("kab_code", _("Kabupaten/kota wajib diisi, mis. 33.11."))
    elif len(code) > 5 or not Region.objects.filter(code=code, level=Level.KABUPATEN, is_historical=False).exists():
        errors.add("kab_code", _("Kabupaten/kota %(c)s tidak dikenal (tulis kodenya, mis. 33.11).") % {"c": code[:13]})
    return code[:5]


# --- wadah -----------------------------------------------------------------------------------------------------------

@dataclass
class WadahData:
    name: str = ""
    kind: str = ""
    legal_status: str = ""
    kab_code: str = ""
    desa_code: str = ""
    address: str = ""
    phone: str = ""
    bank_name: str = ""
    bank_account: str = ""
    bank_holder: str = ""
    pks_number: str = ""
    pks_date: date | str | None = None
    pks_start: date | str | None = None
    pks_end: date | str | None = None
    acquisition_target: int | str = 0
    managers: list[str] = field(default_factory=list)  # usernames of users with the wadah-manager role
    is_active: bool = True


def wadah_data(wadah: Wadah) -> WadahData:
    return WadahData(**{k: getattr(wadah, k) for k in WadahData.__dataclass_fields__ if k != "managers"},
                     managers=sorted(wadah.managers.values_list("username", flat=True)))


def _wadah_snapshot(wadah: Wadah) -> dict:
    data = asdict(wadah_data(wadah))
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}


def _clean_wadah(actor, data: WadahData, *, current: Wadah | None) -> tuple[dict, list]:
    errors = FieldErrors(_("Data wadah belum benar: %(first)s"))
    labels = {"name": _("Nama wadah"), "legal_status": _("Status badan hukum"), "address": _("Alamat"),
              "phone": _("Telepon"), "bank_name": _("Bank"), "bank_account": _("Nomor rekening"),
              "bank_holder": _("Nama pemilik rekening"), "pks_number": _("Nomor PKS")}
    required = ("name", "legal_status", "pks_number")
    values = {name: _text(errors, name, getattr(data, name), limit, required=name in required, label=labels[name])
              for name, limit in WADAH_TEXT.items()}
    if data.kind not in WadahKind.values:
        errors.add("kind", _("Jenis wadah dipilih dari: %(list)s.") % {
            "list": ", ".join(str(label) for label in WadahKind.labels)})
    values["kind"] = data.kind
    if current is not None:  # a wadah stays in its kabupaten (its agents' desa are there): record a new one instead
        kab = current.kab_code
        if (data.kab_code or "").strip() not in ("", kab):
            errors.add("kab_code", _("Kabupaten/kota wadah tidak dapat diubah; catat wadah baru."))
    else:
        kab = _kabupaten(errors, data.kab_code)
    if kab and not errors.fields.get("kab_code") and not can_manage_wadah_in(actor, kab):
        errors.add("kab_code", _("Kabupaten/kota %(c)s di luar wilayah kerja Anda.") % {"c": kab})
    values["kab_code"] = kab
    desa = (data.desa_code or "").strip()
    if desa and not (desa.startswith(kab + ".") and Region.objects.filter(
            code=desa, level=Level.DESA, is_historical=False).exists()):
        errors.add("desa_code", _("Desa %(c)s bukan desa di kabupaten/kota wadah.") % {"c": desa[:13]})
    values["desa_code"] = desa[:13]
    values["pks_date"] = _day(errors, "pks_date", data.pks_date, required=True, label=_("Tanggal PKS"))
    start = values["pks_start"] = _day(errors, "pks_start", data.pks_start, required=True,
                                       label=_("PKS berlaku mulai"))
    end = values["pks_end"] = _day(errors, "pks_end", data.pks_end, required=True, label=_("PKS berlaku sampai"))
    if start and end:
        months = rules_on(start).pks_max_months
        latest = pks_latest_end(start, months)
        if end < start:
            errors.add("pks_end", _("Akhir PKS tidak boleh sebelum awalnya (%(d)s).") % {"d": f"{start:%d-%m-%Y}"})
        elif end > latest:
            errors.add("pks_end", _("Masa PKS paling lama %(n)d bulan: dari %(s)s paling lambat sampai %(e)s.") % {
                "n": months, "s": f"{start:%d-%m-%Y}", "e": f"{latest:%d-%m-%Y}"})
    values["acquisition_target"] = _whole(errors, "acquisition_target", data.acquisition_target or 0, 0,
                                          MAX_TARGET, label=_("Target akuisisi"))
    values["is_active"] = bool(data.is_active)
    managers = []
    User = get_user_model()
    for name in dict.fromkeys(n.strip() for n in (data.managers or []) if n and n.strip()):
        user = User.objects.filter(username=name[:150], is_active=True).first()
        if user is None or user.role != Role.WADAH_MANAGER:
            errors.add("managers", _("%(u)s bukan pengguna aktif dengan peran pengelola wadah.") % {"u": name[:150]})
        else:
            managers.append(user)
    if values["pks_number"] and kab and Wadah.objects.filter(kab_code=kab, pks_number=values["pks_number"]).exclude(
            pk=getattr(current, "pk", None)).exists():
        errors.add("pks_number", _("Nomor PKS %(n)s sudah dipakai wadah lain di kabupaten/kota ini.") % {
            "n": values["pks_number"]})
    errors.raise_if_any()
    return values, managers


def _save_wadah(wadah: Wadah) -> None:
    try:
        with transaction.atomic():
            wadah.save()
    except IntegrityError:  # a second clerk's same PKS number, past the check
        message = _("Nomor PKS %(n)s sudah dipakai wadah lain di kabupaten/kota ini.") % {"n": wadah.pks_number}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"pks_number": [message]}) from None


@transaction.atomic
def wadah_create(*, actor, data: WadahData) -> Wadah:
    if not can_record_wadah(actor):
        raise PermissionDenied(_("Wadah dicatat oleh petugas kantor cabang BPJS atau admin nasional."))
    values, managers = _clean_wadah(actor, data, current=None)
    now = clock.now()
    wadah = Wadah(**values, created_by=actor if actor.pk else None, created_at=now, updated_at=now)
    _save_wadah(wadah)
    wadah.managers.set(managers)
    audit_record(actor=actor, event=AuditEventType.WADAH_CREATED, obj=wadah, region_code=wadah.kab_code,
                 new=_wadah_snapshot(wadah))
    return wadah


@transaction.atomic
def wadah_update(*, actor, wadah: Wadah, data: WadahData) -> Wadah:
    wadah = Wadah.objects.select_for_update().get(pk=wadah.pk)
    if not can_manage_wadah_in(actor, wadah.kab_code):
        raise PermissionDenied(_("Anda boleh melihat wadah ini tetapi tidak mengubahnya."))
    old = _wadah_snapshot(wadah)
    values, managers = _clean_wadah(actor, data, current=wadah)
    for name, value in values.items():
        setattr(wadah, name, value)
    wadah.updated_at = clock.now()
    _save_wadah(wadah)
    wadah.managers.set(managers)
    before, after = diff(old, _wadah_snapshot(wadah))
    if after:
        audit_record(actor=actor, event=AuditEventType.WADAH_UPDATED, obj=wadah, region_code=wadah.kab_code,
                     old=before, new=after)
    return wadah


def wadah_list(user) -> QuerySet:
    """The wadah a user sees, each with its count of active agents (`active_agents`)."""
    active = (Agent.objects.filter(wadah_id=OuterRef("pk"), status=AgentStatus.ACTIVE).order_by()
              .values("wadah_id").annotate(n=Count("pk")).values("n"))
    return scope_wadah(user).annotate(
        active_agents=Coalesce(Subquery(active, output_field=IntegerField()), Value(0)))


def flag_below_minimum(wadahs, on: date | None = None) -> list:
    """Each wadah (from `wadah_list`) with `below_minimum` set: fewer active agents than the rules' minimum on `on`
    (the flag the branch sees; the wadah is not stopped by it)."""
    minimum = rules_on(on or clock.today()).min_active_agents
    rows = list(wadahs)
    for wadah in rows:
        wadah.min_active_agents = minimum
        wadah.below_minimum = wadah.active_agents < minimum
        wadah.pks_in_force = wadah.pks_start <= (on or clock.today()) <= wadah.pks_end
    return rows


# --- agents ----------------------------------------------------------------------------------------------------------

@dataclass
class AgentData:
    username: str = ""  # the login: set when recorded, not changed afterwards
    password: str = ""  # the first password (only when recorded; never stored as given nor shown back)
    nik: str = ""  # the registered BPU participant the agent is (only when recorded)
    full_name: str = ""
    phone: str = ""
    desa: list[str] = field(default_factory=list)  # the assigned desa (codes)
    bank_name: str = ""
    bank_account: str = ""
    bank_holder: str = ""
    training_certificate: str = ""
    training_date: date | str | None = None
    assignment_letter: str = ""
    assignment_date: date | str | None = None


def agent_data(agent: Agent) -> AgentData:
    return AgentData(username=agent.user.username, nik=agent.participant.nik,
                     full_name=agent.user.get_full_name(), phone=agent.user.phone,
                     desa=sorted(agent.user.regions.values_list("code", flat=True)),
                     **{k: getattr(agent, k) for k in ("bank_name", "bank_account", "bank_holder",
                                                       "training_certificate", "training_date",
                                                       "assignment_letter", "assignment_date")})


def _agent_snapshot(agent: Agent) -> dict:
    data = asdict(agent_data(agent))
    data.pop("password")
    data.update(wadah=agent.wadah_id, participant=agent.participant_id, status=agent.status,
                active_since=agent.active_since, deactivated_on=agent.deactivated_on,
                deactivation_reason=agent.deactivation_reason)
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}


def _clean_agent(data: AgentData, wadah: Wadah, errors: FieldErrors) -> dict:
    labels = {"full_name": _("Nama agen"), "phone": _("Telepon"), "bank_name": _("Bank"),
              "bank_account": _("Nomor rekening"), "bank_holder": _("Nama pemilik rekening"),
              "training_certificate": _("Nomor sertifikat pelatihan"), "assignment_letter": _("Nomor surat tugas")}
    optional = ("phone",)
    values = {name: _text(errors, name, getattr(data, name), limit, required=name not in optional,
                          label=labels[name]) for name, limit in AGENT_TEXT.items()}
    values["training_date"] = _day(errors, "training_date", data.training_date, required=False,
                                   label=_("Tanggal pelatihan"))
    values["assignment_date"] = _day(errors, "assignment_date", data.assignment_date, required=False,
                                     label=_("Tanggal surat tugas"))
    codes = list(dict.fromkeys(c.strip() for c in (data.desa or []) if c and c.strip()))
    if not codes:
        errors.add("desa", _("Pilih paling sedikit satu desa tugas agen."))
    known = set(Region.objects.filter(code__in=[c[:13] for c in codes], level=Level.DESA, is_historical=False)
                .values_list("code", flat=True))
    for code in codes:
        if code not in known or not code.startswith(wadah.kab_code + "."):
            errors.add("desa", _("Desa %(c)s bukan desa di kabupaten/kota wadah (%(k)s).") % {
                "c": code[:13], "k": wadah.kab_code})
    values["desa"] = [c for c in codes if c in known]
    return values


def _participant_for(actor, nik: str, errors: FieldErrors) -> Participant | None:
    nik = normalize_number(nik)  # the registry's reading: spaces, dots and dashes typed between digits go
    if not is_nik_shaped(nik):
        errors.add("nik", _("NIK agen harus 16 angka."))
        return None
    person = scope_participants(actor).filter(nik=nik).first()
    if person is None:
        errors.add("nik", _("NIK %(n)s belum terdaftar sebagai peserta (atau di luar wilayah Anda): daftarkan dulu "
                            "sebagai peserta BPU.") % {"n": nik})
        return None
    if not person.is_active:
        errors.add("nik", _("Peserta dengan NIK %(n)s sudah nonaktif di registri; agen harus peserta yang aktif.") % {
            "n": nik})
    elif person.segment != Segment.BPU:
        errors.add("nik", _("Peserta dengan NIK %(n)s terdaftar sebagai %(s)s; agen harus peserta BPU (bukan penerima "
                            "upah).") % {"n": nik, "s": person.get_segment_display()})
    else:
        taken = Agent.objects.filter(participant=person).select_related("user").first()
        if taken is not None:
            errors.add("nik", _("Peserta dengan NIK %(n)s sudah menjadi agen (%(u)s).") % {
                "n": nik, "u": taken.user.username})
    return person


def _set_user(user, values: dict) -> None:
    user.first_name = values["full_name"][:150]
    user.last_name = ""
    user.phone = values["phone"]


@transaction.atomic
def agent_create(*, actor, wadah: Wadah, data: AgentData) -> Agent:
    wadah = Wadah.objects.select_for_update().get(pk=wadah.pk)
    if not can_manage_wadah_in(actor, wadah.kab_code):
        raise PermissionDenied(_("Agen dicatat oleh petugas kantor cabang BPJS kabupaten/kota wadah atau admin "
                                 "nasional."))
    errors = FieldErrors(_("Data agen belum benar: %(first)s"))
    if not wadah.is_active:
        errors.add("wadah", _("Wadah %(w)s tidak aktif.") % {"w": wadah.name})
    User = get_user_model()
    username = (data.username or "").strip()
    if not username:
        errors.add("username", _("Nama pengguna (login) agen wajib diisi."))
    else:
        try:
            User.username_validator(username)
            if len(username) > 150:
                raise ValidationError("")
        except ValidationError:
            errors.add("username", _("Nama pengguna hanya huruf, angka dan . @ + - _ (paling banyak 150)."))
        else:
            if User.objects.filter(username__iexact=username).exists():
                errors.add("username", _("Nama pengguna %(u)s sudah dipakai.") % {"u": username})
    participant = _participant_for(actor, data.nik, errors)
    values = _clean_agent(data, wadah, errors)
    if not data.password:
        errors.add("password", _("Kata sandi awal wajib diisi (agen menggantinya setelah masuk)."))
    else:
        try:
            validate_password(data.password, user=User(username=username, first_name=values["full_name"]))
        except ValidationError as exc:
            for message in exc.messages:
                errors.add("password", message)
    errors.raise_if_any()
    user = User(username=username, role=Role.PERISAI_AGENT)
    _set_user(user, values)
    user.set_password(data.password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        message = _("Nama pengguna %(u)s sudah dipakai.") % {"u": username}
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"username": [message]}) from None
    user.regions.set(values.pop("desa"))
    for name in ("full_name", "phone"):
        values.pop(name)
    now = clock.now()
    agent = Agent(user=user, wadah=wadah, participant=participant, kab_code=wadah.kab_code, **values,
                  status=AgentStatus.ACTIVE, active_since=clock.today(), created_by=actor if actor.pk else None,
                  created_at=now, updated_at=now)
    try:
        with transaction.atomic():
            agent.save()
    except IntegrityError:
        message = _("Peserta ini baru saja dicatat sebagai agen oleh pengguna lain.")
        raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"nik": [message]}) from None
    audit_record(actor=actor, event=AuditEventType.AGENT_CREATED, obj=agent, region_code=wadah.kab_code,
                 new=_agent_snapshot(agent))
    return agent


def _locked_agent(actor, agent: Agent) -> Agent:
    agent = Agent.objects.select_for_update().select_related("user", "wadah", "participant").get(pk=agent.pk)
    if not can_manage_agent(actor, agent):
        raise PermissionDenied(_("Anda boleh melihat agen ini tetapi tidak mengubahnya."))
    return agent


@transaction.atomic
def agent_update(*, actor, agent: Agent, data: AgentData) -> Agent:
    """Change an agent's name, telephone, assigned desa, bank account, training and assignment (not its login, its
    wadah nor the participant it is)."""
    agent = _locked_agent(actor, agent)
    old = _agent_snapshot(agent)
    errors = FieldErrors(_("Data agen belum benar: %(first)s"))
    values = _clean_agent(data, agent.wadah, errors)
    errors.raise_if_any()
    _set_user(agent.user, values)
    agent.user.save(update_fields=["first_name", "last_name", "phone"])
    agent.user.regions.set(values.pop("desa"))
    for name in ("full_name", "phone"):
        values.pop(name)
    for name, value in values.items():
        setattr(agent, name, value)
    agent.updated_at = clock.now()
    agent.save()
    before, after = diff(old, _agent_snapshot(agent))
    if after:
        audit_record(actor=actor, event=AuditEventType.AGENT_UPDATED, obj=agent, region_code=agent.kab_code,
                     old=before, new=after)
    return agent


@transaction.atomic
def agent_deactivate(*, actor, agent: Agent, reason: str = DeactivationReason.MANUAL, note: str = "") -> Agent:
    """Deactivate an agent by hand (reason `manual` or `left`, with a note); from then on it may not act."""
    agent = _locked_agent(actor, agent)
    errors = FieldErrors(_("Penonaktifan belum benar: %(first)s"))
    if reason not in (DeactivationReason.MANUAL, DeactivationReason.LEFT):
        errors.add("reason", _("Alasan dipilih dari: %(list)s.") % {"list": ", ".join(
            str(DeactivationReason(r).label) for r in (DeactivationReason.MANUAL, DeactivationReason.LEFT))})
    note = _text(errors, "note", note, 300, required=True, label=_("Keterangan"))
    errors.raise_if_any()
    if agent.status != AgentStatus.ACTIVE:
        raise ServiceError(code=ErrorCode.ALREADY_INACTIVE, message=_("Agen ini sudah nonaktif sejak %(d)s.") % {
            "d": f"{agent.deactivated_on:%d-%m-%Y}" if agent.deactivated_on else "-"})
    old = {"status": agent.status}
    agent.status, agent.deactivated_on, agent.deactivation_reason = AgentStatus.INACTIVE, clock.today(), reason
    agent.updated_at = clock.now()
    agent.save(update_fields=["status", "deactivated_on", "deactivation_reason", "updated_at"])
    audit_record(actor=actor, event=AuditEventType.AGENT_DEACTIVATED, obj=agent, region_code=agent.kab_code, old=old,
                 new={"status": agent.status, "deactivated_on": agent.deactivated_on, "reason": reason}, note=note)
    return agent


@transaction.atomic
def agent_reactivate(*, actor, agent: Agent, note: str = "") -> Agent:
    """Reactivate an inactive agent (its wadah's managers or the branch); one deactivated for idleness only from
    `reactivate_from(agent)` on (the rules' months after its deactivation)."""
    agent = _locked_agent(actor, agent)
    errors = FieldErrors(_("Pengaktifan kembali belum benar: %(first)s"))
    note = _text(errors, "note", note, 300, required=False, label=_("Keterangan"))
    errors.raise_if_any()
    if agent.status == AgentStatus.ACTIVE:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Agen ini sudah aktif."))
    today = clock.today()
    earliest = reactivate_from(agent)
    if earliest is not None and today < earliest:
        months = rules_on(agent.deactivated_on).reactivate_after_months
        raise ServiceError(code=ErrorCode.INVALID, message=_(
            "Agen ini dinonaktifkan otomatis pada %(d)s karena tidak ada transaksi; wadah dapat mengaktifkannya "
            "kembali setelah %(n)d bulan, paling cepat pada %(e)s.") % {
            "d": f"{agent.deactivated_on:%d-%m-%Y}", "n": months, "e": f"{earliest:%d-%m-%Y}"})
    old = {"status": agent.status, "deactivated_on": agent.deactivated_on, "reason": agent.deactivation_reason}
    agent.status, agent.active_since = AgentStatus.ACTIVE, today
    agent.deactivated_on, agent.deactivation_reason = None, ""
    agent.updated_at = clock.now()
    agent.save(update_fields=["status", "active_since", "deactivated_on", "deactivation_reason", "updated_at"])
    audit_record(actor=actor, event=AuditEventType.AGENT_REACTIVATED, obj=agent, region_code=agent.kab_code, old=old,
                 new={"status": agent.status, "active_since": today}, note=note)
    return agent


def agents_of_wadah(user, wadah: Wadah) -> QuerySet:
    return scope_agents(user, Agent.objects.filter(wadah=wadah).select_related("user", "participant"))


# --- the programme's numbers -----------------------------------------------------------------------------------------

RULE_FIELDS = tuple(RULE_LIMITS)


def _rules_values(row: AgentRules) -> dict:
    return {"valid_from": row.valid_from, **{k: getattr(row, k) for k in RULE_FIELDS}, "source": row.source,
            "note": row.note}


@transaction.atomic
def agent_rules_set(*, actor, valid_from, source: str, note: str = "", **numbers) -> AgentRules:
    """A new row of the programme's numbers from `valid_from` on (the one before it stays for the days before)."""
    if not can_set_rules(actor):
        raise PermissionDenied(_("Aturan agen PERISAI ditetapkan oleh admin nasional."))
    errors = FieldErrors(_("Aturan belum benar: %(first)s"))
    day = _day(errors, "valid_from", valid_from, required=True, label=_("Berlaku mulai"))
    source = _text(errors, "source", source, 200, required=True, label=_("Dasar (sumber aturan)"))
    note = _text(errors, "note", note, 300, required=False, label=_("Catatan"))
    labels = {"min_active_agents": _("Agen aktif paling sedikit"), "idle_months": _("Bulan tanpa transaksi"),
              "reactivate_after_months": _("Bulan sebelum boleh diaktifkan kembali"),
              "pks_max_months": _("Masa PKS paling lama"), "deposit_due_days": _("Hari sebelum setoran ditandai")}
    previous = rules_on(day) if day else None
    values = {}
    for name, (low, high) in RULE_LIMITS.items():
        given = numbers.get(name)
        if given in (None, "") and previous is not None:
            given = getattr(previous, name)
        values[name] = _whole(errors, name, given, low, high, label=labels[name])
    if day and AgentRules.objects.filter(valid_from=day).exists():
        errors.add("valid_from", _("Sudah ada aturan yang berlaku mulai %(d)s; pilih tanggal lain.") % {
            "d": f"{day:%d-%m-%Y}"})
    unknown = set(numbers) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown rule fields: {sorted(unknown)}")
    errors.raise_if_any()
    row = AgentRules.objects.create(valid_from=day, source=source, note=note, **values,
                                    created_by=actor if actor.pk else None, created_at=clock.now())
    old = _rules_values(previous) if previous is not None and previous.pk else None
    audit_record(actor=actor, event=AuditEventType.AGENT_RULES_CHANGED, obj=row, old=old, new=_rules_values(row))
    return row


def rules_history() -> QuerySet:
    return AgentRules.objects.select_related("created_by").order_by("-valid_from")



def wadah_manager_refusal(user, on: date) -> str:
    """A wadah's manager reads its agents' people and changes none of them: registering, starting a package and
    recording money are its agents' work (core.access.actor_refusals)."""
    if user and getattr(user, "is_authenticated", False) and user.role == Role.WADAH_MANAGER:
        return _("Pengelola wadah hanya dapat melihat data; pendaftaran, iuran mandiri dan pembayaran dicatat "
                 "oleh agen atau petugas.")
    return ""
