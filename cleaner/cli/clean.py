"""``clean``: the article of each page, on stdout or into a folder; batches, JSON Lines and streams."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from cleaner.cli.arguments import (
    EXIT_ERROR,
    ExplainFlag,
    FailFastFlag,
    Files,
    FormatOption,
    GlobOption,
    InputFormatOption,
    JobsOption,
    JsonlFieldOption,
    JsonlLabelsFlag,
    KeepOption,
    LabelsFlag,
    ModelOption,
    OutputDir,
    SkipExistingFlag,
    SummaryFlag,
    ThresholdOption,
    fail,
    parse_keep,
)
from cleaner.cli.batch.format import OUTPUT_FORMATS, SUFFIXES
from cleaner.cli.batch.job import Job, load_cleaner
from cleaner.cli.batch.plan import choose_jobs, expand_inputs, plan_sources
from cleaner.cli.batch.report import Progress
from cleaner.cli.batch.runner import EXIT_INTERRUPTED, Batch, Interrupted
from cleaner.errors import CleanerError
from cleaner.options import Options
from cleaner.records import DEFAULT_KEEP

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a program stopped by a closed pipe


def clean_command(
    files: Files,
    output: OutputDir = None,
    labels: LabelsFlag = False,
    explain: ExplainFlag = False,
    output_format: FormatOption = "text",
    keep: KeepOption = ",".join(DEFAULT_KEEP),
    threshold: ThresholdOption = None,
    model: ModelOption = None,
    input_format: InputFormatOption = "auto",
    glob: GlobOption = "*",
    jsonl_field: JsonlFieldOption = None,
    jsonl_labels: JsonlLabelsFlag = False,
    jobs: JobsOption = None,
    fail_fast: FailFastFlag = False,
    skip_existing: SkipExistingFlag = False,
    summary: SummaryFlag = None,
) -> None:
    """Clean pages: print the article text of each, or write it to --output.

    Takes files, folders (walked recursively, see --glob) and standard input (-); with --jsonl-field,
    JSON Lines files of pages. Large text inputs and standard input are cleaned as a stream, with
    bounded memory. A page that cannot be cleaned is reported on stderr and skipped; the exit code is
    then 1 (130 when interrupted with Ctrl-C: rerun with --skip-existing to resume).
    """
    if output_format not in OUTPUT_FORMATS:
        raise fail(f"--format must be one of {', '.join(OUTPUT_FORMATS)}, not {output_format!r}")
    if jsonl_field is not None and (labels or explain or output_format != "text"):
        raise fail("--jsonl-field writes the input's records: --format, --labels and --explain do not apply")
    if jsonl_labels and jsonl_field is None:
        raise fail("--jsonl-labels needs --jsonl-field")
    if skip_existing and output is None:
        raise fail("--skip-existing needs --output")
    if (labels or explain) and output_format == "text":
        output_format = "tsv"
    try:
        options = Options(
            keep=parse_keep(keep),
            threshold=threshold,
            explain=explain,
            input_format=input_format,  # type: ignore[arg-type]
        ).checked()
        load_cleaner(str(model) if model is not None else None)  # a model that cannot load stops here
    except CleanerError as error:
        raise fail(str(error)) from None
    if output is not None and output.exists() and not output.is_dir():
        raise fail(f"{output}: --output must be a folder, not a file")
    try:
        found = expand_inputs(files, glob, exclude=output)
        suffix = ".jsonl" if jsonl_field is not None else SUFFIXES[output_format]
        sources = plan_sources(found, output, suffix)
    except CleanerError as error:
        raise fail(str(error)) from None
    model_key = str(model) if model is not None else None
    folders = any(name != "-" and Path(name).is_dir() for name in files)
    terminal = _stderr_is_terminal()
    if summary is None:
        summary = folders or jsonl_field is not None or (len(sources) > 1 and terminal)
    job = Job(
        model=model_key,
        options=options,
        output_format=output_format,
        explain=explain,
        jsonl_field=jsonl_field,
        jsonl_labels=jsonl_labels,
        name_files=len(sources) > 1,
    )
    batch = Batch(
        sources,
        job,
        jobs=choose_jobs(jobs, sources, jsonl_field is not None),
        fail_fast=fail_fast,
        skip_existing=skip_existing,
        report=lambda line: typer.echo(line, err=True),
    )
    if terminal and (len(sources) > 1 or jsonl_field is not None):
        batch.progress = Progress(len(sources))
    try:
        totals = batch.run()
    except BrokenPipeError:
        # Standard output was closed early (`clean crawl/ | head`): stop quietly, as `yes | head` does.
        _silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except Interrupted:
        if batch.progress is not None:
            batch.progress.close()
        typer.echo(f"interrupted: {batch.totals.files} of {len(sources)} files done", err=True)
        if summary:
            typer.echo(batch.totals.summary(len(sources)), err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if batch.progress is not None:
        batch.progress.close()
    if summary:
        typer.echo(totals.summary(len(sources)), err=True)
    if totals.errors:
        raise typer.Exit(EXIT_ERROR)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that flushing it at exit raises no second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests' captured output)
        pass


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
