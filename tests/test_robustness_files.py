"""Never lose a model or an output: model files that are not models (huge, truncated, wrong types,
future schemas, not JSON) give one clear ModelError, and writes that fail half-way leave the old file
whole and no temporary file behind. The bad page inputs: tests/test_robustness.py."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import ModelError
from cleaner.api import default_model_path
from cleaner.files import write_atomic
from cleaner.model import Model
from cleaner.model.file import MAX_MODEL_BYTES, SCHEMA_VERSION

runner = CliRunner()


# -- model files ---------------------------------------------------------------------------------------


@pytest.fixture
def model_data(small_model) -> dict:
    return json.loads(json.dumps(small_model.to_dict()))


def write_model(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_shipped_model_is_plain_json():
    path = default_model_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "cleaner-model" and data["schema_version"] == SCHEMA_VERSION
    Model.from_dict(data)


def test_huge_valid_json_is_refused_without_parsing(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"format": "cleaner-model", "schema_version": 1, "padding": "')
        handle.write("x" * (MAX_MODEL_BYTES + 1))
        handle.write('"}')
    with pytest.raises(ModelError, match="too large"):
        Model.load(path)


def test_a_device_with_no_size_is_read_only_up_to_the_limit(monkeypatch, tmp_path):
    """A size of 0 (a device, a pipe) is not trusted: at most the limit is read."""
    monkeypatch.setattr("cleaner.model.file.MAX_MODEL_BYTES", 1000)
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    with pytest.raises(ModelError, match="too large"):
        Model.load("/dev/zero")


def test_large_arrays_of_the_wrong_shape(tmp_path, model_data):
    model_data["classifier"]["coef"] = [[0.5] * 1000] * 1000
    with pytest.raises(ModelError, match="shape"):
        Model.load(write_model(tmp_path / "model.json", model_data))


@pytest.mark.parametrize("depth", [100, 10_000, 1_000_000])
@pytest.mark.parametrize("kind", ["array", "object", "inside-a-model"])
def test_deeply_nested_json(tmp_path, depth, kind):
    path = tmp_path / "model.json"
    if kind == "array":
        path.write_text("[" * depth + "]" * depth, encoding="utf-8")
    elif kind == "object":
        path.write_text('{"a":' * depth + "1" + "}" * depth, encoding="utf-8")
    else:
        nested = "[" * depth + "1.0" + "]" * depth
        path.write_text(
            '{"format": "cleaner-model", "schema_version": 1, "labels": ["body", "nav"], "keep": ["body"], '
            '"threshold": 0.5, "features": {"feature_sets": ["shape"], "neighbours": 1, "window": 1}, '
            f'"scaler": {{"mean": {nested}, "scale": [1.0]}}, "classifier": {{"coef": [[1.0]], "intercept": [0.0]}}}}',
            encoding="utf-8",
        )
    with pytest.raises(ModelError):
        Model.load(path)


WRONG_VALUES = [
    None,
    True,
    0,
    -1,
    2.5,
    1e300,
    float("inf"),
    float("nan"),
    "",
    "text",
    [],
    [None],
    [[]],
    {},
    {"a": 1},
    [1, "a"],
    [[1.0, 2.0], [1.0]],
]
FIELDS = [
    ("format",),
    ("schema_version",),
    ("labels",),
    ("keep",),
    ("threshold",),
    ("smoothing",),
    ("features",),
    ("features", "feature_sets"),
    ("features", "neighbours"),
    ("features", "window"),
    ("features", "names"),
    ("scaler",),
    ("scaler", "mean"),
    ("scaler", "scale"),
    ("classifier",),
    ("classifier", "coef"),
    ("classifier", "intercept"),
    ("info",),
]
# The wrong values that are right for a field (a valid number, an optional field left empty), by repr.
ACCEPTED = {
    ("threshold", "0"),
    ("smoothing", "0"),
    ("features/names", "None"),
    ("info", "{}"),
    ("info", "{'a': 1}"),
}


@pytest.mark.parametrize("field", FIELDS, ids=["/".join(f) for f in FIELDS])
def test_wrong_types_everywhere(tmp_path, model_data, field):
    """Every field of a model file, set to values of the wrong type or range: a ModelError, nothing else."""
    key = "/".join(field)
    for value in WRONG_VALUES:
        data = json.loads(json.dumps(model_data))
        target = data
        for part in field[:-1]:
            target = target[part]
        target[field[-1]] = value
        path = write_model(tmp_path / "model.json", data)
        try:
            Model.load(path)
        except ModelError as error:
            assert str(path) in str(error)
        else:
            assert (key, repr(value)) in ACCEPTED, f"{key} = {value!r} was accepted"
    # Missing, too.
    data = json.loads(json.dumps(model_data))
    target = data
    for part in field[:-1]:
        target = target[part]
    del target[field[-1]]
    if key not in ("smoothing", "info", "features/names"):
        with pytest.raises(ModelError):
            Model.load(write_model(tmp_path / "model.json", data))


def test_wrong_second_pass_names(tmp_path):
    shipped = json.loads(default_model_path("html.json").read_text(encoding="utf-8"))
    assert shipped["second_pass"]["names"]
    for value in ["body", 3, [1, "a"], [None], {"a": 1}]:
        shipped["second_pass"]["names"] = value
        path = write_model(tmp_path / "model.json", shipped)
        with pytest.raises(ModelError, match="malformed model file"):
            Model.load(path)


def test_a_number_of_more_digits_than_python_converts(tmp_path, model_data):
    text = json.dumps(model_data).replace('"smoothing": ', '"smoothing": ' + "1" * 5000 + ', "was": ', 1)
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelError, match="not a cleaner model"):
        Model.load(path)


@pytest.mark.parametrize("key", ['"smoothing": ', '"threshold": '])
def test_a_number_too_large_for_a_float_is_a_model_error(tmp_path, model_data, key):
    # 400 digits: Python reads the integer, and float() of it overflows.
    text = json.dumps(model_data).replace(key, key + "1" * 400 + ', "was": ', 1)
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelError, match="malformed model file"):
        Model.load(path)


def test_a_future_schema_version_says_so(tmp_path, model_data):
    model_data["schema_version"] = SCHEMA_VERSION + 1
    model_data["new_section"] = {"something": "only a newer cleaner knows"}
    with pytest.raises(ModelError) as caught:
        Model.load(write_model(tmp_path / "future.json", model_data))
    message = str(caught.value)
    assert "future.json" in message and "newer cleaner" in message
    assert f"schema version {SCHEMA_VERSION + 1}" in message and "upgrade cleaner" in message


def test_an_older_or_odd_schema_version_is_refused(tmp_path, model_data):
    for version in (0, True, "1", 1.5, None):
        model_data["schema_version"] = version
        with pytest.raises(ModelError, match="schema version"):
            Model.load(write_model(tmp_path / "old.json", model_data))


@pytest.mark.parametrize("keep_share", [0.0, 0.01, 0.5, 0.99])
def test_a_truncated_model_file(tmp_path, small_model, keep_share):
    whole = small_model.save(tmp_path / "whole.json").read_bytes()
    path = tmp_path / "truncated.json"
    path.write_bytes(whole[: int(len(whole) * keep_share)])
    with pytest.raises(ModelError, match="not JSON|not a cleaner model"):
        Model.load(path)


def test_a_model_file_cut_inside_a_character(tmp_path, small_model):
    data = small_model.to_dict()
    data["info"]["description"] = "modèle"
    whole = json.dumps(data, ensure_ascii=False).encode("utf-8")
    path = tmp_path / "cut.json"
    path.write_bytes(whole[: whole.index("è".encode()) + 1])
    with pytest.raises(ModelError, match="cannot read model file"):
        Model.load(path)


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf{}",  # a BOM
        '{"format": "cleaner-model"}'.encode("utf-16"),
        b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94.",  # a pickle
        b"PK\x03\x04" + bytes(30),  # a zip (a joblib or npz file)
        b"\x93NUMPY\x01\x00",
        b"",
    ],
    ids=["bom", "utf-16", "pickle", "zip", "npy", "empty"],
)
def test_files_that_are_not_json_models(tmp_path, content):
    path = tmp_path / "model.json"
    path.write_bytes(content)
    with pytest.raises(ModelError):
        Model.load(path)


# -- atomic writes -------------------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_atomic_replace_fails(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old content\n", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(target, "new content\n")
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert leftovers(tmp_path) == ["out.txt"], "no temporary file left behind"


def test_write_atomic_write_fails_half_way(tmp_path, monkeypatch):
    """The write itself fails after part of the text went out: no partial file, no temporary file."""
    real_fdopen = os.fdopen

    class Interrupted(Exception):
        pass

    class HalfWriter:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            self.handle.close()
            return False

        def write(self, text):
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise Interrupted("disk full half-way")

    def fdopen_half(descriptor, *args, **kwargs):
        return HalfWriter(real_fdopen(descriptor, *args, **kwargs))

    target = tmp_path / "out.txt"
    with monkeypatch.context() as patch:
        patch.setattr(os, "fdopen", fdopen_half)
        with pytest.raises(Interrupted):
            write_atomic(target, "x" * 100_000)
    assert leftovers(tmp_path) == [], "neither a partial output nor a temporary file"
    # And over an existing file: the old content stays.
    target.write_text("old\n", encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(os, "fdopen", fdopen_half)
        with pytest.raises(Interrupted):
            write_atomic(target, "new content " * 1000)
    assert target.read_text(encoding="utf-8") == "old\n" and leftovers(tmp_path) == ["out.txt"]


def test_write_atomic_interrupted_by_keyboard(tmp_path, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "out.txt", "text\n")
    assert leftovers(tmp_path) == []


def test_write_atomic_writes_exactly(tmp_path):
    text = "ligne 1\r\nligne 2\nÉté\n"
    path = write_atomic(tmp_path / "sub" / "out.txt", text)
    assert path.read_bytes() == text.encode("utf-8")
    assert leftovers(tmp_path / "sub") == ["out.txt"]


def test_write_atomic_writes_through_a_symbolic_link(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "model.json"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, "new\n")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new\n"
    assert leftovers(tmp_path / "real") == ["model.json"]


def test_write_atomic_writes_into_a_fifo_in_place(tmp_path):
    # Renaming a file over a FIFO (or a device: /dev/stdout, /dev/full) would replace the node itself.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "through the pipe\n")
    reader.join(timeout=30)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_model_save_failure_leaves_the_old_model(tmp_path, small_model, monkeypatch):
    path = small_model.save(tmp_path / "model.json")
    before = path.read_bytes()

    def refuse(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        small_model.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before and leftovers(tmp_path) == ["model.json"]
    Model.load(path)


def test_a_killed_runs_temporary_files_are_removed_by_the_next_run(tmp_path):
    from cleaner.cli.app import app
    from cleaner.files import _temporary_prefix, temporary_leftovers

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text("Un titre\nUn paragraphe assez long pour rester, avec des mots.\n")
    out = tmp_path / "out"
    out.mkdir()
    # A process that is gone (as after SIGKILL), this one (alive), and another machine's.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    ours = _temporary_prefix(out / "page.txt")
    dead = out / (ours.replace(f"-{os.getpid()}.", f"-{gone.pid}.") + "abcdefgh.tmp")
    alive = out / (ours + "ijklmnop.tmp")
    elsewhere = out / ".page.txt.other-machine-1.qrstuvwx.tmp"
    for path in (dead, alive, elsewhere):
        path.write_text("half an output")
    assert temporary_leftovers(out / "page.txt") == sorted([dead, alive, elsewhere])

    result = runner.invoke(app, ["clean", "--input-format", "text", str(tmp_path / "in"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{out}: removed 1 temporary file(s) that a stopped run left" in result.stderr
    assert sorted(path.name for path in out.iterdir()) == sorted([alive.name, elsewhere.name, "page.txt"])
