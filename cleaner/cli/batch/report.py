"""What a batch reports as it runs: the totals and their summary line, and a progress bar on stderr."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cleaner.cli.batch.job import Outcome

if TYPE_CHECKING:
    from cleaner.crawl import CrawlStats


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
    site: bool = False
    """Whether site boilerplate is dropped (``--site-boilerplate``): the summary says how many lines went."""
    site_dropped: int = 0
    """Kept lines dropped as lines their site repeats."""
    crawl: CrawlStats | None = None
    """What the crawl files read held (records, pages, skipped by kind), when there were any."""
    started: float = field(default_factory=time.perf_counter)

    def add(self, outcome: Outcome) -> None:
        self.pages += outcome.pages
        self.bytes += outcome.bytes
        self.kept += outcome.kept
        self.dropped += outcome.dropped
        self.errors += outcome.errors
        self.skipped += outcome.skipped
        self.site_dropped += outcome.site_dropped
        if outcome.crawl is not None:
            self.crawl = outcome.crawl if self.crawl is None else self.crawl.merge(outcome.crawl)
        if outcome.finished:
            self.files += 1

    def summary(self, total: int) -> str:
        """One line (and, for crawl files, what their records held: ``crawl: ...``, ``skipped: ...``)."""
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        line = (
            f"cleaned {self.pages} page{'s' * (self.pages != 1)} ({self.bytes / 1e6:.1f} MB) "
            f"from {self.files} of {total} file{'s' * (total != 1)} in {elapsed:.1f} s: "
            f"{self.pages / elapsed:.1f} pages/s, {self.bytes / 1e6 / elapsed:.2f} MB/s; "
            f"lines kept {self.kept}, dropped {self.dropped}"
        )
        line += f" ({self.site_dropped} as site boilerplate); " if self.site else "; "
        if self.skipped:
            line += f"{self.skipped} skipped (output exists); "
        line += f"{self.errors} error{'s' * (self.errors != 1)}"
        if self.crawl is not None:  # the errors were reported as they came: counts only
            line += "\ncrawl: " + self.crawl.summary(messages=False)
        return line


class Progress:
    """A progress bar on stderr (rich): files done of all (or MB read of all, for crawl files: a few
    large files), MB read, pages per second."""

    def __init__(self, total: int, total_bytes: int | None = None, label: str = "cleaning") -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self._bytes = total_bytes is not None
        done = TextColumn("{task.percentage:>3.0f}%") if self._bytes else MofNCompleteColumn()
        self._progress = RichProgress(
            TextColumn(label),
            BarColumn(),
            done,
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task(
            "clean", total=total_bytes if total_bytes is not None else total, detail=""
        )
        self._progress.start()

    def update(self, totals: Totals) -> None:
        elapsed = max(time.perf_counter() - totals.started, 1e-9)
        detail = f"{totals.bytes / 1e6:.1f} MB, {totals.pages / elapsed:.1f} pages/s, {totals.errors} errors"
        done = totals.bytes if self._bytes else totals.files
        self._progress.update(self._task, completed=done, detail=detail)

    def close(self) -> None:
        self._progress.stop()
