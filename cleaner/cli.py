"""The command line: ``cleaner`` (clean, train, evaluate, annotate) and its shortcut ``clean``.

Every command only parses arguments and calls the library. Errors the library raises on purpose
(:class:`~cleaner.errors.CleanerError`) become one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from cleaner.errors import CleanerError
from cleaner.lines import DEFAULT_KEEP, LABELS
from cleaner.options import Options

EXIT_ERROR = 1
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a program stopped by a closed pipe
OUTPUT_FORMATS = ("text", "tsv", "jsonl")  # as cleaner.batch.OUTPUT_FORMATS (not imported: start-up time)

# Markdown help: docstring paragraphs wrap to the terminal instead of keeping the source's line breaks.
HELP_MARKUP = "markdown"

app = typer.Typer(
    name="cleaner",
    help="Keep the article of scraped web pages, drop the menus, ads, related links and comment prompts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=HELP_MARKUP,
)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def _parse_keep(keep: str) -> tuple[str, ...]:
    return tuple(label.strip() for label in keep.split(",") if label.strip())


Files = Annotated[
    list[str],
    typer.Argument(
        help="Pages to clean (text, Markdown or HTML), or folders of them. Use - for standard input.",
        show_default=False,
    ),
]
OutputDir = Annotated[
    Optional[Path],
    typer.Option("--output", "-o", help="Write one output file per input into this folder instead of stdout."),
]
LabelsFlag = Annotated[
    bool, typer.Option("--labels", help="Print every line with its label and keep-probability (as --format tsv).")
]
ExplainFlag = Annotated[
    bool, typer.Option("--explain", help="With each line, the features that weighed most in its label.")
]
FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="Output: text (the kept lines), tsv or jsonl (every line, labeled).")
]
KeepOption = Annotated[
    str, typer.Option("--keep", help=f"Comma-separated labels to keep. Labels: {', '.join(LABELS)}.")
]
ThresholdOption = Annotated[
    Optional[float],
    typer.Option(
        "--threshold",
        "-t",
        min=0.0,
        max=1.0,
        help="Keep a line when its keep-probability reaches this. Lower keeps more text (recall), "
        "higher keeps less (precision). Default: the model's, which maximised F1 on held-out pages.",
    ),
]
ModelOption = Annotated[
    Optional[Path], typer.Option("--model", "-m", help="A model file made by `cleaner train` (default: the shipped model).")
]
InputFormatOption = Annotated[
    str, typer.Option("--input-format", help="auto (sniff the content), text or html.")
]


GlobOption = Annotated[
    str,
    typer.Option(
        "--glob",
        help="In folders, clean the files whose name matches this pattern (e.g. '*.html'; "
        "with a '/', the path inside the folder, where * also matches '/'). Folders are walked recursively; hidden files are skipped.",
    ),
]
JsonlFieldOption = Annotated[
    Optional[str],
    typer.Option(
        "--jsonl-field",
        help="The inputs are JSON Lines: clean this field of each record and write the records "
        "with the cleaned text in it.",
    ),
]
JsonlLabelsFlag = Annotated[
    bool,
    typer.Option("--jsonl-labels", help="With --jsonl-field, add FIELD_labels: the label of each line of the field."),
]
JobsOption = Annotated[
    Optional[int],
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Processes to clean with (default: one per core, but a single file or a small batch stays in "
        "this process). The output is the same whatever the number.",
        show_default=False,
    ),
]
FailFastFlag = Annotated[bool, typer.Option("--fail-fast", help="Stop at the first input that cannot be cleaned.")]
SkipExistingFlag = Annotated[
    bool,
    typer.Option(
        "--skip-existing", help="With --output, skip the inputs whose output file exists (to resume a batch)."
    ),
]
SummaryFlag = Annotated[
    Optional[bool],
    typer.Option(
        "--summary/--no-summary",
        help="Print a summary on stderr at the end: pages, MB, lines kept and dropped, pages/s, errors "
        "(default: for folders and JSON Lines, and for several files when stderr is a terminal).",
        show_default=False,
    ),
]


@app.command("clean")
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
    from cleaner.batch import (
        EXIT_INTERRUPTED,
        SUFFIXES,
        Batch,
        Interrupted,
        Job,
        Progress,
        choose_jobs,
        expand_inputs,
        plan_sources,
        share_cleaner,
    )
    from cleaner.core import Cleaner

    if output_format not in OUTPUT_FORMATS:
        raise _fail(f"--format must be one of {', '.join(OUTPUT_FORMATS)}, not {output_format!r}")
    if jsonl_field is not None and (labels or explain or output_format != "text"):
        raise _fail("--jsonl-field writes the input's records: --format, --labels and --explain do not apply")
    if jsonl_labels and jsonl_field is None:
        raise _fail("--jsonl-labels needs --jsonl-field")
    if skip_existing and output is None:
        raise _fail("--skip-existing needs --output")
    if (labels or explain) and output_format == "text":
        output_format = "tsv"
    try:
        options = Options(
            keep=_parse_keep(keep), threshold=threshold, explain=explain, input_format=input_format  # type: ignore[arg-type]
        ).checked()
        cleaner = Cleaner.load(model)
    except CleanerError as error:
        raise _fail(str(error)) from None
    if output is not None and output.exists() and not output.is_dir():
        raise _fail(f"{output}: --output must be a folder, not a file")
    try:
        found = expand_inputs(files, glob, exclude=output)
        suffix = ".jsonl" if jsonl_field is not None else SUFFIXES[output_format]
        sources = plan_sources(found, output, suffix)
    except CleanerError as error:
        raise _fail(str(error)) from None
    model_key = str(model) if model is not None else None
    share_cleaner(model_key, cleaner)
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


@app.command("train")
def train_command(
    labeled: Annotated[list[Path], typer.Argument(help="Labeled pages (.tsv files or folders of them).", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the model (JSON).")],
    html: Annotated[bool, typer.Option("--html", help="Use markup features (for pages labeled from HTML).")] = False,
    regularization: Annotated[float, typer.Option("--C", help="Inverse regularisation strength of the logistic regression.")] = 1.0,
    description: Annotated[str, typer.Option("--description", help="A note stored in the model.")] = "",
) -> None:
    """Train a model on labeled pages, report what it learned, and write it."""
    from cleaner.features import HTML_FEATURE_SETS, TEXT_FEATURE_SETS
    from cleaner.labels import read_labeled_pages
    from cleaner.model import FeatureSettings
    from cleaner.training import dataset_from_labeled, train

    if output.is_dir():
        raise _fail(f"{output}: is a directory; --output takes the model file to write")
    try:
        data = dataset_from_labeled(read_labeled_pages(labeled))
        settings = FeatureSettings(HTML_FEATURE_SETS if html else TEXT_FEATURE_SETS)
        model = train(data, settings, C=regularization, description=description)
        model.save(output)
    except CleanerError as error:
        raise _fail(str(error)) from None
    except OSError as error:
        raise _fail(f"{output}: cannot write the model: {error.strerror or error}") from None
    info = model.info["training_data"]
    typer.echo(f"trained on {info['pages']} pages, {info['lines']} lines, {info['groups']} outlets")
    typer.echo("label counts: " + ", ".join(f"{k} {v}" for k, v in info["label_counts"].items()))
    cv = model.info.get("cross_validation")
    if cv:
        typer.echo(_format_cross_validation(cv))
    else:
        typer.echo("no cross-validation: the pages come from a single outlet")
    typer.echo(f"threshold {model.threshold:.3f}, smoothing {model.smoothing:.2f}")
    typer.echo(f"wrote {output}")


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _format_cross_validation(cv: dict) -> str:
    chars, lines = cv["keep_chars"], cv["keep_lines"]
    out = [
        f"cross-validation ({cv['split']}), kept text vs. body+heading:",
        f"  characters: precision {chars['precision']:.3f}  recall {chars['recall']:.3f}  F1 {chars['f1']:.3f}",
        f"  lines:      precision {lines['precision']:.3f}  recall {lines['recall']:.3f}  F1 {lines['f1']:.3f}",
        _format_label_report(cv["labels"]),
    ]
    return "\n".join(out)


def _format_label_report(report: dict) -> str:
    labels = report["labels"]
    out = [f"  {'label':<11}{'precision':>10}{'recall':>8}{'F1':>7}{'lines':>7}"]
    for label in labels:
        row = report["per_label"][label]
        out.append(f"  {label:<11}{row['precision']:>10.3f}{row['recall']:>8.3f}{row['f1']:>7.3f}{row['support']:>7d}")
    out.append("  confusion (rows: true label, columns: predicted)")
    out.append("  " + " " * 11 + "".join(f"{label[:6]:>7}" for label in labels))
    for label, row in zip(labels, report["confusion"]):
        out.append(f"  {label:<11}" + "".join(f"{count:>7d}" for count in row))
    return "\n".join(out)


@app.command("evaluate")
def evaluate_command(
    labeled: Annotated[list[Path], typer.Argument(help="Labeled pages (.tsv files or folders of them).", show_default=False)],
    model: ModelOption = None,
    cross_validate: Annotated[
        bool, typer.Option("--cross-validate/--no-cross-validate", help="Also train and test leaving one outlet out.")
    ] = True,
) -> None:
    """Score a model on labeled pages: per-label figures, confusion matrix, and leave-one-outlet-out figures."""
    from cleaner.core import DEFAULT_TEXT_MODEL, default_model_path
    from cleaner.labels import read_labeled_pages
    from cleaner.model import Model
    from cleaner.training import cross_validate as run_cross_validation
    from cleaner.training import dataset_from_labeled, evaluate

    try:
        data = dataset_from_labeled(read_labeled_pages(labeled))
        loaded = Model.load(model or default_model_path(DEFAULT_TEXT_MODEL))
        result = evaluate(loaded, data)
        typer.echo(f"model {model or 'default'} on {len(data.sources)} pages, {len(data.lines)} lines:")
        chars, lines = result.keep_chars, result.keep_lines
        typer.echo(f"  characters: precision {chars['precision']:.3f}  recall {chars['recall']:.3f}  F1 {chars['f1']:.3f}")
        typer.echo(f"  lines:      precision {lines['precision']:.3f}  recall {lines['recall']:.3f}  F1 {lines['f1']:.3f}")
        typer.echo(_format_label_report(result.labels))
        if cross_validate and len(set(data.groups)) > 1:
            typer.echo(_format_cross_validation(run_cross_validation(data, loaded.settings)))
    except CleanerError as error:
        raise _fail(str(error)) from None


@app.command("annotate")
def annotate_command(
    page: Annotated[str, typer.Argument(help="A page to pre-label (text or Markdown). Use - for standard input.")],
    outlet: Annotated[str, typer.Option("--outlet", help="The outlet the page comes from (for splitting by outlet).")] = "",
    model: ModelOption = None,
) -> None:
    """Pre-label a page with the current model, as a labeled TSV to correct by hand."""
    from cleaner.core import Cleaner
    from cleaner.files import read_input
    from cleaner.labels import LabeledPage, format_labeled, split_page
    from cleaner.text import decode_text

    try:
        cleaner = Cleaner.load(model)
        data = read_input(page)  # its errors name the file
    except CleanerError as error:
        raise _fail(str(error)) from None
    try:
        text = decode_text(data).text
        results = cleaner.process(text, Options(input_format="text")).results
    except CleanerError as error:
        raise _fail(f"{page}: {error}") from None
    lines, newline, final_newline = split_page(text)
    labels = tuple(r.label for r in results)
    name = "stdin" if page == "-" else Path(page).name
    labeled = LabeledPage(outlet or "unknown", name, tuple(lines), labels, newline, final_newline)
    sys.stdout.write(format_labeled(labeled))


@app.command("benchmark")
def benchmark_command(
    corpora: Annotated[
        Optional[Path], typer.Option("--corpora", help="Folder of the corpora (*.jsonl.gz); default ../shared/corpora.")
    ] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", help="Pages per corpus (for a quick run).")] = None,
    seeds: Annotated[
        Optional[Path], typer.Option("--seeds", help="Hand-labeled pages added to every training side.")
    ] = Path("training/seeds"),
    competitors: Annotated[
        bool, typer.Option("--competitors/--no-competitors", help="Also run trafilatura, jusText, boilerpy3, readability.")
    ] = True,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Processes for aligning pages and fitting models.")] = 1,
    report: Annotated[Optional[Path], typer.Option("--report", help="Also write the report (Markdown) here.")] = None,
    save_models: Annotated[
        Optional[Path], typer.Option("--save-models", help="Also write text.json and html.json fitted on every page here.")
    ] = None,
) -> None:
    """Held-out comparison on the public corpora: cleaner vs. other extractors and text baselines, one table."""
    from cleaner.benchmark import format_report, run_benchmark
    from cleaner.files import write_atomic
    from cleaner.labels import read_labeled_pages
    from cleaner.training import dataset_from_labeled

    try:
        seed_data = dataset_from_labeled(read_labeled_pages([seeds])) if seeds and seeds.exists() else None
        result = run_benchmark(
            corpora,
            limit=limit,
            seeds=seed_data,
            competitors=competitors,
            jobs=jobs,
            progress=lambda message: typer.echo(message, err=True),
            save_models=save_models,
            trained_at=_now(),
        )
    except CleanerError as error:
        raise _fail(str(error)) from None
    text = format_report(result)
    typer.echo(text)
    if report is not None:
        write_atomic(report, text + "\n")


# `clean` is a shortcut for `cleaner clean`: the same function, as a single-command app.
clean_app = typer.Typer(name="clean", add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=HELP_MARKUP)
clean_app.command(help=clean_command.__doc__)(clean_command)


def clean_main() -> None:
    _one_blas_thread()
    clean_app()


def main() -> None:
    _one_blas_thread()
    app()


def _one_blas_thread() -> None:
    """Cleaning multiplies small matrices a page at a time: a second BLAS thread only spins (the same
    speed for twice the CPU, measured on 2 cores). Parallel work is --jobs' processes."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
