"""Accuracy of :mod:`cleaner.metadata` (and of trafilatura's metadata) for title, author and date, on
the corpora's pages: the table ``cleaner benchmark`` prints and ``bench/metadata_eval.py`` runs.

Title: every Fundus page; the expected title is the first line of the page's gold text (Fundus's
per-publisher parsers put the headline there). Titles are compared after normalising Unicode (NFKC),
whitespace, case and quotation marks (all quote characters are dropped). Titles were tuned on these
same pages (there is no held-out title set).

Author and date: the pages of ``bench/data/metadata_gold.json``, which holds page ids and expected
values only, never page content, decided by hand from each page's visible text: the author is the
name(s) the visible byline gives, the date the publication date the page shows; a field is left out
when the page does not show it. Split "dev" (320 pages) was looked at while the heuristics were
written, so its figures are optimistic; split "heldout" (111 pages) was labelled after they were
frozen (see ``bench/metadata_eval.py`` for how the file was made).

Author match: the set of names, each normalised (NFKC, case, dots and whitespace), equals the expected
set; "; "-joined lists are split on ";". Date match: the same ``YYYY-MM-DD``.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.corpus.pages import CORPUS_FILE, default_corpora_dir
from cleaner.metadata import metadata_from_html

__all__ = [
    "DEFAULT_GOLD",
    "FIELDS",
    "MetadataScores",
    "evaluate_metadata",
    "metadata_cases",
    "normalise_authors",
    "normalise_title",
]

FIELDS = ("title", "author", "date")
SPLITS = ("all", "dev", "heldout")
# The gold file, in a source checkout.
DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "bench" / "data" / "metadata_gold.json"
# The rows of the table: (field, split).
ROWS: tuple[tuple[str, str], ...] = (("title", "all"), *((f, s) for f in ("author", "date") for s in SPLITS))
# Quotation marks of many scripts, dropped before comparing titles.
_QUOTES_RE = re.compile(r"[\"'“”„‟«»‘’‚‛`´‹›「」『』]")

Fields = dict[str, "str | None"]
System = Callable[[str, "str | None"], Fields]


def normalise_title(text: str | None) -> str:
    if not text:
        return ""
    text = _QUOTES_RE.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.split()).casefold()


def normalise_authors(text: str | None) -> frozenset[str]:
    if not text:
        return frozenset()
    names = (
        " ".join(unicodedata.normalize("NFKC", name).replace(".", " ").split()).casefold() for name in text.split(";")
    )
    return frozenset(name for name in names if name)


MATCHERS: dict[str, Callable[[str | None, str], bool]] = {
    "title": lambda found, expected: normalise_title(found) == normalise_title(expected),
    "author": lambda found, expected: normalise_authors(found) == normalise_authors(expected),
    "date": lambda found, expected: (found or None) == expected,
}


def cleaner_fields(html: str, url: str | None) -> Fields:
    meta = metadata_from_html(html, url)
    return {"title": meta.title, "author": meta.author, "date": meta.date}


def trafilatura_fields(html: str, url: str | None) -> Fields:
    import trafilatura

    try:
        document = trafilatura.extract_metadata(html, default_url=url)
    except Exception:  # noqa: BLE001 - a competitor's crash is a miss, not the end of the run
        return dict.fromkeys(FIELDS)
    return {name: getattr(document, name, None) for name in FIELDS}


SYSTEMS: dict[str, System] = {"cleaner": cleaner_fields, "trafilatura": trafilatura_fields}


def _read_corpus(folder: Path, corpus: str) -> Iterator[dict]:
    with gzip.open(folder / CORPUS_FILE.format(name=corpus), "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def metadata_cases(folder: Path, gold: Path = DEFAULT_GOLD) -> list[tuple[dict, str, dict[str, str]]]:
    """(page, split, expected fields) for every evaluated page: Fundus titles, and the gold file's pages."""
    entries = json.loads(gold.read_text(encoding="utf-8"))["pages"]
    wanted: dict[tuple[str, str], tuple[str, dict[str, str]]] = {}
    for entry in entries:
        expected = {name: entry[name] for name in ("author", "date") if name in entry}
        wanted[(entry["corpus"], entry["id"])] = (entry.get("split", "dev"), expected)
    found: list[tuple[dict, str, dict[str, str]]] = []
    for corpus in sorted({corpus for corpus, _ in wanted} | {"fundus"}):
        for page in _read_corpus(folder, corpus):
            split, fields = wanted.get((corpus, page["id"]), ("dev", {}))
            expected = dict(fields)
            if corpus == "fundus" and page.get("gold"):
                expected["title"] = page["gold"].split("\n", 1)[0]
            if expected:
                found.append((page, split, expected))
    return found


@dataclass
class MetadataScores:
    """Per (field, split): pages evaluated, and pages each system got right; seconds per system."""

    systems: list[str]
    pages: dict[tuple[str, str], int] = field(default_factory=dict)
    right: dict[tuple[str, str, str], int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def accuracy(self, system: str, name: str, split: str = "all") -> float:
        return self.right.get((system, name, split), 0) / max(self.pages.get((name, split), 0), 1)

    def rows(self) -> list[tuple[str, str, int, list[float]]]:
        """(field, split, pages, accuracy of each system) per row of the table."""
        return [
            (name, split, self.pages.get((name, split), 0), [self.accuracy(s, name, split) for s in self.systems])
            for name, split in ROWS
        ]

    def format(self) -> str:
        """The table as text: one row per field and split, one column per system."""
        lines = [f"{'field':8}{'split':9}{'pages':>6}" + "".join(f"{name:>14}" for name in self.systems)]
        for name, split, pages, scores in self.rows():
            lines.append(f"{name:8}{split:9}{pages:>6}" + "".join(f"{score:>14.3f}" for score in scores))
        lines.append(f"{'seconds':23}" + "".join(f"{self.seconds.get(name, 0.0):>14.1f}" for name in self.systems))
        return "\n".join(lines)


def evaluate_metadata(
    folder: Path | None = None,
    gold: Path = DEFAULT_GOLD,
    systems: Sequence[str] = ("cleaner", "trafilatura"),
    *,
    errors: bool = False,
) -> MetadataScores:
    """Title, author and date accuracy of each system (names of :data:`SYSTEMS`) on the corpora in
    ``folder`` (default: :func:`cleaner.corpus.pages.default_corpora_dir`) and the ``gold`` file;
    ``errors=True`` lists each miss in :attr:`MetadataScores.errors`."""
    folder = default_corpora_dir() if folder is None else folder
    chosen = {name: SYSTEMS[name] for name in systems}
    scores = MetadataScores(list(chosen), dict.fromkeys(ROWS, 0), seconds=dict.fromkeys(chosen, 0.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        previous = logging.root.manager.disable
        logging.disable(logging.CRITICAL)  # trafilatura logs every page it finds odd
        try:
            for page, split, expected in metadata_cases(folder, gold):
                _score_page(scores, chosen, page, split, expected, errors)
        finally:
            logging.disable(previous)
    return scores


def _score_page(
    scores: MetadataScores, systems: dict[str, System], page: dict, split: str, expected: dict[str, str], errors: bool
) -> None:
    splits = ("all", split)
    for name in expected:
        for row in splits:
            if (name, row) in scores.pages:
                scores.pages[(name, row)] += 1
    for system, extract in systems.items():
        start = time.perf_counter()
        found = extract(page["html"], page.get("url"))
        scores.seconds[system] += time.perf_counter() - start
        for name, value in expected.items():
            if MATCHERS[name](found[name], value):
                for row in splits:
                    if (name, row) in scores.pages:
                        key = (system, name, row)
                        scores.right[key] = scores.right.get(key, 0) + 1
            elif errors:
                scores.errors.append(
                    f"{system:12} {name:6} {page['corpus']}/{page['id']}: {found[name]!r} != {value!r}"
                )
