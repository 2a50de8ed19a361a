"""Reporting an event (issue 15 item 1; docs/design/claims.md): `report_claim(user, ReportRequest) -> Claim`.

One transaction files the event with its number, the eligibility found on the event date (claims.eligibility), the
participant's registered heirs copied onto the claim in their order, and the audit rows. What the eligibility says
decides the claim's first status:
- protected that day: `reported` (documents are gathered next);
- under the lenient arrears policy, arrears to pay first: `held`, with the amount and the day to pay by;
- not protected: recorded as `rejected` with rejection_code "not_protected" and the reason, decided by nobody (the
  system), so that refusals by reason are counted on the dashboards; the reporter is told the reason.

A work-accident claim (JKK) reported later than the reporting limit after the event (`jkk_report_limit_hours`,
2 × 24 hours, PP 44/2015) is flagged `report_late`; one reported after the right has lapsed
(`jkk_claim_lapse_months`, 2 years) is refused. The event's hour is not recorded, so the reporting limit counts from
the end of the event day (in the worker's favour).

Heirs' order (`rank`): spouse and children 1, parents 2, siblings 3, anyone else 4 (PP 44/2015 Pasal 1 and the JKM
heir order: the spouse and children first, then parents, then siblings). The heirs of the first rank present
receive; the others are kept on the claim for the record. A registered heir without a valid NIK is not copied: the
claim page lists them to be added with their NIK (claims.heirs)."""

from dataclasses import asdict, dataclass, is_dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsosdesa.core import clock as core_clock
from jamsosdesa.core.access import refuse_actor
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, NotFound, PermissionDenied, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.months import add_months
from jamsosdesa.participants.access import scope_participants
from jamsosdesa.participants.models import HeirRelation, Participant
from jamsosdesa.participants.nik import check_nik, normalize_number

from .access import may_report
from .models import DEATH_KINDS, JKK_KINDS, Claim, ClaimHeir, ClaimKind, ClaimStatus

REPORT_LIMIT_CODE = "jkk_report_limit_hours"
LAPSE_CODE = "jkk_claim_lapse_months"
NOT_PROTECTED = "not_protected"
CLOSED = (ClaimStatus.APPROVED, ClaimStatus.PAID, ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN)
LIVE_EXCLUDED = (ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN)
HEIR_RANK = {HeirRelation.SPOUSE: 1, HeirRelation.CHILD: 1, HeirRelation.PARENT: 2, HeirRelation.SIBLING: 3,
             HeirRelation.OTHER: 4}
NUMBER_TRIES = 5


@dataclass
class ReportRequest:
    nik: str
    kind: str
    event_date: date | None
    event_place: str = ""
    description: str = ""
    incapacity_from: date | None = None
    incapacity_to: date | None = None


def heir_rank(relation: str) -> int:
    return HEIR_RANK.get(relation, 4)


def _invalid(fields: dict[str, list[str]]) -> ServiceError:
    first = next(iter(fields.values()))[0]
    return ServiceError(code=ErrorCode.INVALID, message=first, fields=fields)


def _participant(user, nik: str) -> Participant:
    clean = normalize_number(nik)
    if not clean:
        raise _invalid({"nik": [_("NIK peserta wajib diisi.")]})
    found = scope_participants(user, Participant.objects.select_related("desa")).filter(nik=clean).first()
    if found is None:
        raise NotFound(_("Peserta dengan NIK %(n)s tidak ditemukan di wilayah Anda.") % {"n": clean[:16]})
    return found


def _check_request(req: ReportRequest, participant: Participant) -> None:
    fields: dict[str, list[str]] = {}
    if req.kind not in ClaimKind.values:
        fields["kind"] = [_("Jenis klaim '%(k)s' tidak dikenal: pilih salah satu dari %(v)s.")
                          % {"k": str(req.kind)[:30], "v": ", ".join(ClaimKind.values)}]
    if req.event_date is None:
        fields["event_date"] = [_("Tanggal kejadian wajib diisi.")]
    else:
        from .eligibility import event_date_problem  # in the future, or before the person was registered

        problem = event_date_problem(participant, req.event_date)
        if problem:
            fields["event_date"] = [problem]
    if req.kind == ClaimKind.JKK_TEMPORARY:
        if req.incapacity_from and req.event_date and req.incapacity_from < req.event_date:
            fields["incapacity_from"] = [_("Tidak mampu bekerja sejak tanggal sebelum kejadian.")]
        if req.incapacity_to and req.incapacity_from and req.incapacity_to < req.incapacity_from:
            fields["incapacity_to"] = [_("Tanggal akhir tidak mampu bekerja sebelum tanggal mulainya.")]
    elif req.incapacity_from or req.incapacity_to:
        fields["incapacity_from"] = [_("Tanggal tidak mampu bekerja hanya untuk klaim JKK tidak mampu bekerja "
                                       "sementara.")]
    if len(req.event_place or "") > 200:
        fields["event_place"] = [_("Tempat kejadian paling banyak 200 karakter.")]
    if fields:
        raise _invalid(fields)


def report_deadline(event_date: date) -> datetime:
    """The last moment a work accident of that day may be reported in time (end of the day + the limit in force)."""
    from .parameters import param

    end_of_day = timezone.make_aware(datetime.combine(event_date + timedelta(days=1), time.min))
    return end_of_day + timedelta(hours=param(REPORT_LIMIT_CODE, event_date))


def lapse_day(event_date: date) -> date:
    """The first day a work-accident claim of that event may no longer be made: the same day of the month the lapse
    period later (the month's last day when it has no such day)."""
    import calendar

    first = add_months(event_date, _lapse_months(event_date))
    return first.replace(day=min(event_date.day, calendar.monthrange(first.year, first.month)[1]))


def _check_duplicate(participant: Participant, kind: str, event_date: date) -> None:
    live = Claim.objects.filter(participant=participant).exclude(status__in=LIVE_EXCLUDED)
    if kind in DEATH_KINDS:
        earlier = live.filter(kind__in=DEATH_KINDS).first()
        if earlier is not None:
            raise ServiceError(code=ErrorCode.INVALID, message=_(
                "Kematian peserta ini sudah dilaporkan dengan klaim %(n)s (%(k)s): satu kematian, satu klaim.")
                % {"n": earlier.number, "k": earlier.get_kind_display()}, fields={"kind": [_(
                    "Sudah ada klaim kematian %(n)s untuk peserta ini.") % {"n": earlier.number}]})
    if kind == ClaimKind.JKK_DISABILITY_TOTAL:
        earlier = live.filter(kind=kind).first()
        if earlier is not None:
            message = _("Cacat total tetap peserta ini sudah diklaim dengan klaim %(n)s: cacat total tetap dibayar "
                        "sekali.") % {"n": earlier.number}
            raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"kind": [message]})
    earlier = live.filter(kind=kind, event_date=event_date).first()
    if earlier is not None:
        raise ServiceError(code=ErrorCode.INVALID, message=_(
            "Kejadian ini sudah dilaporkan dengan klaim %(n)s (jenis dan tanggal kejadian yang sama).")
            % {"n": earlier.number}, fields={"event_date": [_("Sudah ada klaim %(n)s untuk jenis dan tanggal ini.")
                                                            % {"n": earlier.number}]})


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__html__") or type(value).__name__ == "__proxy__":
        return str(value)
    return value


def eligibility_json(found) -> dict:
    """The Eligibility of claims.eligibility as the JSON kept on the claim."""
    if hasattr(found, "as_dict"):
        data = found.as_dict()
    elif is_dataclass(found):
        data = asdict(found)
    else:
        data = dict(vars(found))
    return _jsonable(data)


def _number(kab_code: str, year: int) -> str:
    prefix = f"KLM-{kab_code.replace('.', '')}-{year}-"
    last = (Claim.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
            .first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def _heirs_to_copy(participant: Participant) -> list[ClaimHeir]:
    rows, seen = [], set()
    for heir in participant.heirs.all():
        nik = normalize_number(heir.nik)
        checked = check_nik(nik, region_status=lambda _p: "current")
        if not nik or nik in seen or not checked.valid:
            continue
        seen.add(nik)
        rows.append(ClaimHeir(source_heir=heir, name=heir.name, relation=heir.relation, nik=nik, phone=heir.phone,
                              birth_date=checked.birth_date, rank=heir_rank(heir.relation)))
    return rows


def refresh_receives(claim: Claim, actor=None) -> None:
    """The heirs of the first rank present receive; the others do not (kept for the record). A change of who
    receives is audited (`claim.updated`, the receiving heirs before and after by id and name, no NIK) by `actor`
    (None: the system, when the claim is reported)."""
    heirs = list(claim.heirs.all())
    if not heirs:
        return
    first = min(h.rank for h in heirs)
    before = [{"id": h.pk, "name": h.name} for h in heirs if h.receives]
    changed = False
    for h in heirs:
        if h.receives != (h.rank == first):
            h.receives = h.rank == first
            h.save(update_fields=["receives"])
            changed = True
    if changed:
        audit_record(actor=actor, event=AuditEventType.CLAIM_UPDATED, obj=claim, region_code=claim.desa_code,
                     old={"receiving": before}, new={"receiving": [{"id": h.pk, "name": h.name} for h in heirs
                                                                   if h.receives]},
                     note=_("ahli waris penerima manfaat berubah menurut urutannya"))


def _held(found) -> bool:
    return bool(getattr(found, "held", False))


def report_claim(user, req: ReportRequest) -> Claim:
    """File the event (see the module). ServiceError for bad input; NotFound outside the user's scope."""
    if not may_report(user):
        raise PermissionDenied(_("Peran Anda tidak melaporkan kejadian klaim: yang melapor operator desa, agen "
                                 "PERISAI, petugas kantor cabang atau admin nasional."))
    participant = _participant(user, req.nik)
    refuse_actor(user)  # e.g. an inactive agent, or its wadah's PKS not in force today (core.access.actor_refusals)
    today, now = core_clock.today(), core_clock.now()
    _check_request(req, participant)
    kind, event_date = req.kind, req.event_date
    late = False
    if kind in JKK_KINDS:
        lapses = lapse_day(event_date)
        if today >= lapses:
            raise ServiceError(code=ErrorCode.INVALID, message=_(
                "Hak atas manfaat JKK kejadian %(d)s sudah gugur pada %(l)s (batas %(m)d bulan sesudah kejadian).")
                % {"d": f"{event_date:%d-%m-%Y}", "l": f"{lapses:%d-%m-%Y}", "m": _lapse_months(event_date)},
                fields={"event_date": [_("Lewat batas pengajuan klaim JKK.")]})
        late = now > report_deadline(event_date)

    from .eligibility import eligibility_on

    found = eligibility_on(participant, event_date, kind)
    eligibility = eligibility_json(found)
    if found.eligible:
        status = ClaimStatus.REPORTED
    elif _held(found):
        status = ClaimStatus.HELD
    else:
        status = ClaimStatus.REJECTED
    reason = str(getattr(found, "reason", "") or "")

    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=participant.pk).first()  # one report at a time per person
        _check_duplicate(participant, kind, event_date)
        claim = None
        for _try in range(NUMBER_TRIES):
            claim = Claim(number=_number(participant.kab_code, today.year), participant=participant,
                          kab_code=participant.kab_code, desa_code=participant.desa_id, kind=kind,
                          event_date=event_date, event_place=(req.event_place or "").strip(),
                          description=(req.description or "").strip(), reported_at=now, reported_by=user,
                          report_late=late, incapacity_from=req.incapacity_from, incapacity_to=req.incapacity_to,
                          status=status, eligibility=eligibility)
            if status == ClaimStatus.REJECTED:
                claim.rejection_code, claim.rejection_note, claim.decided_at = NOT_PROTECTED, reason, now
            try:
                with transaction.atomic():
                    claim.save()
                break
            except IntegrityError:
                _check_duplicate(participant, kind, event_date)  # a report made at the same moment won
                claim = None  # the number was taken meanwhile: the next one
        if claim is None:
            raise ServiceError(code=ErrorCode.INVALID, message=_("Nomor klaim tidak dapat dibuat; coba lagi."))
        heirs = _heirs_to_copy(participant)
        for heir in heirs:
            heir.claim = claim
        ClaimHeir.objects.bulk_create(heirs)
        refresh_receives(claim)
        audit_record(actor=user, event=AuditEventType.CLAIM_REPORTED, obj=claim, region_code=claim.desa_code,
                     new={"number": claim.number, "participant": participant.pk, "nik": participant.nik,
                          "kind": kind, "event_date": event_date, "event_place": claim.event_place,
                          "reported_at": now, "report_late": late, "status": status,
                          "eligibility": eligibility,
                          "heirs": [{"name": h.name, "relation": h.relation, "nik": h.nik, "rank": h.rank}
                                    for h in heirs]})
        if status == ClaimStatus.REJECTED:  # decided by the system: the actor is nobody
            audit_record(actor=None, event=AuditEventType.CLAIM_REJECTED, obj=claim, region_code=claim.desa_code,
                         new={"status": status, "rejection_code": NOT_PROTECTED, "rejection_note": reason},
                         note=_("ditolak otomatis: tidak terlindungi pada tanggal kejadian"))
        elif status == ClaimStatus.HELD:
            audit_record(actor=user, event=AuditEventType.CLAIM_HELD, obj=claim, region_code=claim.desa_code,
                         new={"status": status, "arrears": eligibility.get("arrears"),
                              "pay_by": eligibility.get("pay_by")}, note=reason)
    return claim


def _lapse_months(event_date: date) -> int:
    from .parameters import param

    return param(LAPSE_CODE, event_date)


def report_message(claim: Claim) -> str:
    """What the reporter is told once the event is filed (page, API message, CLI)."""
    reason = claim.eligibility.get("reason") or claim.rejection_note
    if claim.status == ClaimStatus.REJECTED and claim.rejection_code == NOT_PROTECTED:
        text = _("Klaim %(n)s dicatat tetapi DITOLAK: peserta tidak terlindungi pada tanggal kejadian (%(r)s).") % {
            "n": claim.number, "r": reason}
    elif claim.status == ClaimStatus.HELD:
        from jamsosdesa.core.money import rupiah

        pay_by = claim.eligibility.get("pay_by") or ""
        text = _("Klaim %(n)s dicatat dan DITAHAN: tunggakan iuran %(a)s perlu dilunasi%(by)s agar perlindungan "
                 "pulih (%(r)s).") % {
            "n": claim.number, "a": rupiah(int(claim.eligibility.get("arrears") or 0)), "r": reason,
            "by": (_(" paling lambat %(d)s") % {"d": _day_text(pay_by)}) if pay_by else ""}
    else:
        text = _("Klaim %(n)s dicatat (%(r)s). Lengkapi ahli waris dan dokumennya.") % {"n": claim.number,
                                                                                        "r": reason}
    if claim.report_late:
        text += " " + late_message(claim)
    return text


def late_message(claim: Claim) -> str:
    from .parameters import param

    return _("Laporan kecelakaan kerja TERLAMBAT: lebih dari %(h)d jam sesudah kejadian %(d)s.") % {
        "h": param(REPORT_LIMIT_CODE, claim.event_date), "d": f"{claim.event_date:%d-%m-%Y}"}


def _day_text(value: str) -> str:
    try:
        return f"{date.fromisoformat(str(value)[:10]):%d-%m-%Y}"
    except ValueError:
        return str(value)


def claim_is_closed(claim: Claim) -> bool:
    return claim.status in CLOSED


def refuse_closed(claim: Claim, what: str) -> None:
    """Heirs and documents change only while the claim is open (not after approval, rejection or payment)."""
    if claim_is_closed(claim):
        raise ServiceError(code=ErrorCode.INVALID, message=_("Klaim %(n)s sudah %(s)s: %(w)s tidak dapat diubah lagi.")
                           % {"n": claim.number, "s": claim.get_status_display(), "w": what})


def claim_list(user, *, status: str = "", kind: str = "", q: str = ""):
    """The claims the user sees, newest report first, filtered by status, kind and a search (a claim number, a
    participant's whole NIK or part of a name)."""
    from .access import scope_claims

    qs = scope_claims(user, Claim.objects.select_related("participant", "participant__desa"))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    text = (q or "").strip()
    if text:
        digits = normalize_number(text)
        if text.upper().startswith("KLM"):
            qs = qs.filter(number__startswith=text.upper())
        elif digits.isascii() and digits.isdigit():
            qs = qs.filter(participant__nik=digits)
        else:
            qs = qs.filter(participant__search_name__contains=" ".join(text.split()).upper())
    return qs.order_by("-reported_at", "-id")


REFUND_SETTLED = "refund_settled"  # the key of the claim.updated audit row that marks a settled refund


def refund_part(claim: Claim) -> int:
    """The refund the claim carries (its benefit part `refund`, fixed when it was prepared; 0 without one)."""
    return sum(int(p.get("amount") or 0) for p in (claim.benefit_parts or []) if p.get("code") == "refund")


def refund_settled(claim: Claim) -> bool:
    """Whether the claim's refund was settled with billing (its `claim.updated` row with `refund_settled`)."""
    from jamsosdesa.core.models import AuditEvent

    return AuditEvent.objects.filter(event_type=AuditEventType.CLAIM_UPDATED, object_type="claim",
                                     object_id=str(claim.pk), new__has_key=REFUND_SETTLED).exists()


def refund_changed(claim: Claim, refund: int, released: int) -> ServiceError:
    from jamsosdesa.core.money import rupiah

    message = _("Klaim %(n)s: pengembalian iuran berubah sejak klaim disiapkan (tercatat %(a)s, kini %(b)s): siapkan "
                "ulang.") % {"n": claim.number, "a": rupiah(refund), "b": rupiah(released)}
    return ServiceError(code=ErrorCode.INVALID, message=message, fields={"refund": [message]})


@transaction.atomic
def settle_refund(user, claim: Claim) -> dict | None:
    """Tell billing that a claim ending the participation (benefits.REFUND_KINDS: a death, a total permanent
    disability) is approved: the person's own dues of months after the event month are voided (their money released
    to the person's credit, not re-applied), the open package ends in the event month (cancelled when it starts
    later), every enrolment still running after the event month ends there (the scheme's money back to the scheme),
    and the claim's refund is handed back from the person's credit (billing.services.credits.credit_refund).
    Refused, in the caller's transaction, when the money released is not the refund the claim carries (a payment
    reversed or a month paid since it was prepared). Once per claim (the `claim.updated` row with `refund_settled`);
    the claim locked by the caller or here. Returns what was settled (None: nothing to settle)."""
    from jamsosdesa.billing.live import live
    from jamsosdesa.billing.models import (
        Allocation,
        Due,
        HolderType,
        MembershipEndReason,
        ReversalReason,
        ReversalTarget,
    )
    from jamsosdesa.billing.services.credits import credit_refund
    from jamsosdesa.billing.services.membership import membership_end, open_membership
    from jamsosdesa.billing.services.reversals import due_void
    from jamsosdesa.funding.models import EndReason, Enrolment
    from jamsosdesa.funding.services.ending import enrolment_end

    from .benefits import REFUND_KINDS

    claim = Claim.objects.select_for_update().select_related("participant").get(pk=claim.pk)
    if claim.kind not in REFUND_KINDS or refund_settled(claim):
        return None
    if claim.status not in (ClaimStatus.APPROVED, ClaimStatus.PAID):
        raise ServiceError(code=ErrorCode.INVALID, message=_(
            "Klaim %(n)s berstatus %(s)s: pengembalian iuran diselesaikan setelah klaim disetujui.") % {
            "n": claim.number, "s": claim.get_status_display()})
    person, event_month = claim.participant, claim.event_date.replace(day=1)
    died = claim.kind in DEATH_KINDS
    refund = refund_part(claim)
    # 1. the person's own dues after the event month, latest first; a paid one's money stays in their credit
    dues = live(Due.objects.filter(participant_id=person.pk, membership__isnull=False, month__gt=event_month),
                ReversalTarget.DUE).order_by("-month", "-id")
    released, months, dues_voided = 0, [], 0
    for due in dues:
        paid = sum(live(Allocation.objects.filter(due_id=due.pk), ReversalTarget.ALLOCATION)
                   .values_list("amount", flat=True))
        due_void(actor=user, due=due, reason=ReversalReason.MEMBERSHIP_ENDED, reapply=False)
        dues_voided += 1
        if paid:
            released += paid
            months.append(f"{due.month:%Y-%m}")
    if released != refund:
        raise refund_changed(claim, refund, released)
    # 2. the package ends in the event month (one starting later is cancelled: it covers no month)
    ended_package = None
    package = open_membership(person)
    if package is not None:
        last = event_month if package.first_month <= event_month else add_months(package.first_month, -1)
        membership_end(actor=user, membership=package, last_month=last,
                       reason=MembershipEndReason.DIED if died else MembershipEndReason.OTHER,
                       note=_("klaim %(n)s") % {"n": claim.number})
        ended_package = {"id": package.pk, "last_month": f"{last:%Y-%m}"}
    # 3. the schemes stop paying after the event month; their money goes back to the scheme, not to the heirs
    ended_enrolments = {}
    running = Enrolment.objects.filter(participant_id=person.pk, ended_at__isnull=True, end_month__gt=event_month)
    for enrolment in running.order_by("start_month", "id"):
        last = max(event_month, add_months(enrolment.start_month, -1))
        enrolment_end(actor=user, enrolment=enrolment, last_month=last,
                      reason=EndReason.DIED if died else EndReason.OTHER,
                      note=_("klaim %(n)s") % {"n": claim.number})
        ended_enrolments[str(enrolment.pk)] = f"{last:%Y-%m}"
    # 4. the refund handed back from the person's credit
    if refund:
        credit_refund(actor=user, holder_type=HolderType.PARTICIPANT, holder_id=person.pk, amount=refund,
                      note=_("pengembalian iuran klaim %(n)s") % {"n": claim.number})
    settled = {REFUND_SETTLED: sorted(months), "amount": refund, "released": released, "membership": ended_package,
               "enrolments": ended_enrolments}
    if not (dues_voided or ended_package or ended_enrolments):
        return settled  # nothing after the event month, nothing open: nothing to tell billing, nor to audit
    audit_record(actor=user, event=AuditEventType.CLAIM_UPDATED, obj=claim, region_code=claim.desa_code,
                 new=settled, note=_("pengembalian iuran klaim %(n)s diselesaikan dengan penagihan") % {
                     "n": claim.number})
    return settled
