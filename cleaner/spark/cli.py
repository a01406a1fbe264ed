"""``python -m cleaner.spark``: clean crawl files on Spark into JSON Lines part files."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cleaner import DEFAULT_KEEP, CleanerError
from cleaner.cli.arguments import KeepOption, LinksFlag, MetadataFlag
from cleaner.crawl.results import RecordFields
from cleaner.site import MAX_LINES
from cleaner.spark.inputs import READ_MODES
from cleaner.spark.job import JobSettings, run_job

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

APP_NAME = "cleaner"
EXIT_ERROR = 1
SUMMARY_PREFIX = "cleaner.spark: "
DEFAULT_KEEP_TEXT = ",".join(DEFAULT_KEEP)

Inputs = Annotated[
    list[str],
    typer.Argument(
        help="WARC or WET files, folders of them, or globs: local paths or URIs Spark reads (hdfs://, s3a://...).",
        show_default=False,
    ),
]
Output = Annotated[
    str, typer.Option("--output", "-o", help="The folder to write the part files into (must not exist).")
]
Master = Annotated[
    str | None,
    typer.Option("--master", help="Spark master URL (local[4], yarn, spark://host:7077); default: Spark's own."),
]
Partitions = Annotated[
    int | None,
    typer.Option(
        "--partitions",
        min=1,
        help="Tasks to spread the files over (default: one per file; with --read whole, Spark packs small "
        "files together).",
        show_default=False,
    ),
]
Compress = Annotated[bool, typer.Option("--compress", help="gzip the part files (part-00000.gz...).")]
Threshold = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        "-t",
        min=0.0,
        max=1.0,
        help="Keep a line when its keep-probability reaches this (default: the model's).",
    ),
]
Model = Annotated[
    str | None,
    typer.Option(
        "--model", "-m", help="A model file made by `cleaner train` (a path or a URI); default: the shipped models."
    ),
]
Labels = Annotated[bool, typer.Option("--labels", help="Add every line's label to each record.")]
MarkdownFlag = Annotated[bool, typer.Option("--markdown", help="Add the article as Markdown to each record.")]
Read = Annotated[
    str,
    typer.Option(
        "--read",
        help="How files reach the tasks: stream (executors open file: paths, bounded memory), whole (Spark "
        "reads each file into the memory of one task: any Hadoop file system), auto (stream file:, whole others).",
    ),
]
SiteBoilerplateFlag = Annotated[
    bool,
    typer.Option(
        "--site-boilerplate",
        help="Also drop the lines a host repeats on at least half of its pages (and at least 3), unless the model "
        "is confident they are article text. Reads the files twice.",
    ),
]
SiteMaxLines = Annotated[
    int,
    typer.Option(
        "--site-max-lines", min=2, help="With --site-boilerplate, the most lines counted per task and collected."
    ),
]
Conf = Annotated[
    list[str] | None,
    typer.Option("--conf", help="A Spark setting KEY=VALUE (repeatable), e.g. spark.hadoop.fs.s3a.endpoint=..."),
]


def spark_command(
    inputs: Inputs,
    output: Output,
    master: Master = None,
    partitions: Partitions = None,
    compress: Compress = False,
    threshold: Threshold = None,
    keep: KeepOption = DEFAULT_KEEP_TEXT,
    model: Model = None,
    labels: Labels = False,
    markdown: MarkdownFlag = False,
    links: LinksFlag = False,
    metadata: MetadataFlag = True,
    read: Read = "auto",
    conf: Conf = None,
    site_boilerplate: SiteBoilerplateFlag = False,
    site_max_lines: SiteMaxLines = MAX_LINES,
) -> None:
    """Clean every page of WARC and WET files into JSON Lines: one record per page (url, warc_record_id,
    warc_date, offset, language, the page's metadata, lines_kept, lines_dropped, text, and the file under
    "file").

    Prints a summary on stderr at the end; the exit code is 1 when a file or page could not be read
    (its readable pages are still written).
    """
    if read not in READ_MODES:
        raise _fail(f"--read must be one of {', '.join(READ_MODES)}, not {read!r}")
    if site_boilerplate and markdown:
        raise _fail("--site-boilerplate drops lines the model kept: it does not go with --markdown")
    settings = JobSettings(
        keep=tuple(label.strip() for label in keep.split(",") if label.strip()),
        threshold=threshold,
        model=model,
        fields=RecordFields(metadata=metadata, markdown=markdown, links=links, labels=labels),
        compress=compress,
        partitions=partitions,
        read=read,  # type: ignore[arg-type]  # checked above
        site_boilerplate=site_boilerplate,
        site_max_lines=site_max_lines,
    )
    try:
        settings.options()  # bad options stop here, before Spark starts
        config = _parse_conf(conf or [])
    except (CleanerError, ValueError) as error:
        raise _fail(str(error)) from None
    try:
        spark, created = _session(master, config)
    except Exception as error:  # Spark's own errors (no Java, a bad master URL), from its gateway
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise _fail(f"cannot start Spark (master {master or 'Spark default'}): {first}") from None
    try:
        result = run_job(spark, inputs, output, settings)
    except CleanerError as error:
        raise _fail(str(error)) from None
    finally:
        if created:
            spark.stop()
    typer.echo(SUMMARY_PREFIX + result.stats.summary(), err=True)
    if result.site is not None:
        hosts = len(result.site.hosts)
        typer.echo(f"{SUMMARY_PREFIX}site boilerplate: {len(result.site)} lines repeated by {hosts} hosts", err=True)
    if result.stats.errors:
        raise typer.Exit(EXIT_ERROR)


def _parse_conf(settings: list[str]) -> dict[str, str]:
    config = {}
    for setting in settings:
        key, equals, value = setting.partition("=")
        if not equals or not key.strip():
            raise ValueError(f"--conf takes KEY=VALUE, not {setting!r}")
        config[key.strip()] = value
    return config


def _session(master: str | None, config: dict[str, str]) -> tuple[SparkSession, bool]:
    """The active session (a caller's, left running), or a new one that the command stops at the end."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    builder = SparkSession.builder.appName(APP_NAME)
    if master is not None:
        builder = builder.master(master)
    # In local mode the workers run on this machine: with this Python (and so with cleaner), not
    # whichever `python3` comes first on PATH, unless the caller chose one. (PySpark reads the variable
    # when the session starts; this is the command's own process.)
    if (master is None or master.startswith("local")) and "PYSPARK_PYTHON" not in os.environ:
        os.environ["PYSPARK_PYTHON"] = sys.executable
    for key, value in config.items():
        builder = builder.config(key, value)
    return builder.getOrCreate(), True


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


# Markdown help: docstring paragraphs wrap to the terminal instead of keeping the source's line breaks.
app = typer.Typer(
    name="cleaner.spark", add_completion=False, pretty_exceptions_enable=False, rich_markup_mode="markdown"
)
app.command(help=spark_command.__doc__)(spark_command)


def main() -> None:
    app()
