"""Output files written a chunk at a time (JSON Lines of records or crawl pages), gzip-compressed when
their name ends in ``.gz``; like every output, they appear atomically (renamed into place at the end).
And standard output, whose closing by its reader (``clean crawl/ | head``) is told apart from other
broken pipes (a worker process's), and where the text of two inputs is parted by a blank line."""

from __future__ import annotations

import contextlib
import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from cleaner.files import atomic_writer

GZIP_SUFFIX = ".gz"
# A fixed time in the gzip header: the same records give the same bytes, run after run.
GZIP_MTIME = 0
# Fast and still about 4 times smaller for page text; the default (9) costs several times the time.
GZIP_LEVEL = 6


@contextlib.contextmanager
def output_writer(path: str | Path) -> Iterator[TextIO]:
    """A text file to write ``path`` piece by piece (see :func:`cleaner.files.atomic_writer`), through
    gzip when the name ends in ``.gz``."""
    with atomic_writer(path) as handle:
        if not str(path).endswith(GZIP_SUFFIX):
            yield handle
            return
        # The gzip stream goes to the temporary file's binary layer; its text layer is never written.
        compressed = gzip.GzipFile(
            filename="", mode="wb", fileobj=handle.buffer, compresslevel=GZIP_LEVEL, mtime=GZIP_MTIME
        )
        text = io.TextIOWrapper(compressed, encoding="utf-8", newline="")
        try:
            yield text
        finally:
            text.close()  # closes the gzip stream (its trailer written), not the file under it


class OutputClosed(BrokenPipeError):
    """Standard output was closed by its reader: the batch stops quietly, as ``yes | head`` does."""


class GuardedOutput:
    """A text stream whose broken pipe is an :class:`OutputClosed`: any other BrokenPipeError comes from
    elsewhere (the worker processes' machinery) and is an error to report."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError as error:
            raise OutputClosed(*error.args) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError as error:
            raise OutputClosed(*error.args) from None


class PageParting:
    """A blank line on standard output between the text or Markdown of two inputs: without it the
    first line of a page ran on from the last line of the one before (and in Markdown joined its last
    paragraph or list item). Records (a crawl's JSON Lines, TSV rows) need none."""

    def __init__(self, output_format: str) -> None:
        self.parted = output_format in ("text", "markdown")
        self.last: int | None = None  # the input whose text went to standard output last

    def separator(self, index: int, records: bool) -> str:
        """What goes on standard output before input ``index``'s output (``records``: a crawl's)."""
        return "\n" if self.parted and not records and self.last is not None and self.last != index else ""

    def wrote(self, index: int, records: bool) -> None:
        """Input ``index`` wrote to standard output."""
        self.last = index if self.parted and not records else None


class PartedOutput:
    """Standard output for an input streamed to it: ``separator`` written before its first output, if
    it writes any."""

    def __init__(self, out: TextIO, separator: str) -> None:
        self.out, self.separator, self.wrote = out, separator, False

    def write(self, text: str) -> int:
        if text and not self.wrote:
            self.wrote = True
            if self.separator:
                self.out.write(self.separator)
        return self.out.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.out, name)
