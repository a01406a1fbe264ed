"""Model files: JSON read with every field checked, so that a file from any source cannot run code.

Anything that is not a valid model is refused with a :class:`~cleaner.errors.ModelError` naming the
file and the problem: pickles and other binary files, files over :data:`MAX_MODEL_BYTES`, truncated or
non-UTF-8 JSON, deeply nested JSON, fields of the wrong type, shape or range, non-finite or absurdly
large weights, and models of another schema version.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.errors import ModelError
from cleaner.features import FEATURE_SETS, FeatureSettings, line_feature_names
from cleaner.features.stacking import FIRST_PASS_INPUT, known_stack_names, stack_names
from cleaner.model.narrowing import NARROWING_INPUTS
from cleaner.records import LABELS

MODEL_FORMAT = "cleaner-model"
# Bump when the file layout or the meaning of a feature changes. Files of the versions in
# READABLE_VERSIONS load and predict as they did with the cleaner that wrote them; others are refused.
# Version 3 added the second pass's cap on the first pass's log-odds (``logit_cap``; version 2: none);
# version 4 the page check (``narrowing``; earlier versions: none); version 5 the main container's
# threshold (``main_threshold``; earlier versions: none).
SCHEMA_VERSION = 5
READABLE_VERSIONS = (2, 3, 4, 5)
# Trained weights and feature statistics stay far below this; larger values would overflow to NaN.
MAX_ABS_VALUE = 1e9
# StandardScaler gives constant features a scale of 1; a tiny scale would blow features up to overflow.
MIN_SCALE = 1e-12
# A model file is a few hundred kilobytes; anything much larger is not one of ours.
MAX_MODEL_BYTES = 50 * 1024 * 1024


def read_model_file(path: str | Path) -> dict[str, Any]:
    """The fields of a model file (see :func:`model_fields`): JSON only, never code. Every problem is a
    :class:`ModelError`."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_MODEL_BYTES:
            raise ModelError(f"{path}: {size} bytes is too large for a cleaner model")
        # Read at most the limit: a device or a pipe has no size to check beforehand.
        with path.open("rb") as handle:
            raw = handle.read(MAX_MODEL_BYTES + 1)
        if len(raw) > MAX_MODEL_BYTES:
            raise ModelError(f"{path}: more than {MAX_MODEL_BYTES} bytes is too large for a cleaner model")
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise ModelError(f"{path}: no such model file") from None
    except IsADirectoryError:
        raise ModelError(f"{path}: is a directory, not a model file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError(f"{path}: cannot read model file: {error}") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ModelError(f"{path}: not a cleaner model (not JSON: {error.msg})") from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise ModelError(f"{path}: not a cleaner model ({error})") from None
    except RecursionError:
        raise ModelError(f"{path}: not a cleaner model (JSON nested too deeply)") from None
    return model_fields(data, str(path))


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"{what} must be a list of strings")
    return tuple(value)


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number")
    return float(value)


def _integer(value: Any, what: str) -> int:
    number = _number(value, what)
    if not number.is_integer():
        raise TypeError(f"{what} must be an integer")
    return int(number)


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be an object")
    return value


def _arrays(section: dict[str, Any], *keys: str) -> list[np.ndarray]:
    return [np.asarray(section[key], dtype=float) for key in keys]


def model_fields(data: Any, source: str = "<model>") -> dict[str, Any]:
    """Validate parsed JSON and return the fields of a :class:`~cleaner.model.Model` (its scalings as
    ``mean``, ``scale`` and ``clip``; ``second`` and ``narrowing``, the second pass's and the page
    check's arrays or None). Every problem
    is a :class:`ModelError`."""

    def fail(message: str) -> ModelError:
        return ModelError(f"{source}: {message}")

    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise fail("not a cleaner model (no 'format': 'cleaner-model')")
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise fail(
            f"made by a newer cleaner (model schema version {version}; this cleaner reads version "
            f"{SCHEMA_VERSION}): upgrade cleaner, or retrain the model with this version (`cleaner train`)"
        )
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        raise fail(
            f"model schema version {version!r} is not supported by this cleaner (it reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))}); "
            "retrain it with `cleaner train` or use the matching cleaner version"
        )
    try:
        labels = _strings(data["labels"], "labels")
        keep = _strings(data["keep"], "keep")
        threshold = _number(data["threshold"], "threshold")
        smoothing = _number(data.get("smoothing", 0.0), "smoothing")
        features = _object(data["features"], "features")
        names_given = features.get("names")
        settings = FeatureSettings(
            feature_sets=_strings(features["feature_sets"], "feature_sets"),
            neighbours=_integer(features["neighbours"], "neighbours"),
            window=_integer(features["window"], "window"),
        )
        if names_given is not None:
            names_given = list(_strings(names_given, "feature names"))
        scaler = _object(data["scaler"], "scaler")
        classifier = _object(data["classifier"], "classifier")
        mean, scale = _arrays(scaler, "mean", "scale")
        clip = _number(scaler["clip"], "clip")
        coef, intercept = _arrays(classifier, "coef", "intercept")
        second_data = data.get("second_pass")
        second = None
        if second_data is not None:
            second_data = _object(second_data, "second_pass")
            second_scaler = _object(second_data["scaler"], "second_pass scaler")
            second_classifier = _object(second_data["classifier"], "second_pass classifier")
            second = dict(zip(("mean", "scale", "coef"), _arrays(second_scaler, "mean", "scale")))
            second["coef"] = np.asarray(second_classifier["coef"], dtype=float)
            second["intercept"] = np.asarray(_number(second_classifier["intercept"], "intercept"))
            cap = second_data.get("logit_cap") if version >= 3 else None
            second["logit_cap"] = None if cap is None else _number(cap, "logit_cap")
            second_names = second_data.get("names")
            if second_names is not None:
                second_names = list(_strings(second_names, "names"))
        narrowing_data = data.get("narrowing") if version >= 4 else None
        narrowing = None
        if narrowing_data is not None:
            narrowing_data = _object(narrowing_data, "narrowing")
            if _strings(narrowing_data["names"], "narrowing names") != NARROWING_INPUTS:
                raise ValueError("its page check's inputs differ from this cleaner's")
            narrowing = dict(zip(("mean", "scale", "coef"), _arrays(narrowing_data, "mean", "scale", "coef")))
            narrowing["intercept"] = np.asarray(_number(narrowing_data["intercept"], "intercept"))
        main_data = data.get("main_threshold") if version >= 5 else None
        main_threshold = None if main_data is None else _number(main_data, "main_threshold")
        info = data.get("info", {})
    except (KeyError, TypeError, ValueError, OverflowError) as error:  # OverflowError: an integer of 310+ digits
        raise fail(f"malformed model file ({type(error).__name__}: {error})") from None
    unknown = [label for label in labels + keep if label not in LABELS]
    if unknown or len(set(labels)) != len(labels) or len(labels) < 2:
        raise fail(f"bad label set {list(labels)} (known labels: {', '.join(LABELS)})")
    if not keep or not set(keep) <= set(labels):
        raise fail(f"kept labels {list(keep)} must be a non-empty subset of the model's labels")
    unknown_sets = [name for name in settings.feature_sets if name not in FEATURE_SETS]
    if unknown_sets:
        raise fail(f"unknown feature sets {unknown_sets}: made by a newer cleaner?")
    if settings.neighbours < 0 or settings.window < 0 or settings.neighbours > 20 or settings.window > 100:
        raise fail("context settings out of range")
    names = settings.feature_names()
    if names_given is not None and names_given != names:
        raise fail("its feature names differ from this cleaner's: made by an incompatible version")
    base = len(line_feature_names(settings.feature_sets)) - 1
    shapes = [mean.shape == (base,), scale.shape == (base,), coef.shape == (len(labels), len(names))]
    shapes.append(intercept.shape == (len(labels),))
    arrays = [mean, scale, coef, intercept]
    if second is not None:
        # A model names the second pass's inputs it reads: those of earlier versions are still computed
        # (stacking.LEGACY_INPUTS). Files without names read the current inputs.
        inputs = stack_names(settings.uses_markup) if second_names is None else second_names
        known = known_stack_names(settings.uses_markup)
        if len(set(inputs)) != len(inputs) or not set(inputs) <= known or FIRST_PASS_INPUT not in inputs:
            raise fail("its second pass's inputs differ from this cleaner's: made by an incompatible version")
        second["names"] = tuple(inputs)
        width = len(inputs)
        shapes += [second["mean"].shape == (width,), second["scale"].shape == (width,)]
        shapes += [second["coef"].shape == (width,)]
        arrays += [second[key] for key in ("mean", "scale", "coef", "intercept")]
    if narrowing is not None:
        shapes += [narrowing[key].shape == (len(NARROWING_INPUTS),) for key in ("mean", "scale", "coef")]
        arrays += [narrowing[key] for key in ("mean", "scale", "coef", "intercept")]
    if not all(shapes):
        raise fail(f"weight shapes do not match {len(labels)} labels x {len(names)} features")
    scales = [scale] + [part["scale"] for part in (second, narrowing) if part is not None]
    if not all(np.isfinite(a).all() for a in arrays) or any((s < MIN_SCALE).any() for s in scales):
        raise fail(f"weights contain non-finite values, or non-positive scales (or below {MIN_SCALE:g})")
    if any(np.abs(a).max(initial=0.0) > MAX_ABS_VALUE for a in arrays):
        raise fail(f"weights or statistics beyond {MAX_ABS_VALUE:g}: not a trained cleaner model")
    cap = second["logit_cap"] if second is not None else None
    if cap is not None and not (0.0 < cap <= MAX_ABS_VALUE):
        raise fail("the second pass's logit_cap must be positive")
    if not (0.0 < clip <= MAX_ABS_VALUE) or math.isnan(clip):
        raise fail("the scaler's clip must be positive")
    if not (0.0 <= threshold <= 1.0 and 0.0 <= smoothing < 1.0) or math.isnan(threshold):
        raise fail("threshold must be in [0, 1] and smoothing in [0, 1)")
    if main_threshold is not None and not 0.0 <= main_threshold <= threshold:
        raise fail("main_threshold must be in [0, threshold]")
    if not isinstance(info, dict):
        raise fail("'info' must be an object")
    return {
        "settings": settings,
        "labels": labels,
        "mean": mean,
        "scale": scale,
        "clip": clip,
        "coef": coef,
        "intercept": intercept,
        "second": second,
        "narrowing": narrowing,
        "main_threshold": main_threshold,
        "threshold": threshold,
        "smoothing": smoothing,
        "keep": keep,
        "info": info,
    }


def to_json_dict(model: Any) -> dict[str, Any]:
    """The JSON fields of a :class:`~cleaner.model.Model`, as :func:`model_fields` reads them."""
    second = model.second
    return {
        "format": MODEL_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "labels": list(model.labels),
        "keep": list(model.keep),
        "threshold": model.threshold,
        "smoothing": model.smoothing,
        "features": {
            "feature_sets": list(model.settings.feature_sets),
            "neighbours": model.settings.neighbours,
            "window": model.settings.window,
            "names": model.feature_names,
        },
        "scaler": {
            "mean": model.scaling.mean.tolist(),
            "scale": model.scaling.scale.tolist(),
            "clip": model.scaling.clip,
        },
        "classifier": {"coef": model.coef.tolist(), "intercept": model.intercept.tolist()},
        "second_pass": None
        if second is None
        else {
            "names": model.second_names,
            "scaler": {"mean": second.scaling.mean.tolist(), "scale": second.scaling.scale.tolist()},
            "classifier": {"coef": second.coef.tolist(), "intercept": second.intercept},
            "logit_cap": second.logit_cap,
        },
        "narrowing": None
        if model.narrowing is None
        else {
            "names": list(NARROWING_INPUTS),
            "mean": model.narrowing.scaling.mean.tolist(),
            "scale": model.narrowing.scaling.scale.tolist(),
            "coef": model.narrowing.coef.tolist(),
            "intercept": model.narrowing.intercept,
        },
        "main_threshold": model.main_threshold,
        "info": dict(model.info),
    }
