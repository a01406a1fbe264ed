"""Side-by-side evaluation on the public corpora, with pages never seen in training.

For each corpus, cleaner's text and HTML models are trained on the other corpora (minus any site
of the held-out corpus) and the seeds, then every page of the held-out corpus is cleaned and
scored against its gold text with the ScrapingHub article-extraction-benchmark metric. The other
extractors run on the same pages in the same run; so do the text baselines, on the same text.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.api import Cleaner
from cleaner.corpus.build import (
    HTML_SETTINGS,
    TEXT_SETTINGS,
    Fitted,
    align_pages,
    build_corpus_data,
    final_model,
    fold_model,
    held_out_corpora,
    training_sample,
)
from cleaner.corpus.competitors import HTML_COMPETITORS, TEXT_BASELINES, MissingCompetitor
from cleaner.corpus.pages import CORPORA, CorpusPage, iter_corpus_pages
from cleaner.corpus.render import RENDERERS
from cleaner.corpus.scoring import Scores, aggregate, f1_score, page_scores
from cleaner.options import Options
from cleaner.training import Dataset

# The plain-text rendering the text-mode systems are tested on: a common third-party tool.
TEST_RENDERER = "html-text"
OURS_HTML = "cleaner (HTML)"
OURS_TEXT = "cleaner (text)"


@dataclass
class SystemResult:
    scores: dict[str, list[tuple[float, float, float]]] = field(default_factory=lambda: defaultdict(list))
    seconds: float = 0.0
    pages: int = 0
    failures: int = 0

    def add(self, corpus: str, predicted: str, gold: str, seconds: float) -> None:
        self.scores[corpus].append(page_scores(predicted, gold))
        self.seconds += seconds
        self.pages += 1

    def by_corpus(self) -> dict[str, Scores]:
        return {corpus: aggregate(values) for corpus, values in self.scores.items()}

    def overall(self) -> Scores:
        return aggregate(value for values in self.scores.values() for value in values)


@dataclass
class BenchmarkResult:
    html: dict[str, SystemResult]
    text: dict[str, SystemResult]
    corpora: list[str]
    notes: list[str]
    worst_pages: dict[str, list[tuple[str, float, float]]]


def _timed(extract: Callable[[str], str], argument: str) -> tuple[str, float, bool]:
    started = time.perf_counter()
    try:
        output = extract(argument)
        failed = False
    except MissingCompetitor:
        raise
    except Exception:  # noqa: BLE001 - another tool crashing on a page scores as empty output, and is counted
        output, failed = "", True
    return output, time.perf_counter() - started, failed


def run_benchmark(
    root: Path | None = None,
    *,
    corpora: Sequence[str] = CORPORA,
    limit: int | None = None,
    seeds: Dataset | None = None,
    competitors: bool = True,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda message: None,
    save_models: Path | None = None,
    trained_at: str = "",
) -> BenchmarkResult:
    """Run the comparison; with ``save_models``, also write the models fitted on every page there."""
    pages: list[CorpusPage] = list(iter_corpus_pages(root, corpora=list(corpora), limit=limit))
    training = training_sample(pages)
    progress(f"{len(pages)} pages from {len(corpora)} corpora; rendering and aligning {len(training)} for training")
    aligned = align_pages(training, jobs=jobs)
    notes: list[str] = []
    fold_models: dict[str, dict[str, Any]] = {}
    for mode, settings in (("text", TEXT_SETTINGS), ("html", HTML_SETTINGS)):
        data = build_corpus_data(aligned, mode, seeds)
        notes.append(f"{mode}: {len(data.data.lines)} training lines; pages dropped by alignment: {dict(data.dropped)}")
        progress(f"{mode}: featurizing {len(data.data.lines)} lines and fitting {len(corpora)} held-out models")
        fitted = Fitted.prepare(data, settings)
        folds = held_out_corpora(fitted, corpora, jobs=jobs)
        fold_models[mode] = {held: fold_model(fitted, held, folds) for held in corpora}
        if save_models is not None:
            model = final_model(fitted, folds, f"{mode} model: public corpora + hand-labeled seeds", trained_at)
            figures = model.info["cross_validation"]["keep_chars"]
            notes.append(
                f"{mode}: saved {model.save(save_models / f'{mode}.json')}; leave-one-corpus-out line F1 {figures}"
            )
    html_results: dict[str, SystemResult] = defaultdict(SystemResult)
    text_results: dict[str, SystemResult] = defaultdict(SystemResult)
    html_systems: dict[str, Callable[[str], str]] = dict(HTML_COMPETITORS) if competitors else {}
    missing = set()
    worst: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    renderer = RENDERERS[TEST_RENDERER]
    options = Options(input_format="text")

    def score(
        results: dict[str, SystemResult], name: str, extract: Callable[[str], str], page: CorpusPage, source: str
    ) -> str | None:
        """Run one system on one page and record it; None when the system is not installed."""
        if name in missing:
            return None
        try:
            output, seconds, failed = _timed(extract, source)
        except MissingCompetitor as error:
            missing.add(name)
            notes.append(f"{name} skipped: {error}")
            return None
        results[name].add(page.corpus, output, page.gold, seconds)
        results[name].failures += failed
        return output

    for number, page in enumerate(pages, start=1):
        if number % 200 == 0:
            progress(f"scored {number}/{len(pages)} pages")
        html_cleaner = Cleaner(None, fold_models["html"][page.corpus])
        text_cleaner = Cleaner(fold_models["text"][page.corpus], None)
        ours = score(html_results, OURS_HTML, html_cleaner.clean_html, page, page.html) or ""
        for name, extract in html_systems.items():
            output = score(html_results, name, extract, page, page.html)
            if name == "trafilatura" and output is not None:
                worst[page.corpus].append(
                    (page.id, f1_score(*page_scores(ours, page.gold)), f1_score(*page_scores(output, page.gold)))
                )
        text, _, _ = _timed(lambda html: "\n".join(renderer(html)), page.html)
        score(text_results, OURS_TEXT, lambda t: text_cleaner.clean(t, options), page, text)
        for name, baseline in TEXT_BASELINES.items():
            score(text_results, name, baseline, page, text)
    losses = {corpus: sorted(rows, key=lambda row: row[1] - row[2])[:5] for corpus, rows in worst.items()}
    return BenchmarkResult(dict(html_results), dict(text_results), list(corpora), notes, losses)


def format_table(title: str, results: dict[str, SystemResult], corpora: Sequence[str]) -> str:
    """A Markdown table: F1 (precision/recall) per corpus, overall, and pages per second."""
    header = ["system", *corpora, "all pages", "pages/s"]
    lines = [f"**{title}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, result in results.items():
        per_corpus = result.by_corpus()
        cells = [name]
        for corpus in corpora:
            s = per_corpus.get(corpus)
            cells.append(f"{s.f1:.3f} ({s.precision:.2f}/{s.recall:.2f})" if s else "-")
        overall = result.overall()
        cells.append(f"**{overall.f1:.3f}** ({overall.precision:.2f}/{overall.recall:.2f})")
        cells.append(f"{result.pages / result.seconds:.0f}" if result.seconds else "-")
        if result.failures:
            cells[0] += f" [{result.failures} failed pages]"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def format_report(result: BenchmarkResult) -> str:
    parts = [
        format_table("HTML input", result.html, result.corpora),
        "",
        format_table(f"Text input (pages rendered with {TEST_RENDERER})", result.text, result.corpora),
        "",
        "Cells: F1 (precision/recall) of kept text against the gold, ScrapingHub shingle metric, averaged over pages.",
        "pages/s: extraction only, one process (text mode: the rendering to text is not counted).",
    ]
    parts += [f"note: {note}" for note in result.notes]
    if result.worst_pages:
        parts.append("")
        parts.append("Pages where cleaner (HTML) trails trafilatura most (page id: cleaner F1 vs trafilatura F1):")
        for corpus, rows in result.worst_pages.items():
            parts.append(f"  {corpus}: " + "; ".join(f"{pid} {ours:.2f} vs {theirs:.2f}" for pid, ours, theirs in rows))
    return "\n".join(parts)
