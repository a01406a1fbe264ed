"""What every feature column means, line by line, in plain Python: the definition the compiled core
(``features/_text.pyx``, ``features/_page.pyx``) and the fast code of :mod:`~cleaner.features.markup`
must reproduce bit for bit (the tests compare every column on the seeds, on corpus pages and on
generated text). Read this first. It is slow: the tests run it, and so does the reference core, where
the compiled core is not built, for the text's sets (:mod:`cleaner.features.text`) and those read
within a page (:mod:`cleaner.features.page`).

A page is its non-blank lines (``texts``) with their line numbers (a gap means a paragraph break) and,
for HTML, their :class:`~cleaner.records.Markup`. Character classes are those of
:func:`~cleaner.features.chars.char_bits`. Patterns are those of :mod:`cleaner.features.patterns`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate

import numpy as np

from cleaner.features import patterns
from cleaner.features.chars import (
    CASED_UPPER,
    COMMA,
    DIGIT,
    LETTER,
    PUNCT,
    QUOTE,
    SPACE,
    SYMBOL,
    TERMINAL,
    UPPER,
    char_bits,
)
from cleaner.features.markup import ANCESTOR_FLAGS, ANCESTOR_SHARES, HINTS, TAG_GROUPS
from cleaner.features.signals import line_signals
from cleaner.features.spans import DISTANCE_CAP, MAIN_SPAN_PENALTY, main_span
from cleaner.features.stack_settings import LOGIT_BOUND, RUN_LEVEL, STACK_ANCESTORS, WINDOWS
from cleaner.features.text_settings import (
    ALL_CAPS_MIN_LETTERS,
    ALL_CAPS_SHARE,
    COMMAS_PER_WORD_CAP,
    LEXICAL_MAX_CHARS,
    LINK_CAP,
    LONG_WORDS,
    MEAN_WORD_LENGTH_CAP,
    MENU_SEPARATOR_CAP,
    ONE_WORD,
    PATTERN_CAP,
    SHORT_WORDS,
)
from cleaner.read.prose import is_prose
from cleaner.records import Markup, PageSignals

Column = list[float]


def log(x: float) -> float:
    """log(1 + x), as NumPy computes it (the fast code's arrays and these scalars agree bit for bit)."""
    return float(np.log1p(x))


def ratio(a: float, b: float) -> float:
    return a / b if b > 0 else 0.0


def count(text: str, bit: int) -> int:
    """How many characters of ``text`` have the class ``bit``."""
    return sum(1 for char in text if char_bits(char) & bit)


def is_short(text: str) -> bool:
    """Lexical cues (word lists, dates, prices...) are read on short lines only."""
    return len(text) <= LEXICAL_MAX_CHARS


def matches(pattern, text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def is_good(text: str) -> bool:
    """Long, punctuated text: the stuff articles are made of."""
    return is_prose(text)


# -- a line's own text ---------------------------------------------------------------------------------


def shape(text: str) -> dict[str, float]:
    chars, words = len(text), len(text.split())
    spaces = count(text, SPACE)
    return {
        "log_chars": log(chars),
        "log_words": log(words),
        "mean_word_length": min(ratio(chars - spaces, words), MEAN_WORD_LENGTH_CAP),
        "ends_terminal": float(patterns.TERMINAL_END.search(text) is not None),
        "ends_colon": float(text.rstrip().endswith(":")),
        "starts_upper": float(bool(text.lstrip()) and bool(char_bits(text.lstrip()[0]) & CASED_UPPER)),
        "one_word": float(words <= ONE_WORD),
        "short": float(words <= SHORT_WORDS),
        "long": float(words >= LONG_WORDS),
        "leading_space": float(text[:1].isspace()),
    }


def punctuation(text: str) -> dict[str, float]:
    chars, words = len(text), text.split()
    letters, upper = count(text, LETTER), count(text, UPPER)
    capitalised = sum(1 for word in words if char_bits(word[0]) & UPPER)
    return {
        "punct_ratio": ratio(count(text, PUNCT), chars),
        "digit_ratio": ratio(count(text, DIGIT), chars),
        "upper_ratio": ratio(upper, letters),
        "letter_ratio": ratio(letters, chars),
        "symbol_ratio": ratio(count(text, SYMBOL), chars),
        "capitalised_word_ratio": ratio(capitalised, len(words)),
        "log_sentences": log(count(text, TERMINAL)),
        "commas_per_word": min(ratio(count(text, COMMA), len(words)), COMMAS_PER_WORD_CAP),
        "has_quotes": float(count(text, QUOTE) > 0),
        "all_caps": float(letters >= ALL_CAPS_MIN_LETTERS and upper >= ALL_CAPS_SHARE * letters),
        "menu_separators": min(matches(patterns.MENU_SEPARATOR, text) if is_short(text) else 0, MENU_SEPARATOR_CAP),
    }


def dates(lower: str) -> int:
    """Numeric and day-first dates, and years with a month name just before them."""
    found = matches(patterns.DATE, lower)
    for year in patterns.YEAR.finditer(lower):
        start = year.start()
        if patterns.MONTH_BEFORE_YEAR.search(lower, max(0, start - patterns.MONTH_LOOKBACK), start):
            found += 1
    return found


def word_character(previous: str) -> bool:
    """What may stand before an e-mail address's "@" (the end of its local part)."""
    return previous != "" and (previous.isalnum() or previous in "._+-")


def not_link_start(previous: str) -> bool:
    """A bare URL is not one inside a Markdown link's parentheses nor glued to a word."""
    return previous != "(" and not previous.isalnum()


def pattern_features(text: str) -> dict[str, float]:
    short = is_short(text)
    lower = text.lower()  # word lists, dates, times and marks are matched against the lower-cased line
    emails = sum(1 for m in patterns.EMAIL.finditer(text) if word_character(text[m.start() - 1 : m.start()]))
    hits = [m.lastgroup for m in patterns.LEXICON.finditer(lower)] if short else []
    out = {
        "price": matches(patterns.PRICE, text) if short else 0,
        "postcode": matches(patterns.POSTCODE, text) if short else 0,
        "phone": matches(patterns.PHONE, text) if short else 0,
        "date": dates(lower) if short else 0,
        "time": matches(patterns.TIME, lower) if short else 0,
        "year": matches(patterns.YEAR, text) if short else 0,
        "email": emails,
        **{name: hits.count(name) for name in patterns.LEXICON_GROUPS},
        "copyright": matches(patterns.COPYRIGHT, lower) if short else 0,
    }
    return {name: min(float(value), PATTERN_CAP) for name, value in out.items()}


def link_features(text: str) -> dict[str, float]:
    spans = [m.span() for m in patterns.MARKDOWN_LINK.finditer(text)]
    spans += [m.span() for m in patterns.BARE_URL.finditer(text) if not_link_start(text[m.start() - 1 : m.start()])]
    link_chars = sum(end - start for start, end in spans)
    return {
        "text_link_density": min(ratio(link_chars, len(text)), 1.0),
        "text_links": min(float(len(spans)), LINK_CAP),
        "markdown_heading": float(patterns.MARKDOWN_HEADING.match(text) is not None),
        "list_item": float(patterns.LIST_ITEM.match(text) is not None),
        "table_row": float(patterns.TABLE_ROW.match(text) is not None),
    }


# -- a line within its page ----------------------------------------------------------------------------


def position(texts: Sequence[str], numbers: Sequence[int]) -> dict[str, Column]:
    n = len(texts)
    chars = [len(text) for text in texts]
    total = sum(chars)
    # In text input, a jump in line numbers means blank lines: a paragraph break.
    blank_before = [i == 0 or numbers[i] - numbers[i - 1] > 1 for i in range(n)]
    blank_after = [i == n - 1 or blank_before[i + 1] for i in range(n)]
    block = list(accumulate(blank_before))  # the paragraph each line belongs to
    block_lines, block_chars = Counter(block), Counter()
    for b, c in zip(block, chars):
        block_chars[b] += c
    before = [0, *accumulate(chars)]  # characters before each line
    return {
        "relative_position": [i / max(n - 1, 1) for i in range(n)],
        "relative_char_position": [before[i] / (total if total else 1.0) for i in range(n)],
        "lines_from_start": [log(min(i, DISTANCE_CAP)) for i in range(n)],
        "lines_from_end": [log(min(n - 1 - i, DISTANCE_CAP)) for i in range(n)],
        "blank_before": [float(b) for b in blank_before],
        "blank_after": [float(b) for b in blank_after],
        "log_block_lines": [log(block_lines[b]) for b in block],
        "log_block_chars": [log(block_chars[b]) for b in block],
        "log_page_lines": [math.log1p(n)] * n,
    }


def repetition(texts: Sequence[str]) -> dict[str, Column]:
    """Lines that repeat another of the page, white space collapsed and case folded."""
    keys = [" ".join(text.split()).casefold() for text in texts]
    occurrences = Counter(keys)
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    prefix = [float(bool(a) and len(b) > len(a) and b.startswith(a)) for a, b in zip(keys, keys[1:])]
    return {
        "repeated": [float(occurrences[key] > 1) for key in keys],
        "repeat_of_earlier": [float(first[key] != i) for i, key in enumerate(keys)],
        "prefix_of_next": prefix + [0.0] if keys else [],
        "extends_previous": [0.0] + prefix if keys else [],
    }


def distances_to(flags: Sequence[bool]) -> list[int]:
    """For each position, how far back the nearest set flag stands (0 on one), or DISTANCE_CAP if none."""
    out, last = [], None
    for i, flag in enumerate(flags):
        if flag:
            last = i
        out.append(i - last if last is not None else DISTANCE_CAP)
    return out


def page_context(texts: Sequence[str]) -> dict[str, Column]:
    """Where the line stands relative to its page's long, punctuated text (the article, usually)."""
    n = len(texts)
    good = [is_good(text) for text in texts]
    good_chars = [float(len(text)) if g else 0.0 for text, g in zip(texts, good)]
    total_good, total_chars = sum(good_chars), sum(len(text) for text in texts)
    before = [0.0, *accumulate(good_chars)]  # good characters before each line
    # Runs of consecutive lines alike (good, or not), their lines and good characters.
    run = list(accumulate(i == 0 or good[i] != good[i - 1] for i in range(n)))
    run_lines, run_chars = Counter(run), Counter()
    for r, c in zip(run, good_chars):
        run_chars[r] += c
    to_previous = distances_to(good)
    to_next = distances_to(good[::-1])[::-1]
    # Other text costs a share of its characters against good text: the densest run is the article.
    score = [g - MAIN_SPAN_PENALTY * (0.0 if good[i] else len(texts[i])) for i, g in enumerate(good_chars)]
    start, end = main_span(score)
    span_distance = [
        DISTANCE_CAP if start == end else min(start - i if i < start else i - end + 1 if i >= end else 0, DISTANCE_CAP)
        for i in range(n)
    ]
    return {
        "good": [float(g) for g in good],
        "good_share_before": [ratio(before[i], total_good) for i in range(n)],
        "good_share_after": [ratio(total_good - before[i] - good_chars[i], total_good) for i in range(n)],
        "good_run_share": [
            ratio(run_chars[run[i]], total_good) if good[i] and total_good > 0 else 0.0 for i in range(n)
        ],
        "good_run_lines": [log(run_lines[run[i]]) if good[i] else 0.0 for i in range(n)],
        "lines_to_next_good": [log(min(d, DISTANCE_CAP)) for d in to_next],
        "lines_to_previous_good": [log(min(d, DISTANCE_CAP)) for d in to_previous],
        "in_main_span": [float(d == 0) for d in span_distance],
        "lines_to_main_span": [log(float(d)) for d in span_distance],
        "page_good_share": [total_good / (total_chars if total_chars else 1.0)] * n,
    }


# -- what the markup says ------------------------------------------------------------------------------


def markup_features(markup: Markup | None) -> dict[str, float]:
    """A block's tag, its ancestors, its class/id hints, its link density and how much of the page's
    prose its ancestors hold; all zero for a line without markup."""
    m = markup if markup is not None else Markup("", 0.0, 0)
    shares = (tuple(m.ancestor_shares) + (0.0,) * ANCESTOR_SHARES)[:ANCESTOR_SHARES]
    return {
        "has_markup": float(markup is not None),
        "link_density": float(m.link_density),
        "log_depth": log(m.depth),
        "log_container_chars": log(m.block_chars),
        "in_main": float(m.in_main),
        **{f"tag_{group}": float(m.tag in tags) for group, tags in TAG_GROUPS.items()},
        **{f"inside_{tag}": float(tag in m.ancestors) for tag in ANCESTOR_FLAGS},
        **{f"hint_{hint}": float(hint in m.hints) for hint in HINTS},
        **{f"ancestor_share_{k}": float(share) for k, share in enumerate(shares)},
    }


# -- the second pass: the first pass's view of the region around a line ----------------------------------


def running_sums(values: Sequence[float]) -> list[float]:
    """0, then the sums of the first 1, 2, ... ``values``, added in order: the sum of ``values[a:b]`` is
    ``sums[b] - sums[a]``. The means below are taken from them, as the compiled core takes them (bit
    for bit the same numbers), in time linear in the page's lines."""
    return [0.0, *accumulate(values)]


def stack_columns(
    keep: Sequence[float],
    texts: Sequence[str],
    numbers: Sequence[int],
    ranges: Sequence[Sequence[tuple[int, int]]] | None,
    logit_cap: float | None = None,
) -> dict[str, Column]:
    """The second pass's input for one page, from the first pass's keep-probabilities; their log-odds
    capped to ``[-logit_cap, logit_cap]`` unless it is None. Each mean is weighted by the lines'
    characters (0 over lines without any). ``ranges``: for HTML, each line's ancestors' line ranges
    (:attr:`~cleaner.records.Markup.ancestor_ranges`; (-1, -1) or none for the whole page)."""
    n = len(texts)
    chars = [float(len(text)) for text in texts]
    mass = [c * k for c, k in zip(chars, keep)]  # a line's characters, weighted by its keep-probability
    mass_sums, char_sums = running_sums(mass), running_sums(chars)

    def mean(first: int, end: int) -> float:
        return ratio(mass_sums[end] - mass_sums[first], char_sums[end] - char_sums[first])

    bounded = [min(max(k, LOGIT_BOUND), 1.0 - LOGIT_BOUND) for k in keep]
    logits = [float(np.log(k / (1.0 - k))) for k in bounded]
    if logit_cap is not None:
        logits = [min(max(logit, -logit_cap), logit_cap) for logit in logits]
    out: dict[str, Column] = {"first_keep_logit": logits}
    # The paragraph of each line: the run of lines with consecutive numbers; its sums added line by line.
    block = list(accumulate(int(i > 0 and numbers[i] != numbers[i - 1] + 1) for i in range(n)))
    block_mass, block_chars = [0.0] * (n and block[-1] + 1), [0.0] * (n and block[-1] + 1)
    for b, m, c in zip(block, mass, chars):
        block_mass[b] += m
        block_chars[b] += c
    out["block_keep"] = [ratio(block_mass[b], block_chars[b]) for b in block]
    for width in WINDOWS:
        out[f"window{width}_keep"] = [mean(max(i - width, 0), min(i + width + 1, n)) for i in range(n)]
    page_mass, page_chars = mass_sums[n], char_sums[n]
    out["page_keep"] = [ratio(page_mass, page_chars)] * n
    # Read by the second pass of earlier models only (stacking.LEGACY_INPUTS).
    kept_chars = running_sums([c for c, k in zip(chars, keep) if k >= RUN_LEVEL])[-1]
    out["page_kept_share"] = [ratio(kept_chars, page_chars)] * n
    start, end = main_span([c * (k - RUN_LEVEL) for c, k in zip(chars, keep)])
    distance = [
        DISTANCE_CAP if start == end else min(start - i if i < start else i - end + 1 if i >= end else 0, DISTANCE_CAP)
        for i in range(n)
    ]
    out["in_best_run"] = [float(d == 0) for d in distance]
    out["lines_to_best_run"] = [log(float(d)) for d in distance]
    run_chars = running_sums([chars[i] for i in range(n) if distance[i] == 0])[-1]
    out["best_run_share"] = [ratio(run_chars, page_chars)] * n
    if ranges is not None:
        for k in range(STACK_ANCESTORS):
            out[f"ancestor{k + 1}_keep"], out[f"ancestor{k + 1}_holds"] = [], []
            for line_ranges in ranges:
                first, end = line_ranges[k] if k < len(line_ranges) and line_ranges[k][0] >= 0 else (0, n)
                out[f"ancestor{k + 1}_keep"].append(mean(first, end))
                out[f"ancestor{k + 1}_holds"].append(ratio(mass_sums[end] - mass_sums[first], page_mass))
    return out


# -- a page --------------------------------------------------------------------------------------------

PER_LINE = {"shape": shape, "punctuation": punctuation, "patterns": pattern_features, "links": link_features}


def page_columns(
    texts: Sequence[str],
    numbers: Sequence[int],
    marks: Sequence[Markup | None] | None,
    feature_sets: Sequence[str],
    signals: PageSignals = PageSignals(),
) -> dict[str, Column]:
    """Every column of ``feature_sets`` for one page, by name, in column order."""
    out: dict[str, Column] = {}
    for name in feature_sets:
        if name in PER_LINE:
            rows = [PER_LINE[name](text) for text in texts]
            columns = {key: [row[key] for row in rows] for key in PER_LINE[name]("x")}
        elif name == "position":
            columns = position(texts, numbers)
        elif name == "repetition":
            columns = repetition(texts)
        elif name == "page_context":
            columns = page_context(texts)
        elif name == "markup":
            rows = [markup_features(m) for m in (marks or [None] * len(texts))]
            columns = {key: [row[key] for row in rows] for key in markup_features(None)}
        elif name == "page_signals":  # defined line by line in cleaner.features.signals
            columns = line_signals(texts, signals)
        else:
            raise ValueError(f"no reference for the feature set {name!r}")
        out.update(columns)
    return out
