"""Reading inputs and writing outputs safely: the input is never modified, outputs appear atomically."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from cleaner.errors import InputError

STDIN = "-"


def read_input(path: str | Path) -> bytes:
    """The bytes of a file, or of standard input for ``-``. Raises :class:`InputError` for what cannot be read."""
    if str(path) == STDIN:
        return standard_input().read()
    try:
        with open(path, "rb") as handle:  # not Path(path): Path("") names the current folder
            return handle.read()
    except OSError as error:
        raise read_error(str(path), error) from None


def standard_input() -> BinaryIO:
    """Standard input's bytes. Raises :class:`InputError` when the process has none (started with it
    closed, ``<&-``)."""
    if sys.stdin is None:
        raise InputError("-: standard input is closed")
    return sys.stdin.buffer


def read_error(path: str, error: OSError) -> InputError:
    """The :class:`InputError` for a file that cannot be read, naming it and why."""
    path = path or "''"  # an empty name, shown as one
    if isinstance(error, FileNotFoundError):
        return InputError(f"{path}: no such file")
    if isinstance(error, IsADirectoryError):
        return InputError(f"{path}: is a directory")
    if isinstance(error, PermissionError):
        return InputError(f"{path}: permission denied")
    return InputError(f"{path}: cannot read: {error.strerror or error}")


def write_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder, renamed into place.

    An interrupted run leaves either the old file or the new one, never half of one.
    """
    with atomic_writer(path) as handle:
        handle.write(text)
    return Path(path)


# Temporary files are created private (0600); the output gets the mode of the file it replaces,
# or that of an ordinary new file.
NEW_FILE_MODE = 0o644


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[TextIO]:
    """A text file to write ``path`` piece by piece, which appears (renamed into place) only when the
    ``with`` block ends without an exception: as :func:`write_atomic`, for outputs written as a stream.

    A symbolic link is written through (the file it names is replaced, not the link); a path that is
    neither a file nor a folder (a FIFO, a device such as /dev/stdout) is written in place, as renaming
    a file over it would replace the node itself."""
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "w", encoding="utf-8", newline="") as handle:
            yield handle
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = NEW_FILE_MODE
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=_temporary_prefix(path), suffix=".tmp")
    try:
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# A file name holds at most 255 bytes on most file systems; a temporary file's name adds a dot, the
# writer's host and process (at most 32 bytes), a dot, eight random characters and ".tmp" to the part
# of the output's name it keeps.
MAX_TEMPORARY_NAME_BYTES = 200
MAX_HOST_BYTES = 24
# mkstemp's eight random characters, after the writer's host and process id.
_OWNED_SUFFIX = r"\.(?P<host>[A-Za-z0-9-]+)-(?P<pid>[0-9]+)\.[a-z0-9_]{8}\.tmp"
_TEMPORARY_RE = re.compile(r"\.(?P<name>.+)" + _OWNED_SUFFIX, re.DOTALL)


def _host() -> str:
    """This machine's name as a temporary file's name holds it: a folder shared by several machines
    holds the temporary files of all, and only this one's processes can be told alive or dead."""
    name = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname().split(".")[0]) or "host"
    return name[:MAX_HOST_BYTES]


def _temporary_prefix(path: Path) -> str:
    """The start of the names of ``path``'s temporary files: its name, cut to fit, and the writer."""
    name = os.fsdecode(os.fsencode(path.name)[:MAX_TEMPORARY_NAME_BYTES])
    return f".{name}.{_host()}-{os.getpid()}."


def temporary_leftovers(path: str | Path) -> list[Path]:
    """Temporary files that :func:`write_atomic` or :func:`atomic_writer` left for ``path`` when their
    process was stopped before it could remove them (by any process)."""
    path = Path(path)
    # Not the temporary files of a longer name that starts alike ("page.txt" and "page.txt.txt"), nor,
    # for a name cut to fit, another name cut alike.
    if len(os.fsencode(path.name)) > MAX_TEMPORARY_NAME_BYTES:
        return []
    owned = re.compile(re.escape("." + path.name) + _OWNED_SUFFIX)
    return sorted(path.parent / name for name in _names(path.parent) if owned.fullmatch(name))


def remove_stale_temporaries(folder: str | Path) -> int:
    """Remove the temporary files in ``folder`` whose writer, a process of this machine, is gone (a
    run killed with SIGKILL, by the kernel's out-of-memory killer or a power cut left them); the
    number removed. One listing of the folder."""
    folder, host, removed = Path(folder), _host(), 0
    for name in _names(folder):
        found = _TEMPORARY_RE.fullmatch(name)
        if found and found["host"] == host and not _alive(int(found["pid"])):
            with contextlib.suppress(OSError):
                (folder / name).unlink()
                removed += 1
    return removed


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or a number no process has: left alone
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether a process has ended but is not yet reaped (a killed batch's workers, until their new
    parent reaps them: in a container whose first process does not, never)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False  # no /proc: signal 0 said it lives
    return stat[stat.rfind(")") + 2 : stat.rfind(")") + 3] == "Z"
