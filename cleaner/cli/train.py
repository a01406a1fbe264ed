"""``cleaner train``, ``evaluate``, ``annotate``, ``benchmark`` and ``agreement``: models from labeled pages,
and how they do."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cleaner.cli.arguments import ModelOption, fail, path_name
from cleaner.errors import CleanerError
from cleaner.options import Options

if TYPE_CHECKING:
    from cleaner.training.labeled import LabeledPage


def train_command(
    labeled: Annotated[
        list[Path],
        typer.Argument(parser=path_name, help="Labeled pages (.tsv files or folders of them).", show_default=False),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", parser=path_name, help="Where to write the model (JSON).")],
    html: Annotated[
        bool,
        typer.Option(
            "--html",
            help="Train a model for HTML pages, with markup features: what the HTML says about each line of the "
            "pages labeled from HTML (cleaner annotate page.html); pages labeled as text have no markup.",
        ),
    ] = False,
    regularization: Annotated[
        float, typer.Option("--C", help="Inverse regularisation strength of the logistic regression.")
    ] = 1.0,
    description: Annotated[str, typer.Option("--description", help="A note stored in the model.")] = "",
) -> None:
    """Train a model on labeled pages, report what it learned, and write it."""
    from cleaner.features import HTML_FEATURE_SETS, TEXT_FEATURE_SETS, FeatureSettings
    from cleaner.training import dataset_from_labeled, read_labeled_pages, train

    if output.is_dir():
        raise fail(f"{output}: is a directory; --output takes the model file to write")
    try:
        pages = read_labeled_pages(labeled)
        _check_output(output, pages)
        if html and not _labeled_from_html(pages):
            raise fail("--html: none of the labeled pages was labeled from HTML (cleaner annotate page.html)")
        data = dataset_from_labeled(pages, markup=html)
        settings = FeatureSettings(HTML_FEATURE_SETS if html else TEXT_FEATURE_SETS)
        model = train(data, settings, C=regularization, description=description)
        model.save(output)
    except CleanerError as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"{output}: cannot write the model: {error.strerror or error}") from None
    info = model.info["training_data"]
    typer.echo(f"trained on {info['pages']} pages, {info['lines']} lines, {info['groups']} outlets")
    typer.echo("label counts: " + ", ".join(f"{k} {v}" for k, v in info["label_counts"].items()))
    cv = model.info.get("cross_validation")
    if cv:
        typer.echo(_format_cross_validation(cv, model.keep))
    else:
        typer.echo("no cross-validation: the pages come from a single outlet")
    typer.echo(f"threshold {model.threshold:.3f}, smoothing {model.smoothing:.2f}")
    typer.echo(f"wrote {output}")


def _labeled_from_html(pages: Sequence[LabeledPage]) -> bool:
    """Whether any of ``pages`` was labeled from HTML: only those carry markup to train or score on."""
    return any(page.html is not None for page in pages)


def _check_output(output: Path, pages: Sequence[LabeledPage]) -> None:
    """Refuse an output that is one of the inputs (a labeled page, or the HTML page of one)."""
    target = output.resolve()
    for page in pages:
        inputs = [Path(page.file) if page.file else None, page.html_path()]
        if any(path is not None and path.resolve() == target for path in inputs):
            raise fail(f"{output}: the model would overwrite an input; choose another --output")


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _format_cross_validation(cv: dict, keep: Sequence[str]) -> str:
    chars, lines = cv["keep_chars"], cv["keep_lines"]
    out = [
        f"cross-validation ({cv['split']}), kept text vs. {'+'.join(keep)}:",
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


def evaluate_command(
    labeled: Annotated[
        list[Path],
        typer.Argument(parser=path_name, help="Labeled pages (.tsv files or folders of them).", show_default=False),
    ],
    model: ModelOption = None,
    cross_validate: Annotated[
        bool, typer.Option("--cross-validate/--no-cross-validate", help="Also train and test leaving one outlet out.")
    ] = True,
) -> None:
    """Score a model on labeled pages: per-label figures, confusion matrix, and leave-one-outlet-out figures."""
    from cleaner.api import DEFAULT_TEXT_MODEL, default_model_path
    from cleaner.model import Model
    from cleaner.training import cross_validate as run_cross_validation
    from cleaner.training import dataset_from_labeled, evaluate, read_labeled_pages
    from cleaner.training.fit import kept_labels

    try:
        loaded = Model.load(model or default_model_path(DEFAULT_TEXT_MODEL))
        markup = loaded.settings.uses_markup
        pages = read_labeled_pages(labeled)
        if markup and not _labeled_from_html(pages):
            raise fail(
                "this model reads markup, and none of the labeled pages was labeled from HTML "
                "(cleaner annotate page.html): it would be scored on lines without any"
            )
        data = dataset_from_labeled(pages, markup=markup)
        result = evaluate(loaded, data)
        typer.echo(f"model {model or 'default'} on {len(data.sources)} pages, {len(data.lines)} lines:")
        chars, lines = result.keep_chars, result.keep_lines
        typer.echo(
            f"  characters: precision {chars['precision']:.3f}  recall {chars['recall']:.3f}  F1 {chars['f1']:.3f}"
        )
        typer.echo(
            f"  lines:      precision {lines['precision']:.3f}  recall {lines['recall']:.3f}  F1 {lines['f1']:.3f}"
        )
        typer.echo(_format_label_report(result.labels))
        if cross_validate and len(set(data.groups)) > 1:
            # Trained as the model was: its regularisation and its kept labels.
            hyperparameters = loaded.info.get("hyperparameters")
            regularization = hyperparameters.get("C", 1.0) if isinstance(hyperparameters, dict) else 1.0
            figures = run_cross_validation(data, loaded.settings, C=regularization, keep=loaded.keep)
            typer.echo(_format_cross_validation(figures, kept_labels(data, loaded.keep)))
    except CleanerError as error:
        raise fail(str(error)) from None


def annotate_command(
    page: Annotated[
        str, typer.Argument(help="A page to pre-label (text, Markdown or HTML). Use - for standard input (text).")
    ],
    outlet: Annotated[
        str, typer.Option("--outlet", help="The outlet the page comes from (for splitting by outlet).")
    ] = "",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", parser=path_name, help="Write the labeled page (TSV) to this file instead of stdout."
        ),
    ] = None,
    model: ModelOption = None,
) -> None:
    """Pre-label a page with the current model, as a labeled TSV (UTF-8) to correct by hand.

    An HTML page is labeled line by line as cleaner reads it, and the labeled page names the HTML
    file (from the labeled page's folder: keep the two together), which `cleaner train --html` reads
    again for what the markup says about each line."""
    from cleaner.api import Cleaner
    from cleaner.files import read_input, write_atomic
    from cleaner.read.decode import decode_text
    from cleaner.training import LabeledPage, format_labeled, split_page

    if output is not None and page != "-" and Path(page).resolve() == output.resolve():
        raise fail(f"{output}: the labeled page would overwrite its page; choose another --output")
    try:
        cleaner = Cleaner.load(model)
        data = read_input(page)  # its errors name the file
    except CleanerError as error:
        raise fail(str(error)) from None
    try:
        classified = cleaner.process(data, Options())
    except CleanerError as error:
        raise fail(f"{page}: {error}") from None
    name = "stdin" if page == "-" else Path(page).name
    labels = tuple(result.label for result in classified.results)
    if classified.input_format == "html":
        if page == "-":
            raise fail("an HTML page is labeled from its file, which training reads again: give its path, not -")
        # Named from the labeled page's folder; written to stdout, it is to be saved beside the page.
        html = name if output is None else os.path.relpath(Path(page).resolve(), output.resolve().parent)
        lines = tuple(result.text for result in classified.results)
        labeled = LabeledPage(outlet or "unknown", name, lines, labels, html=Path(html).as_posix())
    else:
        text_lines, newline, final_newline = split_page(decode_text(data).text)
        labeled = LabeledPage(outlet or "unknown", name, tuple(text_lines), labels, newline, final_newline)
    try:
        text = format_labeled(labeled)
        if output is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))  # what training reads, whatever the locale's encoding
            sys.stdout.flush()
        else:
            write_atomic(output, text)
    except CleanerError as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"{output}: cannot write the labeled page: {error.strerror or error}") from None


def benchmark_command(
    corpora: Annotated[
        Path | None,
        typer.Option(
            "--corpora", parser=path_name, help="Folder of the corpora (*.jsonl.gz); default ../shared/corpora."
        ),
    ] = None,
    models: Annotated[
        Path,
        typer.Option(
            "--models",
            parser=path_name,
            help="The held-out models (one per corpus) that training/build_models.py writes.",
        ),
    ] = Path("bench/results/held-out"),
    limit: Annotated[int | None, typer.Option("--limit", help="Pages per corpus (for a quick run).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Processes for the other extractors.")] = 2,
    cache: Annotated[
        Path, typer.Option("--cache", parser=path_name, help="Where the other extractors' outputs are cached.")
    ] = Path("bench/results/cache"),
    report: Annotated[
        Path | None, typer.Option("--report", parser=path_name, help="Also write the report (Markdown) here.")
    ] = None,
) -> None:
    """Held-out comparison on the public corpora: cleaner (each corpus cleaned by models that never saw it)
    against other extractors and text baselines, per corpus; then the metadata (title, author, date)
    against trafilatura's."""
    from cleaner.corpus.benchmark import load_held_out, run_benchmark
    from cleaner.corpus.pages import iter_corpus_pages
    from cleaner.files import write_atomic

    # What would stop the run at its end, said before it starts (it takes minutes).
    if limit is not None and limit < 1:
        raise fail(f"--limit must be 1 or more, not {limit}")
    if jobs < 1:
        raise fail(f"--jobs must be 1 or more, not {jobs}")
    if cache.exists() and not cache.is_dir():
        raise fail(f"{cache}: --cache names a folder, and this is a file")
    if report is not None and (report.is_dir() or any(parent.is_file() for parent in report.parents)):
        raise fail(f"{report}: --report names a file, in a folder")
    try:
        pages = list(iter_corpus_pages(corpora, limit=limit))
    except CleanerError as error:
        raise fail(str(error)) from None
    try:
        held_out = load_held_out(models, sorted({page.corpus for page in pages}))
    except CleanerError as error:
        raise fail(f"{error} (the held-out models come from `python training/build_models.py`)") from None
    try:
        result = run_benchmark(
            pages, held_out, cache=cache, jobs=jobs, progress=lambda message: typer.echo(message, err=True)
        )
    except CleanerError as error:
        raise fail(str(error)) from None
    text = result.report() + "\n\n" + _metadata_report(corpora)
    typer.echo(text)
    if report is not None:
        try:
            write_atomic(report, text + "\n")
        except OSError as error:
            raise fail(f"{report}: cannot write the report: {error.strerror or error}") from None


def _metadata_report(corpora: Path | None) -> str:
    """Title, author and date accuracy of cleaner.metadata beside trafilatura's (when installed), on the
    pages of bench/data/metadata_gold.json (see bench/metadata_eval.py)."""
    import importlib.util

    from cleaner.corpus.metadata_eval import evaluate_metadata

    systems = ("cleaner", "trafilatura") if importlib.util.find_spec("trafilatura") else ("cleaner",)
    scores = evaluate_metadata(corpora, systems=systems)
    return (
        "### Metadata (accuracy; bench/metadata_eval.py says how the pages were chosen)\n\n```\n"
        + scores.format()
        + "\n```"
    )


def agreement_command(
    corpora: Annotated[
        Path | None,
        typer.Option(
            "--corpora", parser=path_name, help="Folder of the corpora (*.jsonl.gz); default ../shared/corpora."
        ),
    ] = None,
    corpus: Annotated[list[str] | None, typer.Option("--corpus", help="A corpus to read (repeatable).")] = None,
    renderer: Annotated[
        list[str] | None, typer.Option("--renderer", help="cleaner, html-text or inscriptis (repeatable).")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Pages per corpus.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Processes.")] = 1,
) -> None:
    """How well the aligner's labels reproduce each corpus's gold text, per renderer: the agreement table."""
    from cleaner.corpus.align import agreement_by_renderer, agreement_table

    try:
        tables = agreement_by_renderer(corpora, corpus, renderer, limit, jobs)
    except CleanerError as error:
        raise fail(str(error)) from None
    for name, by_corpus in tables.items():
        typer.echo(f"renderer: {name}\n{agreement_table(by_corpus)}\n")
