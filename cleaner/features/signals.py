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


def line_signals(texts: Sequence[str], signals: PageSignals) -> dict[str, list[float]]:
    """The page-signal columns of one page's lines."""
    titles, body = page_keys(signals)
    keys = text_keys(texts)
    inside = [float(bool(body) and key.count(" ") + 1 >= MIN_STRUCTURED_WORDS and f" {key} " in body) for key in keys]
    return {
        "matches_title": [float(match) for match in title_matches(keys, titles)],
        "in_structured_text": inside,
        "page_has_structured_text": [float(bool(body))] * len(texts),
    }


def page_signals(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """:func:`line_signals` of each page of a batch (zeros for pages without signals: plain text)."""
    out = {name: np.zeros(page.n) for name in ("matches_title", "in_structured_text", "page_has_structured_text")}
    if not page.signals:
        return out
    bounds = page.bounds.tolist()
    for signals, start, end in zip(page.signals, bounds[:-1], bounds[1:]):
        if start < end and signals != PageSignals():
            for name, values in line_signals(page.texts[start:end], signals).items():
                out[name][start:end] = values
    return out
