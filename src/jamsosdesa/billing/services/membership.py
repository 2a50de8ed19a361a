"""The worker's own package (iuran mandiri): start, change, end. One door for the participant page, the API, the
command line and the lapse forecast's action; each write is audited in the same transaction.

A package is BPU only for now (PU, PMI and Jakon are refused with a message). Its programmes and income are
checked by the contribution engine for its first month (the income must be one of the BPU nominals). It may not
start in a month a scheme pays any of the same programmes for the person (funding's words for that refusal), nor
before the person was registered, nor further ahead than BILLING_MAX_MONTHS_AHEAD. A change closes the package at
the month before and opens a new one from that month (`replaces`); a change or an end may only take effect from a
month not yet paid. Ending a package in the month before its first month cancels it (as an enrolment ended before
its start): it covers no month, its dues are voided, and a new package may start in any month; `membership_cancel`
does that for a package not started yet. Who may:
`billing.access.can_manage_package`; anyone else, and an unknown participant, gets the same NotFound.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsosdesa.contributions.book import rate_book
from jamsosdesa.contributions.calculator import QuoteError, QuoteRequest, quote
from jamsosdesa.core import clock
from jamsosdesa.core.access import code_in_scope, refuse_actor
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, NotFound, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.months import add_months
from jamsosdesa.core.roles import Role
from jamsosdesa.funding.models import PROGRAMME_BITS, Enrolment, Refusal, programme_mask
from jamsosdesa.participants.models import Participant, Segment

from ..access import can_manage_package
from ..live import live
from ..models import (
    MEMBERSHIP_COVERS,
    Allocation,
    Membership,
    MembershipChannel,
    MembershipEndReason,
    ReversalTarget,
)

# The fields of a package an audit event records (old and new).
AUDITED = ("participant", "segment", "programmes", "income", "first_month", "last_month", "agent", "channel",
           "replaces", "end_reason")


def not_found() -> NotFound:
    """The one answer for a participant that does not exist and one the user may not manage (the same words)."""
    return NotFound(_("Peserta tidak ada (atau di luar wilayah Anda)."))


def open_membership(participant) -> Membership | None:
    """The person's package in force now or later (its last month not set), or None."""
    return (Membership.objects.select_related("agent")
            .filter(participant_id=participant.pk, last_month__isnull=True).first())


def _snapshot(m: Membership) -> dict:
    return {name: getattr(m, name + "_id" if name in ("participant", "agent", "replaces") else name)
            for name in AUDITED}


def _invalid(field: str, message: str, code=ErrorCode.INVALID) -> ServiceError:
    return ServiceError(code=code, message=message, fields={field: [message]})


def _month_text(month: date) -> str:
    return f"{month:%m/%Y}"


def _locked_participant(actor, participant) -> Participant:
    """The participant row, locked (one package change at a time per person), if the actor may manage its
    package; NotFound otherwise."""
    if participant is None or participant.pk is None or not can_manage_package(actor, participant):
        raise not_found()
    found = Participant.objects.select_for_update().filter(pk=participant.pk).first()
    if found is None:
        raise not_found()
    return found


def _check_month(field: str, month, participant: Participant, *, label: str) -> date:
    if not isinstance(month, date) or month.day != 1:
        raise _invalid(field, _("%(what)s harus sebuah bulan (YYYY-MM).") % {"what": label})
    latest = add_months(clock.this_month(), settings.BILLING_MAX_MONTHS_AHEAD)
    if month > latest:
        raise _invalid(field, _("%(what)s paling jauh %(n)s bulan ke depan (%(m)s).") % {
            "what": label, "n": settings.BILLING_MAX_MONTHS_AHEAD, "m": _month_text(latest)})
    registered = timezone.localdate(participant.created_at).replace(day=1)
    if month < registered:
        raise _invalid(field, _("%(what)s tidak boleh sebelum bulan peserta didaftarkan (%(m)s).") % {
            "what": label, "m": _month_text(registered)})
    return month


def _clean_programmes(programmes: Iterable[str] | str | None) -> tuple[str, ...]:
    if isinstance(programmes, str):
        programmes = programmes.split(",")
    names = tuple(dict.fromkeys(str(p).strip().upper() for p in (programmes or ()) if str(p).strip()))
    unknown = [p for p in names if p not in PROGRAMME_BITS]
    if unknown:
        raise _invalid("programmes", _("Program %(p)s tidak dikenal (JKK, JKM, JHT, JP).") % {
            "p": ", ".join(unknown)})
    return tuple(p for p in PROGRAMME_BITS if p in names)  # the usual order


def _clean_income(income) -> int:
    if isinstance(income, bool) or not isinstance(income, int) or income < 0:
        raise _invalid("income", _("Nominal penghasilan harus bilangan bulat rupiah tanpa tanda minus."),
                       ErrorCode.BAD_INCOME)
    return income


def _priced_by_the_engine(participant: Participant, programmes: tuple[str, ...], income: int, month: date) -> None:
    """A trial quote for the first month: the engine's refusal (a programme missing, an income not among the BPU
    nominals, no rates yet) in its own words."""
    try:
        quote(rate_book(), QuoteRequest(segment=Segment.BPU, programmes=programmes, month=month, income=income,
                                        sector=participant.sector, payer="self"))
    except QuoteError as refused:
        field = {"month": "first_month"}.get(next(iter(refused.fields), ""), next(iter(refused.fields), ""))
        raise ServiceError(code=refused.code, message=refused.message,
                           fields={field: [refused.message]} if field else {}) from None


def _refuse_covered(participant: Participant, mask: int, first_month: date, field: str) -> None:
    """Refused when a scheme pays any of the same programmes in the first month or later (funding's words)."""
    # An enrolment ended before its start (end_month = start - 1) never paid: it covers nothing.
    covering = Enrolment.objects.filter(participant_id=participant.pk, end_month__gte=first_month,
                                        start_month__lte=F("end_month"))
    covering = covering.annotate(common=F("scheme__programme_mask").bitand(mask)).filter(common__gt=0)
    first = covering.select_related("scheme").order_by("start_month").first()
    if first is not None:
        month = max(first.start_month, first_month)
        message = _("Bulan %(m)s %(why)s (%(s)s, %(a)s–%(b)s).") % {
            "m": _month_text(month), "why": Refusal.COVERED.label, "s": first.scheme.name,
            "a": _month_text(first.start_month), "b": _month_text(first.end_month)}
        raise ServiceError(code=Refusal.COVERED, message=message, fields={field: [message]})


def _clean_agent(agent, participant: Participant):
    if agent is None:
        return None
    if isinstance(agent, str):
        name = agent.strip()
        agent = get_user_model().objects.filter(username=name).first() if name else None
        if agent is None:
            if not name:
                return None
            raise _invalid("agent", _("Agen %(u)s tidak dikenal.") % {"u": name})
    if not (agent.is_active and agent.role == Role.PERISAI_AGENT):
        raise _invalid("agent", _("%(u)s bukan agen PERISAI yang aktif.") % {"u": agent.username})
    if not code_in_scope(agent, participant.desa_id):
        raise _invalid("agent", _("Agen %(u)s tidak bekerja di desa peserta ini.") % {"u": agent.username})
    return agent


def _paid_from(membership: Membership, month: date) -> date | None:
    """The latest month from `month` on that has a paid due of this package (None: none is paid)."""
    paid = live(Allocation.objects.filter(due__membership_id=membership.pk, due__month__gte=month),
                ReversalTarget.ALLOCATION)
    return paid.aggregate(last=Max("due__month"))["last"]


def _refuse_paid(membership: Membership, month: date, field: str, *, label: str) -> None:
    last_paid = _paid_from(membership, month)
    if last_paid is not None:
        message = _("Bulan %(m)s sudah dibayar; %(what)s paling cepat berlaku mulai %(n)s.") % {
            "m": _month_text(last_paid), "what": label, "n": _month_text(add_months(last_paid, 1))}
        raise ServiceError(code=ErrorCode.MONTH_PAID, message=message, fields={field: [message]})


def _void_dues_after(*, actor, membership: Membership) -> None:
    """Dues the billing run wrote for months after the package's (new) last month are cancelled (none is paid:
    `_refuse_paid` saw to that), so the ledger bills no month the package no longer covers."""
    from ..models import Due

    dues = live(Due.objects.filter(membership_id=membership.pk, month__gt=membership.last_month), ReversalTarget.DUE)
    if not dues.exists():
        return
    from ..models import ReversalReason
    from .reversals import due_void  # H3's service (billing/services/reversals.py)

    # Their own reason (an ending or a change of the package), or a mistake when the package was one.
    reason = (ReversalReason.MISTAKE if membership.end_reason == MembershipEndReason.MISTAKE
              else ReversalReason.MEMBERSHIP_ENDED)
    for due in dues.order_by("-month", "-id"):
        due_void(actor=actor, due=due, reason=reason)


def _refuse_inactive(participant: Participant) -> None:
    if not participant.is_active:
        raise ServiceError(code=ErrorCode.ALREADY_INACTIVE,
                           message=_("Peserta ini sudah nonaktif di registri; iuran mandiri tidak dapat dimulai "
                                     "atau diubah."))


def _refuse_segment(participant: Participant) -> None:
    if participant.segment != Segment.BPU:
        message = _("Iuran mandiri saat ini hanya untuk peserta BPU (bukan penerima upah); peserta ini tercatat "
                    "%(s)s.") % {"s": participant.segment}
        raise ServiceError(code=ErrorCode.SEGMENT_NOT_ALLOWED, message=message, fields={"segment": [message]})


def _refuse_earlier_package(participant: Participant, first_month: date, field: str, *, exclude=None) -> None:
    """A new package starts after every earlier one of the person has ended (two packages never share a month)."""
    earlier = Membership.objects.filter(MEMBERSHIP_COVERS, participant_id=participant.pk, last_month__gte=first_month)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    last = earlier.aggregate(last=Max("last_month"))["last"]
    if last is not None:
        message = _("Iuran mandiri sebelumnya berlaku sampai %(m)s; yang baru paling cepat mulai %(n)s.") % {
            "m": _month_text(last), "n": _month_text(add_months(last, 1))}
        raise _invalid(field, message)


def _create(**values) -> Membership:
    try:
        with transaction.atomic():
            return Membership.objects.create(**values)
    except IntegrityError:
        # Lost a race with another start for the same person (one open package; one package per first month).
        raise ServiceError(code=ErrorCode.PACKAGE_OPEN,
                           message=_("Peserta ini baru saja dibuatkan iuran mandiri oleh pengguna lain; muat ulang "
                                     "halaman lalu ubah paket itu bila perlu.")) from None


@transaction.atomic
def membership_start(*, actor, participant, programmes, income, first_month, agent=None,
                     channel: str = MembershipChannel.WEB) -> Membership:
    """Start the worker's own package from `first_month`."""
    participant = _locked_participant(actor, participant)
    refuse_actor(actor)  # e.g. an inactive agent, or its wadah's PKS not in force today (core.access.actor_refusals)
    _refuse_inactive(participant)
    _refuse_segment(participant)
    if channel not in MembershipChannel.values:
        raise _invalid("channel", _("Saluran %(c)s tidak dikenal.") % {"c": channel})
    current = open_membership(participant)
    if current is not None:
        raise ServiceError(code=ErrorCode.PACKAGE_OPEN, message=_(
            "Peserta ini sudah punya iuran mandiri sejak %(m)s; ubah atau akhiri paket itu.") % {
            "m": _month_text(current.first_month)})
    names = _clean_programmes(programmes)
    income = _clean_income(income)
    first_month = _check_month("first_month", first_month, participant, label=_("Bulan pertama"))
    _priced_by_the_engine(participant, names, income, first_month)
    mask = programme_mask(names)
    _refuse_covered(participant, mask, first_month, "first_month")
    _refuse_earlier_package(participant, first_month, "first_month")
    agent = _clean_agent(agent, participant)
    membership = _create(participant=participant, kab_code=participant.kab_code, desa_code=participant.desa_id,
                         segment=Segment.BPU, programmes=list(names), programme_mask=mask, income=income,
                         first_month=first_month, agent=agent, channel=channel,
                         started_by=actor if actor.pk else None, created_at=clock.now())
    audit_record(actor=actor, event=AuditEventType.MEMBERSHIP_STARTED, obj=membership,
                 region_code=membership.desa_code, new=_snapshot(membership))
    return membership


def _locked_open(actor, membership) -> tuple[Participant, Membership]:
    if membership is None or membership.pk is None:
        raise ServiceError(code=ErrorCode.NO_PACKAGE, message=_("Peserta ini belum punya iuran mandiri yang berjalan."))
    participant = _locked_participant(actor, Participant(pk=membership.participant_id))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.last_month is not None:
        raise ServiceError(code=ErrorCode.NO_PACKAGE, message=_(
            "Iuran mandiri ini sudah berakhir pada %(m)s.") % {"m": _month_text(membership.last_month)})
    return participant, membership


@transaction.atomic
def membership_change(*, actor, membership, from_month, programmes=None, income=None) -> Membership:
    """New programmes and/or income from `from_month`: the package is closed at the month before and a new one
    (`replaces` the old) opens from `from_month`, with the same agent."""
    participant, old = _locked_open(actor, membership)
    _refuse_inactive(participant)
    label = _("Perubahan")
    from_month = _check_month("from_month", from_month, participant, label=_("Bulan mulai perubahan"))
    if from_month <= old.first_month:
        raise _invalid("from_month", _("Perubahan paling cepat berlaku mulai %(n)s, bulan sesudah paket ini dimulai "
                                       "(%(m)s).") % {"n": _month_text(add_months(old.first_month, 1)),
                                                      "m": _month_text(old.first_month)})
    names = _clean_programmes(programmes) if programmes is not None else tuple(old.programmes)
    income = _clean_income(income) if income is not None else old.income
    if names == tuple(old.programmes) and income == old.income:
        raise _invalid("programmes", _("Tidak ada yang berubah: pilih program atau nominal penghasilan yang lain."))
    _refuse_paid(old, from_month, "from_month", label=label.lower())
    _priced_by_the_engine(participant, names, income, from_month)
    mask = programme_mask(names)
    _refuse_covered(participant, mask, from_month, "from_month")
    before = _snapshot(old)
    old.last_month = add_months(from_month, -1)
    old.ended_at, old.ended_by, old.end_reason = clock.now(), actor if actor.pk else None, MembershipEndReason.CHANGED
    old.save(update_fields=["last_month", "ended_at", "ended_by", "end_reason"])
    _void_dues_after(actor=actor, membership=old)
    new = _create(participant=participant, kab_code=old.kab_code, desa_code=old.desa_code, segment=old.segment,
                  programmes=list(names), programme_mask=mask, income=income, first_month=from_month,
                  agent=old.agent, channel=old.channel, replaces=old, started_by=actor if actor.pk else None,
                  created_at=clock.now())
    audit_record(actor=actor, event=AuditEventType.MEMBERSHIP_CHANGED, obj=new, region_code=new.desa_code,
                 old=before, new=_snapshot(new))
    return new


def _check_end_reason(reason) -> None:
    if reason not in MembershipEndReason.values or reason == MembershipEndReason.CHANGED:
        raise _invalid("reason", _("Pilih alasan berakhir: %(r)s.") % {"r": ", ".join(
            str(label) for value, label in MembershipEndReason.choices if value != MembershipEndReason.CHANGED)})


@transaction.atomic
def membership_end(*, actor, membership, last_month, reason, note: str = "") -> Membership:
    """The worker stops paying after `last_month` (the package stays, with the months it covered). `note`: the
    audit row's (e.g. the claim that ended it, claims.services.settle_refund)."""
    participant, membership = _locked_open(actor, membership)
    _check_end_reason(reason)
    if not isinstance(last_month, date) or last_month.day != 1:
        raise _invalid("last_month", _("%(what)s harus sebuah bulan (YYYY-MM).") % {"what": _("Bulan terakhir")})
    cancel_month = add_months(membership.first_month, -1)  # ending there cancels the package: it covers no month
    if last_month < cancel_month:
        raise _invalid("last_month", _(
            "Bulan terakhir paling awal %(c)s, bulan sebelum bulan pertama paket (%(m)s): paket itu dibatalkan dan "
            "tidak menanggung satu bulan pun.") % {"c": _month_text(cancel_month),
                                                   "m": _month_text(membership.first_month)})
    latest = add_months(clock.this_month(), settings.BILLING_MAX_MONTHS_AHEAD)
    if last_month > latest:
        raise _invalid("last_month", _("%(what)s paling jauh %(n)s bulan ke depan (%(m)s).") % {
            "what": _("Bulan terakhir"), "n": settings.BILLING_MAX_MONTHS_AHEAD, "m": _month_text(latest)})
    _refuse_paid(membership, add_months(last_month, 1), "last_month", label=_("akhir paket"))
    before = _snapshot(membership)
    membership.last_month = last_month
    membership.ended_at, membership.ended_by, membership.end_reason = clock.now(), actor if actor.pk else None, reason
    membership.save(update_fields=["last_month", "ended_at", "ended_by", "end_reason"])
    _void_dues_after(actor=actor, membership=membership)
    after = _snapshot(membership)
    if last_month < membership.first_month:
        after["cancelled"] = True
    audit_record(actor=actor, event=AuditEventType.MEMBERSHIP_ENDED, obj=membership,
                 region_code=membership.desa_code, old=before, new=after, note=(note or "").strip()[:200])
    return membership



@transaction.atomic
def membership_cancel(*, actor, membership, reason) -> Membership:
    """Cancel a package that has not started yet (its first month after this month): `membership_end` in the month
    before its first month, so it covers no month and the dues billed ahead for it are voided. A package already
    running is ended instead (the page, the API and the command line offer this only before the start)."""
    participant, membership = _locked_open(actor, membership)
    if membership.first_month <= clock.this_month():
        raise _invalid("first_month", _(
            "Paket ini sudah berjalan sejak %(m)s dan tidak dapat dibatalkan; akhiri paket itu.") % {
            "m": _month_text(membership.first_month)})
    return membership_end(actor=actor, membership=membership, last_month=add_months(membership.first_month, -1),
                          reason=reason)
