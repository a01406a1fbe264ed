"""``clean``: the article of each page, on stdout or into a folder; batches, JSON Lines and streams."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import typer

from cleaner.cli.arguments import (
    EXIT_ERROR,
    CompressFlag,
    ExplainFlag,
    FailFastFlag,
    FallbackFlag,
    Files,
    FormatOption,
    GlobOption,
    InputFormatOption,
    JobsOption,
    JsonlFieldOption,
    JsonlLabelsFlag,
    KeepOption,
    LabelsFlag,
    LinksFlag,
    MetadataFlag,
    ModelOption,
    NarrowFlag,
    OutputDir,
    SiteBoilerplateFlag,
    SiteMaxLinesOption,
    SkipExistingFlag,
    SummaryFlag,
    ThresholdOption,
    fail,
    parse_keep,
    report,
)
from cleaner.cli.batch.format import DOCUMENT_FORMATS, OUTPUT_FORMATS, SUFFIXES
from cleaner.cli.batch.job import Job, load_cleaner
from cleaner.cli.batch.output import GZIP_SUFFIX, OutputClosed
from cleaner.cli.batch.plan import JSONL_SUFFIX, Source, choose_jobs, expand_inputs, plan_sources
from cleaner.cli.batch.report import Progress
from cleaner.cli.batch.runner import EXIT_INTERRUPTED, Batch, Interrupted
from cleaner.cli.batch.signals import terminate_as_interrupt
from cleaner.cli.batch.site import save_site_table
from cleaner.errors import CleanerError
from cleaner.files import STDIN, standard_input
from cleaner.options import Options
from cleaner.records import DEFAULT_KEEP
from cleaner.site import MAX_LINES, SiteBoilerplate, SiteRules

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
    links: LinksFlag = False,
    fallback: FallbackFlag = True,
    narrow: NarrowFlag = True,
    metadata: MetadataFlag = True,
    glob: GlobOption = "*",
    jsonl_field: JsonlFieldOption = None,
    jsonl_labels: JsonlLabelsFlag = False,
    jobs: JobsOption = None,
    fail_fast: FailFastFlag = False,
    skip_existing: SkipExistingFlag = False,
    summary: SummaryFlag = None,
    compress: CompressFlag = False,
    site_boilerplate: SiteBoilerplateFlag = False,
    site_max_lines: SiteMaxLinesOption = MAX_LINES,
) -> None:
    """Clean pages: print the article text of each, or write it to --output.

    Takes files, folders (walked recursively, see --glob) and standard input (-); with --jsonl-field,
    JSON Lines files of pages. Crawl files (WARC, WET; gzip-compressed or not), known by their
    content, are cleaned into JSON Lines: one object per page (url, warc_record_id, warc_date, offset,
    language, title, author, date, site_name, description, canonical_url, lines_kept, lines_dropped,
    text). Large text inputs, standard input and crawl files are
    read as a stream, with bounded memory. A page that cannot be cleaned is reported on stderr and
    skipped; the exit code is then 1 (130 when interrupted with Ctrl-C or SIGTERM: rerun with --skip-existing
    to resume).
    """
    if output_format not in OUTPUT_FORMATS:
        raise fail(f"--format must be one of {', '.join(OUTPUT_FORMATS)}, not {output_format!r}")
    if jsonl_field is not None and (labels or explain or output_format not in ("text", *DOCUMENT_FORMATS)):
        raise fail(
            "--jsonl-field writes the input's records: --labels, --explain and --format tsv or jsonl do not apply"
        )
    if (labels or explain) and output_format in DOCUMENT_FORMATS:
        raise fail(f"--labels and --explain label every line: they do not go with --format {output_format}")
    if links and output_format not in DOCUMENT_FORMATS:
        raise fail(
            f"--links writes the links into the Markdown: it needs --format markdown or json, not {output_format}"
        )
    if site_boilerplate and output_format in DOCUMENT_FORMATS:
        raise fail(f"--site-boilerplate drops lines the model kept: it does not go with --format {output_format}")
    if STDIN in files:
        try:
            standard_input()  # started with it closed (<&-): one error line before any work
        except CleanerError as error:
            raise fail(str(error)) from None
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
            fallback=fallback,
            narrow=narrow,
        ).checked()
        load_cleaner(str(model) if model is not None else None)  # a model that cannot load stops here
    except CleanerError as error:
        raise fail(str(error)) from None
    single = _single_output(output)
    if output is not None and output.exists() and not output.is_dir():
        if not single:
            raise fail(f"{output}: --output must be a folder (or a .jsonl or .jsonl.gz file), not a file")
    if compress and (output is None or single):
        raise fail("--compress needs an --output folder (a single output file is compressed when named .jsonl.gz)")
    if skip_existing and single:
        raise fail("--skip-existing needs an --output folder, not a single output file")
    records_suffix = JSONL_SUFFIX + (GZIP_SUFFIX if compress else "")
    try:
        found = expand_inputs(files, glob, exclude=output if not single else None)
        suffix = records_suffix if jsonl_field is not None else SUFFIXES[output_format]
        sources = plan_sources(found, output, suffix, records_suffix, single)
    except CleanerError as error:
        raise fail(str(error)) from None
    crawls = [source for source in sources if source.crawl]
    if crawls and (labels or explain or output_format not in ("text", "markdown")):
        raise fail(
            f"{crawls[0].display}: a crawl file is cleaned into JSON Lines, one object per page: --labels, "
            "--explain and --format other than markdown (which adds a markdown field) do not apply "
            "(--jsonl-labels adds each page's labels)"
        )
    if crawls and input_format != "auto":
        report(
            f"warning: {crawls[0].display}: a crawl file's records say what each page is (HTML in a WARC, "
            f"text in a WET): --input-format {input_format} applies to the other inputs only"
        )
    if site_max_lines != MAX_LINES and not site_boilerplate:
        raise fail("--site-max-lines needs --site-boilerplate")
    if jsonl_labels and jsonl_field is None and not crawls:
        raise fail("--jsonl-labels needs --jsonl-field")  # (or crawl files, which take it too)
    if jsonl_labels and jsonl_field is not None and output_format in DOCUMENT_FORMATS:
        raise fail(
            f"--jsonl-labels labels every line of a record's field: it does not go with --format {output_format}"
        )
    if site_boilerplate and any(source.path == STDIN for source in sources):
        raise fail("--site-boilerplate reads the inputs twice: standard input cannot be one of them")
    model_key = str(model) if model is not None else None
    folders = any(name != "-" and Path(name).is_dir() for name in files)
    terminal = _stderr_is_terminal()
    records = jsonl_field is not None or bool(crawls)
    if summary is None:
        summary = folders or records or (len(sources) > 1 and terminal)
    job = Job(
        model=model_key,
        options=options,
        output_format=output_format,
        explain=explain,
        jsonl_field=jsonl_field,
        jsonl_labels=jsonl_labels,
        name_files=len(sources) > 1,
        links=links,
        metadata=metadata,
        site_max_lines=site_max_lines,
    )
    # With --fail-fast, no worker may have written what comes after the first failure.
    workers = 1 if fail_fast else choose_jobs(jobs, sources, jsonl_field is not None)
    progress_bytes = sum(source.size for source in sources) if crawls else None
    with contextlib.ExitStack() as stack:
        stack.enter_context(terminate_as_interrupt())
        if site_boilerplate:
            boilerplate = _count_sites(sources, job, workers, terminal, progress_bytes)
            if summary:
                typer.echo(_site_summary(boilerplate), err=True)
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="cleaner-site-"))  # private (0700)
            job = replace(job, site_table=save_site_table(boilerplate, folder))
        batch = Batch(
            sources,
            job,
            jobs=workers,
            fail_fast=fail_fast,
            skip_existing=skip_existing,
            report=report,
        )
        if terminal and (len(sources) > 1 or records):
            batch.progress = Progress(len(sources), progress_bytes)
        _run(batch, len(sources), summary)


def _single_output(output: Path | None) -> bool:
    """Whether ``--output`` names one JSON Lines file for every input, rather than a folder."""
    if output is None or output.is_dir():
        return False
    return output.name.endswith((JSONL_SUFFIX, JSONL_SUFFIX + GZIP_SUFFIX))


def _count_sites(
    sources: list[Source], job: Job, workers: int, terminal: bool, progress_bytes: int | None
) -> SiteBoilerplate:
    """Pass 1 of --site-boilerplate: the lines each site repeats (nothing reported: pass 2 does)."""
    counting = Batch(sources, replace(job, site_count=True), jobs=workers, report=lambda line: None)
    if terminal:
        counting.progress = Progress(len(sources), progress_bytes, label="counting lines")
    try:
        counting.run()
    except Interrupted:
        typer.echo("interrupted: while counting the lines of each site (nothing written)", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except OutputClosed:  # pass 1 writes nothing; a closed standard output is pass 2's business
        pass
    except OSError as error:
        raise fail(f"the batch stopped: {error}") from None
    finally:
        if counting.progress is not None:
            counting.progress.close()
    if counting.site_counts is None:
        return SiteBoilerplate({}, SiteRules())
    return counting.site_counts.boilerplate(SiteRules())


def _site_summary(boilerplate: SiteBoilerplate) -> str:
    rules, sites = boilerplate.rules, len(boilerplate.hosts)
    return (
        f"site boilerplate: {len(boilerplate)} lines repeated by {sites} site{'s' * (sites != 1)} "
        f"(each on at least {rules.share:.0%} of its site's pages, and {rules.min_pages})"
    )


def _run(batch: Batch, inputs: int, summary: bool) -> None:
    """Run a batch: its summary, and the exit code (1 for errors, 130 for Ctrl-C, 141 for a closed pipe)."""
    try:
        totals = batch.run()
    except OutputClosed:
        # Standard output was closed early (`clean crawl/ | head`): stop quietly, as `yes | head` does.
        _silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except OSError as error:  # not a file's (each is reported and skipped): the worker processes' machinery
        raise fail(f"the batch stopped: {error}") from None
    except Interrupted:
        if batch.progress is not None:
            batch.progress.close()
        typer.echo(f"interrupted: {batch.totals.files} of {inputs} files done", err=True)
        if summary:
            typer.echo(batch.totals.summary(inputs), err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    if batch.progress is not None:
        batch.progress.close()
    if summary:
        typer.echo(totals.summary(inputs), err=True)
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
