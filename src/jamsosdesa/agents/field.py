"""The field app's one write (design §5): a registration or a collection an agent entered on the phone, sent with
the client token the phone made. The first answer to a (user, token) is kept (`ClientSubmission`): a resend gets it
again and never makes a second participant or payment; the same token with another body is a conflict. The work
itself is the registry's registration service and the agents' collection service, never a copy of them."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from jamsosdesa.core import clock
from jamsosdesa.core.access import actor_refusal
from jamsosdesa.core.audit import audit_record
from jamsosdesa.core.errors import ErrorCode, ServiceError
from jamsosdesa.core.models import AuditEventType
from jamsosdesa.core.money import rupiah
from jamsosdesa.core.presenters import nik_for
from jamsosdesa.core.roles import Role
from jamsosdesa.participants import services as participant_services
from jamsosdesa.participants.forms import ParticipantForm
from jamsosdesa.participants.models import Channel

from .models_offline import ClientSubmission, SubmissionKind, SubmissionOutcome

TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class FieldCode(StrEnum):
    """Codes of a stored outcome besides the services' own (core.errors.ErrorCode, the collection's codes)."""

    NOT_AVAILABLE = "not_available"  # this kind of submission cannot be handled by this server yet


# Codes that mean "someone else's record is in the way": the agent must act (ask the operator, the branch), the
# phone cannot fix it by editing the entry.
CONFLICT_CODES = {ErrorCode.NIK_TAKEN, ErrorCode.NIK_REFUSED, ErrorCode.KPJ_TAKEN, ErrorCode.KPJ_REFUSED}


@dataclass(frozen=True)
class SubmissionRequest:
    token: str
    kind: str
    data: dict
    entered_at: str | None = None  # when the agent entered it on the phone (ISO 8601), for the list


@dataclass(frozen=True)
class SubmissionAnswer:
    submission: ClientSubmission
    replayed: bool
    fields: dict = field(default_factory=dict)  # the first answer's field messages (not kept)
    warnings: list = field(default_factory=list)


def request_hash(kind: str, data: dict) -> str:
    body = json.dumps({"kind": kind, "data": data}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _invalid(message: str, name: str) -> ServiceError:
    return ServiceError(code=ErrorCode.INVALID, message=message, fields={name: [message]})


def _check(actor, request: SubmissionRequest) -> None:
    if not (actor and actor.is_authenticated) or actor.role != Role.PERISAI_AGENT:
        raise ServiceError(code=ErrorCode.FORBIDDEN, message=_("Aplikasi lapangan hanya untuk agen PERISAI."))
    if not isinstance(request.token, str) or not TOKEN.match(request.token):
        raise _invalid(_("Token kiriman harus 8 sampai 64 huruf, angka, '-' atau '_'."), "token")
    if request.kind not in SubmissionKind.values:
        raise _invalid(_("Jenis kiriman harus 'registration' atau 'collection'."), "kind")
    if not isinstance(request.data, dict):
        raise _invalid(_("Isi kiriman harus berupa objek JSON."), "data")


def _entered_at(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _replay(existing: ClientSubmission, digest: str) -> SubmissionAnswer:
    if existing.request_hash != digest:
        raise ServiceError(code=ErrorCode.IDEMPOTENCY_CONFLICT, message=_(
            "Token kiriman ini sudah dipakai untuk isian lain (%(when)s). Isian ini tidak disimpan: buat entri baru "
            "di HP (tombol Perbaiki di halaman Kiriman) lalu kirim lagi.") % {
            "when": timezone.localtime(existing.created_at).strftime("%d-%m-%Y %H:%M")})
    return SubmissionAnswer(submission=existing, replayed=True)


@transaction.atomic
def client_submission_receive(*, actor, request: SubmissionRequest) -> SubmissionAnswer:
    """Receive one submission from an agent's phone and answer its outcome (done, conflict or refused), the first
    time by doing the work, afterwards from the stored answer."""
    _check(actor, request)
    digest = request_hash(request.kind, request.data)
    existing = ClientSubmission.objects.filter(user=actor, token=request.token).first()
    if existing is not None:
        return _replay(existing, digest)
    now = timezone.now()
    submission = ClientSubmission(user=actor, token=request.token, kind=request.kind, request_hash=digest,
                                  outcome=SubmissionOutcome.REFUSED, entered_at=_entered_at(request.entered_at),
                                  created_at=now, updated_at=now)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:  # the same token sent twice at once (background sync and "send now"): the first wins
        return _replay(ClientSubmission.objects.get(user=actor, token=request.token), digest)

    fields, warnings, region = {}, [], ""
    # the registered checks of who may act today (agents.rules: an inactive agent, a wadah not active, a PKS not in
    # force), asked before the work so that a refusal is kept with its reason like any other outcome
    refusal = actor_refusal(actor, clock.today())
    if refusal:
        submission.code, submission.message = ErrorCode.ACTOR_REFUSED, refusal
    else:
        work = _register if request.kind == SubmissionKind.REGISTRATION else _collect
        try:
            with transaction.atomic():
                submission.object_id, submission.label, region = work(actor, request.data, request.token)
            submission.outcome = SubmissionOutcome.DONE
        except ServiceError as exc:
            fields, warnings = exc.fields, exc.warnings
            submission.code = str(exc.code.value if hasattr(exc.code, "value") else exc.code)
            submission.outcome, submission.message = _outcome_of(exc)
            submission.object_id = getattr(exc, "participant_id", None)
    if not submission.label:
        submission.label = _label_of(actor, request.kind, request.data)
    submission.save(update_fields=["outcome", "code", "message", "object_id", "label", "updated_at"])
    audit_record(actor=actor, event=AuditEventType.OFFLINE_SUBMISSION_RECEIVED, obj=submission, region_code=region,
                 new={"token": submission.token, "kind": submission.kind, "outcome": submission.outcome,
                      "code": submission.code, "object_id": submission.object_id,
                      "entered_at": submission.entered_at})
    return SubmissionAnswer(submission=submission, replayed=False, fields=fields, warnings=warnings)


def _outcome_of(exc: ServiceError) -> tuple[str, str]:
    """A refusal of the service, as the agent reads it on the Kiriman page: its message, each field's message and
    each warning, and what to do."""
    lines = [exc.message]
    for name, messages in (exc.fields or {}).items():
        for message in messages:
            if message != exc.message:
                lines.append(f"{name}: {message}")
    lines += [w.get("message", "") for w in exc.warnings or [] if w.get("message")]
    if exc.code == ErrorCode.NIK_TAKEN:
        lines.append(_("Orang ini sudah terdaftar: jangan didaftarkan lagi. Buka datanya untuk memulai paket atau "
                       "menagih iuran; bila datanya berbeda, minta operator desa memperbaikinya."))
    elif exc.code in CONFLICT_CODES:
        lines.append(_("Hubungi kantor cabang BPJS Ketenagakerjaan dengan KTP orang ini: cabang melihat di mana ia "
                       "terdaftar dan dapat memindahkannya ke desa Anda."))
    elif exc.code == ErrorCode.CONFIRMATION_REQUIRED:
        lines.append(_("Periksa peringatan ini bersama orangnya, lalu buka entri ini di halaman Kiriman "
                       "(Perbaiki), centang konfirmasi dan kirim lagi."))
    else:
        lines.append(_("Perbaiki isiannya lewat tombol Perbaiki di halaman Kiriman, lalu kirim lagi."))
    outcome = SubmissionOutcome.CONFLICT if exc.code in CONFLICT_CODES else SubmissionOutcome.REFUSED
    return outcome, "\n".join(line for line in lines if line)


def _label_of(actor, kind: str, data: dict) -> str:
    nik = str(data.get("nik") or "")[:24]
    shown = nik_for(actor, nik) if nik else ""
    if kind == SubmissionKind.REGISTRATION:
        return " · ".join(p for p in (str(data.get("full_name") or "")[:120], shown) if p)
    return " · ".join(p for p in (shown, _("%(n)s bulan") % {"n": str(data.get("months") or "?")[:4]}) if p)


# --- the work of each kind: (object id, label, region code) or a ServiceError ---------------------------------

def _text(data: dict, name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _invalid(_("Isian '%(f)s' harus berupa teks.") % {"f": name}, name)
    return str(value)


def _register(actor, data: dict, token: str) -> tuple[int, str, str]:
    """The registry's form parses the phone's fields (as it parses the web form's) and its registration service
    validates and writes them: the field app adds no rule of its own."""
    names = [n for n in ParticipantForm.base_fields if n not in ("client_token",)]
    posted = {name: _text(data, name) for name in names if data.get(name) not in (None, "")}
    for name in names:  # what the phone's form does not ask keeps the registry form's default (segment BPU, ...)
        initial = ParticipantForm.base_fields[name].initial
        if name not in posted and initial not in (None, ""):
            posted[name] = str(initial)
    if data.get("confirm_warnings") in (True, "on", "true", "1", 1):
        posted["confirm_warnings"] = "on"
    form = ParticipantForm(posted)
    if not form.is_valid():
        fields = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        raise ServiceError(code=ErrorCode.INVALID, message=_("Data belum benar. Periksa isian yang ditandai."),
                           fields=fields)
    heirs = []
    heir_name, heir_relation = _text(data, "heir_name").strip(), _text(data, "heir_relation").strip()
    if heir_name or heir_relation:
        heirs.append({"name": heir_name, "relation": heir_relation, "nik": _text(data, "heir_nik").strip(),
                      "phone": ""})
    participant = participant_services.participant_register(
        actor=actor, data=form.service_data(), heirs=heirs, channel=Channel.AGENT,
        confirm_warnings=form.cleaned_data["confirm_warnings"], client_token=token)
    label = f"{participant.full_name} · {nik_for(actor, participant.nik)}"
    return participant.pk, label, participant.desa_id


def _collect(actor, data: dict, token: str) -> tuple[int, str, str]:
    """A cash collection through the agents' collection service (billing's payment, channel agent), which reads and
    checks the phone's text itself (the same cleaners as the agent's page and the API)."""
    try:
        from .cash import CollectionRequest, collection_record
    except ImportError:  # the collection part is not on this server yet
        raise ServiceError(code=FieldCode.NOT_AVAILABLE, message=_(
            "Penagihan lewat aplikasi lapangan belum tersedia di server ini.")) from None
    nik = _text(data, "nik").strip()
    outcome = collection_record(actor=actor, request=CollectionRequest(
        participant=nik, months=data.get("months"), amount=data.get("amount") or None,
        collected_on=data.get("collected_on") or None, client_token=token))
    collection = outcome.collection
    participant = collection.participant
    label = " · ".join(p for p in (
        participant.full_name, nik_for(actor, participant.nik),
        _("%(n)d bulan, %(a)s") % {"n": collection.months, "a": rupiah(collection.amount)},
        collection.receipt_number) if p)
    return collection.pk, label[:200], participant.desa_id
