"""The demo's coverage targets and denominators (filled in by the public-page helper)."""


def demo_figures() -> None:
    """Targets and denominators for the demo's regions, so its dashboard and public page show progress."""
