"""Filters other packages add to the participant list (billing: protection status), so the list, its export and
the filter form offer them without participants importing those packages. A package registers one from its
`AppConfig.ready()`:

    list_filters.register("protection", ListFilter(name="protection", label=_("Perlindungan"),
                                                   choices=[("active", _("Aktif")), ...], apply=...))

`name` is the query parameter; `apply(qs, value, user=...)` narrows an already scoped queryset of participants to
those matching `value`, one of `choices` (any other value is ignored, like the list's own filters).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from jamsosdesa.core.registry import Registry


@dataclass(frozen=True)
class ListFilter:
    name: str
    label: str
    choices: Sequence[tuple[str, str]]
    apply: Callable[..., QuerySet]
    all_label: str = ""  # the empty choice's words (default: "—")


list_filters: Registry[ListFilter] = Registry("filters of the participant list added by other packages")


def apply_list_filters(qs: QuerySet, extra: dict[str, str], *, user) -> QuerySet:
    """`qs` narrowed by each registered filter whose parameter `extra` holds with a value it offers."""
    for entry in list_filters:
        value = (extra or {}).get(entry.name) or ""
        if value and value in {key for key, _label in entry.choices}:
            qs = entry.apply(qs, value, user=user)
    return qs
