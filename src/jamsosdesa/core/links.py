"""Links between the views different packages give of the same region (coverage's dashboard, the claims dashboard,
...). The packages sit side by side in the layers and never import each other: each registers, from its
`AppConfig.ready()`, how to reach its own view of a region for a user, and a page shows the others' links."""

from collections.abc import Callable
from dataclasses import dataclass

from .registry import Registry


@dataclass(frozen=True)
class RegionLink:
    label: Callable[[], str]  # the link's words, asked at render time (the user's language)
    url: Callable[[object, str], str | None]  # (user, region code or "" for the nation) -> the address, None: no


region_links: Registry[RegionLink] = Registry("views of one region offered by other packages")


def links_for(user, region_code: str, *, leave_out: str = "") -> list[dict]:
    """The other packages' views of `region_code` that `user` may open, as {"name", "label", "url"}; `leave_out`:
    the registering name of the page asking (it does not link to itself)."""
    found = []
    for name in region_links.names():
        if name == leave_out:
            continue
        link = region_links.get(name)
        url = link.url(user, region_code or "")
        if url:
            found.append({"name": name, "label": str(link.label()), "url": url})
    return found
