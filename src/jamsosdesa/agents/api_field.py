"""The field app's API (design §5): the phone sends each registration or collection it kept, with its client token,
and reads back the outcomes. Session (with X-CSRFToken) or token auth; for the agent role only (404 for others)."""

from datetime import datetime
from typing import Any, Literal

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from ninja import Field, Router, Schema
from ninja.responses import Status

from jamsosdesa.core.apierrors import answers
from jamsosdesa.core.errors import ErrorCode as E
from jamsosdesa.core.roles import Role

from .field import SubmissionRequest, client_submission_receive
from .models_offline import ClientSubmission, SubmissionKind, SubmissionOutcome

router = Router()


class SubmissionIn(Schema):
    token: str = Field(..., description="Token kiriman buatan HP (UUID), 8-64 karakter [A-Za-z0-9_-]",
                       max_length=64)
    kind: Literal["registration", "collection"]
    data: dict[str, Any] = Field(..., description="Isian formulir: pendaftaran (isian registri peserta, "
                                                  "heir_name, heir_relation, confirm_warnings) atau penagihan "
                                                  "(nik, months, amount, collected_on)")
    entered_at: str | None = Field(None, description="Waktu dicatat di HP (ISO 8601)", max_length=40)


class SubmissionOut(Schema):
    token: str
    kind: str
    outcome: Literal["done", "conflict", "refused"]
    code: str
    message: str
    label: str
    object_id: int | None
    object_url: str
    replayed: bool = False
    fields: dict[str, list[str]] = {}
    warnings: list[dict] = []
    entered_at: datetime | None
    created_at: datetime


def field_agent_or_404(user) -> None:
    """The field app is the agent's: for every other role it does not exist."""
    if not (user and user.is_authenticated) or user.role != Role.PERISAI_AGENT:
        raise Http404


def object_url(submission: ClientSubmission) -> str:
    """Where the agent opens what the submission made (or the participant a NIK conflict names, when it sees it)."""
    if submission.object_id is None:
        return ""
    if submission.kind == SubmissionKind.REGISTRATION:
        return reverse("participants:detail", args=[submission.object_id])
    if submission.outcome != SubmissionOutcome.DONE:
        return ""
    from .models_cash import Collection

    number = Collection.objects.filter(pk=submission.object_id).values_list("receipt_number", flat=True).first()
    try:  # the receipt to show or share (issue 14 part B)
        return reverse("agents:receipt", args=[number]) if number else ""
    except NoReverseMatch:
        return ""


def submission_out(submission: ClientSubmission, *, replayed=False, fields=None, warnings=None) -> dict:
    return {"token": submission.token, "kind": submission.kind, "outcome": submission.outcome,
            "code": submission.code, "message": submission.message, "label": submission.label,
            "object_id": submission.object_id, "object_url": object_url(submission), "replayed": replayed,
            "fields": fields or {}, "warnings": warnings or [], "entered_at": submission.entered_at,
            "created_at": submission.created_at}


@router.post("/agents/field/submissions", **answers({200: SubmissionOut, 201: SubmissionOut}, E.NOT_FOUND,
                                                   E.IDEMPOTENCY_CONFLICT, E.FORBIDDEN, E.ACTOR_REFUSED),
             summary="Kirim satu pendaftaran atau penagihan dari aplikasi lapangan",
             description="Kiriman pertama dengan sebuah token dikerjakan (201); kiriman ulang dengan token dan isi "
                         "yang sama menjawab hasil pertama (200) tanpa membuat peserta atau pembayaran kedua; token "
                         "yang sama dengan isi lain: 409 idempotency_conflict. Hasil: done, conflict (mis. NIK "
                         "sudah didaftarkan pihak lain: pesan berisi apa yang harus dilakukan) atau refused.")
def submission_send(request, payload: SubmissionIn):
    field_agent_or_404(request.user)
    answer = client_submission_receive(actor=request.user, request=SubmissionRequest(
        token=payload.token, kind=payload.kind, data=payload.data, entered_at=payload.entered_at))
    body = submission_out(answer.submission, replayed=answer.replayed, fields=answer.fields,
                          warnings=answer.warnings)
    return Status(200 if answer.replayed else 201, body)


@router.get("/agents/field/submissions", **answers({200: list[SubmissionOut]}, E.NOT_FOUND),
            summary="Kiriman aplikasi lapangan milik agen ini (terbaru dulu)")
def submission_list(request, token: str = "", outcome: Literal["", "done", "conflict", "refused"] = ""):
    field_agent_or_404(request.user)
    rows = ClientSubmission.objects.filter(user=request.user)
    if token:
        rows = rows.filter(token=token[:64])
    if outcome:
        rows = rows.filter(outcome=SubmissionOutcome(outcome))
    return [submission_out(s) for s in rows.order_by("-created_at", "-pk")[:200]]
