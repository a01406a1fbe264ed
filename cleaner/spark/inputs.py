"""Finding the crawl files of a job (on the driver, through Hadoop's FileSystem) and reading them
(on the executors).

Two ways to get a file's bytes to the task that cleans it:

``stream``
    The task opens the file itself and reads it record by record: memory stays bounded (one record
    at a time) whatever the file's size. Only for ``file:`` inputs, which every executor must see at
    the same path (local mode, or a shared mount) -- as Spark's own ``file:`` reads require.
``whole``
    Spark reads the file (``SparkContext.binaryFiles``) from any file system its Hadoop layer knows
    (``hdfs://``, ``s3a://``, ``gs://``, ``file:``...) and hands the task its bytes: the whole file is
    held in the memory of the executor that cleans it (the JVM's copy, then the Python worker's), a
    file at a time per task. A 1 GB Common Crawl WARC file needs about 2-3 GB per running task
    (``spark.executor.memory`` and ``spark.executor.pyspark.memory``), and a file over 2 GB cannot be
    read (the limit of a JVM byte array). The driver never holds a file's bytes in either mode.

``auto`` (the default) streams ``file:`` inputs and reads the others whole.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from cleaner import InputError

if TYPE_CHECKING:
    from pyspark import RDD, SparkContext

ReadMode = Literal["auto", "stream", "whole"]
READ_MODES: tuple[str, ...] = ("auto", "stream", "whole")
LOCAL_SCHEME = "file"
# What Hadoop's list of input paths reads as separators or glob patterns.
_PATH_LIST_CHARS = ",{}[]*?\\"
# Names that Hadoop's input formats leave out of a folder: a job's _SUCCESS and _temporary, dot files.
_HIDDEN_PREFIXES = ("_", ".")


@dataclass(frozen=True)
class InputFile:
    """One file to clean."""

    uri: str
    """As Hadoop qualifies it: ``file:/data/a.warc.gz``, ``s3a://bucket/a.warc.gz``. Records name it."""
    size: int

    @property
    def local_path(self) -> str | None:
        """The path to open for a ``file:`` URI; None for other file systems."""
        scheme, colon, rest = self.uri.partition(":")
        if not colon or scheme.lower() != LOCAL_SCHEME:
            return None
        # Hadoop's Path.toString() leaves names unescaped: what follows the scheme (and an authority,
        # "file:///x") is the file's path as is, "#" and "?" included (no URL parser may cut them off).
        if rest.startswith("//"):
            slash = rest.find("/", 2)
            rest = rest[slash:] if slash >= 0 else "/"
        return rest


def list_inputs(sc: SparkContext, inputs: Sequence[str]) -> list[InputFile]:
    """Every file the inputs name, as Spark's Hadoop layer sees them: a file, a folder (its files,
    recursively, without the hidden names Hadoop leaves out), or a glob. Inputs in the order given,
    each one's files sorted; a file named twice is listed once. Every file listed is read as a crawl
    file, and one that is not (a README beside the WARC files) counts as an error: name the files
    with a glob (``crawl/*.warc.gz``) to leave others out.

    Raises :class:`~cleaner.InputError` naming an input that matches no file or cannot be listed.
    """
    from py4j.protocol import Py4JJavaError

    jvm: Any = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    found: dict[str, InputFile] = {}
    for given in inputs:
        try:
            path = jvm.org.apache.hadoop.fs.Path(given)
            fs = path.getFileSystem(conf)
            files = sorted(_files_of(fs, fs.globStatus(path) or []), key=lambda f: f.uri)
        except Py4JJavaError as exc:
            raise InputError(f"{given}: cannot list: {exc.java_exception.toString()}") from None
        if not files:
            raise InputError(f"{given}: no such file, or no file in it")
        for file in files:
            found.setdefault(file.uri, file)
    return list(found.values())


def _files_of(fs: Any, statuses: Iterable[Any]) -> Iterator[InputFile]:
    for status in statuses:
        if not status.isDirectory():
            yield InputFile(status.getPath().toString(), status.getLen())
            continue
        root = status.getPath().toString().rstrip("/") + "/"
        listing = fs.listFiles(status.getPath(), True)
        while listing.hasNext():
            child = listing.next()
            uri = child.getPath().toString()
            if not _hidden(uri[len(root) :] if uri.startswith(root) else child.getPath().getName()):
                yield InputFile(uri, child.getLen())


def _hidden(relative: str) -> bool:
    return any(part.startswith(_HIDDEN_PREFIXES) for part in relative.split("/"))


def streams_locally(file: InputFile, mode: ReadMode) -> bool:
    """Whether the task opens ``file`` itself (``stream``) rather than getting its bytes from Spark.

    Raises :class:`~cleaner.InputError` when ``mode`` is ``stream`` and the file is not a ``file:`` one.
    """
    if mode not in READ_MODES:
        raise ValueError(f"read mode must be one of {', '.join(READ_MODES)}, not {mode!r}")
    local = file.local_path is not None
    if mode == "stream" and not local:
        raise InputError(f"{file.uri}: only file: inputs can be streamed by the executors (use --read whole or auto)")
    return local and mode != "whole"


def sources_rdd(sc: SparkContext, files: Sequence[InputFile], mode: ReadMode, partitions: int) -> RDD:
    """An RDD of ``(uri, source)`` pairs, a file each: ``source`` is a local path to open (streamed
    files) or the file's bytes (files read whole by Spark). Within each part, files in listing order."""
    local = [streams_locally(file, mode) for file in files]
    streamed = [file for file, flag in zip(files, local) if flag]
    whole = [file for file, flag in zip(files, local) if not flag]
    parts: list[RDD] = []
    if streamed:
        pairs = [(file.uri, file.local_path) for file in streamed]
        parts.append(sc.parallelize(pairs, max(1, min(partitions, len(pairs)))))
    if whole:
        share = max(1, round(partitions * len(whole) / len(files)))
        # binaryFiles takes a comma-separated list of paths, each a glob (FileInputFormat.setInputPaths).
        for file in whole:
            if any(char in file.uri for char in _PATH_LIST_CHARS):
                raise InputError(f"{file.uri}: Spark cannot read a file whose name has one of {_PATH_LIST_CHARS}")
        parts.append(sc.binaryFiles(",".join(file.uri for file in whole), minPartitions=share))
    return parts[0] if len(parts) == 1 else sc.union(parts)


class NamedBytes(io.BytesIO):
    """A file's bytes as a seekable stream with a name, for the crawl reader's messages."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
