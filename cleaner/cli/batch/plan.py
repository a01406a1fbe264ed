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

from cleaner.errors import CleanerError, InputError
from cleaner.files import STDIN

# Below this much input in all, processes cost more to start than they save: the batch runs here.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


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


def plan_sources(found: list[tuple[str, str]], output: Path | None, suffix: str) -> list[Source]:
    """The sources of a batch with their output files in ``output`` (the relative paths mirrored,
    each file's suffix replaced by ``suffix``). Raises :class:`BatchError` when an output would
    overwrite an input, or two inputs would be written to one file."""
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
        if output is None:
            sources.append(Source(path, path, None, size, regular))
            continue
        rel = Path(relative)
        target = output / rel.parent / f"{'stdin' if path == STDIN else rel.stem}{suffix}"
        if path != STDIN and Path(path).resolve() == target.resolve():
            raise BatchError(f"{path}: the output file would overwrite this input; choose another --output folder")
        writer = writers.setdefault(target.resolve(), path)
        if writer != path:
            raise BatchError(f"{writer} and {path} would both be written to {target}; clean them into separate folders")
        sources.append(Source(path, path, target, size, regular))
    return sources


def choose_jobs(requested: int | None, sources: list[Source], jsonl: bool) -> int:
    """Worker processes for a batch: as requested, or one per core when the batch is large enough to
    pay for starting them; 1 (this process) for a single file or a small batch."""
    total = sum(source.size for source in sources)
    units = len(sources) if not jsonl else sys.maxsize  # records: as many tasks as there are chunks
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
