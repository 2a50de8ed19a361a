"""Writing the audit trail. Call from inside the service's transaction."""

from datetime import date, datetime
from typing import Any

from django.db import models

from .models import AuditAction, AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def diff(old: dict, new: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (old, new)."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def audit_record(*, actor, action: AuditAction, obj: models.Model, region_code: str = "",
                 old: dict | None = None, new: dict | None = None, note: str = "",
                 object_type: str | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        action=action,
        object_type=object_type or obj._meta.model_name,
        object_id=str(obj.pk),
        region_code=region_code,
        old=_jsonable(old) if old is not None else None,
        new=_jsonable(new) if new is not None else None,
        note=note,
    )
