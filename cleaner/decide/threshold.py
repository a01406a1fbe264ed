"""The threshold: from label probabilities to kept or dropped, the decisions every later rule moves.

A line's keep-probability is the probability of the kept labels; it is blended with its neighbours'
(:func:`smooth`, revision by context as jusText does), and the line is kept when the result reaches
the threshold. Each page of a batch is smoothed on its own. :class:`Decisions` carries what was decided
through the rules after the threshold (:mod:`cleaner.decide`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np

from cleaner.model.regression import keep_probability


def smooth(probability: np.ndarray, weight: float) -> np.ndarray:
    """Blend each line's keep-probability with the mean of its two neighbours'.

    A short line between two kept paragraphs leans towards kept, a lone line in a run of noise towards
    dropped. The page edges count as their own value.
    """
    if weight <= 0 or len(probability) < 2:
        return probability
    padded = np.concatenate((probability[:1], probability, probability[-1:]))
    neighbours = (padded[:-2] + padded[2:]) / 2
    return (1 - weight) * probability + weight * neighbours


def smooth_pages(probability: np.ndarray, bounds: Sequence[int], weight: float) -> np.ndarray:
    """:func:`smooth` of each page of a batch, the pages starting at ``bounds`` (``[0, ..., n]``)."""
    if len(bounds) <= 2:
        return smooth(probability, weight)
    if not len(probability):
        return probability
    return np.concatenate([smooth(probability[start:end], weight) for start, end in zip(bounds[:-1], bounds[1:])])


@dataclass(frozen=True, eq=False)
class Decisions:
    """What was decided for a batch of lines: label probabilities, smoothed keep-probabilities, kept."""

    probabilities: np.ndarray
    keep: np.ndarray
    kept: np.ndarray
    fallback: np.ndarray | None = None
    """Per page: its best region was kept, for want of anything kept (see :func:`~.fallback.fall_back`)."""
    kept_by_fallback: np.ndarray | None = None
    """Per line: kept as part of its page's best region by :func:`~.fallback.fall_back`, below the threshold."""
    narrowed: np.ndarray | None = None
    """Per page: only its kept lines inside its main region were kept (see :func:`~.page_check.narrow`)."""
    kept_in_main: np.ndarray | None = None
    """Per line: kept from the main region's lower threshold alone (see :func:`~.parts.keep_main_prose`)."""
    parts: np.ndarray | None = None
    """Per line: which rule of :mod:`cleaner.decide.parts` kept or dropped it (its code in
    :mod:`cleaner.decide.notes`; 0: none)."""
    dialled: np.ndarray | None = None
    """Per line: kept or dropped by the user's threshold against the rules' decision (:mod:`cleaner.decide.dial`)."""

    def changed(self, **changes: np.ndarray | None) -> Decisions:
        """These decisions with the fields named in ``changes`` replaced: ``dataclasses.replace``'s
        result, made without its generic field loop and ``__init__`` (0.6 against 2.2 us: the rules
        replace a page's decisions three or four times, a few per cent of a small page's cleaning)."""
        if not _FIELDS.issuperset(changes):
            raise TypeError(f"Decisions has no field {sorted(set(changes) - _FIELDS)}")
        new = object.__new__(Decisions)
        new.__dict__.update(self.__dict__, **changes)
        return new

    def of_pages(self, owners: Sequence[int], pages: int) -> Decisions:
        """These decisions, taken for parts of pages read as pages of their own (``owners``: each part's
        page, in order), for the ``pages`` pages: a page fell back or was narrowed if a part of it was."""

        def merged(flags: np.ndarray | None) -> np.ndarray | None:
            if flags is None:
                return None
            out = np.zeros(pages, dtype=bool)
            np.logical_or.at(out, np.asarray(owners, dtype=np.intp), flags)
            return out

        return self.changed(fallback=merged(self.fallback), narrowed=merged(self.narrowed))

    def page_flags(self, page: int) -> tuple[bool, bool]:
        """Whether page ``page`` of the batch fell back to its best region, and whether it was narrowed."""
        return (
            bool(self.fallback[page]) if self.fallback is not None else False,
            bool(self.narrowed[page]) if self.narrowed is not None else False,
        )


# The fields of Decisions, which :meth:`Decisions.changed` may replace.
_FIELDS = frozenset(field.name for field in fields(Decisions))


def decide(
    probabilities: np.ndarray,
    labels: Sequence[str],
    keep: Sequence[str],
    threshold: float,
    smoothing: float,
    bounds: Sequence[int],
) -> Decisions:
    """The decisions for lines with label ``probabilities`` (columns in ``labels`` order), the pages of
    the batch starting at ``bounds``."""
    smoothed = smooth_pages(keep_probability(probabilities, labels, keep), bounds, smoothing)
    return Decisions(probabilities, smoothed, smoothed >= threshold)


def runs(flags: np.ndarray, bounds: Sequence[int]) -> list[tuple[int, int]]:
    """The runs ``(start, end)`` of consecutive lines where ``flags`` holds, cut at the page starts
    ``bounds`` (``[0, ..., n]``) and one line long or more."""
    flags = np.asarray(flags, dtype=bool)
    n = len(flags)
    page_start = np.zeros(n, dtype=bool)
    page_start[[int(bound) for bound in bounds[:-1] if int(bound) < n]] = True
    first, last = flags.copy(), flags.copy()
    first[1:] &= ~flags[:-1] | page_start[1:]
    last[:-1] &= ~flags[1:] | page_start[1:]
    return list(zip(first.nonzero()[0].tolist(), (last.nonzero()[0] + 1).tolist()))
