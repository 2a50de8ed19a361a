"""Pages of wadah and agents under /agen/ (design §1, §2): the wadah list with its flag, a wadah and its agents, an
agent, their forms, deactivation and reactivation, and the programme's numbers. Forms only parse;
agents.services_wadah decides; objects come through agents.access (404 outside the user's scope)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jamsosdesa.core import clock
from jamsosdesa.core.errors import ServiceError, put_on_form
from jamsosdesa.core.models import AuditEvent
from jamsosdesa.core.widgets import date_field

from .access import get_agent_for_user, get_wadah_for_user, scope_agents
from .models_wadah import Agent, AgentStatus, DeactivationReason, WadahKind
from .rules import rules_on
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
    can_manage_agent,
    can_manage_wadah_in,
    can_record_wadah,
    can_set_rules,
    flag_below_minimum,
    reactivate_from,
    rules_history,
    sees_agent_pages,
    wadah_create,
    wadah_data,
    wadah_list,
    wadah_update,
)


def _codes(text: str) -> list[str]:
    return [c.strip() for c in (text or "").replace(";", ",").replace("\n", ",").split(",") if c.strip()]


class WadahForm(forms.Form):
    """Parses what the page posts; agents.services_wadah checks it."""

    name = forms.CharField(label=gettext_lazy("Nama wadah"), max_length=150, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=WadahKind.choices)
    legal_status = forms.CharField(label=gettext_lazy("Status badan hukum (mis. nomor SK atau Perdes)"),
                                   max_length=200, required=False)
    kab_code = forms.CharField(label=gettext_lazy("Kabupaten/kota kantor cabang (kode, mis. 33.11)"), max_length=13,
                               required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    desa_code = forms.CharField(label=gettext_lazy("Desa kedudukan (kode, boleh kosong)"), max_length=13,
                                required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    address = forms.CharField(label=gettext_lazy("Alamat"), max_length=250, required=False)
    phone = forms.CharField(label=gettext_lazy("Telepon"), max_length=20, required=False)
    bank_name = forms.CharField(label=gettext_lazy("Bank"), max_length=60, required=False)
    bank_account = forms.CharField(label=gettext_lazy("Nomor rekening"), max_length=30, required=False)
    bank_holder = forms.CharField(label=gettext_lazy("Nama pemilik rekening"), max_length=120, required=False)
    pks_number = forms.CharField(label=gettext_lazy("Nomor PKS"), max_length=100, required=False)
    pks_date = date_field(gettext_lazy("Tanggal PKS"))
    pks_start = date_field(gettext_lazy("PKS berlaku mulai"))
    pks_end = date_field(gettext_lazy("PKS berlaku sampai"))
    acquisition_target = forms.IntegerField(label=gettext_lazy("Target akuisisi peserta"), min_value=0,
                                            required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    managers = forms.CharField(label=gettext_lazy("Pengelola (nama pengguna, pisahkan dengan koma)"),
                               max_length=500, required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Wadah aktif"), required=False, initial=True)

    def service_data(self) -> WadahData:
        c = self.cleaned_data
        return WadahData(**{k: c.get(k) or "" for k in ("name", "kind", "legal_status", "kab_code", "desa_code",
                                                          "address", "phone", "bank_name", "bank_account",
                                                          "bank_holder", "pks_number")},
                         pks_date=c.get("pks_date"), pks_start=c.get("pks_start"), pks_end=c.get("pks_end"),
                         acquisition_target=c.get("acquisition_target") or 0, managers=_codes(c.get("managers")),
                         is_active=bool(c.get("is_active")))


class AgentForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Nama pengguna (login) agen"), max_length=150, required=False)
    password = forms.CharField(label=gettext_lazy("Kata sandi awal (disampaikan kepada agen; tidak ditampilkan lagi)"),
                               max_length=128, required=False, widget=forms.PasswordInput(render_value=False))
    nik = forms.CharField(label=gettext_lazy("NIK agen (peserta BPU yang terdaftar)"), max_length=25, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    full_name = forms.CharField(label=gettext_lazy("Nama agen"), max_length=150, required=False)
    phone = forms.CharField(label=gettext_lazy("Telepon"), max_length=20, required=False)
    desa = forms.CharField(label=gettext_lazy("Desa tugas (kode, pisahkan dengan koma)"), max_length=500,
                           required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    bank_name = forms.CharField(label=gettext_lazy("Bank"), max_length=60, required=False)
    bank_account = forms.CharField(label=gettext_lazy("Nomor rekening"), max_length=30, required=False)
    bank_holder = forms.CharField(label=gettext_lazy("Nama pemilik rekening"), max_length=120, required=False)
    training_certificate = forms.CharField(label=gettext_lazy("Nomor sertifikat pelatihan"), max_length=100,
                                           required=False)
    training_date = date_field(gettext_lazy("Tanggal pelatihan"))
    assignment_letter = forms.CharField(label=gettext_lazy("Nomor surat tugas"), max_length=100, required=False)
    assignment_date = date_field(gettext_lazy("Tanggal surat tugas"))

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not new:
            for name in ("username", "password", "nik"):
                del self.fields[name]

    def service_data(self) -> AgentData:
        c = self.cleaned_data
        return AgentData(**{k: c.get(k) or "" for k in ("username", "password", "nik", "full_name", "phone",
                                                          "bank_name", "bank_account", "bank_holder",
                                                          "training_certificate", "assignment_letter")},
                         desa=_codes(c.get("desa")), training_date=c.get("training_date"),
                         assignment_date=c.get("assignment_date"))


class DeactivateForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Alasan"), choices=[
        (DeactivationReason.MANUAL.value, DeactivationReason.MANUAL.label),
        (DeactivationReason.LEFT.value, DeactivationReason.LEFT.label)])
    note = forms.CharField(label=gettext_lazy("Keterangan"), max_length=300, required=False)


class RulesForm(forms.Form):
    valid_from = date_field(gettext_lazy("Berlaku mulai"), required=False)
    min_active_agents = forms.IntegerField(label=gettext_lazy("Agen aktif paling sedikit per wadah"), required=False)
    idle_months = forms.IntegerField(label=gettext_lazy("Bulan tanpa transaksi sebelum dinonaktifkan"),
                                     required=False)
    reactivate_after_months = forms.IntegerField(label=gettext_lazy("Bulan sebelum boleh diaktifkan kembali"),
                                                 required=False)
    pks_max_months = forms.IntegerField(label=gettext_lazy("Masa PKS paling lama (bulan)"), required=False)
    deposit_due_days = forms.IntegerField(label=gettext_lazy("Hari sebelum uang belum disetor ditandai"),
                                          required=False)
    source = forms.CharField(label=gettext_lazy("Dasar (sumber aturan)"), max_length=200, required=False)
    note = forms.CharField(label=gettext_lazy("Catatan"), max_length=300, required=False)


def _pages_for(request) -> None:
    if not sees_agent_pages(request.user):
        raise Http404


def _call(form, action):
    """Run a service; its refusal goes on the form (everything typed stays). None when refused."""
    try:
        return action()
    except ServiceError as exc:
        put_on_form(form, exc.fields, otherwise=exc.message)
        return None


@login_required
def wadah_index(request):
    _pages_for(request)
    rows = flag_below_minimum(wadah_list(request.user))
    return render(request, "agents/wadah_list.html", {
        "rows": rows, "can_record": can_record_wadah(request.user), "today": clock.today()})


@login_required
def wadah_new(request):
    _pages_for(request)
    if not can_record_wadah(request.user):
        raise Http404
    if request.method == "POST":
        form = WadahForm(request.POST)
        if form.is_valid():
            wadah = _call(form, lambda: wadah_create(actor=request.user, data=form.service_data()))
            if wadah is not None:
                messages.success(request, _("Wadah %(w)s dicatat.") % {"w": wadah.name})
                return redirect("agents:wadah", pk=wadah.pk)
    else:
        from jamsosdesa.core.access import user_region_codes

        kab = [c for c in user_region_codes(request.user) if len(c) == 5]
        form = WadahForm(initial={"kab_code": kab[0] if len(kab) == 1 else "", "is_active": True})
    return render(request, "agents/wadah_form.html", {"form": form, "wadah": None})


@login_required
def wadah_detail(request, pk: int):
    _pages_for(request)
    wadah = get_wadah_for_user(request.user, pk)
    (row,) = flag_below_minimum(wadah_list(request.user).filter(pk=wadah.pk))
    agents = list(agents_of_wadah(request.user, wadah).order_by("status", "user__username"))
    return render(request, "agents/wadah.html", {
        "wadah": row, "agents": agents, "managers": wadah.managers.order_by("username"),
        "can_change": can_manage_wadah_in(request.user, wadah.kab_code)})


@login_required
def wadah_edit(request, pk: int):
    _pages_for(request)
    wadah = get_wadah_for_user(request.user, pk)
    if not can_manage_wadah_in(request.user, wadah.kab_code):
        raise Http404
    if request.method == "POST":
        form = WadahForm(request.POST)
        if form.is_valid() and _call(form, lambda: wadah_update(actor=request.user, wadah=wadah,
                                                                data=form.service_data())) is not None:
            messages.success(request, _("Perubahan tersimpan."))
            return redirect("agents:wadah", pk=pk)
    else:
        data = wadah_data(wadah)
        form = WadahForm(initial={**data.__dict__, "managers": ", ".join(data.managers)})
    return render(request, "agents/wadah_form.html", {"form": form, "wadah": wadah})


@login_required
def agent_new(request, pk: int):
    _pages_for(request)
    wadah = get_wadah_for_user(request.user, pk)
    if not can_manage_wadah_in(request.user, wadah.kab_code):
        raise Http404
    if request.method == "POST":
        form = AgentForm(request.POST)
        if form.is_valid():
            agent = _call(form, lambda: agent_create(actor=request.user, wadah=wadah, data=form.service_data()))
            if agent is not None:
                messages.success(request, _("Agen %(a)s dicatat; sampaikan nama pengguna dan kata sandi awalnya "
                                            "kepada agen.") % {"a": agent.user.username})
                return redirect("agents:agent", pk=agent.pk)
    else:
        form = AgentForm()
    return render(request, "agents/agent_form.html", {"form": form, "wadah": wadah, "agent": None})


def _agent_page_context(request, agent: Agent) -> dict:
    last = (AuditEvent.objects.filter(object_type="agent", object_id=str(agent.pk),
                                      event_type="agent.deactivated").order_by("-at", "-id").first()
            if agent.status != AgentStatus.ACTIVE else None)
    earliest = reactivate_from(agent) if agent.status != AgentStatus.ACTIVE else None
    return {"agent": agent, "desa": agent.user.regions.order_by("code"),
            "can_change": can_manage_agent(request.user, agent), "deactivate_form": DeactivateForm(),
            "last_deactivation": last, "reactivate_from": earliest,
            "reactivate_now": earliest is None or earliest <= clock.today()}


@login_required
def agent_detail(request, pk: int):
    _pages_for(request)
    agent = get_agent_for_user(request.user, pk)
    return render(request, "agents/agent.html", _agent_page_context(request, agent))


@login_required
def agent_index(request):
    """The agents a user sees (an agent: itself), by wadah and username, 50 a page."""
    _pages_for(request)
    agents = scope_agents(request.user, Agent.objects.select_related("user", "wadah")).order_by("wadah__name",
                                                                                                "user__username")
    page = Paginator(agents, 50).get_page(request.GET.get("page"))
    return render(request, "agents/agent_list.html", {"agents": page.object_list, "page": page})


@login_required
def agent_edit(request, pk: int):
    _pages_for(request)
    agent = get_agent_for_user(request.user, pk)
    if not can_manage_agent(request.user, agent):
        raise Http404
    if request.method == "POST":
        form = AgentForm(request.POST, new=False)
        if form.is_valid() and _call(form, lambda: agent_update(actor=request.user, agent=agent,
                                                                data=form.service_data())) is not None:
            messages.success(request, _("Perubahan tersimpan."))
            return redirect("agents:agent", pk=pk)
    else:
        data = agent_data(agent)
        form = AgentForm(new=False, initial={**data.__dict__, "desa": ", ".join(data.desa)})
    return render(request, "agents/agent_form.html", {"form": form, "wadah": agent.wadah, "agent": agent})


@login_required
@require_POST
def agent_deactivate_view(request, pk: int):
    _pages_for(request)
    agent = get_agent_for_user(request.user, pk)
    if not can_manage_agent(request.user, agent):
        raise Http404
    form = DeactivateForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(code="invalid", message=_("Pilih alasan penonaktifan."))
        agent_deactivate(actor=request.user, agent=agent, reason=form.cleaned_data["reason"],
                         note=form.cleaned_data.get("note") or "")
        messages.success(request, _("Agen dinonaktifkan; ia tidak dapat lagi mendaftarkan atau menagih."))
    except ServiceError as exc:
        messages.error(request, " ".join([exc.message, *[m for ms in exc.fields.values() for m in ms]]))
    return redirect("agents:agent", pk=pk)


@login_required
@require_POST
def agent_reactivate_view(request, pk: int):
    _pages_for(request)
    agent = get_agent_for_user(request.user, pk)
    if not can_manage_agent(request.user, agent):
        raise Http404
    try:
        agent_reactivate(actor=request.user, agent=agent, note=(request.POST.get("note") or "")[:300])
        messages.success(request, _("Agen aktif kembali."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("agents:agent", pk=pk)


@login_required
def rules_page(request):
    _pages_for(request)
    can_set = can_set_rules(request.user)
    if request.method == "POST":
        if not can_set:
            raise Http404
        form = RulesForm(request.POST)
        if form.is_valid():
            c = form.cleaned_data
            row = _call(form, lambda: agent_rules_set(
                actor=request.user, valid_from=c.get("valid_from"), source=c.get("source") or "",
                note=c.get("note") or "", **{k: c.get(k) for k in RULE_LIMITS}))
            if row is not None:
                messages.success(request, _("Aturan baru berlaku mulai %(d)s.") % {"d": f"{row.valid_from:%d-%m-%Y}"})
                return redirect("agents:rules")
    else:
        current = rules_on(clock.today())
        form = RulesForm(initial={k: getattr(current, k) for k in RULE_LIMITS})
    return render(request, "agents/rules.html", {"form": form if can_set else None, "rows": rules_history(),
                                                 "current": rules_on(clock.today())})
