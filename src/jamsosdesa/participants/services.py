"""Writes to the participant registry. Each service validates, writes and audits in one transaction."""

import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.access import refuse_actor
from jamsosdesa.core.audit import audit_record, diff
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.regioncodes import Level
from jamsosdesa.core.text import has_bad_chars
from jamsosdesa.regions.models import Region
from jamsosdesa.regions.selectors import kecamatan_status

from .access import can_change_participant, can_register_in, scope_participants
from .fields import (
    FIELDS,
    DesaStatus,
    Facts,
    FieldIssue,
    ParticipantCleaner,
    clean_heirs,
    messages_by_field,
    nik_warnings,
    refused_issue,
)
from .models import Channel, DeactivationReason, Heir, Occupation, Participant
from .outreach import outreach_code_checker

MODEL_ATTRIBUTE = {"desa": "desa_id", "occupation": "occupation_id"}


@dataclass
class ParticipantInvalid(ServiceError):
    """Field errors: their messages by field (`fields`, as every ServiceError) and each with its code
    (`field_errors`: [{"field", "code", "message"}], the same ones the file import reports)."""

    field_errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "field_errors": self.field_errors}


def _invalid(issues: list[FieldIssue]) -> ParticipantInvalid:
    return ParticipantInvalid(code=ErrorCode.INVALID, message=_("Data belum benar. Periksa isian yang ditandai."),
                              fields=messages_by_field(issues), field_errors=[i.as_dict() for i in issues])


def _facts(actor, *, current_desa: str | None = None) -> Facts:
    """What the field cleaner needs to know from the database, for this actor. A desa outside the actor's area
    is refused, except the one the participant is in already (`current_desa`)."""

    def desa_status(code: str) -> str:
        region = Region.objects.filter(code=code).only("level", "is_historical").first()
        if region is None:
            return DesaStatus.UNKNOWN
        if region.level != Level.DESA or region.is_historical:
            return DesaStatus.NOT_CURRENT
        if code != current_desa and not can_register_in(actor, code):
            return DesaStatus.OUTSIDE
        return DesaStatus.OK

    return Facts(today=clock.today(), occupations=dict(Occupation.objects.values_list("code", "name")),
                 desa_status=desa_status, nik_region_status=kecamatan_status,
                 outreach_code_known=outreach_code_checker())


def _model_values(clean: dict) -> dict:
    return {MODEL_ATTRIBUTE.get(name, name): value for name, value in clean.items()}


def _snapshot(p: Participant) -> dict:
    data = {f: getattr(p, f if f not in ("desa", "occupation") else f + "_id") for f in FIELDS}
    data["sector_source"] = p.sector_source  # whether the sector follows the occupation or was chosen
    data["is_active"] = p.is_active
    data["heirs"] = [h.as_dict() for h in p.heirs.all()] if p.pk else []
    return data


def _sees_record(actor, existing: Participant) -> bool:
    return scope_participants(actor).filter(pk=existing.pk).exists()


@dataclass
class NikTaken(ServiceError):
    """The NIK is registered already, to someone the actor sees: `participant_id` lets a page link to them."""

    participant_id: int | None = None


def _nik_taken_error(actor, existing: Participant) -> ServiceError:
    """Inside the actor's area: the duplicate with its name and desa, to resolve. Outside it: the neutral refusal,
    which does not say the NIK exists (see `_refused_error`)."""
    if _sees_record(actor, existing):
        where = existing.desa.name
        message = _("NIK %(nik)s sudah terdaftar atas nama %(name)s di Desa %(desa)s.") % {
            "nik": existing.nik, "name": existing.full_name, "desa": where}
        return NikTaken(code=ErrorCode.NIK_TAKEN, message=message, fields={"nik": [message]},
                        participant_id=existing.pk)
    return _refused_error("nik", existing.nik)


def _refused_error(fld: str, value: str) -> ServiceError:
    """A NIK or KPJ held by a record outside the actor's area. It is checked only once the registration is
    otherwise complete and confirmed (after every field error and warning), so until then the answer is the same
    as for a number nobody holds; the refusal (`fields.refused_issue`, the words the import uses too) names no
    person, desa or region: the branch office, which sees the record, resolves it."""
    issue = refused_issue(fld, value)
    code = ErrorCode.NIK_REFUSED if fld == "nik" else ErrorCode.KPJ_REFUSED
    return ServiceError(code=code, message=issue.message, fields={fld: [issue.message]})


def _kpj_taken_error() -> ServiceError:
    message = _("Nomor KPJ sudah dipakai peserta lain.")
    return ServiceError(code=ErrorCode.KPJ_TAKEN, message=message, fields={"kpj": [message]})


def _kpj_holder(kpj: str | None, *, exclude_pk: int | None = None) -> Participant | None:
    """Who else holds this KPJ. One the actor sees is said at once (`_kpj_taken_error`); one outside the actor's
    area is refused only after the confirmation, as a NIK is (`_refused_error`)."""
    if not kpj:
        return None
    return Participant.objects.filter(kpj=kpj).exclude(pk=exclude_pk).only("pk", "desa_id", "registered_by_id").first()


def _possible_duplicate(clean: dict, *, exclude_pk: int | None) -> list[dict]:
    """A warning when someone with the same name and birth date, but another NIK, is in the same desa."""
    if not (clean.get("desa") and clean.get("full_name") and clean.get("birth_date")):
        return []
    twin = (Participant.objects.filter(desa_id=clean["desa"], birth_date=clean["birth_date"],
                                       search_name=" ".join(clean["full_name"].split()).upper())
            .exclude(nik=clean.get("nik")).exclude(pk=exclude_pk).first())
    if twin is None:
        return []
    return [{"code": "possible_duplicate", "field": "full_name",
             "message": _("Sudah ada %(name)s lahir %(d)s di desa ini dengan NIK lain (%(nik)s). "
                          "Pastikan ini orang yang berbeda.")
             % {"name": twin.full_name, "d": twin.birth_date.strftime("%d-%m-%Y"), "nik": twin.nik}}]


def _require_confirmation(warnings: list[dict], confirm_warnings: bool) -> None:
    if warnings and not confirm_warnings:
        raise ServiceError(code=ErrorCode.CONFIRMATION_REQUIRED,
                           message=_("Periksa peringatan berikut, lalu simpan lagi dengan konfirmasi."),
                           warnings=warnings)


def _own_token(actor, client_token: str) -> str:
    """The form's or API call's token as stored: hashed with the user's id, so a token is its user's own. Stored as
    sent, two users choosing the same Idempotency-Key collided: the second got the first one's participant back
    (their own person silently not registered) or, outside the first one's area, a refusal about a KPJ."""
    return hashlib.sha256(f"{actor.pk}:{client_token}".encode()).hexdigest()


@transaction.atomic
def participant_register(*, actor, data: dict, heirs: list[dict] | None = None, channel: str = Channel.WEB,
                         confirm_warnings: bool = False, client_token: str | None = None) -> Participant:
    if client_token and (len(client_token) > 64 or has_bad_chars(client_token)):
        raise ServiceError(code=ErrorCode.INVALID, message=_("Idempotency-Key paling banyak 64 karakter."),
                           fields={"Idempotency-Key": [_("Paling banyak %(n)d karakter.") % {"n": 64}]})
    if client_token:
        client_token = _own_token(actor, client_token)
        earlier = scope_participants(actor).filter(client_token=client_token).first()
        if earlier is not None:
            return earlier  # the same form or API call arrived twice
    refuse_actor(actor)  # e.g. an inactive agent, or its wadah's PKS not in force today (core.access.actor_refusals)
    facts = _facts(actor)
    cleaned = ParticipantCleaner(facts).clean(data)
    heir_rows, heir_errors = clean_heirs(heirs or [], today=facts.today)
    if cleaned.errors or heir_errors:
        raise _invalid(cleaned.errors + heir_errors)
    clean = cleaned.values

    existing = Participant.objects.select_related("desa").filter(nik=clean["nik"]).first()
    if existing is not None and _sees_record(actor, existing):
        raise _nik_taken_error(actor, existing)
    kpj_holder = _kpj_holder(clean.get("kpj"))
    if kpj_holder is not None and _sees_record(actor, kpj_holder):
        raise _kpj_taken_error()
    warnings = [w.as_dict() for w in cleaned.warnings] + _possible_duplicate(clean, exclude_pk=None)
    _require_confirmation(warnings, confirm_warnings)
    if existing is not None:  # outside the actor's area: only now, and without saying where
        raise _refused_error("nik", clean["nik"])
    if kpj_holder is not None:  # the same for a KPJ
        raise _refused_error("kpj", clean["kpj"])

    participant = Participant(**_model_values(clean), channel=channel, registered_by=actor if actor.pk else None,
                              confirmed_warnings=[w["code"] for w in warnings], client_token=client_token or None)
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        # Lost a race with another registration of the same NIK or KPJ.
        existing = Participant.objects.select_related("desa").filter(nik=clean["nik"]).first()
        if existing is not None:
            raise _nik_taken_error(actor, existing) from None
        holder = _kpj_holder(clean.get("kpj"))
        if holder is not None and not _sees_record(actor, holder):
            raise _refused_error("kpj", clean["kpj"]) from None
        raise _kpj_taken_error() from None
    Heir.objects.bulk_create([Heir(participant=participant, **heir) for heir in heir_rows])
    audit_record(actor=actor, event=AuditEventType.PARTICIPANT_REGISTERED, obj=participant,
                 region_code=participant.desa_id, new=_snapshot(participant))
    return participant


@transaction.atomic
def participant_update(*, actor, participant: Participant, data: dict, heirs: list[dict] | None = None,
                       confirm_warnings: bool = False) -> Participant:
    """Change the given fields (others stay); `heirs`, when given, replaces the list."""
    participant = Participant.objects.select_for_update().select_related("desa").get(pk=participant.pk)
    if not can_change_participant(actor, participant):
        raise ServiceError(code=ErrorCode.FORBIDDEN, message=_("Anda tidak berhak mengubah peserta ini."))
    before = _snapshot(participant)
    facts = _facts(actor, current_desa=participant.desa_id)
    cleaned = ParticipantCleaner(facts).clean(data, partial=True)
    heir_rows, heir_errors = clean_heirs(heirs, today=facts.today) if heirs is not None else (None, [])
    if cleaned.errors or heir_errors:
        raise _invalid(cleaned.errors + heir_errors)
    clean = cleaned.values

    existing = None
    if clean.get("nik") and clean["nik"] != participant.nik:
        existing = Participant.objects.select_related("desa").filter(nik=clean["nik"]).first()
        if existing is not None and _sees_record(actor, existing):
            raise _nik_taken_error(actor, existing)
    kpj_holder = _kpj_holder(clean.get("kpj"), exclude_pk=participant.pk)
    if kpj_holder is not None and _sees_record(actor, kpj_holder):
        raise _kpj_taken_error()
    for name, value in _model_values(clean).items():
        setattr(participant, name, value)
    identity = ("nik", "birth_date", "sex", "full_name", "desa")
    if any(k in clean for k in identity):
        merged = {k: getattr(participant, MODEL_ATTRIBUTE.get(k, k)) for k in identity}
        found = [w.as_dict() for w in nik_warnings(merged["nik"], birth_date=merged["birth_date"], sex=merged["sex"],
                                                   facts=facts)]
        found += _possible_duplicate(merged, exclude_pk=participant.pk)
        warnings = [w for w in found if w["code"] not in participant.confirmed_warnings]
        _require_confirmation(warnings, confirm_warnings)
        participant.confirmed_warnings = sorted({*participant.confirmed_warnings, *(w["code"] for w in warnings)})
    if existing is not None:  # outside the actor's area: only after the warnings, and without saying where
        raise _refused_error("nik", clean["nik"])
    if kpj_holder is not None:
        raise _refused_error("kpj", clean["kpj"])
    if heir_rows is not None:
        participant.heirs.all().delete()
        Heir.objects.bulk_create([Heir(participant=participant, **heir) for heir in heir_rows])
    participant.updated_at = clock.now()
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        # Lost a race: another row took this NIK or KPJ between the check and the save.
        raise ServiceError(code=ErrorCode.NIK_TAKEN, message=_("NIK atau KPJ sudah dipakai peserta lain.")) from None
    old, new = diff(before, _snapshot(participant))
    if new:
        audit_record(actor=actor, event=AuditEventType.PARTICIPANT_UPDATED, obj=participant,
                     region_code=participant.desa_id, old=old, new=new)
    return participant


@transaction.atomic
def participant_deactivate(*, actor, participant: Participant, reason: str, note: str = "") -> Participant:
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not can_change_participant(actor, participant):
        raise ServiceError(code=ErrorCode.FORBIDDEN, message=_("Anda tidak berhak mengubah peserta ini."))
    if reason not in DeactivationReason.values:
        raise ServiceError(code=ErrorCode.INVALID, message=_("Alasan nonaktif tidak dikenal."),
                           fields={"reason": [
                               _("Pilih salah satu: meninggal, pindah, data ganda, mengundurkan diri.")]})
    if has_bad_chars(note or ""):
        raise ServiceError(code=ErrorCode.INVALID, message=_("Berisi karakter yang tidak sah."),
                           fields={"note": [_("Berisi karakter yang tidak sah.")]})
    if not participant.is_active:
        raise ServiceError(code=ErrorCode.ALREADY_INACTIVE, message=_("Peserta ini sudah nonaktif."))
    old = {"is_active": True, "deactivation_reason": "", "deactivation_note": ""}
    participant.is_active = False
    participant.deactivation_reason = reason
    participant.deactivation_note = (note or "").strip()[:200]
    participant.deactivated_at = participant.updated_at = clock.now()
    participant.save()
    audit_record(actor=actor, event=AuditEventType.PARTICIPANT_DEACTIVATED, obj=participant,
                 region_code=participant.desa_id, old=old, new={"is_active": False, "deactivation_reason": reason,
                               "deactivation_note": participant.deactivation_note})
    return participant
