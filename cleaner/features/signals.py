"""The page-signals feature set (HTML): what the page says about itself, read against each line.

- ``matches_title``: the line is the page's title as its <title>, Open Graph or Twitter title or
  JSON-LD headline gives it (or the longest part of a title split at " | ", " - "...: the headline
  without the site's name).
- ``in_structured_text``: the line is part of the article text or description the page's JSON-LD
  gives (``articleBody``): such lines are article text whatever they look like.
- ``page_has_structured_text``: the page's JSON-LD gives its article text at all.

Lines and titles are compared as their word tokens, case-folded: punctuation and spacing aside. This
is the definition the reference (:mod:`cleaner.features.reference`) reads too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from cleaner.features.textbatch import TextBatch
from cleaner.metadata.jsonld import read_jsonld
from cleaner.records import PageSignals

_WORD_RE = re.compile(r"\w+")
# Where a title joins its parts (the headline, the site's name, a section).
_TITLE_SEPARATOR_RE = re.compile(r"\s+[|\-–—:·»/]\s+|\s*::\s*")
# The headline part of a title must hold this many words to count (a lone "News" matches too many lines).
MIN_TITLE_PART_WORDS = 2
# A line must hold this many words to be looked for in the structured text (short lines match anywhere).
MIN_STRUCTURED_WORDS = 5
# Structured text shorter than this is a teaser, not the article.
MIN_STRUCTURED_CHARS = 200


def text_key(text: str) -> str:
    """The word tokens of ``text``, case-folded, joined by single spaces."""
    return " ".join(_WORD_RE.findall(text.casefold()))


@lru_cache(maxsize=64)
def page_keys(signals: PageSignals) -> tuple[frozenset[str], str]:
    """The keys of a page's titles (whole and parts), and the key of its structured text (" "-padded,
    "" when there is none)."""
    info = read_jsonld(list(signals.jsonld)) if signals.jsonld else None
    titles = [signals.title, *signals.meta_titles, info.title if info else None]
    keys: set[str] = set()
    for title in filter(None, titles):
        keys.add(text_key(title))
        # The longest part of a title split at its separators is the headline; the others name the
        # site or the section, which menus and logos repeat.
        longest = max((text_key(part) for part in _TITLE_SEPARATOR_RE.split(title)), key=len)
        if longest.count(" ") + 1 >= MIN_TITLE_PART_WORDS:
            keys.add(longest)
    keys.discard("")
    texts = [info.body, info.description] if info else []
    body = " ".join(text_key(text) for text in texts if text)
    has_body = bool(info and info.body and len(info.body) >= MIN_STRUCTURED_CHARS)
    return frozenset(keys), f" {body} " if has_body else ""


def line_signals(texts: Sequence[str], signals: PageSignals) -> dict[str, list[float]]:
    """The page-signal columns of one page's lines."""
    titles, body = page_keys(signals)
    matches, inside = [], []
    for text in texts:
        key = text_key(text)
        matches.append(float(bool(key) and key in titles))
        inside.append(float(bool(body) and key.count(" ") + 1 >= MIN_STRUCTURED_WORDS and f" {key} " in body))
    return {
        "matches_title": matches,
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
