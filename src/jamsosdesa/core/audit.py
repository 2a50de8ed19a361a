"""Writing the audit trail. Call from inside the service's transaction.

Every event has one shape: who (actor and name), when, what happened (`AuditEventType`), to which object
(type and id) in which region, the old and new values (JSON), and a note. One event is `audit_record`; a
set-based write (an import, an enrolment batch, later a billing run) describes its events once with an
`AuditBatch` and writes them all together, from Python tuples (`write`), from a query (`write_from`,
INSERT ... SELECT), or, for a PostgreSQL bulk COPY, from a row trigger (`arm_trigger`). Nothing else
writes to the audit table.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection, models
from django.utils import timezone

from .models import AuditEvent, AuditEventType

TABLE = AuditEvent._meta.db_table
COLUMNS = ("at", "actor_id", "actor_name", "event_type", "object_type", "object_id", "region_code", "old", "new",
           "note")


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


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def diff(old: dict, new: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (old, new)."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def _actor_name(actor) -> str:
    return getattr(actor, "username", "") or "system"


def audit_record(*, actor, event: AuditEventType, obj: models.Model | None = None, region_code: str = "",
                 old: dict | None = None, new: dict | None = None, note: str = "", object_type: str | None = None,
                 object_id: str | None = None) -> AuditEvent:
    """One event about `obj` (or about `object_type`/`object_id` when it is not a row, such as an export)."""
    return AuditEvent.objects.create(
        actor_id=_actor_id(actor),
        actor_name=_actor_name(actor),
        event_type=event,
        object_type=object_type or event.object_type,
        object_id=str(obj.pk) if object_id is None else object_id,
        region_code=region_code,
        old=_jsonable(old) if old is not None else None,
        new=_jsonable(new) if new is not None else None,
        note=note,
    )


def _json_object(pairs: dict[str, str] | None) -> str:
    """SQL building a JSON object from {key: SQL expression} on this database (NULL for None)."""
    if pairs is None:
        return "NULL"
    inner = ", ".join(f"'{key}', {expr}" for key, expr in pairs.items())
    return f"jsonb_build_object({inner})" if connection.vendor == "postgresql" else f"json_object({inner})"


@dataclass(frozen=True)
class AuditBatch:
    """The audit events of one set-based write: one event type, actor, time and note for every row.

    Each row adds only what differs: the object id, its region code, and the old and new values.
    """

    actor: Any
    event: AuditEventType
    note: str = ""
    at: datetime = field(default_factory=timezone.now)
    object_type: str = ""  # default: the event's (`participant.registered` -> participant)

    @property
    def _object_type(self) -> str:
        return self.object_type or self.event.object_type

    def _constants(self) -> list:
        return [self.at, _actor_id(self.actor), _actor_name(self.actor), self.event.value, self._object_type]

    def write(self, rows: Iterable[tuple[Any, str, dict | None, dict | None]]) -> int:
        """Write one event per (object id, region code, old values, new values): COPY on PostgreSQL, one
        executemany elsewhere. Returns how many were written."""
        if isinstance(rows, list | tuple) and not rows:
            return 0
        dump = json.dumps
        at, actor_id, name, event, object_type = self._constants()
        note = self.note
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY's text format: the values every row shares go as ready text, formatted once.
                at, actor_id = at.isoformat(), (None if actor_id is None else str(actor_id))
                count = 0
                with cursor.cursor.copy(f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for object_id, region, old, new in rows:
                        write_row((at, actor_id, name, event, object_type, str(object_id), region,
                                   None if old is None else dump(old, default=_json_default),
                                   None if new is None else dump(new, default=_json_default), note))
                        count += 1
                return count
            at = connection.ops.adapt_datetimefield_value(at)
            values = [(at, actor_id, name, event, object_type, str(object_id), region,
                       None if old is None else dump(old, default=_json_default),
                       None if new is None else dump(new, default=_json_default), note)
                      for object_id, region, old, new in rows]
            if values:
                marks = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({marks})", values)
            return len(values)

    def _select(self, constants: list[str], *, object_id: str, region_code: str, old: dict[str, str] | None,
                new: dict[str, str] | None) -> str:
        """The SELECT list of one event per source row, in COLUMNS order."""
        at, actor_id, name, event, object_type, note = constants
        return (f"{at}, {actor_id}, {name}, {event}, {object_type}, CAST({object_id} AS varchar(40)), "
                f"{region_code}, {_json_object(old)}, {_json_object(new)}, {note}")

    def write_from(self, cursor, *, source: str, params: Iterable = (), object_id: str, region_code: str,
                   new: dict[str, str] | None = None, old: dict[str, str] | None = None, with_: str = "",
                   with_params: Iterable = ()) -> None:
        """One event per row of a query, in one INSERT ... SELECT.

        `source` is what follows FROM (tables, joins, WHERE) with its `params`; `object_id`, `region_code` and
        the values of `old` and `new` ({key: expression}) are SQL expressions over it. `with_` is an optional
        leading WITH clause (PostgreSQL: `WITH created AS (INSERT ... RETURNING ...)` writes the rows and their
        events in one statement) with its `with_params`."""
        select = self._select(["%s"] * 6, object_id=object_id, region_code=region_code, old=old, new=new)
        cursor.execute(f"{with_} INSERT INTO {TABLE} ({', '.join(COLUMNS)}) SELECT {select} FROM {source}",
                       [*with_params, *self._constants(), self.note, *params])

    def arm_trigger(self, cursor, setting: str) -> None:
        """PostgreSQL: hand this batch's shared values (time, actor, event, note) to the row trigger a migration
        installed for `setting` (participants 0004: `jamsosdesa.import_registered`), which then writes one event
        for each row inserted, as it arrives (a bulk COPY that streams rows while Python still reads the file),
        until `disarm_trigger` or the end of the transaction. The trigger belongs to the table's owner: the
        application's role creates and drops nothing, so it needs no ownership of the table."""
        at, actor_id, actor_name, event, object_type = self._constants()
        values = {"at": at.isoformat(), "actor_id": actor_id, "actor_name": actor_name, "event_type": event,
                  "object_type": object_type, "note": self.note}
        cursor.execute("SELECT set_config(%s, %s, true)", [setting, json.dumps(values)])

    @staticmethod
    def disarm_trigger(cursor, setting: str) -> None:
        cursor.execute("SELECT set_config(%s, '', true)", [setting])
