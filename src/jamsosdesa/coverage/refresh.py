"""Refreshing coverage snapshots: the job, the incremental pass over changed kabupaten (filled in by the refresh
helper)."""

from .snapshot import snapshot_refresh


def demo_snapshot() -> None:
    """Today's snapshot of the demo."""
    snapshot_refresh()


def periodic_refresh() -> None:
    """Refresh the snapshots of kabupaten whose people or money changed since the last pass."""
