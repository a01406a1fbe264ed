"""A feature set's columns held as one matrix: what the compiled sets return.

A feature set gives its columns by name, in order (a mapping). The compiled sets compute theirs as
one matrix, a row per line; :class:`Columns` gives that matrix's columns by name without taking it
apart, and lets the line feature matrix take them in one copy (:func:`cleaner.features.registry.feature_matrix`)
rather than one a column: on a page of a few lines, the copies column by column were a tenth of the
time it took to clean.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache

import numpy as np


class Columns(Mapping[str, np.ndarray]):
    """The columns ``names`` of a feature set, the columns of ``matrix`` (a row per line) in that order."""

    __slots__ = ("names", "matrix")

    def __init__(self, names: tuple[str, ...], matrix: np.ndarray) -> None:
        if matrix.ndim != 2 or matrix.shape[1] != len(names):
            raise ValueError(f"{len(names)} column names for a matrix of shape {matrix.shape}")
        self.names = names
        self.matrix = matrix

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.names:
            raise KeyError(name)
        return self.matrix[:, self.names.index(name)]

    def select(self, names: Sequence[str]) -> np.ndarray:
        """The columns ``names``, in that order, as a matrix (a row per line). KeyError names those missing."""
        return self.matrix[:, _positions(self.names, tuple(names))]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


@lru_cache(maxsize=64)  # a model reads the same columns of the same set at every page
def _positions(have: tuple[str, ...], want: tuple[str, ...]) -> np.ndarray:
    """Where each of ``want`` stands in ``have`` (read-only); KeyError names those missing."""
    index = {column: position for position, column in enumerate(have)}
    missing = [name for name in want if name not in index]
    if missing:
        raise KeyError(f"no columns {missing}")
    positions = np.array([index[name] for name in want], dtype=np.intp)
    positions.flags.writeable = False
    return positions
