""" "Long, punctuated text": the stuff articles are made of, and what page context is measured in. One
rule, read by the segmenter (how much of a page's prose an element holds) and by the features."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from cleaner.core import compiled

if TYPE_CHECKING:
    from cleaner.records import PageBatch

# A line is prose when it holds at least this many words...
PROSE_MIN_WORDS = 8
# ... and one of these (sentence punctuation: Latin, CJK, the danda, Arabic-script, Armenian, Ethiopic).
PROSE_PUNCTUATION = frozenset(".,;!?。、，；！？…：．\u0964\u0965\u06d4\u061f\u060c\u061b\u0589\u1362")
# CJK text has no spaces between words: this many ideographs or kana count as one word.
CJK_CHARS_PER_WORD = 2
# Kana, CJK ideographs (with extension A) and compatibility ideographs.
CJK_RANGES: tuple[tuple[int, int], ...] = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_CJK_RE = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in CJK_RANGES) + "]")


def is_cjk(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in CJK_RANGES)


def is_prose(text: str) -> bool:
    """Whether a line is prose: ``PROSE_MIN_WORDS`` words (CJK characters counted a word per
    ``CJK_CHARS_PER_WORD``) and some sentence punctuation."""
    if PROSE_PUNCTUATION.isdisjoint(text):
        return False
    words = len(text.split())
    if words < PROSE_MIN_WORDS:  # only then are CJK characters counted: few lines need it
        words += len(_CJK_RE.findall(text)) // CJK_CHARS_PER_WORD
    return words >= PROSE_MIN_WORDS


def prose_lines(texts: Sequence[str]) -> np.ndarray:
    """:func:`is_prose` of each of ``texts``, as booleans (by the compiled core where it is built: the
    read and decide stages ask it of every line)."""
    core = compiled("cleaner.read._lines")
    if core is not None:
        return np.frombuffer(core.prose_flags(list(texts)), dtype=bool)
    return np.fromiter(map(is_prose, texts), dtype=bool, count=len(texts))


# The name of the lines' prose flags among a batch's derived columns (``PageBatch.derived``).
PROSE_LINES = "prose"


def batch_prose(batch: PageBatch) -> np.ndarray:
    """:func:`prose_lines` of a batch's lines, made once a batch (kept in its ``derived`` columns): the
    features (:meth:`cleaner.features.textbatch.TextBatch.prose`, which puts them there from the line
    scan) and the decision rules read them."""
    found = batch.derived.get(PROSE_LINES)
    if found is None:
        found = batch.derived[PROSE_LINES] = prose_lines(batch.texts)
    return found
