"""Writes to the participant registry. Each service validates, writes and audits in one transaction."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.access import can_change_participant, can_register_in, code_in_scope, scope_participants
from jamsosdesa.core.audit import audit_record, diff
from jamsosdesa.core.errors import ErrorCode, FieldErrors, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.text import has_bad_chars, is_ascii_digits
from jamsosdesa.regions.models import Level, Region

from .models import (
    Channel,
    DeactivationReason,
    Heir,
    HeirRelation,
    Occupation,
    Participant,
    Segment,
    Sex,
    VillageRole,
)
from .nik import check_kpj, check_nik, normalize_number

# Fields a caller may set; everything else is derived or managed by services.
FIELDS = ("nik", "kk", "full_name", "birth_place", "birth_date", "sex", "desa", "address", "rt", "rw",
          "phone", "occupation", "segment", "village_role", "declared_income", "kpj")
REQUIRED = ("nik", "full_name", "birth_date", "sex", "desa")
TEXT = ("kk", "birth_place", "address", "rt", "rw", "phone")  # optional text: empty, never NULL
MAX_INCOME = 10**12  # Rp1 trillion a month: anything above is a typing error
MAX_LENGTH = {"full_name": 120, "birth_place": 60, "address": 200, "phone": 20, "rt": 3, "rw": 3}


def _errors() -> FieldErrors:
    return FieldErrors(_("Data belum benar. Periksa isian yang ditandai."))


def _snapshot(p: Participant) -> dict:
    data = {f: getattr(p, f if f not in ("desa", "occupation") else f + "_id") for f in FIELDS}
    data["is_active"] = p.is_active
    data["heirs"] = [h.as_dict() for h in p.heirs.all()] if p.pk else []
    return data


def _clean(data: dict, errors: FieldErrors, *, partial: bool) -> dict:
    """Normalise and check each field on its own; returns the cleaned values."""
    clean: dict = {}
    for name in FIELDS:
        if name not in data:
            if not partial and name in REQUIRED:
                errors.add(name, _("Wajib diisi."))
            continue
        value = data[name]
        if value is None and name in TEXT:
            value = ""
        if isinstance(value, str) and has_bad_chars(value):
            errors.add(name, _("Berisi karakter yang tidak sah."))
            continue
        if isinstance(value, str):
            value = " ".join(value.split()) if name != "address" else value.strip()
        if name in REQUIRED and value in (None, ""):
            errors.add(name, _("Wajib diisi."))
            continue
        if name in MAX_LENGTH and value and len(value) > MAX_LENGTH[name]:
            errors.add(name, _("Paling banyak %(n)d karakter.") % {"n": MAX_LENGTH[name]})
            continue
        clean[name] = value

    if "birth_date" in clean and not isinstance(clean["birth_date"], date):
        errors.add("birth_date", _("Tanggal lahir tidak valid."))
        clean.pop("birth_date")
    elif "birth_date" in clean and clean["birth_date"] > clock.today():
        errors.add("birth_date", _("Tanggal lahir tidak boleh di masa depan."))
    elif "birth_date" in clean and clean["birth_date"].year < 1900:
        errors.add("birth_date", _("Tanggal lahir sebelum 1900 tidak mungkin."))
    if "sex" in clean:
        clean["sex"] = str(clean["sex"]).upper()
        if clean["sex"] not in Sex.values:
            errors.add("sex", _("Jenis kelamin harus L atau P."))
    for name, enum in (("segment", Segment), ("village_role", VillageRole)):
        if name in clean:
            if not clean[name]:
                clean.pop(name)
            elif clean[name] not in enum.values:
                errors.add(name, _("Pilihan tidak dikenal: %(v)s.") % {"v": clean[name]})
    if "declared_income" in clean:
        income = clean["declared_income"]
        if income in (None, ""):
            clean["declared_income"] = 0
        elif isinstance(income, bool) or not isinstance(income, int) or not 0 <= income <= MAX_INCOME:
            errors.add("declared_income", _("Penghasilan harus bilangan bulat rupiah, tidak negatif."))
    for name in ("rt", "rw"):
        if clean.get(name):
            if not is_ascii_digits(str(clean[name])) or len(str(clean[name])) > 3:
                errors.add(name, _("%(f)s harus angka.") % {"f": name.upper()})
            else:
                clean[name] = str(int(clean[name])).zfill(3)
    if clean.get("kk"):
        clean["kk"] = normalize_number(clean["kk"])
        if not is_ascii_digits(clean["kk"]) or len(clean["kk"]) != 16:
            errors.add("kk", _("Nomor KK harus 16 digit angka."))
    if "kpj" in clean:
        if clean["kpj"] in (None, ""):
            clean["kpj"] = None
        else:
            for issue in check_kpj(clean["kpj"]):
                errors.add("kpj", issue.message)
            clean["kpj"] = normalize_number(clean["kpj"])
    if clean.get("desa"):
        code = clean["desa"].code if isinstance(clean["desa"], Region) else str(clean["desa"]).strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            errors.add("desa", _("Kode desa %(c)s tidak dikenal.") % {"c": code})
        elif region.level != Level.DESA or region.is_historical:
            errors.add("desa", _("%(c)s bukan kode desa/kelurahan yang berlaku.") % {"c": code})
        else:
            clean["desa"] = region
    if "occupation" in clean:
        occ = clean["occupation"]
        if occ in (None, ""):
            clean["occupation"] = None
        else:
            code = occ.code if isinstance(occ, Occupation) else occ
            found = (Occupation.objects.filter(code=int(code)).first()
                     if is_ascii_digits(str(code)) and len(str(code)) <= 4 else None)
            if found is None:
                errors.add("occupation", _("Kode pekerjaan %(c)s tidak dikenal.") % {"c": code})
            else:
                clean["occupation"] = found
    return clean


def _clean_heirs(heirs: list[dict], errors: FieldErrors) -> list[Heir]:
    out = []
    for i, heir in enumerate(heirs):
        prefix = f"heirs[{i}]"
        name = " ".join(str(heir.get("name") or "").split())
        relation = heir.get("relation") or ""
        nik = normalize_number(heir.get("nik"))
        phone = str(heir.get("phone") or "").strip()
        if any(has_bad_chars(v) for v in (name, relation, nik, phone)):
            errors.add(prefix, _("Berisi karakter yang tidak sah."))
            continue
        if not name:
            errors.add(f"{prefix}.name", _("Nama ahli waris wajib diisi."))
        elif len(name) > 120:
            errors.add(f"{prefix}.name", _("Paling banyak %(n)d karakter.") % {"n": 120})
        if len(phone) > 20:
            errors.add(f"{prefix}.phone", _("Paling banyak %(n)d karakter.") % {"n": 20})
        if relation not in HeirRelation.values:
            errors.add(f"{prefix}.relation", _("Hubungan ahli waris tidak dikenal."))
        if nik:
            for issue in check_nik(nik, field_name="nik").errors:
                errors.add(f"{prefix}.nik", issue.message)
        out.append(Heir(name=name, relation=relation, nik=nik, phone=phone))
    return out


def _nik_taken_error(actor, existing: Participant) -> ServiceError:
    if scope_participants(actor).filter(pk=existing.pk).exists():
        where = existing.desa.name
        message = _("NIK %(nik)s sudah terdaftar atas nama %(name)s di Desa %(desa)s.") % {
            "nik": existing.nik, "name": existing.full_name, "desa": where}
        return ServiceError(code=ErrorCode.NIK_TAKEN, message=message, fields={"nik": [message]})
    message = _("NIK %(nik)s sudah terdaftar di wilayah lain.") % {"nik": existing.nik}
    return ServiceError(code=ErrorCode.NIK_TAKEN, message=message, fields={"nik": [message]})


def _kpj_taken_error() -> ServiceError:
    message = _("Nomor KPJ sudah dipakai peserta lain.")
    return ServiceError(code=ErrorCode.KPJ_TAKEN, message=message, fields={"kpj": [message]})


def _warnings(clean: dict, *, exclude_pk: int | None) -> list[dict]:
    """Things an operator must confirm: NIK disagreements and a likely duplicate person."""
    out = []
    if clean.get("nik"):
        result = check_nik(clean["nik"], birth_date=clean.get("birth_date"), sex=clean.get("sex"))
        out += [{"code": w.code, "field": w.field, "message": w.message} for w in result.warnings
                if w.code != "nik_reformatted"]
    if clean.get("desa") and clean.get("full_name") and clean.get("birth_date"):
        twin = (Participant.objects.filter(desa=clean["desa"], birth_date=clean["birth_date"],
                                           search_name=" ".join(clean["full_name"].split()).upper())
                .exclude(nik=clean.get("nik")).exclude(pk=exclude_pk).first())
        if twin:
            out.append({"code": "possible_duplicate", "field": "full_name",
                        "message": _("Sudah ada %(name)s lahir %(d)s di desa ini dengan NIK lain (%(nik)s). "
                                     "Pastikan ini orang yang berbeda.")
                        % {"name": twin.full_name, "d": twin.birth_date.strftime("%d-%m-%Y"), "nik": twin.nik}})
    return out


def _check_nik_hard(clean: dict, errors: FieldErrors) -> None:
    if clean.get("nik"):
        result = check_nik(clean["nik"])
        for issue in result.errors:
            errors.add("nik", issue.message)
        clean["nik"] = result.nik


def _require_confirmation(warnings: list[dict], confirm_warnings: bool) -> None:
    if warnings and not confirm_warnings:
        raise ServiceError(code=ErrorCode.CONFIRMATION_REQUIRED,
                           message=_("Periksa peringatan berikut, lalu simpan lagi dengan konfirmasi."),
                           warnings=warnings)


@transaction.atomic
def participant_register(*, actor, data: dict, heirs: list[dict] | None = None, channel: str = Channel.WEB,
                         confirm_warnings: bool = False, client_token: str | None = None) -> Participant:
    if client_token and (len(client_token) > 64 or has_bad_chars(client_token)):
        raise ServiceError(code=ErrorCode.INVALID, message=_("Idempotency-Key paling banyak 64 karakter."),
                           fields={"Idempotency-Key": [_("Paling banyak %(n)d karakter.") % {"n": 64}]})
    if client_token:
        earlier = scope_participants(actor).filter(client_token=client_token).first()
        if earlier is not None:
            return earlier  # the same form or API call arrived twice
    errors = _errors()
    clean = _clean(data, errors, partial=False)
    _check_nik_hard(clean, errors)
    heir_rows = _clean_heirs(heirs or [], errors)
    if isinstance(clean.get("desa"), Region) and not can_register_in(actor, clean["desa"].code):
        errors.add("desa", _("Desa %(c)s di luar wilayah kerja Anda.") % {"c": clean["desa"].code})
    errors.raise_if_any()

    existing = Participant.objects.select_related("desa").filter(nik=clean["nik"]).first()
    if existing is not None:
        raise _nik_taken_error(actor, existing)
    if clean.get("kpj") and Participant.objects.filter(kpj=clean["kpj"]).exists():
        raise _kpj_taken_error()
    warnings = _warnings(clean, exclude_pk=None)
    _require_confirmation(warnings, confirm_warnings)

    participant = Participant(**clean, channel=channel, registered_by=actor if actor.pk else None,
                              confirmed_warnings=[w["code"] for w in warnings], client_token=client_token or None)
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        # Lost a race with another registration of the same NIK or KPJ.
        existing = Participant.objects.select_related("desa").filter(nik=clean["nik"]).first()
        if existing is not None:
            raise _nik_taken_error(actor, existing) from None
        raise _kpj_taken_error() from None
    for heir in heir_rows:
        heir.participant = participant
    Heir.objects.bulk_create(heir_rows)
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
    errors = _errors()
    clean = _clean(data, errors, partial=True)
    _check_nik_hard(clean, errors)
    heir_rows = _clean_heirs(heirs, errors) if heirs is not None else None
    if isinstance(clean.get("desa"), Region) and clean["desa"].code != participant.desa_id \
            and not code_in_scope(actor, clean["desa"].code):
        errors.add("desa", _("Desa %(c)s di luar wilayah kerja Anda.") % {"c": clean["desa"].code})
    errors.raise_if_any()

    if clean.get("nik") and clean["nik"] != participant.nik:
        existing = Participant.objects.select_related("desa").filter(nik=clean["nik"]).first()
        if existing is not None:
            raise _nik_taken_error(actor, existing)
    if clean.get("kpj") and Participant.objects.filter(kpj=clean["kpj"]).exclude(pk=participant.pk).exists():
        raise _kpj_taken_error()
    for name, value in clean.items():
        setattr(participant, name, value)
    identity = ("nik", "birth_date", "sex", "full_name", "desa")
    if any(k in clean for k in identity):
        merged = {k: getattr(participant, k) for k in identity}
        warnings = [w for w in _warnings(merged, exclude_pk=participant.pk)
                    if w["code"] not in participant.confirmed_warnings]
        _require_confirmation(warnings, confirm_warnings)
        participant.confirmed_warnings = sorted({*participant.confirmed_warnings, *(w["code"] for w in warnings)})
    if heir_rows is not None:
        participant.heirs.all().delete()
        for heir in heir_rows:
            heir.participant = participant
        Heir.objects.bulk_create(heir_rows)
    participant.updated_at = timezone.now()
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
    participant.deactivated_at = participant.updated_at = timezone.now()
    participant.save()
    audit_record(actor=actor, event=AuditEventType.PARTICIPANT_DEACTIVATED, obj=participant,
                 region_code=participant.desa_id, old=old, new={"is_active": False, "deactivation_reason": reason,
                               "deactivation_note": participant.deactivation_note})
    return participant
