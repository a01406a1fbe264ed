"""What a batch reports as it runs: the totals and their summary line, and a progress bar on stderr."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from cleaner.cli.batch.job import Outcome


@dataclass
class Totals:
    files: int = 0
    """Inputs finished (cleaned, failed or skipped)."""
    pages: int = 0
    bytes: int = 0
    kept: int = 0
    dropped: int = 0
    errors: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.perf_counter)

    def add(self, outcome: Outcome) -> None:
        self.pages += outcome.pages
        self.bytes += outcome.bytes
        self.kept += outcome.kept
        self.dropped += outcome.dropped
        self.errors += outcome.errors
        self.skipped += outcome.skipped
        if outcome.finished:
            self.files += 1

    def summary(self, total: int) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        line = (
            f"cleaned {self.pages} page{'s' * (self.pages != 1)} ({self.bytes / 1e6:.1f} MB) "
            f"from {self.files} of {total} file{'s' * (total != 1)} in {elapsed:.1f} s: "
            f"{self.pages / elapsed:.1f} pages/s, {self.bytes / 1e6 / elapsed:.2f} MB/s; "
            f"lines kept {self.kept}, dropped {self.dropped}; "
        )
        if self.skipped:
            line += f"{self.skipped} skipped (output exists); "
        return line + f"{self.errors} error{'s' * (self.errors != 1)}"


class Progress:
    """A progress bar on stderr (rich): files done of all, MB read, pages per second."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self._progress = RichProgress(
            TextColumn("cleaning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("clean", total=total, detail="")
        self._progress.start()

    def update(self, totals: Totals) -> None:
        elapsed = max(time.perf_counter() - totals.started, 1e-9)
        detail = f"{totals.bytes / 1e6:.1f} MB, {totals.pages / elapsed:.1f} pages/s, {totals.errors} errors"
        self._progress.update(self._task, completed=totals.files, detail=detail)

    def close(self) -> None:
        self._progress.stop()
