"""The one door to enrolment: the page, the API and the command line each turn their input into one
EnrolmentRequest and call `enrolment_submit`; the "one NIK / a NIK list or file / a filter" dispatch lives here
and nowhere else."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from jamsosdesa.core.errors import ErrorCode, NotFound, PermissionDenied, ServiceError
from jamsosdesa.participants.fields import normalize_nik
from jamsosdesa.participants.selectors import participant_get

from ..access import can_enrol_into
from ..lists import read_niks
from ..models import EnrolmentBatch, Scheme
from .batches import enrolment_batch_queue, labelled
from .enrolment import (
    EnrolmentSelection,
    _no_progress,
    enrolment_batch_run,
    enrolment_create,
    enrolment_filter_selection,
)


@dataclass(frozen=True)
class EnrolmentRequest:
    """Who to enrol, as a door received it: exactly one of `nik` (one person), `niks` (a list), `file` (a NIK
    list in a spreadsheet: a path, or an uploaded file) or a filter (`region` and/or `village_role`; with none
    of these, the filter takes everyone the actor sees)."""

    nik: str | None = None
    niks: Sequence[str] | None = None
    file: str | Path | Any | None = None
    region: str = ""
    village_role: str = ""
    start_month: date | None = None  # empty: this month, or the scheme's first month if later
    end_month: date | None = None  # empty: the scheme's last month
    all_or_nothing: bool = False  # one refusal and nobody is enrolled
    background: bool = False  # a file or a filter runs as a background job (the page); one NIK or a list at once
    via: str = ""  # the door, when the batch should say so ("API")

    @property
    def how(self) -> str:
        chosen = [name for name, given in (("one", self.nik is not None), ("list", self.niks is not None),
                                           ("file", self.file is not None)) if given]
        if self.region or self.village_role:
            chosen.append("filter")
        if len(chosen) > 1:
            message = _("Isi salah satu: NIK, daftar NIK, berkas, atau wilayah.")
            raise ServiceError(code=ErrorCode.INVALID, message=message, fields={"nik": [message]})
        return chosen[0] if chosen else "filter"


def enrolment_submit(*, actor, scheme: Scheme, request: EnrolmentRequest,
                     progress: Callable[..., None] = _no_progress) -> EnrolmentBatch:
    """Enrol as `request` says: one person at once (a refusal is an error naming the reason; a NIK the actor
    cannot see is not registered), a list at once, a file or a filter at once or, with `background`, queued as
    a job whose page shows its progress. Returns the batch: done, or queued. `progress(done, steps, stage)`
    follows a batch run at once."""
    how = request.how
    if not can_enrol_into(actor, scheme):
        raise PermissionDenied(_("Peran Anda tidak mendaftarkan peserta ke skema."))
    period = {"start_month": request.start_month, "end_month": request.end_month}
    if how == "one":
        nik = normalize_nik(request.nik)  # as a list reads each of its NIKs
        participant = participant_get(user=actor, nik=nik)
        if participant is None:
            raise NotFound(_("NIK %(n)s tidak ada di registri (atau di luar wilayah Anda).") % {"n": nik})
        return enrolment_create(actor=actor, scheme=scheme, participant=participant, **period).batch
    if request.background and how in ("file", "filter"):
        return enrolment_batch_queue(actor=actor, scheme=scheme, all_or_nothing=request.all_or_nothing,
                                     region=request.region.strip(), village_role=request.village_role,
                                     upload=request.file if how == "file" else None, via=request.via, **period)
    period["all_or_nothing"] = request.all_or_nothing
    if how == "filter":
        selection = enrolment_filter_selection(actor=actor, region=request.region,
                                               village_role=request.village_role, **period)
    elif how == "file":
        name = request.file if isinstance(request.file, str | Path) else getattr(request.file, "name", "")
        selection = EnrolmentSelection(niks=read_niks(request.file), description=_("berkas %(f)s") % {"f": name},
                                       **period)
    else:
        selection = EnrolmentSelection(niks=list(request.niks), description=_("daftar NIK"), **period)
    selection.description = labelled(request.via, selection.description)
    return enrolment_batch_run(actor=actor, scheme=scheme, selection=selection, progress=progress)
