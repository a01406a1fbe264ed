"""The shipped models' decisions on fixed pages, recorded: a speed-up (or any refactoring) must leave them
as they are.

``tests/data/pinned_results.json`` holds, for the seed pages (text model) and the first pages of each
public corpus (HTML model), every line's label, keep-probability (4 decimals) and decision. A change
that alters them changes what the models do: if that is intended (new features, retrained models),
rerun ``python tests/test_pinned_results.py`` and say why in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import Cleaner, Options
from cleaner.training.labeled import read_labeled_pages

HERE = Path(__file__).resolve().parent
PINNED = HERE / "data" / "pinned_results.json"
SEEDS = HERE.parent / "training" / "seeds"
CORPORA = HERE.parent.parent / "shared" / "corpora"
CORPUS_PAGES = 2  # per corpus
# Probabilities are stored rounded to 4 decimals; a last-bit change in the arithmetic may move one
# across a rounding boundary, never further.
PROBABILITY_TOLERANCE = 1.5e-4


def _rows(results) -> list[list]:
    return [[r.number, r.label, r.keep_probability, r.kept] for r in results]


def text_results(cleaner: Cleaner) -> dict[str, list[list]]:
    return {
        page.source: _rows(cleaner.classify(page.original_text(), Options(input_format="text")))
        for page in read_labeled_pages([SEEDS])
    }


def html_results(cleaner: Cleaner) -> dict[str, list[list]]:
    from cleaner.corpus.pages import iter_corpus_pages

    return {
        f"{page.corpus}/{page.id}": _rows(cleaner.classify_html(page.html))
        for page in iter_corpus_pages(CORPORA, limit=CORPUS_PAGES)
    }


def assert_same(got: dict[str, list[list]], pinned: dict[str, list[list]]) -> None:
    assert sorted(got) == sorted(pinned)
    for page, rows in pinned.items():
        now = got[page]
        assert [(r[0], r[1], r[3]) for r in now] == [(r[0], r[1], r[3]) for r in rows], page
        for (number, _, probability, _), (_, _, pinned_probability, _) in zip(now, rows):
            assert abs(probability - pinned_probability) <= PROBABILITY_TOLERANCE, (page, number)


@pytest.fixture(scope="module")
def pinned() -> dict:
    return json.loads(PINNED.read_text(encoding="utf-8"))


def test_text_model_decisions_on_the_seeds_are_pinned(pinned):
    assert_same(text_results(Cleaner.load()), pinned["text"])


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
def test_html_model_decisions_on_corpus_pages_are_pinned(pinned):
    assert_same(html_results(Cleaner.load()), pinned["html"])


if __name__ == "__main__":
    shipped = Cleaner.load()
    data = {
        "about": "Decisions of the shipped models on fixed pages (tests/test_pinned_results.py regenerates them).",
        "text": text_results(shipped),
        "html": html_results(shipped),
    }
    # One line per page: diffs show which pages changed.
    lines = [f' "about": {json.dumps(data["about"])}']
    for key in ("text", "html"):
        pages = ",\n".join(
            f"  {json.dumps(page)}: {json.dumps(rows, ensure_ascii=False)}" for page, rows in data[key].items()
        )
        lines.append(f' "{key}": {{\n{pages}\n }}')
    PINNED.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"wrote {PINNED}: {len(data['text'])} seed pages, {len(data['html'])} corpus pages")
