"""Where the word lists (``patterns.LEXICON``) hit in a text, and which list each hit is of.

``patterns.LEXICON.finditer`` is the definition (:func:`cleaner.features.reference.pattern_features`
reads it line by line, and :func:`lexicon_hits` runs it where the compiled core is not built). The
compiled core (``lexicon_hits`` in ``cleaner/features/_scan.pyx``) finds the same hits in a batch's
short lines joined: it reads the text once and compares each place after a non-word character with
the words of the lists spelt out in full (:func:`lexicon_forms`), in the order the alternation tries
them. The tests compare the two on the seeds, corpus pages and generated text (``tests/test_scan.py``,
``tests/test_reference.py``).
"""

from __future__ import annotations

import itertools
from functools import cache
from types import ModuleType
from typing import NamedTuple

import numpy as np

from cleaner.core import compiled
from cleaner.features import patterns

# What an alternative of the word lists may hold for the compiled scan to spell it out: letters and
# other literal characters, "x?" (an optional character), "(?:a|b)" and "(?:a|b)?" (groups of such
# alternatives), and "\w*" (the rest of the word) at its end.
_REST_OF_WORD = r"\w*"
_GROUP = "(?:"
# Each word list's index in patterns.LEXICON_GROUPS, by its name (the group a hit matched).
_LIST_INDEX = {name: index for index, name in enumerate(patterns.LEXICON_GROUPS)}


def lexicon_hits(text: str) -> tuple[list[int], list[int]]:
    """The ``patterns.LEXICON`` hits in ``text`` (lower-cased), as ``finditer`` finds them: their
    offsets, and the index of each one's list in ``patterns.LEXICON_GROUPS`` (the group it matched)."""
    core = compiled("cleaner.features._scan")
    if core is not None and lexicon_forms() is not None:
        return core.lexicon_hits(text, _typed_forms(core))
    matches = list(patterns.LEXICON.finditer(text))
    return [match.start() for match in matches], [_LIST_INDEX[match.lastgroup] for match in matches]


# -- the word lists spelt out, for the compiled scan ---------------------------------------------------


@cache
def _typed_forms(core: ModuleType) -> object:
    """:func:`lexicon_forms` as the compiled scan ``core`` reads them (its ``Forms``), made once: typing
    the arrays anew took 1.1 us a call, half the call on a small page."""
    return core.Forms(*lexicon_forms())


class LexiconForms(NamedTuple):
    """Every word of the lists spelt out, in the order ``patterns.LEXICON`` tries them (list by list,
    alternative by alternative, an optional part present before absent), as flat arrays: form ``f``
    is ``codes[starts[f]:starts[f + 1]]`` (code points), followed by the rest of its word where
    ``tails[f]``, of the list ``lists[f]``. ``heads`` are the forms' first two characters as numbers
    (:func:`head_key`), sorted, and ``order[bounds[k]:bounds[k + 1]]`` the forms starting with
    ``heads[k]``, in that order; ``ascii_heads[128 * a + b]`` is the index in ``heads`` of two ASCII
    characters ``a`` and ``b``, or -1 (most places of a text: one lookup rather than a search)."""

    codes: np.ndarray  # uint32
    starts: np.ndarray  # int64, one more than the forms
    tails: np.ndarray  # uint8
    lists: np.ndarray  # int32
    heads: np.ndarray  # uint64
    bounds: np.ndarray  # int64, one more than heads
    order: np.ndarray  # int64
    ascii_heads: np.ndarray  # int32, 128 * 128


def head_key(text: str) -> int:
    """The first two characters of ``text`` as one number (21 bits a code point)."""
    return (ord(text[0]) << 21) | ord(text[1])


@cache
def lexicon_forms() -> LexiconForms | None:
    """:class:`LexiconForms` of ``patterns.LEXICON_GROUPS``; None when a word of the lists cannot be
    spelt out (see :func:`spelt_out`; a place is also looked up by its first two characters, so a
    word needs two): the hits are then found by the definition, as without the compiled core
    (``tests/test_scan.py`` fails, to say so)."""
    try:
        forms = [
            (text, tail, index)
            for index, words in enumerate(patterns.LEXICON_GROUPS.values())
            for alternative in patterns._split_alternatives(words)
            for text, tail in spelt_out(alternative)
        ]
    except ValueError:
        return None
    if any(len(text) < 2 for text, _, _ in forms):
        return None
    lengths = [len(text) for text, _, _ in forms]
    order = sorted(range(len(forms)), key=lambda f: head_key(forms[f][0]))  # stable: each head keeps the order
    head_of = [head_key(forms[f][0]) for f in order]
    heads = sorted(set(head_of))
    bounds = [head_of.index(head) for head in heads] + [len(forms)]
    ascii_heads = np.full(128 * 128, -1, dtype=np.int32)
    for index, head in enumerate(heads):
        first, second = head >> 21, head & ((1 << 21) - 1)
        if first < 128 and second < 128:
            ascii_heads[128 * first + second] = index
    return LexiconForms(
        np.array([ord(char) for text, _, _ in forms for char in text], dtype=np.uint32),
        np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
        np.array([tail for _, tail, _ in forms], dtype=np.uint8),
        np.array([index for _, _, index in forms], dtype=np.int32),
        np.array(heads, dtype=np.uint64),
        np.array(bounds, dtype=np.int64),
        np.array(order, dtype=np.int64),
        ascii_heads,
    )


def spelt_out(alternative: str) -> list[tuple[str, bool]]:
    """The texts one alternative of a word list matches, in the order Python's ``re`` tries them, each
    with whether the rest of the word follows (a final ``\\w*``): ``"sign ?up"`` -> ``[("sign up",
    False), ("signup", False)]``. Raises ValueError on syntax beyond what :data:`_REST_OF_WORD` and
    the module's notes allow."""
    choices: list[list[str]] = []  # each choice point's options, in the order re tries them
    tail = False
    at = 0
    while at < len(alternative):
        if alternative.startswith(_REST_OF_WORD, at) and at + len(_REST_OF_WORD) == len(alternative):
            tail = True
            break
        if alternative.startswith(_GROUP, at):
            close = _closing(alternative, at)
            options = []
            for inner in patterns._split_alternatives(alternative[at + len(_GROUP) : close]):
                spelt = spelt_out(inner)
                if any(rest for _, rest in spelt):
                    raise ValueError(f"the rest of a word inside a group: {alternative!r}")
                options += [text for text, _ in spelt]
            at = close + 1
        elif alternative[at] in "\\.^$*+?{}[]|()":
            raise ValueError(f"word-list syntax the compiled scan cannot spell out: {alternative!r}")
        else:
            options = [alternative[at]]
            at += 1
        if alternative[at : at + 1] == "?":  # greedy: present first
            options = [*options, ""]
            at += 1
        elif alternative[at : at + 1] in ("*", "+", "{"):
            raise ValueError(f"word-list syntax the compiled scan cannot spell out: {alternative!r}")
        choices.append(options)
    # re backtracks into the last choice first: itertools.product's order.
    return [("".join(parts), tail) for parts in itertools.product(*choices)]


def _closing(text: str, start: int) -> int:
    """The offset of the ")" closing the group opened at ``start``."""
    depth = 0
    for at in range(start, len(text)):
        if text[at] == "\\":
            raise ValueError(f"word-list syntax the compiled scan cannot spell out: {text!r}")
        depth += (text[at] == "(") - (text[at] == ")")
        if depth == 0:
            return at
    raise ValueError(f"an unclosed group: {text!r}")
