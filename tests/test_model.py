"""The model: a JSON file of weights that loads without running code and predicts what its weights say."""

from __future__ import annotations

import copy
import json
import pickle
from dataclasses import replace

import numpy as np
import pytest

from cleaner import Cleaner
from cleaner.errors import ModelError
from cleaner.features import reference
from cleaner.features.registry import lines_batch
from cleaner.features.stacking import FIRST_PASS_INPUT, FIRST_PASS_LOGIT_CAP, LEGACY_INPUTS
from cleaner.features.transformers import ContextFeatures, LineFeatures
from cleaner.model import Model, Narrowing, Scaling, SecondPass, softmax
from cleaner.model.file import SCHEMA_VERSION
from cleaner.model.narrowing import NARROWING_INPUTS
from cleaner.model.regression import keep_probability
from cleaner.records import Line
from cleaner.training import Dataset, dataset_from_labeled
from cleaner.training.passes import MAX_CONTRIBUTION, with_second


@pytest.fixture(scope="module")
def seed_lines(seed_pages) -> list[Line]:
    """The non-blank lines of every seed, one page id per seed: what the model sees."""
    return dataset_from_labeled(seed_pages).lines


@pytest.fixture
def model_dict(small_model) -> dict:
    return copy.deepcopy(small_model.to_dict())


def write_json(path, data) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# -- round trips ------------------------------------------------------------------------------


def test_save_load_round_trip(small_model, seed_lines, tmp_path):
    path = small_model.save(tmp_path / "sub" / "model.json")
    loaded = Model.load(path)
    np.testing.assert_array_equal(loaded.predict_proba(seed_lines), small_model.predict_proba(seed_lines))
    assert loaded.to_dict() == small_model.to_dict()
    assert loaded.labels == small_model.labels and loaded.threshold == small_model.threshold
    assert not list(tmp_path.glob("sub/.*.tmp")), "no temporary file left behind"
    # Saving the loaded model gives the same file, byte for byte.
    assert loaded.save(tmp_path / "again.json").read_bytes() == path.read_bytes()


def test_predict_proba_shape_and_sum(small_model, seed_lines):
    probabilities = small_model.predict_proba(seed_lines)
    assert probabilities.shape == (len(seed_lines), len(small_model.labels))
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert small_model.predict_proba([]).shape == (0, len(small_model.labels))


def by_hand(model: Model, lines: list[Line]) -> np.ndarray:
    """What the JSON means, computed plainly: line features (the scikit-learn transformer), scaled and
    clipped, with their context; a softmax of a linear map; then, for a model with a second pass, a
    logistic regression over the reference definition of its inputs, which sets the kept labels' share."""
    settings = model.settings
    line_features = LineFeatures(feature_sets=settings.feature_sets).fit(lines)
    raw = line_features.transform(lines)
    scaling = model.scaling
    scaled = np.column_stack(
        (raw[:, :1], np.clip((raw[:, 1:] - scaling.mean) / scaling.scale, -scaling.clip, scaling.clip))
    )
    context = ContextFeatures(neighbours=settings.neighbours, window=settings.window, page_column=0).fit(scaled)
    wide = context.transform(scaled)
    assert list(context.get_feature_names_out(line_features.get_feature_names_out())) == model.feature_names
    first = softmax(wide @ model.coef.T + model.intercept)
    if model.second is None:
        return first
    rows = []
    for page in sorted({line.page for line in lines}):
        index = [i for i, line in enumerate(lines) if line.page == page]
        keep = keep_probability(first[index], model.labels, model.keep)
        texts = [lines[i].text for i in index]
        numbers = [lines[i].number for i in index]
        columns = reference.stack_columns(keep.tolist(), texts, numbers, None, model.second.logit_cap)
        rows.append(np.column_stack([columns[name] for name in model.second_names]))
    second = model.second
    inputs = np.clip(
        (np.vstack(rows) - second.scaling.mean) / second.scaling.scale, -second.scaling.clip, second.scaling.clip
    )
    kept = 1 / (1 + np.exp(-(inputs @ second.coef + second.intercept)))
    # The second pass sets the kept labels' share; the first says which label within each share.
    out = first + 1e-12
    is_kept = np.isin(model.labels, model.keep)
    out[:, is_kept] *= (kept / out[:, is_kept].sum(axis=1))[:, None]
    out[:, ~is_kept] *= ((1 - kept) / out[:, ~is_kept].sum(axis=1))[:, None]
    return out


@pytest.fixture(scope="module", params=[None, FIRST_PASS_LOGIT_CAP], ids=["uncapped", "capped"])
def stacked_model(small_model, request) -> Model:
    """The small model with a second pass of made-up weights (five outlets are too few to learn one),
    without and with a cap on the first pass's log-odds."""
    rng = np.random.default_rng(0)
    width = len(small_model.second_names)
    scaling = Scaling(rng.normal(size=width), rng.uniform(0.5, 2.0, size=width), 4.0)
    return with_second(small_model, SecondPass(scaling, rng.normal(size=width), 0.3, request.param))


def test_the_logit_cap_is_saved_and_a_version_2_file_has_none(tmp_path, stacked_model, seed_lines):
    loaded = Model.load(stacked_model.save(tmp_path / "model.json"))
    assert loaded.second.logit_cap == stacked_model.second.logit_cap
    np.testing.assert_array_equal(loaded.predict_proba(seed_lines), stacked_model.predict_proba(seed_lines))
    # A file written before the cap existed (schema version 2) predicts as it did: uncapped.
    old = stacked_model.to_dict()
    old["schema_version"] = 2
    old["second_pass"].pop("logit_cap")
    from_old = Model.load(write_json(tmp_path / "old.json", old))
    assert from_old.second.logit_cap is None
    uncapped = with_second(stacked_model, replace(stacked_model.second, logit_cap=None))
    np.testing.assert_array_equal(from_old.predict_proba(seed_lines), uncapped.predict_proba(seed_lines))


def test_a_model_reading_an_earlier_version_s_second_pass_inputs_still_works(tmp_path, small_model, seed_lines):
    # Models name their second pass's inputs; one that reads an input this version's models no longer
    # read (page_kept_share, in the place it had) loads, and predicts by the input's definition.
    names = small_model.second_names
    names = [*names[: names.index("page_keep") + 1], *LEGACY_INPUTS, *names[names.index("page_keep") + 1 :]]
    rng = np.random.default_rng(1)
    scaling = Scaling(rng.normal(size=len(names)), rng.uniform(0.5, 2.0, size=len(names)), 4.0)
    older = with_second(small_model, SecondPass(scaling, rng.normal(size=len(names)), 0.3, None, tuple(names)))
    loaded = Model.load(older.save(tmp_path / "older.json"))
    assert loaded.second_names == names
    np.testing.assert_allclose(loaded.predict_proba(seed_lines), by_hand(older, seed_lines), rtol=1e-9, atol=1e-12)
    # An input no version computes is refused: that model was not made by cleaner.
    unknown = older.to_dict()
    unknown["second_pass"]["names"][1] = "page_mood"
    with pytest.raises(ModelError, match="second pass's inputs"):
        Model.load(write_json(tmp_path / "unknown.json", unknown))


def test_the_cap_changes_what_a_sure_first_pass_says(small_model, seed_lines):
    width = len(small_model.second_names)
    scaling = Scaling(np.zeros(width), np.ones(width), 1e6)
    coef = np.zeros(width)
    coef[small_model.second_names.index(FIRST_PASS_INPUT)] = 1.0
    capped = with_second(small_model, SecondPass(scaling, coef, 0.0, 1.0))
    keep = capped.predict_proba(seed_lines)[:, np.isin(capped.labels, capped.keep)].sum(axis=1)
    # The second pass sees only the capped log-odds: every keep-probability within sigmoid(+-1).
    assert keep.min() >= 1 / (1 + np.e) - 1e-9 and keep.max() <= 1 / (1 + np.exp(-1)) + 1e-9


def test_the_weights_mean_what_they_say(small_model, stacked_model, seed_lines):
    """features -> scale and clip -> context -> softmax of a linear map (-> the second pass)."""
    assert small_model.second is None, "trained on too few outlets to learn a second pass"
    for model in (small_model, stacked_model):
        np.testing.assert_allclose(by_hand(model, seed_lines), model.predict_proba(seed_lines), rtol=0, atol=1e-9)


@pytest.fixture(scope="module")
def binary_model(seed_pages, train_text_model) -> Model:
    data = dataset_from_labeled(seed_pages)
    binary = Dataset(
        lines=data.lines,
        labels=["body" if label == "body" else "nav" for label in data.labels],
        groups=data.groups,
        sources=data.sources,
    )
    return train_text_model(binary)


def test_binary_model_predicts_like_its_estimator(binary_model, seed_lines):
    assert binary_model.labels == ("body", "nav")
    assert binary_model.coef.shape[0] == 2, "stored as the equivalent softmax pair"
    probabilities = binary_model.predict_proba(seed_lines)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)


def test_binary_model_means_what_it_says(binary_model, seed_lines):
    np.testing.assert_allclose(by_hand(binary_model, seed_lines), binary_model.predict_proba(seed_lines), atol=1e-9)


# -- loading rejects what is not a model ---------------------------------------------------------


def test_rejects_text_that_is_not_json(tmp_path):
    path = tmp_path / "model.json"
    path.write_text("this is not json {", encoding="utf-8")
    with pytest.raises(ModelError, match="not JSON"):
        Model.load(path)


@pytest.mark.parametrize("data", [[], {}, "cleaner-model", 42, None, {"format": "other"}, {"labels": ["body"]}])
def test_rejects_json_that_is_not_a_model(tmp_path, data):
    with pytest.raises(ModelError, match="not a cleaner model"):
        Model.load(write_json(tmp_path / "model.json", data))


@pytest.mark.parametrize("version", [0, SCHEMA_VERSION + 1, "1", None])
def test_rejects_other_schema_versions(tmp_path, model_dict, version):
    model_dict["schema_version"] = version
    with pytest.raises(ModelError, match="schema version"):
        Model.load(write_json(tmp_path / "model.json", model_dict))


def test_rejects_unknown_label(tmp_path, model_dict):
    model_dict["labels"][0] = "advert"
    with pytest.raises(ModelError, match="label"):
        Model.load(write_json(tmp_path / "model.json", model_dict))


def test_rejects_kept_label_the_model_lacks(tmp_path, model_dict):
    model_dict["keep"] = ["body", "heading", "nonsense"]
    with pytest.raises(ModelError):
        Model.load(write_json(tmp_path / "model.json", model_dict))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["classifier"]["coef"].pop(),  # one label's row missing
        lambda d: [row.pop() for row in d["classifier"]["coef"]],  # one feature's column missing
        lambda d: d["classifier"]["intercept"].append(0.0),
        lambda d: d["scaler"]["mean"].pop(),
        lambda d: d["scaler"].__setitem__("scale", d["scaler"]["scale"][:-1]),
        lambda d: d["features"].__setitem__("neighbours", d["features"]["neighbours"] + 1),  # more features
    ],
    ids=["coef-rows", "coef-columns", "intercept", "mean", "scale", "neighbours"],
)
def test_rejects_wrong_weight_shapes(tmp_path, model_dict, mutate):
    mutate(model_dict)
    model_dict["features"]["names"] = None  # checked separately below
    with pytest.raises(ModelError, match="shape"):
        Model.load(write_json(tmp_path / "model.json", model_dict))


def test_rejects_changed_feature_names(tmp_path, model_dict):
    model_dict["features"]["names"][1] = "renamed"
    with pytest.raises(ModelError, match="feature names"):
        Model.load(write_json(tmp_path / "model.json", model_dict))


@pytest.mark.parametrize("where", ["coef", "intercept", "mean", "scale"])
@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_rejects_non_finite_weights(tmp_path, model_dict, where, bad):
    part = "classifier" if where in ("coef", "intercept") else "scaler"
    target = model_dict[part][where]
    (target[0] if where == "coef" else target)[0] = bad
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model_dict), encoding="utf-8")  # json writes NaN / Infinity literals
    assert "NaN" in path.read_text() or "Infinity" in path.read_text()
    with pytest.raises(ModelError, match="non-finite"):
        Model.load(path)


def test_rejects_zero_scale(tmp_path, model_dict):
    model_dict["scaler"]["scale"][0] = 0.0
    with pytest.raises(ModelError, match="non-positive"):
        Model.load(write_json(tmp_path / "model.json", model_dict))


@pytest.mark.parametrize("field, bad", [("threshold", 1.5), ("threshold", -0.1), ("smoothing", 1.0)])
def test_rejects_decision_settings_out_of_range(tmp_path, model_dict, field, bad):
    model_dict[field] = bad
    with pytest.raises(ModelError, match="threshold"):
        Model.load(write_json(tmp_path / "model.json", model_dict))


@pytest.mark.parametrize(
    "path, bad",
    [
        (("features", "feature_sets"), ["shape", "future"]),
        (("features", "neighbours"), 1000),
        (("classifier",), []),
        (("scaler", "mean"), "zero"),
        (("info",), [1, 2]),
        (("labels",), "body"),
        (("threshold",), "high"),
    ],
)
def test_rejects_malformed_fields(tmp_path, model_dict, path, bad):
    target = model_dict
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = bad
    with pytest.raises(ModelError):
        Model.load(write_json(tmp_path / "model.json", model_dict))


@pytest.mark.parametrize(
    "path, bad",
    [
        (("features", "feature_sets"), [{"name": "shape"}]),
        (("features", "feature_sets"), [["shape"]]),
        (("features", "names"), 5),
    ],
)
def test_rejects_malformed_fields_with_model_error(tmp_path, model_dict, path, bad):
    model_dict[path[0]][path[1]] = bad
    with pytest.raises(ModelError):
        Model.load(write_json(tmp_path / "model.json", model_dict))


class _CreatesMarker:
    """Unpickling this calls open(marker, "w"): a stand-in for arbitrary code in a hostile model file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parametrize("protocol", [0, pickle.HIGHEST_PROTOCOL])
def test_pickle_file_is_rejected_without_running_it(tmp_path, small_model, protocol):
    # Control: this pickle really does run code when unpickled.
    control = tmp_path / "control-marker"
    pickle.loads(pickle.dumps(_CreatesMarker(control), protocol=protocol)).close()
    assert control.exists()

    marker = tmp_path / "marker"
    payload = {"model": small_model.to_dict(), "hook": _CreatesMarker(marker)}
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(payload, protocol=protocol))
    with pytest.raises(ModelError):
        Model.load(path)
    assert not marker.exists(), "loading a model must never unpickle"


def test_rejects_missing_file(tmp_path):
    with pytest.raises(ModelError, match="no such model file"):
        Model.load(tmp_path / "missing.json")


def test_rejects_directory(tmp_path):
    with pytest.raises(ModelError, match="directory"):
        Model.load(tmp_path)


def test_rejects_binary_file(tmp_path):
    path = tmp_path / "model.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ModelError):
        Model.load(path)


def test_model_error_messages_name_the_file(tmp_path):
    path = write_json(tmp_path / "odd-name.json", {"format": "nope"})
    with pytest.raises(ModelError, match="odd-name.json"):
        Model.load(path)


# -- determinism and provenance ----------------------------------------------------------------


def test_training_twice_gives_identical_weights(seed_pages, small_model, train_text_model):
    again = train_text_model(seed_pages)
    np.testing.assert_array_equal(again.coef, small_model.coef)
    np.testing.assert_array_equal(again.scaling.mean, small_model.scaling.mean)
    assert again.to_dict() == small_model.to_dict()


def test_cross_validated_training_is_deterministic(seed_pages, cv_model, train_text_model):
    again = train_text_model(seed_pages, cross_validate=True)
    assert again.to_dict() == cv_model.to_dict()


def test_model_records_what_it_was_trained_on(small_model, seed_pages):
    info = small_model.info
    assert info["training_data"]["pages"] == len(seed_pages)
    assert info["training_data"]["sources"] == sorted(page.source for page in seed_pages)
    assert len(info["training_data"]["digest"]) == 64
    assert info["trained_at"] == "2000-01-01T00:00:00Z"
    assert {"python", "scikit-learn", "numpy"} <= set(info["versions"])


def test_explain_names_real_features(stacked_model, seed_lines):
    model = stacked_model
    batch = lines_batch(seed_lines[:3])
    (explanation, *_) = model.explain(model.line_matrix(seed_lines[:3]), batch, [0, 0, 0])
    second, first = explanation[:3], explanation[3:]
    assert len(second) == len(first) == 3
    assert all(name in model.second_names and isinstance(weight, float) for name, weight in second)
    assert all(name in model.feature_names and isinstance(weight, float) for name, weight in first)
    for part in (first, second):
        weights = [abs(weight) for _, weight in part]
        assert weights == sorted(weights, reverse=True)


def test_keep_probability(small_model, seed_lines):
    probabilities = small_model.predict_proba(seed_lines)
    keep = keep_probability(probabilities, small_model.labels, small_model.keep)
    columns = [small_model.labels.index(label) for label in ("body", "heading")]
    np.testing.assert_allclose(keep, probabilities[:, columns].sum(axis=1))
    assert ((keep >= 0) & (keep <= 1 + 1e-12)).all()


def test_keep_probability_with_a_repeated_label(small_model, seed_lines):
    probabilities = small_model.predict_proba(seed_lines)
    twice = keep_probability(probabilities, small_model.labels, ("body", "body"))
    np.testing.assert_allclose(twice, keep_probability(probabilities, small_model.labels, ("body",)))


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [("classifier", "coef", 1e300), ("scaler", "mean", -1e12), ("scaler", "scale", 1e-300)],
)
def test_absurd_weights_are_refused(section, key, value):
    """Finite but absurd values would turn every probability into NaN; they are no trained model."""
    from cleaner.api import default_model_path

    data = json.loads(default_model_path().read_text(encoding="utf-8"))
    target = data[section][key]
    if isinstance(target[0], list):
        target[0][0] = value
    else:
        target[0] = value
    with pytest.raises(ModelError):
        Model.from_dict(data)


def test_a_second_pass_round_trips(stacked_model, seed_lines, tmp_path):
    loaded = Model.load(stacked_model.save(tmp_path / "stacked.json"))
    np.testing.assert_array_equal(loaded.predict_proba(seed_lines), stacked_model.predict_proba(seed_lines))
    assert loaded.to_dict() == stacked_model.to_dict()


@pytest.fixture(scope="module")
def checked_model(small_model) -> Model:
    """The small model with a page check of made-up weights."""
    rng = np.random.default_rng(2)
    width = len(NARROWING_INPUTS)
    scaling = Scaling(rng.uniform(0, 1, size=width), rng.uniform(0.1, 0.5, size=width), 4.0)
    return replace(small_model, narrowing=Narrowing(scaling, rng.normal(size=width), -0.4))


def test_a_page_check_round_trips(checked_model, tmp_path):
    loaded = Model.load(checked_model.save(tmp_path / "checked.json"))
    assert loaded.to_dict() == checked_model.to_dict()
    inputs = np.random.default_rng(3).uniform(0, 1, size=(20, len(NARROWING_INPUTS)))
    np.testing.assert_array_equal(loaded.narrowing.logit(inputs), checked_model.narrowing.logit(inputs))
    by_hand = np.clip((inputs - checked_model.narrowing.scaling.mean) / checked_model.narrowing.scaling.scale, -4, 4)
    np.testing.assert_allclose(loaded.narrowing.logit(inputs), by_hand @ checked_model.narrowing.coef - 0.4)


def test_a_version_3_file_has_no_page_check(checked_model, tmp_path):
    old = checked_model.to_dict()
    old["schema_version"] = 3
    assert Model.load(write_json(tmp_path / "old.json", old)).narrowing is None


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["narrowing"]["coef"].pop(),
        lambda d: d["narrowing"]["mean"].append(0.0),
        lambda d: d["narrowing"]["names"].reverse(),
        lambda d: d["narrowing"].__setitem__("scale", [0.0] * len(NARROWING_INPUTS)),
        lambda d: d["narrowing"].__setitem__("intercept", "high"),
        lambda d: d["narrowing"].pop("coef"),
    ],
    ids=["coef", "mean", "names", "scale", "intercept", "missing"],
)
def test_rejects_a_malformed_page_check(tmp_path, checked_model, mutate):
    data = checked_model.to_dict()
    mutate(data)
    with pytest.raises(ModelError):
        Model.load(write_json(tmp_path / "model.json", data))


@pytest.mark.parametrize("mode", ["text", "html"])
def test_no_input_of_a_shipped_model_can_move_a_logit_by_more_than_the_bound(mode):
    # Bounded by the weights and the clip, whatever the line: a scaled input never exceeds the clip.
    shipped = Cleaner.load()
    model = shipped.text_model if mode == "text" else shipped.html_model
    centred = model.coef - model.coef.mean(axis=0)
    assert np.abs(centred).max() * model.scaling.clip <= MAX_CONTRIBUTION + 1e-9
    assert model.second is not None
    # The first pass's own log-odds is every first-pass input at once (Model.contributions leaves it out).
    second = np.delete(model.second.coef, model.second_names.index(FIRST_PASS_INPUT))
    assert np.abs(second).max() * model.second.scaling.clip <= MAX_CONTRIBUTION
