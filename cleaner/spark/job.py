"""The Spark job: the cleaned pages of many crawl files, written as JSON Lines part files.

Each record is what ``cleaner.crawl`` gives for the page (``clean_item(...).to_dict()``, so the
same records as the command line's for a WARC or WET file) with the file's URI in front, under
``"file"``. A file is cleaned by one task, record after record: within a part file, the records of
a file are in the file's order, and the files in listing order. Counts (records, pages, cleaned,
skipped by kind, errors with their first messages) are gathered with a Spark accumulator.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from pyspark.accumulators import AccumulatorParam

from cleaner import DEFAULT_KEEP, Cleaner, InputError, ModelError, Options
from cleaner.crawl import DEFAULT_MAX_PAYLOAD_BYTES, CrawlError, CrawlStats, RecordFields, iter_cleaned
from cleaner.site import MAX_LINES, SiteBoilerplate
from cleaner.spark.inputs import InputFile, NamedBytes, ReadMode, list_inputs, sources_rdd
from cleaner.spark.site import site_boilerplate
from cleaner.spark.worker import ModelRef, worker_cleaner

if TYPE_CHECKING:
    from pyspark import Accumulator, SparkContext
    from pyspark.broadcast import Broadcast
    from pyspark.sql import SparkSession

# Hadoop's codec for --compress: part files end in .gz, and Spark, Hadoop, zcat and Python read them.
GZIP_CODEC = "org.apache.hadoop.io.compress.GzipCodec"
FILE_FIELD = "file"


@dataclass(frozen=True)
class JobSettings:
    """How to clean: the options of ``clean`` that apply to crawl files, and where the output goes."""

    keep: tuple[str, ...] = DEFAULT_KEEP
    threshold: float | None = None
    model: str | None = None
    """A model file made by ``cleaner train`` (a local path, or any URI ``SparkContext.addFile``
    reads), shipped to the executors; None: the shipped models."""
    fields: RecordFields = RecordFields()
    """What each record holds besides the text (metadata by default; Markdown, every line's label)."""
    compress: bool = False
    """gzip the part files."""
    partitions: int | None = None
    """Tasks to spread the files over; None: one per file. For files read whole it is Spark's hint:
    it packs small files together, up to ``spark.files.maxPartitionBytes`` (128 MB) per task."""
    read: ReadMode = "auto"
    """How files reach the tasks (see :mod:`cleaner.spark.inputs`)."""
    max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES
    site_boilerplate: bool = False
    """Also drop the lines each host repeats (:mod:`cleaner.spark.site`): the files are read twice."""
    site_max_lines: int = MAX_LINES
    """The bound of site boilerplate's counts, per task and for the lines collected (fingerprints in all)."""

    def options(self) -> Options:
        """The cleaning options; raises :class:`~cleaner.OptionsError` for bad ones."""
        return Options(keep=self.keep, threshold=self.threshold).checked()


@dataclass(frozen=True)
class _Task:
    """What each task needs (pickled with the partition function: small)."""

    model: ModelRef
    options: Options
    fields: RecordFields
    max_payload_bytes: int


class StatsParam(AccumulatorParam):
    """Adds up the :class:`CrawlStats` of the tasks (their counts, and the first error messages)."""

    def zero(self, value: CrawlStats) -> CrawlStats:
        return CrawlStats()

    def addInPlace(self, value1: CrawlStats, value2: CrawlStats) -> CrawlStats:
        return value1.merge(value2)


@dataclass
class JobResult:
    """What a job did: its files and counts (the accumulator's value, once the job has run)."""

    output: str
    files: list[InputFile] = field(default_factory=list)
    stats: CrawlStats = field(default_factory=CrawlStats)
    site: SiteBoilerplate | None = None
    """With ``site_boilerplate``: the lines each host repeats, as pass 1 found them."""


def run_job(
    spark: SparkSession | SparkContext, inputs: Sequence[str], output: str, settings: JobSettings = JobSettings()
) -> JobResult:
    """Clean every page of the crawl files ``inputs`` names (files, folders, globs; local paths or
    URIs of any file system Spark's Hadoop layer reads) into JSON Lines part files in ``output``.

    Raises :class:`~cleaner.InputError` when an input matches no file or ``output`` exists,
    :class:`~cleaner.OptionsError` and :class:`~cleaner.ModelError` for bad settings -- all before
    any task runs. A damaged file or page does not stop the job: it is counted as an error (with
    its message) and its readable pages are written. Counts come from an accumulator updated in a
    transformation: a task that Spark runs again (a lost executor, speculation) counts twice.
    """
    sc = spark.sparkContext if hasattr(spark, "sparkContext") else spark
    options = settings.options()
    if settings.partitions is not None and settings.partitions < 1:
        raise ValueError(f"partitions must be positive, not {settings.partitions}")
    files = list_inputs(sc, inputs)
    _check_output_free(sc, output)
    model = _ship_model(sc, settings.model)
    task = _Task(model, options, settings.fields, settings.max_payload_bytes)
    partitions = settings.partitions if settings.partitions is not None else len(files)
    stats = sc.accumulator(CrawlStats(), StatsParam())
    sources = sources_rdd(sc, files, settings.read, partitions)
    site = None
    if settings.site_boilerplate:  # pass 1: the lines each host repeats, broadcast to every task
        site = site_boilerplate(sources, task, settings.site_max_lines)
    shared = sc.broadcast(site) if site is not None else None
    records = sources.mapPartitions(lambda pairs: clean_partition(pairs, task, stats, shared))
    records.saveAsTextFile(output, compressionCodecClass=GZIP_CODEC if settings.compress else None)
    return JobResult(output, files, stats.value, site)


def clean_partition(
    pairs: Iterable[tuple[str, str | bytes]], task: _Task, stats: Accumulator, site: Broadcast | None = None
) -> Iterator[str]:
    """The JSON lines of the pages of each ``(uri, source)`` file, in order; adds the partition's
    counts to ``stats`` once it is done. ``site``: the broadcast lines each host repeats, to drop."""
    cleaner = worker_cleaner(task.model)
    counts = CrawlStats()
    boilerplate = site.value if site is not None else None
    for uri, source in pairs:
        stream = source if isinstance(source, str) else NamedBytes(source, uri)
        cleaned = iter_cleaned(
            stream,
            cleaner,
            task.options,
            task.fields,
            stats=counts,
            max_payload_bytes=task.max_payload_bytes,
            site=boilerplate,
        )
        try:
            for result in cleaned:
                yield json.dumps({FILE_FIELD: uri, **result.to_dict()}, ensure_ascii=False)
        except CrawlError:
            pass  # a damaged file: the reader counted the error; its pages before the damage are written
    stats.add(counts)


def _check_output_free(sc: SparkContext, output: str) -> None:
    jvm: Any = sc._jvm
    path = jvm.org.apache.hadoop.fs.Path(output)
    if path.getFileSystem(sc._jsc.hadoopConfiguration()).exists(path):
        raise InputError(f"{output}: the output folder exists (Spark writes a new one)")


def _ship_model(sc: SparkContext, model: str | None) -> ModelRef:
    """Check that the model loads (here, before any task), and send its file to the executors."""
    if model is None:
        return ModelRef()
    if not urlparse(model).scheme:  # a local path (a URI's file is checked by the executors that load it)
        if not os.path.isfile(model):
            raise ModelError(f"{model}: no such model file")
        Cleaner.load(model)  # a model that cannot load stops the job here, with the library's message
    sc.addFile(model)
    return ModelRef(os.path.basename(model.rstrip("/")), shipped=True)
