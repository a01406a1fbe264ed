"""What a page says about itself, as keys its lines can be looked up by: the titles its head gives
(<title>, Open Graph and Twitter titles, the JSON-LD headline) and the article text its JSON-LD gives.

Lines and titles are compared as their word tokens, case-folded: punctuation and spacing aside. The
read stage anchors the main region on the title heading (:mod:`cleaner.read.blocks`); the
page-signals features read the same keys (:mod:`cleaner.features.signals`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from cleaner.core import compiled
from cleaner.records import PageBatch, PageSignals

if TYPE_CHECKING:
    from cleaner.metadata.jsonld import JsonLdInfo

# Words are runs of letters and digits: an underscore joins a title's parts as a separator does
# ("Headline_Site_Section").
_WORD_RE = re.compile(r"[^\W_]+")
# Where a title joins its parts (the headline, the site's name, a section).
_TITLE_SEPARATOR_RE = re.compile(r"\s+[|\-–—:·»/]\s+|\s*::\s*")
# A part of a title is a headline when it holds this many words, or this many characters (scripts
# written without spaces): a lone "News" or "Home" matches too many lines.
MIN_TITLE_PART_WORDS = 2
MIN_TITLE_PART_CHARS = 10
# Structured text shorter than this is a teaser, not the article.
MIN_STRUCTURED_CHARS = 200


def text_key(text: str) -> str:
    """The word tokens of ``text``, case-folded, joined by single spaces."""
    return " ".join(_WORD_RE.findall(text.casefold()))


def text_keys(texts: Sequence[str]) -> list[str]:
    """:func:`text_key` of each of ``texts`` (by the compiled core where it is built: every line of a
    page is looked up by its key)."""
    core = compiled("cleaner.read._lines")
    if core is not None:
        return core.text_keys(list(texts))
    return list(map(text_key, texts))


# The name of the lines' keys among a batch's derived columns (``PageBatch.derived``).
LINE_KEYS = "keys"


def line_keys(batch: PageBatch) -> list[str]:
    """:func:`text_keys` of a batch's lines, made once a batch (kept in its ``derived`` columns): the
    page-signal features and the title rules all look its lines up by them."""
    keys = batch.derived.get(LINE_KEYS)
    if keys is None:
        keys = batch.derived[LINE_KEYS] = text_keys(batch.texts)
    return keys


def is_headline(key: str) -> bool:
    """Whether a title key holds enough to name a story (see :data:`MIN_TITLE_PART_WORDS`)."""
    return _names_a_story(len(key), key.count(" ") + 1)


def _names_a_story(chars: int, words: int) -> bool:
    """:func:`is_headline` of a key of ``chars`` characters and ``words`` words."""
    return chars >= MIN_TITLE_PART_CHARS or words >= MIN_TITLE_PART_WORDS


# A title longer than this has no headline ends: each cut between its words gives a key as long as
# half of it, time and memory growing as the square of its length (a 170 KB title took 1.8 GB).
MAX_HEADLINE_TITLE_CHARS = 2_000


def _headline_ends(title: str) -> list[str]:
    """The keys of a title's first words and of its last words, cut where punctuation joins two
    words, that hold at least half its characters: the headline without the site's or section's
    name before or after it, whatever joins them ("Headline_Site", "Headline (Solved)", "Headline •
    Site", "标题-网站")."""
    if len(title) > MAX_HEADLINE_TITLE_CHARS:  # no headline: a page's text pasted into its title
        return []
    folded = title.casefold()
    words = list(_WORD_RE.finditer(folded))
    cuts = [n for n in range(1, len(words)) if not folded[words[n - 1].end() : words[n].start()].isspace()]
    texts = [word.group() for word in words]
    # The length of the first n words' key, for each n: each end's length is known before it is joined.
    before = [0, *itertools.accumulate(len(text) + 1 for text in texts)]
    whole = before[-1] - 1

    def wanted(length: int, count: int) -> bool:  # half the title or more, and a headline
        return 2 * length >= whole and _names_a_story(length, count)

    heads = [" ".join(texts[:n]) for n in cuts if wanted(before[n] - 1, n)]
    tails = [" ".join(texts[n:]) for n in cuts if wanted(whole - before[n], len(texts) - n)]
    return heads + tails


@lru_cache(maxsize=64)
def page_keys(signals: PageSignals) -> tuple[frozenset[str], str]:
    """The keys of a page's titles (whole and parts), and the key of its structured text (" "-padded,
    "" when there is none)."""
    info = _structured(signals.jsonld) if signals.jsonld else None
    titles = [signals.title, *signals.meta_titles, info.title if info else None]
    keys: set[str] = set()
    for title in filter(None, titles):
        keys.add(text_key(title))
        # The longest part of a title split at its separators is the headline; the others name the
        # site or the section, which menus and logos repeat. The headline also stands at one end of
        # the title, whatever joins it to the rest.
        longest = max(_part_keys(title), key=len)
        if longest.count(" ") + 1 >= MIN_TITLE_PART_WORDS:
            keys.add(longest)
        keys.update(_headline_ends(title))
    keys.discard("")
    texts = [info.body, info.description] if info else []
    body = " ".join(text_key(text) for text in texts if text)
    has_body = bool(info and info.body and len(info.body) >= MIN_STRUCTURED_CHARS)
    return frozenset(keys), f" {body} " if has_body else ""


def page_description(signals: PageSignals) -> str:
    """What the page says it is about: the first description its <meta> elements give
    (:data:`cleaner.read.tags.META_DESCRIPTION_KEYS`: ``og:description`` first), else its JSON-LD
    description; "" without."""
    if signals.descriptions:
        return signals.descriptions[0]
    if signals.jsonld:
        return _structured(signals.jsonld).description or ""
    return ""


@lru_cache(maxsize=64)
def _structured(jsonld: tuple[str, ...]) -> JsonLdInfo:
    """What a page's JSON-LD blocks give, read once for its titles, its article text and its description."""
    # Imported here: the metadata package loads only for pages with JSON-LD (plain text has none).
    from cleaner.metadata.jsonld import read_jsonld

    return read_jsonld(list(jsonld))


def title_part_keys(signals: PageSignals) -> frozenset[str]:
    """The keys of every part of a page's titles split at their separators, however short (a
    category's "Plumbing" in "Plumbing – The Well House Blog"), for the lines that other evidence
    already marks as a heading of the page's content."""
    titles = filter(None, [signals.title, *signals.meta_titles])
    return frozenset(filter(None, (key for title in titles for key in _part_keys(title))))


def _part_keys(title: str) -> list[str]:
    """The keys of a title's parts, split at its separators (:data:`_TITLE_SEPARATOR_RE`)."""
    return [text_key(part) for part in _TITLE_SEPARATOR_RE.split(title)]


def title_matches(keys: Iterable[str], titles: frozenset[str]) -> list[bool]:
    """Per line key (:func:`text_key`): whether the line is one of the page's ``titles``."""
    return [bool(key) and key in titles for key in keys]


def page_titles(texts: Sequence[str], signals: PageSignals) -> list[bool]:
    """Per line of one page (``texts``): whether it is the page's title, one of the keys :func:`page_keys`
    gives for its ``signals`` (none on a page without signals: plain text)."""
    if signals == PageSignals():
        return [False] * len(texts)
    return title_matches(text_keys(texts), page_keys(signals)[0])


def is_title(text: str, signals: PageSignals) -> bool:
    """Whether one line is its page's title (:func:`page_titles`)."""
    return page_titles([text], signals)[0]


def title_lines(batch: PageBatch, pages: np.ndarray | None = None) -> np.ndarray | None:
    """Per line of a batch of pages: whether it is its page's title, looked for on the pages set in
    ``pages`` (a boolean per page; all of them when None); None for plain text (no markup, no title)."""
    if batch.markup is None:
        return None
    found = np.zeros(len(batch.texts), dtype=bool)
    chosen = range(len(batch.signals)) if pages is None else np.flatnonzero(pages).tolist()
    for page in chosen:
        signals, start, end = batch.signals[page], batch.bounds[page], batch.bounds[page + 1]
        if start < end and signals != PageSignals():
            found[start:end] = title_matches(line_keys(batch)[start:end], page_keys(signals)[0])
    return found
