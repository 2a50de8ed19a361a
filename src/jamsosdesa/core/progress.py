"""One progress bar for every long command-line job."""

from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def progress_bar(description: str, total: int | None, *, enabled: bool = True):
    """Yields a function `advance(n, total=None)`; draws nothing when disabled (e.g. --quiet)."""
    if not enabled:
        yield lambda n=1, total=None: None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=False) as progress:
        task = progress.add_task(description, total=total)

        def advance(n: int = 1, total: int | None = None) -> None:
            if total is not None:  # learnt once the work has started (an import counts its rows first)
                progress.update(task, total=total)
            progress.advance(task, n)

        yield advance
