"""What the tasks of a batch share: the job (model, options, output format), the tasks themselves, and
the outcome each gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cleaner.api import Cleaner
from cleaner.cli.batch.plan import Source
from cleaner.options import Options
from cleaner.records import LineResult
from cleaner.stream import DEFAULT_BOUNDS, Bounds


@dataclass(frozen=True)
class Job:
    """What every task of a batch shares (sent once per task to the workers: keep it small)."""

    model: str | None
    options: Options
    output_format: str = "text"
    explain: bool = False
    jsonl_field: str | None = None
    jsonl_labels: bool = False
    name_files: bool = False
    """Name the file in each record of ``--format jsonl`` (when there are several inputs)."""
    bounds: Bounds = DEFAULT_BOUNDS

    @property
    def probabilities(self) -> bool:
        return self.output_format == "jsonl" and self.jsonl_field is None


@lru_cache(maxsize=4)
def load_cleaner(model: str | None) -> Cleaner:
    """The cleaner of ``model`` (a path, or None for the shipped models), loaded once per process."""
    return Cleaner.load(model)


@dataclass
class Outcome:
    """What a task did: counts, messages for stderr, and its output when it goes to standard output."""

    index: int
    pages: int = 0
    bytes: int = 0
    kept: int = 0
    dropped: int = 0
    errors: int = 0
    messages: list[str] = field(default_factory=list)
    output: str | None = None
    finished: bool = True
    """False for a chunk of a JSON Lines file that is not its last."""
    skipped: bool = False
    """Not cleaned: its output exists (``--skip-existing``)."""

    def count(self, results: list[LineResult]) -> None:
        for result in results:
            if result.kept:
                self.kept += 1
            elif result.label != "-":
                self.dropped += 1

    def error(self, message: str) -> None:
        self.errors += 1
        self.messages.append(f"error: {message}")

    def cannot_write(self, target: Path, error: OSError) -> None:
        self.error(f"{target}: cannot write: {error.strerror or error}")

    def replaced_bytes(self, display: str) -> None:
        self.messages.append(f"warning: {display}: invalid UTF-8 bytes were replaced by U+FFFD")


@dataclass(frozen=True)
class FileTask:
    index: int
    source: Source
    stream: bool
    """Clean it as a stream (bounded memory): a file larger than a whole page."""


@dataclass(frozen=True)
class FilesTask:
    """Small files (each a FileTask, not a stream) cleaned to text, classified together."""

    files: tuple[FileTask, ...]


@dataclass(frozen=True)
class RecordsTask:
    index: int
    display: str
    first_line: int
    lines: tuple[bytes, ...]
    last: bool


@dataclass(frozen=True)
class ReadyTask:
    """Nothing left to compute: the outcome is known (a JSON Lines file's end, a read error, a skip)."""

    outcome: Outcome


@dataclass(frozen=True)
class InlineTask:
    """Done by the main process when its turn comes: a stream to standard output."""

    index: int
    source: Source


def failed(index: int, message: str, finished: bool = True) -> Outcome:
    outcome = Outcome(index, finished=finished)
    outcome.error(message)
    return outcome
