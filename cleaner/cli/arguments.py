"""The command line's shared pieces: the options of its commands (one definition each) and how a
command fails (one line on stderr, a non-zero exit)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cleaner.cli.batch.format import OUTPUT_FORMATS
from cleaner.records import LABELS

EXIT_ERROR = 1


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr; the exit to raise."""
    report(f"error: {message}")
    return typer.Exit(EXIT_ERROR)


def report(message: str) -> None:
    """Print a message on stderr as one line (see :func:`one_line`)."""
    typer.echo(one_line(message), err=True)


def one_line(message: str) -> str:
    """``message`` with its control characters escaped as Python writes them (a line break in a file
    name shown as ``\\n``): each error is one line, whatever the names it quotes hold."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() or c == "\t" else repr(c)[1:-1] for c in message)


def path_name(value: str | Path) -> Path:
    """A file or folder name given on the command line. An empty name is refused: ``Path("")`` is the
    current folder, and an unset variable in ``-o "$OUT"`` would write there."""
    if isinstance(value, Path):  # a default
        return value
    if value == "":
        raise typer.BadParameter("an empty name is no file or folder")
    return Path(value)


def parse_keep(keep: str) -> tuple[str, ...]:
    return tuple(label.strip() for label in keep.split(",") if label.strip())


Files = Annotated[
    list[str],
    typer.Argument(
        help="Pages to clean (text, Markdown or HTML), crawl files (WARC, WET), or folders of them. Use - for "
        "standard input.",
        show_default=False,
    ),
]
OutputDir = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        parser=path_name,
        help="Write one output file per input into this folder instead of stdout (crawl files: NAME.jsonl). "
        "A name ending in .jsonl or .jsonl.gz that is not a folder: one JSON Lines file for all the inputs "
        "(crawl files, or JSON Lines with --jsonl-field), gzip-compressed for .gz.",
    ),
]
LabelsFlag = Annotated[
    bool, typer.Option("--labels", help="Print every line with its label and keep-probability (as --format tsv).")
]
ExplainFlag = Annotated[
    bool, typer.Option("--explain", help="With each line, the features that weighed most in its label.")
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help=f"Output: {', '.join(OUTPUT_FORMATS)}. text: the kept lines; markdown: the kept lines with their "
        "headings, lists, tables, quotes and code blocks marked; json: the page as one JSON object (text, "
        "markdown, title, author, date, language, url, site_name, description, counts); tsv, jsonl: every "
        "line, labeled (tsv: number, keep or drop, label, keep-probability, with --explain the explanation, "
        "then the text, last: it may hold tabs itself). With --jsonl-field, markdown adds FIELD_markdown and "
        "json FIELD_metadata to each record; crawl records take markdown (a markdown field).",
    ),
]
KeepOption = Annotated[
    str, typer.Option("--keep", help=f"Comma-separated labels to keep. Labels: {', '.join(LABELS)}.")
]
ThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        "-t",
        min=0.0,
        max=1.0,
        help="The precision/recall dial. Lower also keeps every line whose keep-probability reaches it "
        "(recall); higher keeps only the kept lines that reach it (precision). Default: the model's, "
        "which maximised F1 on held-out pages, with the rules after it (--fallback, --narrow).",
    ),
]
ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model", "-m", parser=path_name, help="A model file made by `cleaner train` (default: the shipped model)."
    ),
]
InputFormatOption = Annotated[str, typer.Option("--input-format", help="auto (sniff the content), text or html.")]
LinksFlag = Annotated[
    bool,
    typer.Option(
        "--links", help="In Markdown, keep links as `[text](url)`, made absolute against the page's base URL."
    ),
]
FallbackFlag = Annotated[
    bool,
    typer.Option(
        "--fallback/--no-fallback",
        help="When the model keeps (nearly) nothing of a page holding prose, keep its best region "
        "(--no-fallback: keep only what the model kept).",
    ),
]
NarrowFlag = Annotated[
    bool,
    typer.Option(
        "--narrow/--no-narrow",
        help="On pages whose kept lines spill out of the main region (HTML: the densest container; text: "
        "the best run of lines), keep only those inside it when the model's page check says so; inside "
        "an HTML page's main container, keep prose from the model's lower threshold; on an HTML page "
        "whose `<main>` and `<article>` elements hold a good part of what is kept, drop the kept lines "
        "outside them.",
    ),
]
MetadataFlag = Annotated[
    bool,
    typer.Option(
        "--metadata/--no-metadata",
        help="Crawl records carry the page's title, author, date, site_name, description and canonical_url "
        "(without: their language is only what `<html lang>` or the HTTP header declares).",
    ),
]


GlobOption = Annotated[
    str,
    typer.Option(
        "--glob",
        help="In folders, clean the files whose name matches this pattern (e.g. '*.html'; with a '/', the "
        "path inside the folder, where * also matches '/'). Folders are walked recursively; hidden files are skipped.",
    ),
]
JsonlFieldOption = Annotated[
    str | None,
    typer.Option(
        "--jsonl-field",
        help="The inputs are JSON Lines (gzip-compressed or not): clean this field of each record and write "
        "the records with the cleaned text in it. A record's `url` field, if any, is where its page came "
        "from (the base of its links, its site for --site-boilerplate).",
    ),
]
JsonlLabelsFlag = Annotated[
    bool,
    typer.Option(
        "--jsonl-labels",
        help="With --jsonl-field, add FIELD_labels: the label of each line of the field. For crawl files, "
        'add "labels" to each page: every line with its label and decision.',
    ),
]
CompressFlag = Annotated[
    bool,
    typer.Option(
        "--compress", help="With an --output folder, gzip the JSON Lines outputs (of crawl files and --jsonl-field)."
    ),
]
SiteBoilerplateFlag = Annotated[
    bool,
    typer.Option(
        "--site-boilerplate",
        help="Also drop the lines a site repeats on at least half of its pages (and at least 3), unless the "
        "model is confident they are article text. Reads the inputs twice. The site of a page: the host of "
        "its URL (crawl files; a JSON Lines record's url field), else its JSON Lines file, or the folder a file is in.",
    ),
]
SiteMaxLinesOption = Annotated[
    int,
    typer.Option(
        "--site-max-lines",
        min=2,
        help="With --site-boilerplate, the most lines counted at once, for all sites (about 75 bytes each); "
        "when full, the least frequent are forgotten.",
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Processes to clean with (default: one per core, but a single file or a small batch stays in "
        "this process). The output is the same whatever the number.",
        show_default=False,
    ),
]
FailFastFlag = Annotated[
    bool,
    typer.Option(
        "--fail-fast",
        help="Stop at the first input (or page, or record) that cannot be cleaned: nothing after it is "
        "written. The inputs are then cleaned in order, in this process (--jobs does not apply).",
    ),
]
SkipExistingFlag = Annotated[
    bool,
    typer.Option(
        "--skip-existing", help="With --output, skip the inputs whose output file exists (to resume a batch)."
    ),
]
SummaryFlag = Annotated[
    bool | None,
    typer.Option(
        "--summary/--no-summary",
        help="Print a summary on stderr at the end: pages, MB, lines kept and dropped, pages/s, errors "
        "(default: for folders, JSON Lines and crawl files, and for several files when stderr is a terminal).",
        show_default=False,
    ),
]
