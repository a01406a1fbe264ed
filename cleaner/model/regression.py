"""The model: a multinomial logistic regression over scaled line features and their context, and an
optional second pass over what the first one thought of the region around each line.

Prediction is matrix products in NumPy: loading a model (:mod:`cleaner.model.file`, JSON) runs no code,
and the scikit-learn version that trained it does not matter. Inputs are standardised and clipped to
``±clip`` (:class:`Scaling`), so that no rare feature takes a huge value, and no single feature can
decide a line alone. The context features are linear in the scaled line features, so prediction never
builds the wide context matrix (:meth:`Model.logits`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.core import compiled
from cleaner.features import FeatureSettings, context_columns, context_matrix, line_feature_names
from cleaner.features.context import context_logits
from cleaner.features.layout import page_boundaries
from cleaner.features.registry import feature_matrix, lines_batch
from cleaner.features.stacking import FIRST_PASS_INPUT, stack_matrix, stack_names
from cleaner.files import write_atomic
from cleaner.model.file import model_fields, read_model_file, to_json_dict
from cleaner.records import DEFAULT_KEEP, Line, PageBatch

# How many contributions an explanation lists, for the second pass and for the first.
EXPLAINED = 3
# Added to every label's first-pass probability before the second pass rescales them.
TINY = 1e-12
# Lines scaled and multiplied by the first pass's weights at a time.
PRODUCT_ROWS = 4096
# The compiled steps between the products (scaling, softmax, row sums, sigmoid, rescaling).
_CORE = "cleaner.model._passes"


def keep_probability(probabilities: np.ndarray, labels: Sequence[str], keep: Sequence[str]) -> np.ndarray:
    """The probability of the labels ``keep`` (each counted once) for each line."""
    columns = _label_columns(tuple(labels), tuple(keep))
    core = compiled(_CORE)
    if core is not None:
        return core.column_sums(probabilities, columns)
    return row_sums(probabilities[:, columns])


@cache  # a model's labels and the kept labels, the same at every call: their columns found once
def _label_columns(labels: tuple[str, ...], keep: tuple[str, ...]) -> np.ndarray:
    """The columns of the labels ``keep`` among ``labels`` (each once, in ``keep``'s order; read-only)."""
    columns = np.array([labels.index(label) for label in dict.fromkeys(keep) if label in labels], dtype=np.intp)
    columns.flags.writeable = False
    return columns


def row_sums(matrix: np.ndarray) -> np.ndarray:
    """Each row's sum, its columns added left to right: the order the compiled core adds them in
    (NumPy's ``sum(axis=1)`` gives the same sums on these matrices of a few columns, but promises no order)."""
    if not matrix.shape[1]:
        return np.zeros(len(matrix))
    total = matrix[:, 0].copy()
    for column in range(1, matrix.shape[1]):
        total += matrix[:, column]
    return total


@dataclass(frozen=True, eq=False)
class Scaling:
    """Standardisation clipped to ``±clip``: ``clip((x - mean) / scale)``, column by column."""

    mean: np.ndarray
    scale: np.ndarray
    clip: float

    def __post_init__(self) -> None:
        for name in ("mean", "scale"):  # the compiled core reads them as contiguous doubles
            object.__setattr__(self, name, np.ascontiguousarray(getattr(self, name), dtype=np.float64))

    def apply(self, values: np.ndarray) -> np.ndarray:
        """The scaled ``values`` (a row per line); ValueError for a value that is not finite (as
        scikit-learn's input validation), which no clipping should hide."""
        core = compiled(_CORE)
        if core is not None and values.ndim == 2 and values.dtype == np.float64:
            return core.scaled(values, self.mean, self.scale, float(self.clip))
        out = (_finite(values) - self.mean) / self.scale
        return np.clip(out, -self.clip, self.clip, out=out)


@dataclass(frozen=True, eq=False)
class SecondPass:
    """The second logistic regression, between keeping and dropping: over the first pass's
    keep-probability of each line and of the region around it (:mod:`cleaner.features.stacking`)."""

    scaling: Scaling
    coef: np.ndarray
    """One weight per input."""
    intercept: float
    logit_cap: float | None = None
    """The cap on the first pass's log-odds among the inputs (see :data:`FIRST_PASS_LOGIT_CAP`); None
    in models trained before there was one."""
    names: tuple[str, ...] | None = None
    """The inputs, in the order of ``coef``: None for this version's (:func:`stack_names`); a model
    trained by an earlier version may read others (:data:`~cleaner.features.stacking.LEGACY_INPUTS`)."""


@dataclass(frozen=True, eq=False)
class Narrowing:
    """The page check, a logistic regression over a page's :data:`~cleaner.model.narrowing.NARROWING_INPUTS`:
    its log-odds that keeping only the kept lines inside the page's main region gives the better page."""

    scaling: Scaling
    coef: np.ndarray
    intercept: float

    def logit(self, inputs: np.ndarray) -> np.ndarray:
        """The log-odds for each row (page) of ``inputs``."""
        return self.scaling.apply(inputs) @ self.coef + self.intercept


@dataclass(frozen=True, eq=False)
class Model:
    """A trained line classifier: feature settings, the scaling of the line features, the weights,
    the labels, the second pass if any, the decision threshold and smoothing, the page check and the
    main container's threshold if any, and what it was trained on (``info``). Models compare by
    identity: two loads of one file are two models."""

    settings: FeatureSettings
    labels: tuple[str, ...]
    scaling: Scaling
    coef: np.ndarray
    """One row per label, one column per input of :meth:`features` (line features and their context)."""
    intercept: np.ndarray
    second: SecondPass | None = None
    threshold: float = 0.5
    smoothing: float = 0.0
    keep: tuple[str, ...] = DEFAULT_KEEP
    info: Mapping[str, Any] = field(default_factory=dict)
    narrowing: Narrowing | None = None
    """Models trained on corpora: when to keep only the kept lines of the page's main region."""
    main_threshold: float | None = None
    """HTML models trained on corpora: the keep-probability from which a prose line inside the page's
    main container is kept (:func:`~cleaner.decide.parts.keep_main_prose`); None: the threshold alone."""
    view: Model | None = field(default=None, repr=False)
    """An HTML model's text view (:mod:`cleaner.model.text_view`): the text model paired with it by
    :class:`~cleaner.pipeline.Models`. Never saved with the model."""

    # -- features ---------------------------------------------------------------------------

    @cached_property
    def line_columns(self) -> int:
        """Columns of the line feature matrix the model reads (the page column first)."""
        return len(line_feature_names(tuple(self.settings.feature_sets)))

    @cached_property
    def feature_names(self) -> list[str]:
        """The first pass's inputs: the line features, then their context."""
        return self.settings.feature_names()

    @cached_property
    def second_names(self) -> list[str]:
        """The second pass's inputs."""
        if self.second is not None and self.second.names is not None:
            return list(self.second.names)
        return stack_names(self.settings.uses_markup)

    def line_matrix(self, lines: Sequence[Line]) -> np.ndarray:
        """The line feature matrix of ``lines`` (consecutive lines of one ``page`` form a page)."""
        return feature_matrix(lines_batch(lines), self.settings.feature_sets, self.line_columns)

    def features(self, line_matrix: np.ndarray) -> np.ndarray:
        """The first pass's input as a matrix: the scaled line features and their context."""
        values = self.scaling.apply(line_matrix[:, 1:])
        with_page = np.column_stack((line_matrix[:, :1], values))
        return context_matrix(with_page, self.settings.neighbours, self.settings.window, 0)

    # -- predicting -------------------------------------------------------------------------

    def predict(self, line_matrix: np.ndarray, batch: PageBatch) -> np.ndarray:
        """Probability of each label (columns in ``self.labels`` order) for each line of ``batch``,
        from its line feature matrix."""
        if not len(line_matrix):
            return np.zeros((0, len(self.labels)))
        first = softmax(self.logits(line_matrix, batch.bounds))
        if self.second is None:
            return first
        return self.rescaled(first, sigmoid(self.second_logit(first, batch)))

    def predict_proba(self, lines: Sequence[Line]) -> np.ndarray:
        """:meth:`predict` of ``lines`` (consecutive lines of one ``page`` form a page)."""
        return self.predict_batch(lines_batch(lines))

    def predict_batch(self, batch: PageBatch) -> np.ndarray:
        """:meth:`predict` of the lines of ``batch``."""
        return self.predict(feature_matrix(batch, self.settings.feature_sets, self.line_columns), batch)

    def second_input(self, first: np.ndarray, batch: PageBatch) -> np.ndarray:
        """The second pass's input (scaled), from the first pass's label probabilities ``first``: what
        the first pass thought of each line and its region."""
        assert self.second is not None
        keep = keep_probability(first, self.labels, self.keep)
        markup, cap = self.settings.uses_markup, self.second.logit_cap
        return self.second.scaling.apply(stack_matrix(keep, batch, markup, cap, self.second_names))

    def second_logit(self, first: np.ndarray, batch: PageBatch) -> np.ndarray:
        """The second pass's log-odds of keeping each line."""
        assert self.second is not None
        return self.second_input(first, batch) @ self.second.coef + self.second.intercept

    def rescaled(self, first: np.ndarray, keep: np.ndarray) -> np.ndarray:
        """The first pass's label probabilities with the kept labels' share set to ``keep``: the second
        pass decides between keeping and dropping, the first says which label within each."""
        core = compiled(_CORE)
        if core is not None:
            return core.rescaled(first, np.ascontiguousarray(keep, dtype=np.float64), *self._kept_columns, TINY)
        out = first + TINY  # a share the first pass left empty is split evenly
        for columns, share in zip(self._kept_columns, (keep, 1.0 - keep)):
            if not len(columns):  # every label kept, or none
                continue
            part = out[:, columns]
            out[:, columns] = part * (share / row_sums(part))[:, None]
        return out

    @cached_property
    def _centred_coef(self) -> np.ndarray:
        """The first pass's weights less their mean over the labels: what each input adds to a label's
        logit against the others (softmax ignores a shift shared by all labels)."""
        return self.coef - self.coef.mean(axis=0)

    @cached_property
    def _kept_columns(self) -> tuple[np.ndarray, np.ndarray]:
        """The columns of the kept labels, and of the others."""
        kept = np.isin(self.labels, self.keep)
        return np.flatnonzero(kept), np.flatnonzero(~kept)

    def logits(self, line_matrix: np.ndarray, bounds: Sequence[int] | None = None) -> np.ndarray:
        """The first pass's linear part, from the line features (page column first); ``bounds``: where
        the pages start (``[0, ..., n]``), when the caller knows (else found from the page column).

        The context features are linear in the scaled line features, so the product of the wide
        context matrix with the weights equals a sum of narrow products: each line's own scaled features
        times the weights of the "own" block, plus the neighbours' times the weights of the "prev1",
        "next1", ... blocks (the same products, shifted by a line or two), plus the window means of the
        products. The context matrix, several times wider than the line features, is never built.
        """
        weights = self._weights_by_block
        n_labels = len(self.labels)
        neighbours, window = self.settings.neighbours, self.settings.window
        lines = len(line_matrix)
        shape = (lines, weights.shape[1] // n_labels, n_labels)  # [line, block, label]
        if lines <= PRODUCT_ROWS:
            products = (self.scaling.apply(line_matrix[:, 1:]) @ weights).reshape(shape)
        else:
            # The scaled features of a page of tens of thousands of lines are as big as its feature
            # matrix: scaled and multiplied a slice of rows at a time. A row's product can differ in its
            # last bit with the number of rows multiplied together, as it does for pages batched together.
            products = np.empty(shape)
            for start in range(0, lines, PRODUCT_ROWS):
                rows = slice(start, start + PRODUCT_ROWS)
                products[rows] = (self.scaling.apply(line_matrix[rows, 1:]) @ weights).reshape(-1, *shape[1:])
        if bounds is None:
            bounds = page_boundaries(line_matrix[:, 0])
        return context_logits(products, self.intercept, bounds, neighbours, window)

    @cached_property
    def _weights_by_block(self) -> np.ndarray:
        """The weights as one column per (context block, label), one row per line feature."""
        # C order whatever the arrays came from (a fitted estimator's coef_ may be in Fortran order),
        # so that BLAS sums in the same order for a model trained here and the same model loaded.
        base = len(context_columns(self.line_columns, 0))
        blocks = self.coef.shape[1] // base
        by_block = self.coef.reshape(len(self.labels), blocks, base).transpose(2, 1, 0)
        return np.ascontiguousarray(by_block.reshape(base, blocks * len(self.labels)))

    # -- explaining -------------------------------------------------------------------------

    def explain(
        self, line_matrix: np.ndarray, batch: PageBatch, labels: Sequence[int]
    ) -> list[tuple[tuple[str, float], ...]]:
        """For each line, the inputs that pushed it hardest towards (or away from) its label
        ``labels[i]``: of the second pass (if any), then of the first."""
        first = self.features(line_matrix)
        second = None
        if self.second is not None:
            second = self.second_input(softmax(self.logits(line_matrix)), batch) * self.second.coef
        out = []
        for row, label in enumerate(labels):
            found = []
            if second is not None:  # towards keeping (+) or dropping (-)
                order = np.argsort(-np.abs(second[row]))[:EXPLAINED]
                found += [(self.second_names[i], round(float(second[row, i]), 3)) for i in order]
            found += _top(first[row], self._centred_coef, label, self.feature_names)
            out.append(tuple(found))
        return out

    def contributions(self, line_matrix: np.ndarray, batch: PageBatch) -> np.ndarray:
        """The largest contribution of any single input to any logit, for each line: how much one
        feature can say alone. In the first pass, to any label's logit, an input's weights measured
        from their mean over the labels (softmax ignores a shift shared by all labels; the explanations
        show the same contributions); in the second pass, to the keep-or-drop log-odds."""
        first = self.features(line_matrix)
        found = np.zeros(len(first))
        for label_weights in self._centred_coef:  # a label at a time: no (lines, inputs, labels) array
            found = np.maximum(found, np.abs(first * label_weights).max(axis=1, initial=0.0))
        if self.second is not None:
            # The first pass's own log-odds is every first-pass input at once, not a single feature.
            own = self.second_names.index(FIRST_PASS_INPUT)
            weights = np.delete(self.second.coef, own)
            second = np.delete(self.second_input(softmax(self.logits(line_matrix)), batch), own, axis=1)
            found = np.maximum(found, np.abs(second * weights).max(axis=1))
        return found

    # -- files ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return to_json_dict(self)

    def save(self, path: str | Path) -> Path:
        """Write the model as JSON, atomically (a temporary file renamed into place)."""
        return write_atomic(path, json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> Model:
        """Read a model file (JSON only, never code). Every problem is a :class:`~cleaner.errors.ModelError`."""
        return cls._of(read_model_file(path))

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<model>") -> Model:
        """Validate and build a model from parsed JSON. Every problem is a :class:`~cleaner.errors.ModelError`."""
        return cls._of(model_fields(data, source))

    @classmethod
    def _of(cls, found: dict[str, Any]) -> Model:
        clip = found.pop("clip")
        found["scaling"] = Scaling(found.pop("mean"), found.pop("scale"), clip)
        second = found.pop("second")
        if second is not None:
            scaling = Scaling(second["mean"], second["scale"], clip)
            cap = second["logit_cap"]
            found["second"] = SecondPass(scaling, second["coef"], float(second["intercept"]), cap, second["names"])
        narrowing = found.pop("narrowing")
        if narrowing is not None:
            scaling = Scaling(narrowing["mean"], narrowing["scale"], clip)
            found["narrowing"] = Narrowing(scaling, narrowing["coef"], float(narrowing["intercept"]))
        return cls(**found)


def _top(inputs: np.ndarray, centred: np.ndarray, label: int, names: Sequence[str]) -> list[tuple[str, float]]:
    # ``centred``: the weights less their mean over the labels (Model._centred_coef).
    contributions = inputs * centred[label]
    order = np.argsort(-np.abs(contributions))[:EXPLAINED]
    return [(names[i], round(float(contributions[i]), 3)) for i in order]


def _finite(matrix: np.ndarray) -> np.ndarray:
    if not np.isfinite(matrix).all():  # as the transformers' input validation
        raise ValueError("Input X contains NaN or infinity.")
    return matrix


def sigmoid(logit: np.ndarray) -> np.ndarray:
    core = compiled(_CORE)
    if core is not None and logit.ndim == 1 and logit.dtype == np.float64:
        return core.sigmoid(np.ascontiguousarray(logit))
    return 1.0 / (1.0 + np.exp(-logit))


def softmax(logits: np.ndarray) -> np.ndarray:
    core = compiled(_CORE)
    if core is not None and logits.dtype == np.float64:
        return core.softmax(logits)
    shifted = logits - logits.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= row_sums(shifted)[:, None]
    return shifted
