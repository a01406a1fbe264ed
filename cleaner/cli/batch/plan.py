"""Planning a batch: the inputs (files, folders walked, standard input), where each output goes, and how
many processes clean them."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from cleaner.cli.batch.lookahead import peek_standard_input
from cleaner.errors import CleanerError, InputError
from cleaner.files import STDIN

# Below this much input in all, processes cost more to start than they save: the batch runs here.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024
# What the outputs of crawl files are called (the input's last suffix replaced): JSON Lines.
JSONL_SUFFIX = ".jsonl"
# The first bytes a crawl file can start with: a gzip member, or a WARC version line.
GZIP_START = b"\x1f\x8b"
WARC_START = b"WARC/"
# The first record of an ARC file, the Internet Archive's format before WARC (1996-2009 crawls).
ARC_START = b"filedesc://"
ARC_PROBLEM = "ARC file (the format before WARC), which is not read: convert it to WARC first (warc convert arc)"


class BatchError(CleanerError):
    """The batch cannot start (an output would overwrite an input, two inputs share an output...)."""


# -- what to clean ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One input of a batch and where its result goes."""

    path: str
    """The file to read, or ``-`` for standard input."""
    display: str
    """How messages name it: as given, or the folder given joined with the path found in it."""
    target: Path | None = None
    """The output file (with ``--output``), else None (standard output)."""
    size: int = 0
    """Bytes (0 for standard input or an unreadable file)."""
    regular: bool = True
    """False for standard input, a pipe or a device: read as a stream, whatever its size."""
    crawl: bool = False
    """A WARC, WET or WAT file (known by its content): cleaned into JSON Lines, one record per page."""
    problem: str | None = None
    """Why it cannot be cleaned, known from its first bytes (a gzip file of something else than WARC)."""


def expand_inputs(arguments: Iterable[str], pattern: str = "*", exclude: Path | None = None) -> list[tuple[str, str]]:
    """The files to clean, as (path, path relative to the folder given): named files as they are,
    folders walked recursively in sorted order for files whose name (or relative path, when the
    pattern holds a ``/``) matches ``pattern``. Hidden files and folders (a leading dot) and the
    folder ``exclude`` (the output folder) are skipped. Raises :class:`InputError` for a folder
    holding no matching file."""
    found: list[tuple[str, str]] = []
    excluded = exclude.resolve() if exclude is not None else None
    for argument in arguments:
        if argument == STDIN or not os.path.isdir(argument):
            found.append((argument, os.path.basename(argument) if argument != STDIN else "stdin"))
            continue
        before = len(found)
        for folder, folders, files in os.walk(argument):
            folders[:] = sorted(
                name
                for name in folders
                if not name.startswith(".") and (excluded is None or Path(folder, name).resolve() != excluded)
            )
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                relative = os.path.relpath(path, argument)
                if fnmatch(relative if "/" in pattern else name, pattern):
                    found.append((path, relative))
        if len(found) == before:
            raise InputError(f"{argument}: is a directory with no file to clean (none matches --glob {pattern!r})")
    return found


def plan_sources(
    found: list[tuple[str, str]],
    output: Path | None,
    suffix: str,
    records_suffix: str = JSONL_SUFFIX,
    single: bool = False,
) -> list[Source]:
    """The sources of a batch with their output files in ``output`` (the relative paths mirrored,
    each file's suffix replaced by ``suffix``, or by ``records_suffix`` for a crawl file). With
    ``single``, ``output`` is one JSON Lines file that every input is written to, in order (crawl
    files only, or JSON Lines with ``suffix`` ``.jsonl``). Crawl files are told by their first bytes
    (:func:`sniff_source`). Raises :class:`BatchError` when an output would overwrite an input, two
    inputs would be written to one file, or an input cannot go to a single JSON Lines file."""
    sources: list[Source] = []
    writers: dict[Path, str] = {}
    for path, relative in found:
        size, regular = 0, path != STDIN
        if regular:
            try:
                status = os.stat(path)
                size, regular = status.st_size, stat.S_ISREG(status.st_mode) or stat.S_ISDIR(status.st_mode)
            except OSError:
                pass  # reported when the file is read
        crawl, problem = sniff_source(path)
        if output is None:
            sources.append(Source(path, path, None, size, regular, crawl, problem))
            continue
        if single:
            if not crawl and suffix != JSONL_SUFFIX and problem is None:
                raise BatchError(
                    f"{path}: not a crawl file: only crawl files (or JSON Lines, with --jsonl-field) can be "
                    f"written to one file {output}; give an --output folder"
                )
            if path != STDIN and Path(path).resolve() == output.resolve():
                raise BatchError(f"{path}: the output file would overwrite this input; choose another --output")
            sources.append(Source(path, path, output, size, regular, crawl, problem))
            continue
        rel = Path(relative)
        if not crawl and rel.suffix == ".gz":  # JSON Lines, gzip-compressed: x.jsonl.gz is written as x.jsonl
            rel = rel.with_suffix("")
        target = output / rel.parent / f"{'stdin' if path == STDIN else rel.stem}{records_suffix if crawl else suffix}"
        if path != STDIN and Path(path).resolve() == target.resolve():
            raise BatchError(f"{path}: the output file would overwrite this input; choose another --output folder")
        writer = writers.setdefault(target.resolve(), path)
        if writer != path:
            raise BatchError(f"{writer} and {path} would both be written to {target}; clean them into separate folders")
        sources.append(Source(path, path, target, size, regular, crawl, problem))
    return sources


def sniff_source(path: str) -> tuple[bool, str | None]:
    """Whether ``path`` (``-``: standard input, without consuming it) is a crawl file, by its first
    bytes; and, for a gzip file of something else, why it cannot be cleaned."""
    head = first_bytes(path, len(ARC_START))
    if head.startswith(ARC_START):
        return False, f"input is an {ARC_PROBLEM}"
    if not head.startswith((GZIP_START, WARC_START)):
        return False, None  # cleaner.crawl (and its WARC parser) is imported only for likely crawls
    from cleaner.crawl.formats import SNIFF_BYTES, describe_non_warc, gunzip_start, sniff_crawl

    head = first_bytes(path, SNIFF_BYTES)
    if sniff_crawl(head) is not None:
        return True, None
    if head.startswith(GZIP_START) and gunzip_start(head).startswith(ARC_START):
        return False, f"input is a gzip-compressed {ARC_PROBLEM}"
    if head.startswith(GZIP_START) and gunzip_start(head):  # (gzip data that does not decompress: a binary file)
        reason = describe_non_warc(head)
        return (
            False,
            f"input is gzip-compressed data, not text or HTML: {reason}; decompress it first (zcat FILE | clean -)",
        )
    return False, None


def first_bytes(path: str, size: int) -> bytes:
    """The first ``size`` bytes of a file, or of standard input left unread; b"" when they cannot be read."""
    try:
        if path != STDIN:
            with open(path, "rb") as handle:
                return handle.read(size)
        return peek_standard_input(size)
    except (OSError, ValueError, AttributeError):
        return b""  # reported when the file is read


def choose_jobs(requested: int | None, sources: list[Source], jsonl: bool) -> int:
    """Worker processes for a batch: as requested, or one per core when the batch is large enough to
    pay for starting them; 1 (this process) for a single file or a small batch."""
    total = sum(source.size for source in sources)
    # Records of JSON Lines and crawl files: as many tasks as there are chunks.
    units = len(sources) if not jsonl and not any(source.crawl for source in sources) else sys.maxsize
    if requested is not None and requested > 0:
        return max(1, min(requested, units))
    if total < PARALLEL_MIN_BYTES or units < 2:
        return 1
    return max(1, min(_cores(), units))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
