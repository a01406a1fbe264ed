"""Scores of the benchmark's systems per corpus, as Markdown tables and as a JSON dump of every page.

Each system's output on each page is scored against the page's gold text with the ScrapingHub shingle
metric (:mod:`cleaner.corpus.scoring`): per corpus and over all pages pooled (as :func:`aggregate` does,
so a large corpus weighs more than a small one), precision, recall and F1, plus two counts that averages
hide: pages where the output is empty (no word token; a crash counts as an empty output) and pages with an
F1 below :data:`LOW_F1`.

The tables put one figure (or one pair) per cell, in three small tables per input kind rather than one
table of composite cells like ``0.912 (P 0.90 / R 0.93) · 3 empty · 7 <0.3``: with one figure per cell a
reader runs an eye down a column and sees at once which system wins on a corpus (the best F1 of each column
is in bold), then looks at precision and recall for why, and at the counts for how often a system fails
outright. Composite cells have to be read one by one, and make a nine-corpus table too wide to scan.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cleaner.corpus.score_cache import Scorer
from cleaner.corpus.scoring import TOKEN_RE, Scores, aggregate, f1_score, precision_score, recall_score

# A page whose F1 is below this counts as a bad page (the system kept mostly the wrong text, or little).
LOW_F1 = 0.3
# Pages listed per corpus by default in "where a system trails a reference most".
WORST_PAGES = 5
# Heading of the column that pools every page.
ALL_COLUMN = "all"

Key = tuple[str, str]
"""(corpus, page id)."""


class GoldPage(Protocol):
    """What the report needs of a page (:class:`~cleaner.corpus.pages.CorpusPage` has it)."""

    @property
    def id(self) -> str: ...
    @property
    def corpus(self) -> str: ...
    @property
    def gold(self) -> str: ...


class PageOutput(Protocol):
    """What the report needs of an output (:class:`~cleaner.corpus.systems.Output` has it)."""

    @property
    def text(self) -> str: ...
    @property
    def seconds(self) -> float: ...
    @property
    def failed(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class PageScore:
    """One system's score on one page."""

    corpus: str
    page_id: str
    tp: float
    fp: float
    fn: float
    """Shingle counts of the page, normalised to sum to 1 (see :func:`page_scores`)."""
    empty: bool
    """The output holds no word token (failures included)."""
    failed: bool
    """The system raised, timed out or gave no output on the page."""
    seconds: float
    error: str = ""
    """Why the system failed, when the output says (``error`` attribute)."""

    @property
    def precision(self) -> float:
        return precision_score(self.tp, self.fp, self.fn)

    @property
    def recall(self) -> float:
        return recall_score(self.tp, self.fp, self.fn)

    @property
    def f1(self) -> float:
        return f1_score(self.tp, self.fp, self.fn)


@dataclass(frozen=True)
class SystemScores:
    """A system's scores on every page it was run on, with per-corpus and pooled summaries."""

    name: str
    pages: tuple[PageScore, ...]
    _by_key: dict[Key, PageScore] = field(init=False, repr=False, compare=False)
    _by_corpus: dict[str, list[PageScore]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_corpus: dict[str, list[PageScore]] = {}
        for page in self.pages:
            by_corpus.setdefault(page.corpus, []).append(page)
        object.__setattr__(self, "_by_key", {(page.corpus, page.page_id): page for page in self.pages})
        object.__setattr__(self, "_by_corpus", by_corpus)

    def page(self, corpus: str, page_id: str) -> PageScore | None:
        return self._by_key.get((corpus, page_id))

    def select(self, corpora: str | Sequence[str] | None = None) -> list[PageScore]:
        """The pages of one corpus, of several, or (None) all of them."""
        if corpora is None:
            return list(self.pages)
        if isinstance(corpora, str):
            return list(self._by_corpus.get(corpora, ()))
        return [page for corpus in dict.fromkeys(corpora) for page in self._by_corpus.get(corpus, ())]

    def scores(self, corpora: str | Sequence[str] | None = None) -> Scores:
        """Precision, recall and F1 of the selected pages pooled, as :func:`aggregate`."""
        return aggregate((page.tp, page.fp, page.fn) for page in self.select(corpora))

    def empty(self, corpora: str | Sequence[str] | None = None) -> int:
        return sum(page.empty for page in self.select(corpora))

    def low(self, corpora: str | Sequence[str] | None = None) -> int:
        """Pages with an F1 below :data:`LOW_F1`."""
        return sum(page.f1 < LOW_F1 for page in self.select(corpora))

    def failures(self, corpora: str | Sequence[str] | None = None) -> int:
        return sum(page.failed for page in self.select(corpora))

    def pages_per_second(self, corpora: str | Sequence[str] | None = None) -> float:
        """Pages over the sum of their extraction times (one process); 0 when nothing was timed."""
        pages = self.select(corpora)
        seconds = sum(page.seconds for page in pages)
        return len(pages) / seconds if seconds > 0 else 0.0


def score_system(
    name: str, pages: Iterable[GoldPage], outputs: Mapping[Key, PageOutput], scorer: Scorer | None = None
) -> SystemScores:
    """Score ``outputs`` (by (corpus, page id)) against the gold of ``pages``; a page without output fails.

    ``scorer`` computes :func:`page_scores`; pass one shared by all systems (and loaded from the cache
    folder) to count each gold text's shingles once and reuse the scores of outputs seen before.
    """
    scorer = scorer if scorer is not None else Scorer()
    scored = []
    for page in pages:
        output = outputs.get((page.corpus, page.id))
        text = output.text if output is not None and not output.failed else ""
        tp, fp, fn = scorer(text, page.gold)
        scored.append(
            PageScore(
                corpus=page.corpus,
                page_id=page.id,
                tp=tp,
                fp=fp,
                fn=fn,
                empty=TOKEN_RE.search(text) is None,
                failed=output is None or output.failed,
                seconds=output.seconds if output is not None else 0.0,
                error=str(getattr(output, "error", "")) if output is not None else "no output",
            )
        )
    return SystemScores(name, tuple(scored))


def score_systems(
    pages: Sequence[GoldPage], outputs: Mapping[str, Mapping[Key, PageOutput]], scorer: Scorer | None = None
) -> list[SystemScores]:
    """:func:`score_system` for each system of ``outputs`` (by name), in its order, with one scorer."""
    scorer = scorer if scorer is not None else Scorer()
    return [score_system(name, pages, by_key, scorer) for name, by_key in outputs.items()]


# ---------------------------------------------------------------------------------------------------------
# Markdown

Cell = Callable[[SystemScores, "str | Sequence[str]"], str]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(
    systems: Sequence[SystemScores], corpora: Sequence[str], cell: Cell, extra: Mapping[str, Cell] | None = None
) -> list[str]:
    """Rows = systems, columns = corpora then all pages pooled (then ``extra`` columns, over all pages)."""
    counts = {corpus: max((len(s.select(corpus)) for s in systems), default=0) for corpus in corpora}
    total = sum(counts.values())
    header = ["system", *(f"{corpus} ({counts[corpus]})" for corpus in corpora), f"{ALL_COLUMN} ({total})"]
    lines = [_row([*header, *(extra or {})]), "|" + "---|" + "--:|" * (len(header) - 1 + len(extra or {}))]
    for system in systems:
        cells = [cell(system, corpus) if system.select(corpus) else "-" for corpus in corpora]
        cells.append(cell(system, corpora))
        cells += [extra_cell(system, corpora) for extra_cell in (extra or {}).values()]
        lines.append(_row([system.name, *cells]))
    return lines


def _f1_cells(systems: Sequence[SystemScores], corpora: Sequence[str]) -> Cell:
    """F1 to three decimals, in bold where it is the best of its column (ties all bold)."""

    def best(column: str | Sequence[str]) -> str:
        return f"{max((s.scores(column).f1 for s in systems if s.select(column)), default=0.0):.3f}"

    bests = {column: best(column) for column in corpora} | {ALL_COLUMN: best(corpora)}

    def cell(system: SystemScores, column: str | Sequence[str]) -> str:
        text = f"{system.scores(column).f1:.3f}"
        top = bests[column if isinstance(column, str) else ALL_COLUMN]
        return f"**{text}**" if len(systems) > 1 and text == top else text

    return cell


def _speed_cell(system: SystemScores, corpora: str | Sequence[str]) -> str:
    speed = system.pages_per_second(corpora)
    return f"{speed:.0f}" if speed >= 1 else (f"{speed:.2f}" if speed else "-")


def _precision_recall_cell(system: SystemScores, corpora: str | Sequence[str]) -> str:
    scores = system.scores(corpora)
    return f"{scores.precision:.3f} / {scores.recall:.3f}"


def _counts_cell(system: SystemScores, corpora: str | Sequence[str]) -> str:
    return f"{system.empty(corpora)} · {system.low(corpora)}"


def format_system_tables(title: str, systems: Sequence[SystemScores], corpora: Sequence[str]) -> str:
    """Three Markdown tables for one input kind: F1 (and speed), precision / recall, empty · low pages."""
    if not systems:
        return f"### {title}\n\n(no system)"
    extra = {"pages/s": _speed_cell, "failed": lambda system, c: str(system.failures(c))}
    return "\n".join(
        [
            f"### {title}",
            "",
            f"**F1** (best of each column in bold; the {ALL_COLUMN} column pools every page)",
            "",
            *_table(systems, corpora, _f1_cells(systems, corpora), extra),
            "",
            "**Precision / recall**",
            "",
            *_table(systems, corpora, _precision_recall_cell),
            "",
            f"**Pages with an empty output · pages with F1 < {LOW_F1}** (an empty output also counts below {LOW_F1})",
            "",
            *_table(systems, corpora, _counts_cell),
        ]
    )


def format_tables(
    html: Sequence[SystemScores],
    text: Sequence[SystemScores],
    corpora: Sequence[str],
    *,
    renderer: str = "html-text",
    notes: Sequence[str] = (),
) -> str:
    """The HTML systems' tables, the text systems' tables, and how to read them."""
    parts = [
        format_system_tables("HTML input", html, corpora),
        "",
        format_system_tables(f"Text input (pages rendered with {renderer})", text, corpora),
        "",
        "Scores: ScrapingHub shingle metric (word 4-grams, lower-cased) of the output against the gold text;",
        "precision is averaged over pages with a non-empty output, recall over pages with a non-empty gold,",
        "F1 is the harmonic mean of the two averages. Empty: no word token in the output (failures included).",
        "pages/s: extraction time only, each page timed alone in one process"
        + (f"; text input: the rendering with {renderer} is not counted." if text else "."),
    ]
    parts += [f"note: {note}" for note in notes]
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------------------
# Where a system trails another


@dataclass(frozen=True, slots=True)
class PageGap:
    """A page where a system scores below a reference system."""

    corpus: str
    page_id: str
    f1: float
    reference_f1: float
    explanation: str = ""

    @property
    def gap(self) -> float:
        return self.reference_f1 - self.f1


def worst_pages(
    system: SystemScores,
    reference: SystemScores,
    n: int = WORST_PAGES,
    explain: Callable[[str, str], str] | None = None,
) -> dict[str, list[PageGap]]:
    """Per corpus, the ``n`` pages where ``system``'s F1 trails ``reference``'s most (largest gap first).

    Only pages scored for both and where the system is strictly behind are listed; ties are broken by page
    id. ``explain(corpus, page_id)`` may supply a note for each listed page.
    """
    gaps: dict[str, list[PageGap]] = {}
    for page in system.pages:
        other = reference.page(page.corpus, page.page_id)
        if other is not None and other.f1 > page.f1:
            gaps.setdefault(page.corpus, []).append(PageGap(page.corpus, page.page_id, page.f1, other.f1))
    worst: dict[str, list[PageGap]] = {}
    for corpus, rows in gaps.items():
        rows.sort(key=lambda row: (-row.gap, row.page_id))
        worst[corpus] = [
            PageGap(row.corpus, row.page_id, row.f1, row.reference_f1, explain(corpus, row.page_id) if explain else "")
            for row in rows[:n]
        ]
    return worst


def format_worst_pages(system: str, reference: str, worst: Mapping[str, Sequence[PageGap]]) -> str:
    """A Markdown table of :func:`worst_pages`: corpus, page, both F1s, the explanation."""
    lines = [
        f"**Pages where {system} trails {reference} most**",
        "",
        _row(["corpus", "page", system, reference, "note"]),
        "|---|---|--:|--:|---|",
    ]
    for corpus, rows in worst.items():
        for row in rows:
            note = row.explanation.replace("|", "\\|").replace("\n", " ")
            lines.append(_row([corpus, f"`{row.page_id}`", f"{row.f1:.3f}", f"{row.reference_f1:.3f}", note]))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# JSON


def _summary(system: SystemScores, corpora: str | Sequence[str] | None) -> dict[str, float | int]:
    scores = system.scores(corpora)
    return {
        "f1": scores.f1,
        "precision": scores.precision,
        "recall": scores.recall,
        "pages": scores.pages,
        "empty": system.empty(corpora),
        "low_f1": system.low(corpora),
        "failed": system.failures(corpora),
        "seconds": sum(page.seconds for page in system.select(corpora)),
    }


def scores_json(groups: Mapping[str, Sequence[SystemScores]]) -> dict[str, object]:
    """Every page's scores, and the summaries, of the systems of each group ("html", "text", ...)."""
    systems = []
    for group, members in groups.items():
        for system in members:
            corpora = sorted({page.corpus for page in system.pages})
            systems.append(
                {
                    "name": system.name,
                    "group": group,
                    "summary": {corpus: _summary(system, corpus) for corpus in corpora}
                    | {ALL_COLUMN: _summary(system, None)},
                    "pages": [
                        {
                            "corpus": page.corpus,
                            "id": page.page_id,
                            "f1": page.f1,
                            "precision": page.precision,
                            "recall": page.recall,
                            "tp": page.tp,
                            "fp": page.fp,
                            "fn": page.fn,
                            "empty": page.empty,
                            "failed": page.failed,
                            "seconds": page.seconds,
                            "error": page.error,
                        }
                        for page in system.pages
                    ],
                }
            )
    return {"metric": "scrapinghub-shingles-4-lowercase", "low_f1": LOW_F1, "systems": systems}


def write_scores_json(path: Path, groups: Mapping[str, Sequence[SystemScores]]) -> None:
    """Write :func:`scores_json` to ``path`` (UTF-8, one indented JSON document)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(scores_json(groups), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
