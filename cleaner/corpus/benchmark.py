"""``cleaner benchmark``: cleaner against other extractors on every page of the public corpora, with
pages cleaner never saw.

For each corpus, cleaner's HTML and text models are the held-out models of :mod:`cleaner.corpus.build`
(trained on the other corpora, minus any site of the held-out one, and the seeds). The other
extractors run on the same pages (their outputs cached: :mod:`cleaner.corpus.systems`), the text
systems on the same html-text rendering. Scores: the ScrapingHub shingle metric per page, per corpus
and pooled (:mod:`cleaner.corpus.report`), with the pages where cleaner trails trafilatura most and why.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.api import Cleaner
from cleaner.corpus.pages import CorpusPage
from cleaner.corpus.report import (
    SystemScores,
    format_tables,
    format_worst_pages,
    score_systems,
    worst_pages,
)
from cleaner.corpus.sandbox import Output
from cleaner.corpus.score_cache import SCORES_FILE, Scorer
from cleaner.corpus.systems import Key, run_competitors
from cleaner.model import Model
from cleaner.model.text_view import TEXT_VIEW
from cleaner.options import Options

OURS_HTML = "cleaner (HTML)"
OURS_TEXT = "cleaner (text)"
REFERENCE = "trafilatura"


@dataclass(frozen=True)
class BenchmarkResult:
    html: list[SystemScores]
    text: list[SystemScores]
    corpora: list[str]
    notes: list[str]
    worst: str

    def report(self) -> str:
        return format_tables(self.html, self.text, self.corpora, notes=self.notes) + "\n\n" + self.worst


def load_held_out(folder: Path, corpora: Sequence[str]) -> dict[str, dict[str, Model]]:
    """The held-out models written by ``training/build_models.py``: by mode, then by corpus."""
    found: dict[str, dict[str, Model]] = {"text": {}, "html": {}}
    for mode in found:
        for corpus in corpora:
            found[mode][corpus] = Model.load(folder / f"{mode}-{corpus}.json")
    return found


def run_benchmark(
    pages: Sequence[CorpusPage],
    held_out: dict[str, dict[str, Model]],
    *,
    cache: Path,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda message: None,
) -> BenchmarkResult:
    """Score cleaner's held-out models and every installed competitor on ``pages``."""
    corpora = list(dict.fromkeys(page.corpus for page in pages))
    competitors = run_competitors(pages, cache_dir=cache, jobs=jobs, progress=progress)
    progress(f"cleaning {len(pages)} pages with the held-out models")
    ours_html, ours_text = held_out_html(pages, held_out), held_out_text(pages, held_out, competitors.texts)
    scorer = Scorer.load(cache / SCORES_FILE)
    html = score_systems(pages, {OURS_HTML: ours_html, **competitors.html}, scorer)
    text = score_systems(pages, {OURS_TEXT: ours_text, **competitors.text}, scorer)
    scorer.save(cache / SCORES_FILE)
    notes = list(competitors.notes)
    worst = ""
    reference = next((system for system in html if system.name == REFERENCE), None)
    if reference is not None:
        by_key = {(page.corpus, page.id): page for page in pages}

        def explain(corpus: str, page_id: str) -> str:
            return _explain(by_key[corpus, page_id], _held_out_cleaner(held_out, corpus))

        worst = format_worst_pages(OURS_HTML, REFERENCE, worst_pages(html[0], reference, explain=explain))
    return BenchmarkResult(html, text, corpora, notes, worst)


def held_out_html(pages: Sequence[CorpusPage], held_out: dict[str, dict[str, Model]]) -> dict[Key, Output]:
    """cleaner's output on every HTML page, with the models that never saw the page's corpus."""
    # HTML pages are read by the held-out pair, as the shipped pair reads them (the text view included).
    cleaners = {corpus: _held_out_cleaner(held_out, corpus) for corpus in held_out["html"]}
    return {(page.corpus, page.id): _timed(cleaners[page.corpus].clean_html, page.html) for page in pages}


def held_out_text(
    pages: Sequence[CorpusPage], held_out: dict[str, dict[str, Model]], texts: dict[Key, str]
) -> dict[Key, Output]:
    """cleaner's output on every page's text (``texts``: the pages' html-text renderings, by key), with
    the text models that never saw the page's corpus."""
    as_text = Options(input_format="text")
    cleaners = {corpus: Cleaner(model) for corpus, model in held_out["text"].items()}
    outputs = {}
    for page in pages:
        key = (page.corpus, page.id)
        outputs[key] = _timed(lambda t, c=cleaners[page.corpus]: c.clean(t, as_text), texts.get(key, ""))
    return outputs


def _held_out_cleaner(held_out: dict[str, dict[str, Model]], corpus: str) -> Cleaner:
    """The cleaner of HTML pages that never saw ``corpus``: its held-out HTML and text models."""
    return Cleaner(held_out["text"][corpus], held_out["html"][corpus])


def _timed(extract: Callable[[str], str], argument: str) -> Output:
    started = time.perf_counter()
    try:
        text = extract(argument)
    except Exception as error:  # noqa: BLE001 -- a page cleaner cannot read scores as empty, and is named
        return Output("", time.perf_counter() - started, f"{type(error).__name__}: {error}")
    return Output(text, time.perf_counter() - started)


def _explain(page: CorpusPage, cleaner: Cleaner) -> str:
    """What cleaner did with a page: lines kept, whether it fell back, and what weighed most against the
    page's longest dropped line."""
    results = cleaner.classify_html(page.html, Options(explain=True))
    kept = sum(result.kept for result in results)
    note = f"kept {kept} of {len(results)} lines"
    dropped = [result for result in results if not result.kept]
    if dropped:
        longest = max(dropped, key=lambda result: len(result.text))
        weighed = [(name, value) for name, value in longest.explanation if name != TEXT_VIEW]
        reasons = ", ".join(f"{name} {weight:+.1f}" for name, weight in weighed[:3])
        view = dict(longest.explanation).get(TEXT_VIEW)
        seen = f", text view p={view:.2f}" if view is not None else ""
        note += f"; longest dropped ({len(longest.text)} chars, p={longest.keep_probability:.2f}{seen}): {reasons}"
    return note
