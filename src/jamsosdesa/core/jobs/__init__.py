"""What every background job shares: the uploaded file it works on, and its progress for the page.

Progress goes through the cache (files under var/ by default, Redis when configured), so the worker
writes it and any web process reads it."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from ..errors import ErrorCode, ServiceError

PROGRESS_TIMEOUT = 86_400


def store_upload(upload, kind: str, *, field: str = "file", command: str = "jamsosdesa import participants") -> Path:
    """Save an uploaded file under var/<kind>/<random>/ for a job to read; a file over the upload limit or an
    empty one is refused with a message on `field` (naming the `command` that reads big files)."""
    limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ServiceError(code=ErrorCode.FILE_TOO_LARGE, fields={field: [_(
            "Berkas terlalu besar (%(size).0f MB); batas unggah %(limit)d MB. Pecah berkasnya, atau minta admin "
            "memakai perintah `%(command)s`.") % {"size": upload.size / 1024 / 1024, "command": command,
                                                   "limit": settings.IMPORT_MAX_UPLOAD_MB}]},
                           message=_("Berkas terlalu besar."))
    if upload.size == 0:
        raise ServiceError(code=ErrorCode.FILE_EMPTY, message=_("Berkas kosong."),
                           fields={field: [_("Berkas kosong.")]})
    folder = Path(settings.VAR_DIR) / kind / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / (Path(upload.name).name[:150] or "berkas")
    with open(path, "wb") as out:
        for part in upload.chunks():
            out.write(part)
    return path


def remove_upload(path: str | Path) -> None:
    """Delete a job's file and its folder once the job no longer needs it (personal data is not kept)."""
    path = Path(path)
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass


def progress_set(key: str, done: int, total: int, **extra) -> None:
    cache.set(key, {"done": done, "total": total, **extra}, timeout=PROGRESS_TIMEOUT)


def progress_get(key: str, total: int = 0) -> dict:
    """{done, total, percent, ...}: `total` stands in until the job has said how much there is."""
    data = cache.get(key) or {"done": 0, "total": 0}
    data["total"] = data["total"] or total
    data["percent"] = int(100 * data["done"] / data["total"]) if data["total"] else 0
    return data
