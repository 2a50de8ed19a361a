"""Panels other packages add to the participant page (funding: the schemes paying for the person), so the page
shows them without participants importing those packages. A package registers its panel from its
`AppConfig.ready()`:

    participant_panels.register("funding", Panel(template="funding/_participant_panel.html", data=...))

`data(user=..., participant=...)` returns the template's `data`, read by the panel's template; the page includes
the panels in the order they were registered, after the person's own facts.
"""

from collections.abc import Callable
from dataclasses import dataclass

from jamsosdesa.core.registry import Registry


@dataclass(frozen=True)
class Panel:
    template: str
    data: Callable[..., object]


@dataclass(frozen=True)
class ShownPanel:
    template: str
    data: object


participant_panels: Registry[Panel] = Registry("panels on the participant page")


def panels_for(*, user, participant) -> list[ShownPanel]:
    """The panels of one participant's page as `user` sees them."""
    return [ShownPanel(panel.template, panel.data(user=user, participant=participant)) for panel in participant_panels]
