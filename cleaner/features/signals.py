"""The page-signals feature set (HTML): what the page says about itself, read against each line.

- ``matches_title``: the line is the page's title as its <title>, Open Graph or Twitter title or
  JSON-LD headline gives it, or the headline part of one: the longest part of a title split at " | ",
  " - "..., or a run of its first or last words that holds most of it, cut at punctuation
  ("Headline_Site", "Headline • Site": the headline without the site's name).
- ``in_structured_text``: the line is part of the article text or description the page's JSON-LD
  gives (``articleBody``): such lines are article text whatever they look like.
- ``page_has_structured_text``: the page's JSON-LD gives its article text at all.

Lines and titles are compared by their keys (:mod:`cleaner.read.titles`). This is the definition
the reference (:mod:`cleaner.features.reference`) reads too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.features.textbatch import TextBatch
from cleaner.read.titles import page_keys, text_keys, title_matches
from cleaner.records import PageSignals

# A line must hold this many words to be looked for in the structured text (short lines match anywhere).
MIN_STRUCTURED_WORDS = 5


def line_signals(
    texts: Sequence[str], signals: PageSignals, keys: Sequence[str] | None = None
) -> dict[str, list[float]]:
    """The page-signal columns of one page's lines (``keys``: their keys, when already made)."""
    titles, body = page_keys(signals)
    keys = text_keys(texts) if keys is None else keys
    return {
        "matches_title": [float(match) for match in title_matches(keys, titles)],
        "in_structured_text": [float(found) for found in in_structured_text(keys, body)],
        "page_has_structured_text": [float(bool(body))] * len(texts),
    }


def in_structured_text(keys: Sequence[str], body: str) -> list[bool]:
    """Per line key: whether the line, of :data:`MIN_STRUCTURED_WORDS` words or more, stands word for
    word in the structured text ``body`` (its key, " "-padded): ``f" {key} " in body``."""
    found = [False] * len(keys)
    looked_for = [i for i, key in enumerate(keys) if body and key.count(" ") + 1 >= MIN_STRUCTURED_WORDS]
    if len(looked_for) * len(body) <= MAX_SEARCHED_CHARS:
        for i in looked_for:
            found[i] = f" {keys[i]} " in body
        return found
    for i, hit in zip(looked_for, _indexed_search([keys[i] for i in looked_for], body)):
        found[i] = hit
    return found


# Lines times characters of structured text searched one line at a time; beyond, the text's words are
# indexed once (a 20,000-paragraph page searched its 1 MB articleBody once per line: 5 s).
MAX_SEARCHED_CHARS = 20_000_000


def _indexed_search(keys: Sequence[str], body: str) -> list[bool]:
    """``f" {key} " in body`` for each key (of MIN_STRUCTURED_WORDS words or more), by an index of where
    each run of that many words starts in ``body``: the same answers (keys and ``body`` are words
    joined by single spaces; ``body`` may hold two spaces where a text had no word, an empty word)."""
    words, runs = _word_runs(body)
    out = []
    for key in keys:
        wanted = key.split(" ")
        starts = runs.get(tuple(wanted[:MIN_STRUCTURED_WORDS]), ())
        out.append(any(words[start : start + len(wanted)] == wanted for start in starts))
    return out


def _word_runs(body: str) -> tuple[list[str], dict[tuple[str, ...], list[int]]]:
    """The words of ``body`` (" "-padded), and where each run of MIN_STRUCTURED_WORDS of them starts."""
    words = body[1:-1].split(" ")
    runs: dict[tuple[str, ...], list[int]] = {}
    for start, run in enumerate(zip(*(words[k:] for k in range(MIN_STRUCTURED_WORDS)))):
        runs.setdefault(run, []).append(start)
    return words, runs


def page_signals(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """:func:`line_signals` of each page of a batch (zeros for pages without signals: plain text)."""
    out = {name: np.zeros(page.n) for name in ("matches_title", "in_structured_text", "page_has_structured_text")}
    if not page.signals:
        return out
    bounds = page.bounds.tolist()
    keys = page.keys()
    for signals, start, end in zip(page.signals, bounds[:-1], bounds[1:]):
        if start < end and signals != PageSignals():
            for name, values in line_signals(page.texts[start:end], signals, keys[start:end]).items():
                out[name][start:end] = values
    return out
