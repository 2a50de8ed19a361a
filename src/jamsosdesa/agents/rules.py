"""The PERISAI programme's numbers in force on a day, and whether an agent may act (register, start a package,
collect) on a day: the one check every part of issue 14 calls."""

from datetime import date

from django.utils.translation import gettext as _

from jamsosdesa.core.roles import Role

from .models_wadah import Agent, AgentRules, AgentStatus


def rules_on(day: date) -> AgentRules:
    """The row in force on `day` (the latest from on or before it; the oldest row for a day before them all)."""
    row = AgentRules.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if row is None:
        row = AgentRules.objects.order_by("valid_from").first()
    if row is None:  # the data migration ships a row; an admin who deleted every row still gets the defaults
        row = AgentRules(valid_from=day, source=_("bawaan jamsosdesa"))
    return row


def agent_of(user) -> Agent | None:
    """The agent record of a user with the agent role (None for anyone else)."""
    if not (user and getattr(user, "is_authenticated", False)) or user.role != Role.PERISAI_AGENT:
        return None
    cached = getattr(user, "_perisai_agent", False)
    if cached is False:
        cached = Agent.objects.select_related("wadah").filter(user_id=user.pk).first()
        user._perisai_agent = cached
    return cached


def agent_refusal(user, on: date) -> str:
    """Why an agent may not register, start a package or collect on `on` ('' when it may; '' too for a user who is
    not an agent: other roles' rights are not this check's business)."""
    if not (user and getattr(user, "is_authenticated", False)) or user.role != Role.PERISAI_AGENT:
        return ""
    agent = agent_of(user)
    if agent is None:
        return _("Akun agen ini belum dicatat pada sebuah wadah PERISAI; hubungi kantor cabang.")
    if agent.status != AgentStatus.ACTIVE:
        return _("Agen %(name)s nonaktif sejak %(day)s; wadah dapat mengaktifkannya kembali.") % {
            "name": str(agent), "day": agent.deactivated_on.strftime("%d-%m-%Y") if agent.deactivated_on else "-"}
    wadah = agent.wadah
    if not wadah.is_active:
        return _("Wadah %(wadah)s tidak aktif.") % {"wadah": wadah.name}
    if on < wadah.pks_start or on > wadah.pks_end:
        return _("PKS wadah %(wadah)s (nomor %(number)s) berlaku %(start)s s.d. %(end)s: di luar masa itu tidak ada "
                 "pendaftaran atau penagihan lewat wadah ini.") % {
            "wadah": wadah.name, "number": wadah.pks_number, "start": wadah.pks_start.strftime("%d-%m-%Y"),
            "end": wadah.pks_end.strftime("%d-%m-%Y")}
    return ""
