"""One progress bar for every long command-line job."""

from contextlib import contextmanager

from django.utils.translation import gettext
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class Bar:
    """`bar(n=1, total=None, stage=None)` advances by n; `bar.to(done, total=None, stage=None)` moves to `done`,
    so it is itself a job's progress callback (see core.jobs). A stage (what the job is doing, e.g. rebuilding
    an index once every row is in) shows as the description; an empty stage goes back to the plain one."""

    def __init__(self, progress: Progress | None, description: str, total: int | None):
        self._progress, self._description, self.done = progress, description, 0
        self._task = progress.add_task(description, total=total) if progress else None

    def __call__(self, n: int = 1, total: int | None = None, stage=None) -> None:
        self.to(self.done + n, total, stage)

    def to(self, done: int, total: int | None = None, stage=None) -> None:
        advance, self.done = done - self.done, done
        if self._progress is None:
            return
        changes = {}
        if total:  # learnt once the work has started (an import counts its rows first)
            changes["total"] = total
        if stage is not None:  # a msgid, or a core.jobs.Stage: in the active language either way
            text = gettext(stage) if isinstance(stage, str) and stage else str(stage)
            changes["description"] = f"{self._description}: {text}" if text else self._description
        self._progress.update(self._task, advance=advance, **changes)


@contextmanager
def progress_bar(description: str, total: int | None, *, enabled: bool = True):
    """Yields a Bar; draws nothing when disabled (e.g. --quiet)."""
    if not enabled:
        yield Bar(None, description, total)
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=False) as progress:
        yield Bar(progress, description, total)
