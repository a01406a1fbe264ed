"""Labeled pages: the human-editable TSV files the model is trained on.

A labeled page is a text file, one input line per row, ``label<TAB>line``, after a short header::

    # cleaner labeled page v1
    # outlet: rtl.fr
    # source: 002_77668cfdf02d4779.txt
    # newline: \\n
    # final-newline: no
    heading<TAB>Kim Jong-Un en Russie pour son premier sommet avec Poutine
    -<TAB>
    body<TAB>Cette rencontre sera la première entre ...

Blank (whitespace-only) lines carry the label ``-``; a row that an editor trimmed to ``-`` (or to
nothing) is one too. The header records the outlet (used to split training and test pages by
outlet), the newline convention and whether the page ended with a newline, so that
:func:`LabeledPage.original_text` gives back the page byte for byte.

A page labeled from HTML (``cleaner annotate page.html``) has one row per line as cleaner reads the
page (a block of text: a paragraph, a heading, a list item...) and names the page in its header
(``# html: page.html``, a path from the labeled file's folder): training reads the page again for
what its markup says about each line, and checks that its lines are still the rows'.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.errors import LabeledDataError
from cleaner.read.lines import normalise_newlines
from cleaner.records import BLANK_LABEL, LABELS

MAGIC = "# cleaner labeled page v1"
LABELED_SUFFIX = ".tsv"
_NEWLINE_ESCAPES = {"\\n": "\n", "\\r\\n": "\r\n", "\\r": "\r"}


@dataclass(frozen=True, slots=True)
class LabeledPage:
    """A page whose lines carry human (or aligned) labels."""

    outlet: str
    source: str
    lines: tuple[str, ...]
    labels: tuple[str, ...]
    newline: str = "\n"
    final_newline: bool = True
    html: str | None = None
    """For a page labeled from HTML: the HTML page its lines were read from (as the header names it,
    from the labeled file's folder); None for a page labeled as text."""
    file: str = field(default="", compare=False)
    """The labeled file the page was read from ("" for none): ``html`` is relative to its folder."""

    def html_path(self) -> Path | None:
        """Where the HTML page of a page labeled from HTML is; None for a page labeled as text."""
        return None if self.html is None else Path(self.file).parent / self.html

    def original_text(self) -> str:
        text = self.newline.join(self.lines)
        return text + self.newline if self.final_newline and self.lines else text


def split_page(text: str) -> tuple[list[str], str, bool]:
    """Split ``text`` into lines; return them with the dominant newline and whether the text ended with one."""
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    newline = max((crlf, "\r\n"), (lone_cr, "\r"), (lone_lf, "\n"))[1] if (crlf or lone_cr or lone_lf) else "\n"
    normalized = normalise_newlines(text)
    final_newline = normalized.endswith("\n")
    body = normalized[:-1] if final_newline else normalized
    return (body.split("\n") if normalized else []), newline, final_newline


def format_labeled(page: LabeledPage) -> str:
    """A labeled page as the text of its file; raises :class:`LabeledDataError` for an outlet name that
    holds a line break (the header is one line per field; a source's line breaks become spaces)."""
    if "".join(page.outlet.splitlines()) != page.outlet:
        raise LabeledDataError(f"an outlet name holds no line break: {page.outlet!r}")
    escaped = next(k for k, v in _NEWLINE_ESCAPES.items() if v == page.newline)
    out = [
        MAGIC,
        f"# outlet: {page.outlet}",
        f"# source: {' '.join(page.source.splitlines())}",
        f"# newline: {escaped}",
        f"# final-newline: {'yes' if page.final_newline else 'no'}",
    ]
    if page.html is not None:
        out.append(f"# html: {' '.join(page.html.splitlines())}")
    out += [f"{label}\t{line}" for label, line in zip(page.labels, page.lines)]
    return "\n".join(out) + "\n"


def parse_labeled(text: str, *, name: str = "<labeled>", default_outlet: str = "", file: str = "") -> LabeledPage:
    rows = text.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    header: dict[str, str] = {}
    index = 0
    if rows and rows[0].strip() == MAGIC:
        index = 1
        while index < len(rows) and rows[index].startswith("# "):
            key, _, value = rows[index][2:].partition(":")
            header[key.strip()] = value.strip()
            index += 1
    lines: list[str] = []
    labels: list[str] = []
    for number, row in enumerate(rows[index:], start=index + 1):
        label, tab, line = row.partition("\t")
        if not tab and label.strip() not in ("", BLANK_LABEL):  # a blank row an editor trimmed is still one
            raise LabeledDataError(f"{name}:{number}: expected 'label<TAB>line', found no tab")
        label = label.strip()
        if not line.strip():
            label = BLANK_LABEL
        elif label not in LABELS:
            raise LabeledDataError(f"{name}:{number}: unknown label {label!r} (known: {', '.join(LABELS)})")
        lines.append(line)
        labels.append(label)
    newline = _NEWLINE_ESCAPES.get(header.get("newline", "\\n"))
    if newline is None:
        raise LabeledDataError(f"{name}: unknown newline {header['newline']!r}")
    return LabeledPage(
        outlet=header.get("outlet") or default_outlet,
        source=header.get("source", name),
        lines=tuple(lines),
        labels=tuple(labels),
        newline=newline,
        final_newline=header.get("final-newline", "yes") != "no",
        html=header.get("html") or None,
        file=file,
    )


def read_labeled(path: str | Path) -> LabeledPage:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # tolerate the BOM some editors add
    except (OSError, UnicodeDecodeError) as error:
        raise LabeledDataError(f"{path}: cannot read labeled page: {error}") from error
    # A page without an outlet header is grouped with the other pages of its folder.
    return parse_labeled(text, name=str(path), default_outlet=path.parent.name, file=str(path))


def iter_labeled_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and directories (recursively, ``*.tsv``) in a stable order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob(f"*{LABELED_SUFFIX}") if p.is_file())
        elif path.exists():  # a file, or a pipe (/dev/stdin)
            yield path
        else:
            raise LabeledDataError(f"{path}: no such file or directory")


def read_labeled_pages(paths: Iterable[str | Path]) -> list[LabeledPage]:
    pages = [read_labeled(p) for p in iter_labeled_paths(paths)]
    if not pages:
        raise LabeledDataError("no labeled pages (*.tsv) found")
    return pages
