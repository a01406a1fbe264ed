"""The command line: `cleaner clean|train|evaluate|annotate` and the `clean` shortcut."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import typer.main
from typer.testing import CliRunner

from cleaner import Cleaner, Options, clean
from cleaner.cli import app, clean_app
from cleaner.model import Model
from cleaner.training.labeled import parse_labeled

TEXT = Options(input_format="text")
runner = CliRunner()
JSONL_FIELDS = {"line", "label", "keep_probability", "kept", "text", "probabilities"}


def invoke(args, input=None, target=app):
    result = runner.invoke(target, [str(a) for a in args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {result.exception!r}\n{result.output}"
    )
    assert "Traceback" not in result.output
    return result


def out(result) -> str:
    """Standard output exactly as written (CliRunner's .stdout rewrites CRLF)."""
    return result.stdout_bytes.decode("utf-8")


def assert_ok(result, stderr: str = ""):
    assert result.exit_code == 0, result.output
    assert result.stderr == stderr


def assert_error(result, message_start: str, exit_code: int = 1, stdout: str = ""):
    """A failed command: the exit code, one line "error: ..." on stderr, no traceback."""
    assert result.exit_code == exit_code, result.output
    assert result.stderr.startswith(f"error: {message_start}"), result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    assert out(result) == stdout


@pytest.fixture(scope="module")
def model_args(small_model_path) -> list[str]:
    return ["--model", str(small_model_path), "--input-format", "text"]


# -- clean ---------------------------------------------------------------------------------------


def test_clean_a_page(seed_text_files, small_cleaner, model_args):
    path = seed_text_files["002"]
    result = invoke(["clean", *model_args, path])
    assert_ok(result)
    assert out(result) == small_cleaner.clean(path.read_text(encoding="utf-8"), TEXT)


def test_clean_with_the_shipped_model(seed_text_files):
    path = seed_text_files["003"]
    result = invoke(["clean", "--input-format", "text", path])
    assert_ok(result)
    assert out(result) == clean(path.read_text(encoding="utf-8"), TEXT)


def test_clean_shortcut_app(seed_text_files, small_cleaner, model_args):
    path = seed_text_files["004"]
    result = invoke([*model_args, path], target=clean_app)
    assert_ok(result)
    assert out(result) == small_cleaner.clean(path.read_text(encoding="utf-8"), TEXT)


def test_clean_auto_detects_text(seed_text_files, small_cleaner, small_model_path):
    path = seed_text_files["002"]
    result = invoke(["clean", "--model", small_model_path, path])
    assert_ok(result)
    assert out(result) == small_cleaner.clean(path.read_text(encoding="utf-8"), TEXT)


def test_several_files_to_an_output_folder(seed_text_files, small_cleaner, model_args, tmp_path):
    folder = tmp_path / "cleaned"
    paths = [seed_text_files[i] for i in ("000", "002", "003")]
    result = invoke(["clean", *model_args, "-o", folder, *paths])
    assert_ok(result)
    assert out(result) == ""
    assert sorted(p.name for p in folder.iterdir()) == ["000.txt", "002.txt", "003.txt"]
    for path in paths:
        expected = small_cleaner.clean(path.read_text(encoding="utf-8"), TEXT)
        assert (folder / path.name).read_text(encoding="utf-8") == expected


def test_several_files_to_stdout_in_order(seed_text_files, small_cleaner, model_args):
    paths = [seed_text_files["004"], seed_text_files["000"]]
    result = invoke(["clean", *model_args, *paths])
    assert_ok(result)
    # A blank line between two pages: the first line of one would run on from the last of the other.
    assert out(result) == "\n".join(small_cleaner.clean(p.read_text(encoding="utf-8"), TEXT) for p in paths)


def test_an_input_that_keeps_nothing_adds_no_blank_line(seed_text_files, small_cleaner, model_args):
    # Standard input is streamed to standard output as it is read: an empty one writes nothing, and
    # no blank line either.
    paths = [seed_text_files["004"], "-", seed_text_files["000"]]
    result = invoke(["clean", *model_args, *paths], input="")
    assert_ok(result)
    kept = [small_cleaner.clean(seed_text_files[name].read_text(encoding="utf-8"), TEXT) for name in ("004", "000")]
    assert out(result) == "\n".join(kept)
    assert out(invoke(["clean", *model_args, "-", paths[0]], input="")) == kept[0]


def test_output_folder_with_another_format(seed_text_files, model_args, tmp_path):
    result = invoke(["clean", *model_args, "-f", "jsonl", "-o", tmp_path / "out", seed_text_files["000"]])
    assert_ok(result)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["000.jsonl"]


def test_stdin(seed_text_files, small_cleaner, model_args, tmp_path):
    data = seed_text_files["002"].read_bytes()
    result = invoke(["clean", *model_args, "-"], input=data)
    assert_ok(result)
    assert out(result) == small_cleaner.clean(data, TEXT)
    result = invoke(["clean", *model_args, "-o", tmp_path, "-"], input=data)
    assert_ok(result)
    assert (tmp_path / "stdin.txt").read_text(encoding="utf-8") == small_cleaner.clean(data, TEXT)


def _tsv_rows(text: str, columns: int) -> list[list[str]]:
    rows = [row.split("\t", columns - 1) for row in text.split("\n")[:-1]]
    assert all(len(row) == columns for row in rows), "every row has the same columns"
    return rows


@pytest.mark.parametrize("flags", [["--labels"], ["--format", "tsv"], ["-f", "tsv", "--labels"]])
def test_labels_as_tsv(flags, seed_text_files, small_cleaner, model_args):
    path = seed_text_files["002"]
    result = invoke(["clean", *model_args, *flags, path])
    assert_ok(result)
    results = small_cleaner.classify(path.read_text(encoding="utf-8"), TEXT)
    rows = _tsv_rows(out(result), 5)
    assert rows == [
        [str(r.number), "keep" if r.kept else "drop", r.label, f"{r.keep_probability:.3f}", r.text] for r in results
    ]


def test_jsonl(seed_text_files, small_cleaner, model_args):
    path = seed_text_files["003"]
    result = invoke(["clean", *model_args, "--format", "jsonl", path])
    assert_ok(result)
    records = [json.loads(line) for line in out(result).splitlines()]
    results = small_cleaner.classify(path.read_text(encoding="utf-8"), TEXT)
    assert len(records) == len(results)
    for record, expected in zip(records, results):
        assert set(record) == JSONL_FIELDS
        assert record["line"] == expected.number and record["text"] == expected.text
        assert record["label"] == expected.label and record["kept"] == expected.kept
        assert record["keep_probability"] == expected.keep_probability
        assert record["probabilities"] == expected.probabilities


def test_jsonl_of_several_files_names_them(seed_text_files, model_args):
    paths = [seed_text_files["000"], seed_text_files["004"]]
    result = invoke(["clean", *model_args, "--format", "jsonl", *paths])
    assert_ok(result)
    records = [json.loads(line) for line in out(result).splitlines()]
    assert set(records[0]) == JSONL_FIELDS | {"file"}
    assert Counter(r["file"] for r in records) == {
        str(p): len(p.read_text(encoding="utf-8").split("\n")) - p.read_text(encoding="utf-8").endswith("\n")
        for p in paths
    }


def test_explain(seed_text_files, model_args):
    path = seed_text_files["002"]
    result = invoke(["clean", *model_args, "--explain", path])
    assert_ok(result)
    rows = _tsv_rows(out(result), 6)  # the explanation column is present on every row
    for number, _, label, _, why, text in rows:
        if label == "-":
            assert why == "" and not text.strip()
        else:
            assert len(why.split("; ")) == 3, why
    result = invoke(["clean", *model_args, "--explain", "-f", "jsonl", path])
    assert_ok(result)
    for record in map(json.loads, out(result).splitlines()):
        if record["label"] != "-":
            assert [set(item) for item in record["explanation"]] == [{"feature", "weight"}] * 3


def _kept_numbers(result) -> set[int]:
    return {int(row[0]) for row in _tsv_rows(out(result), 5) if row[1] == "keep"}


def test_keep(seed_text_files, model_args):
    path = seed_text_files["002"]
    default = _kept_numbers(invoke(["clean", *model_args, "--labels", path]))
    wider = _kept_numbers(invoke(["clean", *model_args, "--labels", "--keep", "body,heading,meta", path]))
    narrower = _kept_numbers(invoke(["clean", *model_args, "--labels", "--keep", "body", path]))
    assert narrower < default < wider


def test_threshold(seed_text_files, small_cleaner, model_args):
    path = seed_text_files["003"]
    text = path.read_text(encoding="utf-8")
    result = invoke(["clean", *model_args, "--threshold", "0", path])
    assert_ok(result)
    assert out(result) == small_cleaner.clean(text, Options(threshold=0.0, input_format="text"))
    assert [line for line in out(result).split("\n") if line] == [line for line in text.split("\n") if line.strip()]
    result = invoke(["clean", *model_args, "-t", "1", path])
    assert_ok(result)
    assert len(out(result)) < len(text) / 10


# -- train, evaluate, annotate -----------------------------------------------------------------


def test_train(tmp_path, seeds_dir, seed_summary, cv_model, seed_text_files):
    path = tmp_path / "models" / "mine.json"
    result = invoke(["train", seeds_dir, "-o", path, "--description", "test model"])
    assert_ok(result)
    lines = out(result).splitlines()
    counts = cv_model.info["training_data"]["label_counts"]
    assert lines[0] == f"trained on {seed_summary}, {cv_model.info['training_data']['groups']} outlets"
    assert lines[1] == "label counts: " + ", ".join(f"{label} {n}" for label, n in counts.items())
    assert lines[2] == "cross-validation (leave one outlet out), kept text vs. body+heading:"
    assert lines[3].startswith("  characters: precision ")
    assert lines[-2] == f"threshold {cv_model.threshold:.3f}, smoothing {cv_model.smoothing:.2f}"
    assert lines[-1] == f"wrote {path}"
    model = Model.load(path)
    assert model.info["description"] == "test model"
    assert model.to_dict()["classifier"] == cv_model.to_dict()["classifier"]
    # The new model serves `clean --model`.
    page = seed_text_files["002"]
    cleaned = invoke(["clean", "--model", path, "--input-format", "text", page])
    assert_ok(cleaned)
    assert out(cleaned) == Cleaner(model).clean(page.read_text(encoding="utf-8"), TEXT)


def test_train_single_outlet(tmp_path, seed_paths):
    path = tmp_path / "m.json"
    result = invoke(["train", seed_paths[0], seed_paths[1], "-o", path])  # both outlet-a
    assert_ok(result)
    assert "no cross-validation: the pages come from a single outlet" in out(result)
    assert Model.load(path).labels == ("body", "heading")


def test_train_errors(tmp_path, seeds_dir):
    assert_error(invoke(["train", tmp_path / "missing", "-o", tmp_path / "m.json"]), f"{tmp_path / 'missing'}: no such")
    bad = tmp_path / "bad.tsv"
    bad.write_text("body\tUn texte.\nadvert\tAchetez !\n", encoding="utf-8")
    assert_error(invoke(["train", bad, "-o", tmp_path / "m.json"]), f"{bad}:2: unknown label 'advert'")
    single = tmp_path / "single.tsv"
    single.write_text("body\tUn texte.\n-\t\nbody\tUn autre.\n", encoding="utf-8")
    assert_error(invoke(["train", single, "-o", tmp_path / "m.json"]), "training needs at least two labels")
    assert_error(invoke(["train", seeds_dir, "-o", tmp_path]), f"{tmp_path}: is a directory")
    assert not (tmp_path / "m.json").exists()


def test_evaluate(small_model_path, seeds_dir, seed_summary):
    result = invoke(["evaluate", seeds_dir, "--model", small_model_path, "--no-cross-validate"])
    assert_ok(result)
    lines = out(result).splitlines()
    assert lines[0] == f"model {small_model_path} on {seed_summary}:"
    assert lines[1].startswith("  characters: precision ") and lines[2].startswith("  lines:      precision ")
    assert lines[3].split() == ["label", "precision", "recall", "F1", "lines"]
    assert "cross-validation" not in out(result)


def test_evaluate_with_cross_validation(seeds_dir, seed_summary):
    result = invoke(["evaluate", seeds_dir])
    assert_ok(result)
    assert out(result).startswith(f"model default on {seed_summary}:")
    assert "cross-validation (leave one outlet out)" in out(result)


def test_annotate(seed_text_files, small_cleaner, small_model_path):
    path = seed_text_files["003"]
    text = path.read_text(encoding="utf-8")
    result = invoke(["annotate", path, "--outlet", "tendanceouest.com", "--model", small_model_path])
    assert_ok(result)
    page = parse_labeled(out(result))
    assert page.original_text() == text
    assert (page.outlet, page.source) == ("tendanceouest.com", "003.txt")
    assert page.labels == tuple(r.label for r in small_cleaner.classify(text, TEXT))


@pytest.mark.parametrize("text", ["Titre\r\n\r\nUn paragraphe, assez long.\r\n", "Titre\rUn paragraphe.", ""])
def test_annotate_stdin_round_trips(text, small_model_path):
    result = invoke(["annotate", "-", "--model", small_model_path], input=text.encode("utf-8"))
    assert_ok(result)
    page = parse_labeled(out(result))
    assert page.original_text() == text
    assert (page.outlet, page.source) == ("unknown", "stdin")


def test_annotate_errors(tmp_path):
    assert_error(invoke(["annotate", tmp_path / "missing.txt"]), f"{tmp_path / 'missing.txt'}: no such file")
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert_error(invoke(["annotate", png]), f"{png}: input is a PNG image")


# -- help ----------------------------------------------------------------------------------------


def _commands():
    group = typer.main.get_command(app)
    return [(f"cleaner {name}", command) for name, command in group.commands.items()] + [
        ("clean", typer.main.get_command(clean_app))
    ]


def test_every_command_and_option_has_help():
    group = typer.main.get_command(app)
    assert group.help
    assert set(group.commands) == {"clean", "train", "evaluate", "annotate", "benchmark", "agreement"}
    missing = []
    for name, command in _commands():
        if not (command.help or "").strip():
            missing.append(name)
        for param in command.params:
            if param.name != "help" and not (getattr(param, "help", None) or "").strip():
                missing.append(f"{name} {param.name}")
    assert missing == [], f"without help text: {missing}"


def test_help_shows_markup_and_link_syntax_as_written():
    """Help is rendered as Markdown: an HTML tag or a link's syntax left bare in a help text is taken
    for markup and vanishes from the screen (written as code, it shows)."""
    result = runner.invoke(clean_app, ["--help"], env={"COLUMNS": "400"})
    shown = " ".join(out(result).split())
    for written in ("<main>", "<article>", "[text](url)"):
        assert written in shown


@pytest.mark.parametrize("args", [[], ["clean"], ["train"], ["evaluate"], ["annotate"]])
def test_help_runs(args):
    result = invoke([*args, "--help"])
    assert result.exit_code == 0 and "Usage" in out(result)


def test_clean_app_help_runs():
    result = invoke(["--help"], target=clean_app)
    assert result.exit_code == 0 and "Clean pages" in out(result)


# -- errors --------------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    missing = tmp_path / "missing.txt"
    result = invoke(["clean", "--input-format", "text", missing])
    assert_error(result, f"{missing}: no such file")
    assert result.stderr == f"error: {missing}: no such file\n"


def test_directory(tmp_path):
    assert_error(invoke(["clean", "--input-format", "text", tmp_path]), f"{tmp_path}: is a directory")


def test_control_characters_in_a_name_stay_on_one_line(tmp_path):
    missing = tmp_path / "two\nlines\r.txt"
    result = invoke(["clean", "--input-format", "text", missing])
    assert_error(result, f"{tmp_path}/two\\nlines\\r.txt: no such file")


@pytest.mark.parametrize(
    "args",
    [
        ["clean", "--output", "", "page.txt"],
        ["clean", "--model", "", "page.txt"],
        ["train", "--output", "", "pages"],
        ["benchmark", "--report", ""],
    ],
    ids=["clean-output", "clean-model", "train-output", "benchmark-report"],
)
def test_an_empty_path_is_refused(tmp_path, monkeypatch, args):
    # Path("") is the current folder: an unset variable in `-o "$OUT"` would have written there.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.txt").write_text("Un titre\nUn paragraphe assez long pour rester, avec des mots.\n")
    result = invoke(args)
    assert result.exit_code == 2 and "an empty name is no file or folder" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["page.txt"]


@pytest.mark.parametrize("input_format", ["text", "auto"])
def test_binary_file(tmp_path, input_format):
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = invoke(["clean", "--input-format", input_format, png])
    assert_error(result, f"{png}: input is a PNG image")


def test_one_bad_file_among_good_ones(seed_text_files, small_cleaner, model_args, tmp_path):
    good = seed_text_files["004"]
    missing = tmp_path / "missing.txt"
    result = invoke(["clean", *model_args, missing, good])
    expected = small_cleaner.clean(good.read_text(encoding="utf-8"), TEXT)
    assert_error(result, f"{missing}: no such file", stdout=expected)


@pytest.mark.parametrize(
    "content", [b"not json", b"{}", b"\x89PNG\r\n\x1a\n", None], ids=["text", "json", "binary", "dir"]
)
def test_bad_model(tmp_path, seed_text_files, seeds_dir, content):
    model = tmp_path / "model.json"
    if content is None:
        model.mkdir()
    else:
        model.write_bytes(content)
    result = invoke(["clean", "--model", model, "--input-format", "text", seed_text_files["000"]])
    assert_error(result, f"{model}: ")
    assert_error(invoke(["evaluate", seeds_dir, "--model", model]), f"{model}: ")


def test_missing_model(tmp_path, seed_text_files):
    model = tmp_path / "missing.json"
    result = invoke(["clean", "--model", model, seed_text_files["000"]])
    assert result.stderr == f"error: {model}: no such model file\n"
    assert_error(result, f"{model}: no such model file")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--keep", "body,advert"], "keep: unknown or no labels ['advert']"),
        (["--keep", ","], "keep: unknown or no labels []"),
        (["--keep", "body,body"], "keep: a label is given more than once"),
        (["--format", "bad"], "--format must be one of text, markdown, json, tsv, jsonl, not 'bad'"),
        (["--input-format", "xml"], "input_format must be one of auto, text, html, not 'xml'"),
    ],
)
def test_bad_options(args, message, seed_text_files):
    assert_error(invoke(["clean", *args, seed_text_files["000"]]), message)


@pytest.mark.parametrize("args", [["--threshold", "2"], ["--threshold", "x"], ["--no-such-option"], []])
def test_usage_errors(args, seed_text_files):
    result = invoke(["clean", *args] + ([seed_text_files["000"]] if args else []))
    assert result.exit_code == 2
    assert out(result) == ""


def test_output_folder_is_a_file(seed_text_files, model_args, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("keep me", encoding="utf-8")
    result = invoke(["clean", *model_args, "-o", target, seed_text_files["000"]])
    assert_error(result, f"{target}: --output must be a folder")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_output_would_overwrite_the_input(seed_text_files, model_args, tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(seed_text_files["002"].read_bytes())
    before = page.read_bytes()
    assert_error(invoke(["clean", *model_args, "-o", tmp_path, page]), f"{page}: the output file would overwrite")
    assert page.read_bytes() == before


def test_two_inputs_would_share_an_output(seed_text_files, model_args, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "page.txt", tmp_path / "b" / "page.txt"
    first.write_text("Un.\n", encoding="utf-8")
    second.write_text("Deux.\n", encoding="utf-8")
    result = invoke(["clean", *model_args, "-o", tmp_path / "out", first, second])
    assert_error(result, f"{first} and {second} would both be written to")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--limit", "0"], "error: --limit must be 1 or more, not 0"),
        (["--jobs", "0"], "error: --jobs must be 1 or more, not 0"),
        (["--cache", "{file}"], "error: {file}: --cache names a folder, and this is a file"),
        (["--report", "{folder}"], "error: {folder}: --report names a file, in a folder"),
        (["--report", "{file}/report.md"], "error: {file}/report.md: --report names a file, in a folder"),
    ],
)
def test_benchmark_settings_that_would_fail_at_the_end_fail_first(tmp_path, arguments, message):
    file = tmp_path / "a-file"
    file.write_text("x", encoding="utf-8")
    names = {"file": file, "folder": tmp_path}
    arguments = [argument.format(**names) for argument in arguments]
    result = invoke(["benchmark", "--corpora", str(tmp_path / "none"), *arguments])
    assert result.exit_code == 1
    assert result.stderr == message.format(**names) + "\n"
