"""A registry lets a package lower in the layers call into packages above it without importing them: the lower
package owns the registry, each higher package adds its entries from its `AppConfig.ready()`.

Examples: the extra change rights other packages grant on participants (participants.access.change_grants), the
panels other packages add to the participant page (participants.panels.participant_panels), the demo data each
package adds (participants.demo.demo_steps).
"""

from collections.abc import Iterator
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries in the order they were first registered. Registering a name again replaces its entry, so
    a `ready()` that runs twice adds nothing twice."""

    def __init__(self, what: str):
        self.what = what
        self._entries: dict[str, T] = {}

    def register(self, name: str, entry: T, *, before: str | None = None) -> T:
        """Add (or replace) an entry; `before`: a new entry goes in front of that one (e.g. a demo step that must run
        before a lower package's step that relies on it), which must be registered already: an order that cannot
        be kept is a configuration error, not an entry quietly added at the end."""
        if before is not None and name not in self._entries:
            if before not in self._entries:
                raise ImproperlyConfigured(f"{self!r}: {name} must come before {before}, which is not registered")
            items = list(self._entries.items())
            at = list(self._entries).index(before)
            self._entries = dict([*items[:at], (name, entry), *items[at:]])
            return entry
        self._entries[name] = entry
        return entry

    def unregister(self, name: str) -> T | None:
        return self._entries.pop(name, None)

    def names(self) -> list[str]:
        return list(self._entries)

    def get(self, name: str) -> T | None:
        return self._entries.get(name)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries.values()))

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def __repr__(self) -> str:
        return f"<Registry of {self.what}: {', '.join(self._entries) or 'empty'}>"
