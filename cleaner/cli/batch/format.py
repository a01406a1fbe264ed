"""An input's results as output text: the kept text (plain or Markdown), the page as a JSON Document,
or every line as TSV or JSON Lines."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from cleaner.pipeline import RULE_NOTES
from cleaner.render import Renderer
from cleaner.results import LineResult

if TYPE_CHECKING:
    from cleaner.document import Document

OUTPUT_FORMATS = ("text", "markdown", "json", "tsv", "jsonl")
SUFFIXES = {"text": ".txt", "markdown": ".md", "json": ".json", "tsv": ".tsv", "jsonl": ".jsonl"}
# The formats made from a page's Document (the whole page read at once: never streamed).
DOCUMENT_FORMATS = ("markdown", "json")


def json_line(record: object) -> str:
    """A JSON Lines record: UTF-8 text as it is; a record holding what UTF-8 cannot write (a lone
    surrogate from a field of the input, a file name that is not UTF-8) with its characters escaped
    as JSON allows, so that the line is still valid UTF-8 JSON."""
    line = json.dumps(record, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(record)
    return line + "\n"


def document_output(document: Document, output_format: str) -> str:
    """A Document as ``--format markdown`` (the Markdown) or ``json`` (one JSON object on one line)."""
    if output_format == "json":
        return document.to_json() + "\n"
    return document.markdown or ""


def _explained(entry: tuple[str, float]) -> str:
    """An explanation's entry in a TSV cell: a rule with the value it decided by (``name=0.3``), a
    feature with its signed contribution to the log-odds (``name +1.25``)."""
    name, value = entry
    return f"{name}={value:g}" if name in RULE_NOTES else f"{name} {value:+.2f}"


def line_record(result: LineResult, source: str | None) -> dict:
    record = {
        "line": result.number,
        "label": result.label,
        "keep_probability": result.keep_probability,
        "kept": result.kept,
        "text": result.text,
        "probabilities": result.probabilities,
    }
    if result.explanation:
        record["explanation"] = [
            {"rule": name, "value": value} if name in RULE_NOTES else {"feature": name, "weight": value}
            for name, value in result.explanation
        ]
    if source is not None:
        record = {"file": source, **record}
    return record


class Formatter:
    """One input's results as output text, fed a page (or a segment of a streamed page) at a time."""

    def __init__(self, output_format: str, source: str | None = None, explain: bool = False) -> None:
        self.output_format = output_format
        self.source = source
        self.explain = explain
        self.renderer = Renderer()

    def format(self, results: list[LineResult]) -> str:
        if self.output_format == "text":
            return self.renderer.render_results(results)
        if self.output_format == "jsonl":
            return "".join(json_line(line_record(r, self.source)) for r in results)
        rows = []
        for r in results:
            cells = [str(r.number), "keep" if r.kept else "drop", r.label, f"{r.keep_probability:.3f}"]
            if self.explain:
                # Every row gets the column (empty for blank lines), so the text is always the last of as many cells.
                cells.append("; ".join(map(_explained, r.explanation)))
            rows.append("\t".join(cells + [r.text]))
        return "".join(row + "\n" for row in rows)
