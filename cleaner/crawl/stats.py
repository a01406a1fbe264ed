"""What reading and cleaning crawl files did: counts for a summary at the end of a run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

# Error messages kept word for word; past these only the count grows, so a long run stays small.
MAX_MESSAGES = 100


class Record(Protocol):
    """What the counts read of a record (a :class:`~cleaner.crawl.CrawlItem`)."""

    length: int
    status: str
    reason: str | None

    def message(self) -> str: ...


@dataclass
class CrawlStats:
    """Counts of one or more crawl files read (and cleaned).

    The reader counts records, pages, skips and errors as it yields items; the cleaning side counts
    ``cleaned`` (and cleaning errors). Stats of files read in other processes add up with :meth:`merge`.
    """

    files: int = 0
    """Files opened (a file that is not a WARC file is not counted)."""
    records: int = 0
    """WARC records read, of every type."""
    pages: int = 0
    """Records read as pages to clean: HTML responses of a WARC, conversion records of a WET."""
    cleaned: int = 0
    """Pages cleaned."""
    skipped: Counter[str] = field(default_factory=Counter)
    """Records left out, by kind: ``"request"``, ``"metadata"``, ``"redirect"``, ``"image"``..."""
    errors: int = 0
    """Records that could not be decoded or cleaned, and files that stopped at damage."""
    messages: list[str] = field(default_factory=list)
    """The first :data:`MAX_MESSAGES` errors, each ``"<file>:<offset>: <reason>"``."""
    record_bytes: int = 0
    """The sum of the records' Content-Length: the data read, uncompressed."""
    file_bytes: int = 0
    """The size of the files read, as stored (compressed), where known."""

    def skip(self, kind: str) -> None:
        self.skipped[kind] += 1

    def count(self, item: Record) -> None:
        """Count a record read: its bytes, and whether it is a page, skipped (by kind) or an error."""
        self.records += 1
        self.record_bytes += item.length
        if item.status == "page":
            self.pages += 1
        elif item.status == "skipped":
            self.skip(item.reason or "other")
        else:
            self.error(item.message())

    def error(self, message: str) -> None:
        self.errors += 1
        if len(self.messages) < MAX_MESSAGES:
            self.messages.append(message)

    def merge(self, other: CrawlStats) -> CrawlStats:
        """Add ``other``'s counts to these (in place); returns self."""
        self.files += other.files
        self.records += other.records
        self.pages += other.pages
        self.cleaned += other.cleaned
        self.skipped.update(other.skipped)
        self.errors += other.errors
        self.messages.extend(other.messages[: max(0, MAX_MESSAGES - len(self.messages))])
        self.record_bytes += other.record_bytes
        self.file_bytes += other.file_bytes
        return self

    def to_dict(self) -> dict[str, Any]:
        """The counts as plain JSON-ready values."""
        return {
            "files": self.files,
            "records": self.records,
            "pages": self.pages,
            "cleaned": self.cleaned,
            "skipped": dict(sorted(self.skipped.items())),
            "errors": self.errors,
            "messages": list(self.messages),
            "record_bytes": self.record_bytes,
            "file_bytes": self.file_bytes,
        }

    def summary(self, messages: bool = True) -> str:
        """A few human-readable lines: what was read, cleaned, skipped (by kind) and failed (with the
        first error messages, unless ``messages`` is False: a caller that reported them already)."""
        lines = [
            (
                f"{self.files} file(s), {self.records} records ({_size(self.record_bytes)} of records, "
                f"{_size(self.file_bytes)} on disk): {self.pages} pages, {self.cleaned} cleaned, "
                f"{sum(self.skipped.values())} skipped, {self.errors} errors"
            )
        ]
        if self.skipped:
            kinds = ", ".join(f"{kind} {count}" for kind, count in self.skipped.most_common())
            lines.append(f"skipped: {kinds}")
        if not messages:
            return "\n".join(lines)
        lines.extend(f"error: {message}" for message in self.messages)
        if self.errors > len(self.messages):
            lines.append(f"... and {self.errors - len(self.messages)} more errors")
        return "\n".join(lines)


def _size(count: int) -> str:
    """``count`` bytes in decimal units, as disks and downloads are measured."""
    if count < 1000:
        return f"{count} bytes"
    value = count / 1000
    for unit in ("KB", "MB", "GB"):
        if value < 1000:
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"
