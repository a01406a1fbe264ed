"""``cleaner train``, ``evaluate``, ``annotate``, ``benchmark`` and ``agreement``: models from labeled pages,
and how they do."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from cleaner.cli.arguments import ModelOption, fail, path_name
from cleaner.errors import CleanerError
from cleaner.options import Options


def train_command(
    labeled: Annotated[
        list[Path],
        typer.Argument(parser=path_name, help="Labeled pages (.tsv files or folders of them).", show_default=False),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", parser=path_name, help="Where to write the model (JSON).")],
    html: Annotated[bool, typer.Option("--html", help="Use markup features (for pages labeled from HTML).")] = False,
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
        data = dataset_from_labeled(read_labeled_pages(labeled))
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
        data = dataset_from_labeled(read_labeled_pages(labeled))
        loaded = Model.load(model or default_model_path(DEFAULT_TEXT_MODEL))
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
            figures = run_cross_validation(data, loaded.settings)
            typer.echo(_format_cross_validation(figures, kept_labels(data)))
    except CleanerError as error:
        raise fail(str(error)) from None


def annotate_command(
    page: Annotated[str, typer.Argument(help="A page to pre-label (text or Markdown). Use - for standard input.")],
    outlet: Annotated[
        str, typer.Option("--outlet", help="The outlet the page comes from (for splitting by outlet).")
    ] = "",
    model: ModelOption = None,
) -> None:
    """Pre-label a page with the current model, as a labeled TSV to correct by hand."""
    from cleaner.api import Cleaner
    from cleaner.files import read_input
    from cleaner.read.decode import decode_text
    from cleaner.training import LabeledPage, format_labeled, split_page

    try:
        cleaner = Cleaner.load(model)
        data = read_input(page)  # its errors name the file
    except CleanerError as error:
        raise fail(str(error)) from None
    try:
        text = decode_text(data).text
        results = cleaner.process(text, Options(input_format="text")).results
    except CleanerError as error:
        raise fail(f"{page}: {error}") from None
    lines, newline, final_newline = split_page(text)
    labels = tuple(r.label for r in results)
    name = "stdin" if page == "-" else Path(page).name
    labeled = LabeledPage(outlet or "unknown", name, tuple(lines), labels, newline, final_newline)
    try:
        sys.stdout.write(format_labeled(labeled))
    except CleanerError as error:
        raise fail(str(error)) from None


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
    except (CleanerError, KeyError) as error:
        raise fail(str(error)) from None
    for name, by_corpus in tables.items():
        typer.echo(f"renderer: {name}\n{agreement_table(by_corpus)}\n")
