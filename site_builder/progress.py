"""A progress bar for long runs (photos, social cards, pages), on stderr."""

from __future__ import annotations


class ProgressBar:
    """A rich progress bar: `label`, a bar, done/total, time left and the current item."""

    def __init__(self, label: str, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}", style="dim"),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task("", total=total)

    def advance(self, item: str = "", steps: int = 1) -> None:
        self._progress.update(self._task, advance=steps, description=item)

    def close(self) -> None:
        self._progress.stop()
