"""Batch runs of `clean`: folders, JSON Lines, processes, errors, resuming and Ctrl-C (cleaner.cli.batch)."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Options
from cleaner.cli import app, clean_app
from cleaner.cli.batch.job import FilesTask, FileTask, Job
from cleaner.cli.batch.plan import Source, choose_jobs
from cleaner.cli.batch.runner import Batch, Interrupted

TEXT = Options(input_format="text")
runner = CliRunner()
CLEAN = [sys.executable, "-c", "from cleaner.cli import clean_main; clean_main()"]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def invoke(*args, input=None, target=app):
    result = runner.invoke(target, [str(a) for a in args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def out(result) -> str:
    return result.stdout_bytes.decode("utf-8")


@pytest.fixture(scope="module")
def model_args(small_model_path) -> list[str]:
    return ["clean", "--model", str(small_model_path), "--input-format", "text"]


@pytest.fixture()
def tree(tmp_path, seed_text_files) -> Path:
    """A crawl folder: pages at several depths, other files, hidden files."""
    root = tmp_path / "crawl"
    pages = [seed_text_files[i].read_bytes() for i in ("000", "001", "002", "003", "004")]
    layout = {
        "a.txt": pages[0],
        "sub/b.txt": pages[1],
        "sub/deeper/c.txt": pages[2],
        "other/d.txt": pages[3],
        "other/e.md": pages[4],
        "notes.csv": b"x,y\n",
        ".hidden.txt": pages[0],
        ".git/f.txt": pages[0],
    }
    for name, data in layout.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def expected_outputs(root: Path, cleaner, names: list[str]) -> dict[str, str]:
    return {str(Path(name).with_suffix(".txt")): cleaner.clean((root / name).read_bytes(), TEXT) for name in names}


def written(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# -- folders ------------------------------------------------------------------------------------------


def test_a_folder_with_a_glob_is_mirrored(tree, tmp_path, model_args, small_cleaner):
    output = tmp_path / "out"
    result = invoke(*model_args, tree, "--glob", "*.txt", "-o", output)
    assert result.exit_code == 0, result.output
    assert out(result) == ""
    names = ["a.txt", "other/d.txt", "sub/b.txt", "sub/deeper/c.txt"]  # not .md, .csv, nor hidden files
    assert written(output) == expected_outputs(tree, small_cleaner, names)
    # A summary on stderr: pages, MB, lines kept and dropped, pages/s, errors.
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("cleaned 4 pages (") and " MB) from 4 of 4 files " in summary
    assert "pages/s" in summary and "lines kept " in summary and ", dropped " in summary
    assert summary.endswith("; 0 errors")


def test_a_glob_with_a_slash_matches_paths(tree, tmp_path, model_args):
    # Matched against the path inside the folder (fnmatch: * spans "/" too).
    result = invoke(*model_args, tree, "--glob", "sub/deeper/*", "-o", tmp_path / "deeper")
    assert result.exit_code == 0, result.output
    assert sorted(written(tmp_path / "deeper")) == ["sub/deeper/c.txt"]
    result = invoke(*model_args, tree, "--glob", "sub/*", "-o", tmp_path / "sub")
    assert sorted(written(tmp_path / "sub")) == ["sub/b.txt", "sub/deeper/c.txt"]


def test_files_and_folders_together_to_stdout(tree, model_args, small_cleaner):
    result = invoke(*model_args, tree / "other" / "e.md", tree / "sub", "--glob", "*.txt", "--no-summary")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    names = ["other/e.md", "sub/b.txt", "sub/deeper/c.txt"]
    assert out(result) == "\n".join(small_cleaner.clean((tree / name).read_bytes(), TEXT) for name in names)


def test_an_output_folder_inside_the_input_folder_is_not_read(tree, model_args, small_cleaner):
    output = tree / "cleaned"
    for _ in range(2):
        result = invoke(*model_args, tree, "--glob", "*.txt", "-o", output)
        assert result.exit_code == 0, result.output
        assert sorted(written(output)) == ["a.txt", "other/d.txt", "sub/b.txt", "sub/deeper/c.txt"]


def test_an_input_is_never_overwritten(tree, model_args):
    before = {path: path.read_bytes() for path in tree.rglob("*") if path.is_file()}
    result = invoke(*model_args, tree, "--glob", "*.txt", "-o", tree)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "would overwrite this input" in result.stderr
    assert {path: path.read_bytes() for path in tree.rglob("*") if path.is_file()} == before


def test_an_empty_folder(tmp_path, model_args):
    (tmp_path / "empty").mkdir()
    result = invoke(*model_args, tmp_path / "empty")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: {tmp_path / 'empty'}: is a directory with no file to clean (none matches --glob '*')\n"
    )


# -- errors -------------------------------------------------------------------------------------------


def test_a_bad_file_is_reported_and_skipped(tree, tmp_path, model_args, small_cleaner):
    (tree / "sub" / "image.txt").write_bytes(PNG)
    output = tmp_path / "out"
    result = invoke(*model_args, tree, "--glob", "*.txt", "-o", output)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {tree / 'sub' / 'image.txt'}: input is a PNG image, not text or HTML"]
    assert written(output) == expected_outputs(
        tree, small_cleaner, ["a.txt", "other/d.txt", "sub/b.txt", "sub/deeper/c.txt"]
    )
    assert result.stderr.splitlines()[-1].endswith("; 1 error")


@pytest.fixture()
def many_files(tmp_path, seed_text_files) -> Path:
    """A folder of 23 small pages (one empty, one of markup), among them a PNG, an unreadable file and
    a file of invalid UTF-8."""
    root = tmp_path / "many"
    root.mkdir()
    pages = [path.read_bytes() for path in seed_text_files.values()]
    for i in range(20):
        (root / f"p{i:02d}.txt").write_bytes(pages[i % len(pages)][: 2000 + 700 * i])
    (root / "p03.txt").write_bytes(b"")
    (root / "p05.txt").write_bytes(
        b"<html><body><p>Un paragraphe de page web, assez long pour compter.</p></body></html>"
    )
    (root / "p07.txt").write_bytes(PNG)
    (root / "p11.txt").write_bytes(pages[0][:3000] + b"\xff\xfe caf\xe9\n")
    (root / "p20.txt").write_bytes(pages[1])
    (root / "p21.txt").symlink_to(root / "gone.txt")  # cannot be read
    (root / "p22.txt").write_bytes(pages[2])
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_small_files_cleaned_in_groups_give_each_file_its_own_result(
    monkeypatch, many_files, tmp_path, model_args, small_cleaner, jobs
):
    """Small files are classified a group at a time (cleaner.cli.batch.job.FilesTask): the same outputs,
    messages, order and counts as each file cleaned alone."""
    monkeypatch.setattr("cleaner.cli.batch.runner.FILES_PER_TASK", 4)
    monkeypatch.setattr("cleaner.cli.batch.plan.PARALLEL_MIN_BYTES", 0)  # processes even for this small batch
    grouped = invoke(*model_args, many_files, "--glob", "p*", "-o", tmp_path / "grouped", "--jobs", jobs)
    assert grouped.exit_code == 1
    names = [path.name for path in sorted(many_files.iterdir()) if path.exists() and path.name != "p07.txt"]
    expected = {name: small_cleaner.clean((many_files / name).read_bytes(), TEXT) for name in names}
    assert written(tmp_path / "grouped") == expected
    assert expected["p03.txt"] == ""
    messages = grouped.stderr.splitlines()[:-1]
    assert messages == [
        f"error: {many_files / 'p07.txt'}: input is a PNG image, not text or HTML",
        f"warning: {many_files / 'p11.txt'}: bytes that could not be decoded were replaced by U+FFFD",
        f"error: {many_files / 'p21.txt'}: no such file",
    ]
    assert grouped.stderr.splitlines()[-1].startswith("cleaned 21 pages (")
    assert "from 23 of 23 files" in grouped.stderr and grouped.stderr.endswith("; 2 errors\n")
    # To standard output, in order.
    to_stdout = invoke(*model_args, many_files, "--glob", "p*", "--jobs", jobs, "--no-summary")
    assert out(to_stdout) == "\n".join(text for text in expected.values() if text)  # a blank line between pages
    # The lines kept and dropped of each file, cleaned alone.
    kept = grouped.stderr.split("lines kept ")[1].split(";")[0]
    counts = [small_cleaner.article((many_files / name).read_bytes(), TEXT) for name in names]
    assert kept == f"{sum(a.kept for a in counts)}, dropped {sum(a.dropped for a in counts)}"


def test_which_files_are_grouped(monkeypatch, tmp_path):
    monkeypatch.setattr("cleaner.cli.batch.runner.FILES_PER_TASK", 3)
    big = 10 * 1024 * 1024  # cleaned as a stream, alone
    sizes = [10, 10, big, 10, 10, 10, 10]
    sources = [Source(f"{i}.txt", f"{i}.txt", tmp_path / f"{i}.txt", size) for i, size in enumerate(sizes)]

    def shapes(**settings) -> list[object]:
        batch = Batch(sources, Job(None, TEXT, **{k: v for k, v in settings.items() if k != "fail_fast"}),
                      fail_fast=settings.get("fail_fast", False))  # fmt: skip
        return [[f.index for f in t.files] if isinstance(t, FilesTask) else t.index for t in batch.tasks()]

    # In order; a group ends at the size limit and before a file cleaned alone.
    assert shapes() == [[0, 1], 2, [3, 4, 5], [6]]
    assert shapes(fail_fast=True) == shapes(output_format="tsv") == [0, 1, 2, 3, 4, 5, 6]
    assert all(isinstance(t, FileTask) for t in Batch(sources, Job(None, TEXT), fail_fast=True).tasks())


def test_a_bug_in_a_group_names_the_file_that_shows_it(monkeypatch, many_files, tmp_path, model_args, small_cleaner):
    """An unexpected error while a group is classified: its files are cleaned one by one, and only
    the file that shows the bug is reported (as an internal error); the others are written."""
    from cleaner import api

    classify = api.articles

    def buggy(pages, model, options):
        if any("BOOM" in text for page in pages for text in page.texts):
            raise RuntimeError("a bug")
        return classify(pages, model, options)

    monkeypatch.setattr(api, "articles", buggy)
    monkeypatch.setattr("cleaner.cli.batch.runner.FILES_PER_TASK", 4)
    (many_files / "p09.txt").write_bytes(b"BOOM\n")
    result = invoke(*model_args, many_files, "--glob", "p*", "-o", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 1
    assert f"error: {many_files / 'p09.txt'}: internal error: RuntimeError: a bug" in result.stderr.splitlines()
    assert "p09.txt" not in written(tmp_path / "out") and "p08.txt" in written(tmp_path / "out")
    assert "p10.txt" in written(tmp_path / "out") and result.stderr.endswith("; 3 errors\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fail_fast_stops_at_the_first_error(tree, tmp_path, model_args, jobs):
    (tree / "sub" / "a-image.txt").write_bytes(PNG)  # sorted before b.txt
    output = tmp_path / "out"
    result = invoke(*model_args, tree, "--glob", "*.txt", "-o", output, "--fail-fast", "--jobs", jobs)
    assert result.exit_code == 1
    assert sorted(written(output)) == ["a.txt", "other/d.txt"]  # what came before the bad file
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        f"error: {tree / 'sub' / 'a-image.txt'}: input is a PNG image, not text or HTML"
    ]


def test_skip_existing_resumes(tree, tmp_path, model_args, small_cleaner):
    output = tmp_path / "out"
    (output / "sub").mkdir(parents=True)
    (output / "sub" / "b.txt").write_text("done before\n", encoding="utf-8")
    result = invoke(*model_args, tree, "--glob", "*.txt", "-o", output, "--skip-existing")
    assert result.exit_code == 0, result.output
    expected = expected_outputs(tree, small_cleaner, ["a.txt", "other/d.txt", "sub/deeper/c.txt"])
    assert written(output) == {**expected, "sub/b.txt": "done before\n"}
    assert "cleaned 3 pages" in result.stderr and "from 4 of 4 files" in result.stderr
    assert "1 skipped (output exists)" in result.stderr


def test_skip_existing_needs_an_output_folder(tree, model_args):
    result = invoke(*model_args, tree, "--skip-existing")
    assert result.exit_code == 1 and result.stderr == "error: --skip-existing needs --output\n"


# -- processes ----------------------------------------------------------------------------------------


def test_two_processes_write_what_one_writes(tree, tmp_path, model_args):
    (tree / "sub" / "image.txt").write_bytes(PNG)
    runs = {}
    for jobs in ("1", "2"):
        output = tmp_path / f"out{jobs}"
        folder = invoke(*model_args, tree, "--glob", "*.txt", "-o", output, "--jobs", jobs, "--no-summary")
        to_stdout = invoke(*model_args, tree, "--glob", "*.txt", "-f", "jsonl", "--jobs", jobs, "--no-summary")
        runs[jobs] = (written(output), folder.exit_code, folder.stderr, out(to_stdout), to_stdout.stderr)
    assert runs["1"] == runs["2"]
    assert runs["1"][1] == 1 and len(runs["1"][0]) == 4


def test_choose_jobs():
    small = [Source(f"{i}.txt", f"{i}.txt", size=10_000) for i in range(50)]
    large = [Source(f"{i}.txt", f"{i}.txt", size=1_000_000) for i in range(50)]
    assert choose_jobs(None, small[:1], False) == 1  # one small file: no process to start
    assert choose_jobs(None, small, False) == 1  # 500 KB in all: not worth starting processes
    assert choose_jobs(None, large, False) == min(len(os.sched_getaffinity(0)), 50)
    assert choose_jobs(4, small[:2], False) == 2  # never more processes than inputs
    assert choose_jobs(3, large, False) == 3


# -- JSON Lines ---------------------------------------------------------------------------------------


def write_jsonl(path: Path, texts: list[str], bad: dict[int, str] | None = None) -> None:
    lines = [json.dumps({"url": f"https://example.org/{i}", "text": text, "n": i}) for i, text in enumerate(texts)]
    for number, line in sorted((bad or {}).items()):
        lines.insert(number - 1, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_jsonl_records_keep_their_fields_with_the_text_cleaned(tmp_path, seed_pages, model_args, small_cleaner):
    texts = [page.original_text() for page in seed_pages]
    path = tmp_path / "crawl.jsonl"
    write_jsonl(path, texts)
    result = invoke(*model_args, path, "--jsonl-field", "text", "-o", tmp_path / "out", "--jsonl-labels")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in (tmp_path / "out" / "crawl.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(texts)
    for i, (record, text) in enumerate(zip(records, texts)):
        assert list(record) == ["url", "text", "n", "text_labels"]
        assert record["url"] == f"https://example.org/{i}" and record["n"] == i
        assert record["text"] == small_cleaner.clean(text, TEXT)
        assert record["text_labels"] == [r.label for r in small_cleaner.classify(text, TEXT)]
    assert result.stderr.startswith(f"cleaned {len(texts)} pages (")
    # To stdout, without labels.
    result = invoke(*model_args, path, "--jsonl-field", "text", "--no-summary")
    assert result.exit_code == 0 and result.stderr == ""
    assert [json.loads(line)["text"] for line in out(result).splitlines()] == [
        small_cleaner.clean(text, TEXT) for text in texts
    ]
    assert "text_labels" not in out(result)


def test_a_malformed_jsonl_line_is_reported_with_its_number(tmp_path, seed_pages, model_args, small_cleaner):
    texts = [page.original_text() for page in seed_pages[:3]]
    path = tmp_path / "crawl.jsonl"
    write_jsonl(path, texts, bad={2: '{"text": "cut', 4: "[1, 2]", 5: '{"body": "no text field"}'})
    result = invoke(*model_args, path, "--jsonl-field", "text", "-o", tmp_path / "out")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {path}:2: not JSON (Unterminated string starting at)",
        f"error: {path}:4: not a JSON object",
        f"error: {path}:5: no text field 'text'",
    ]
    records = [json.loads(line) for line in (tmp_path / "out" / "crawl.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [record["text"] for record in records] == [small_cleaner.clean(text, TEXT) for text in texts]


def test_jsonl_in_two_processes_and_from_stdin(tmp_path, seed_pages, model_args):
    texts = [page.original_text() for page in seed_pages] * 3
    path = tmp_path / "crawl.jsonl"
    write_jsonl(path, texts, bad={3: "not json"})
    one = invoke(*model_args, path, "--jsonl-field", "text", "--jsonl-labels", "--no-summary")
    two = invoke(*model_args, path, "--jsonl-field", "text", "--jsonl-labels", "--no-summary", "--jobs", "2")
    piped = invoke(*model_args, "-", "--jsonl-field", "text", "--jsonl-labels", "--no-summary", input=path.read_bytes())
    assert out(one) == out(two) and len(out(one).splitlines()) == len(texts)
    assert one.stderr == two.stderr == f"error: {path}:3: not JSON (Expecting value)\n"
    assert out(piped) == out(one) and piped.stderr == "error: -:3: not JSON (Expecting value)\n"


def test_gzipped_jsonl_is_read_as_it_is_decompressed(tmp_path, seed_pages, model_args):
    texts = [page.original_text() for page in seed_pages] * 2
    plain, packed = tmp_path / "crawl.jsonl", tmp_path / "crawl.jsonl.gz"
    write_jsonl(plain, texts)
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    expected = invoke(*model_args, plain, "--jsonl-field", "text", "--no-summary")
    assert expected.exit_code == 0 and len(out(expected).splitlines()) == len(texts)
    for args in ([packed], ["-"]):
        result = invoke(*model_args, *args, "--jsonl-field", "text", "--no-summary", input=packed.read_bytes())
        assert result.exit_code == 0 and result.stderr == ""
        assert out(result) == out(expected)
    # Into a folder: named as the records, not as their compression.
    result = invoke(*model_args, packed, "--jsonl-field", "text", "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert (tmp_path / "out" / "crawl.jsonl").read_text(encoding="utf-8") == out(expected)
    # Cut short: the records before the cut are cleaned, then the damage is reported.
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(plain.read_bytes() * 50)[:-100])
    result = invoke(*model_args, cut, "--jsonl-field", "text", "--no-summary")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {cut}: cannot read: damaged gzip data after line ")
    assert 0 < len(out(result).splitlines()) < 50 * len(texts)


def test_an_empty_name_is_no_file(model_args):
    result = invoke(*model_args, "", "--no-summary")
    assert result.exit_code == 1 and result.stderr == "error: '': no such file\n"


def test_fail_fast_writes_no_record_after_the_first_bad_one(tmp_path, seed_pages, model_args):
    texts = [page.original_text() for page in seed_pages] * 60
    path = tmp_path / "crawl.jsonl"
    write_jsonl(path, texts, bad={151: "not json"})
    for jobs in ("1", "2"):
        result = invoke(*model_args, path, "--jsonl-field", "text", "--fail-fast", "--jobs", jobs, "--no-summary")
        assert result.exit_code == 1
        assert result.stderr == f"error: {path}:151: not JSON (Expecting value)\n"
        assert len(out(result).splitlines()) == 150


def test_jsonl_options_that_do_not_apply(tmp_path, model_args):
    path = tmp_path / "crawl.jsonl"
    write_jsonl(path, ["Un texte.\n"])
    result = invoke(*model_args, path, "--site-max-lines", "5")
    assert result.exit_code == 1 and result.stderr == "error: --site-max-lines needs --site-boilerplate\n"
    result = invoke(*model_args, path, "--jsonl-field", "text", "--labels")
    assert result.exit_code == 1 and "--jsonl-field writes the input's records" in result.stderr
    result = invoke(*model_args, path, "--jsonl-labels")
    assert result.exit_code == 1 and result.stderr == "error: --jsonl-labels needs --jsonl-field\n"
    for output_format in ("json", "markdown"):  # their fields would be left out of the records
        result = invoke(*model_args, path, "--jsonl-field", "text", "--jsonl-labels", "-f", output_format)
        assert result.exit_code == 1 and f"it does not go with --format {output_format}" in result.stderr


def test_the_clean_shortcut_takes_folders(tree, tmp_path, small_model_path):
    result = invoke(
        "--model",
        small_model_path,
        "--input-format",
        "text",
        tree,
        "--glob",
        "*.md",
        "-o",
        tmp_path / "o",
        target=clean_app,
    )
    assert result.exit_code == 0, result.output
    assert sorted(written(tmp_path / "o")) == ["other/e.txt"]


# -- Ctrl-C -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jobs", "stop"),
    [("1", "ctrl-c"), ("2", "ctrl-c"), ("1", "sigterm"), ("2", "sigterm")],
)
def test_ctrl_c_stops_cleanly_and_the_batch_resumes(
    tmp_path, seed_text_files, small_model_path, small_cleaner, jobs, stop
):
    inputs = tmp_path / "in"
    inputs.mkdir()
    pages = [path.read_bytes() for path in seed_text_files.values()]
    for i in range(300):
        (inputs / f"page{i:03d}.txt").write_bytes(pages[i % len(pages)] * 10)
    output = tmp_path / "out"
    command = [*CLEAN, "--model", str(small_model_path), "--input-format", "text", str(inputs), "-o", str(output)]
    process = subprocess.Popen(
        [*command, "--jobs", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (output.exists() and any(output.glob("*.txt"))):
        time.sleep(0.02)
    if stop == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches every process of the group
    else:
        os.kill(process.pid, signal.SIGTERM)  # `kill PID`: the command's process alone
    _, stderr = process.communicate(timeout=60)
    stderr = stderr.decode()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "Error" not in stderr
    lines = stderr.splitlines()
    assert lines[0].startswith("interrupted: ") and lines[0].endswith(" of 300 files done"), stderr
    done = int(lines[0].split()[1])
    assert 0 < done < 300 and len(list(output.iterdir())) == done
    # No half-written output, no temporary file: each output is a whole cleaned page.
    files = sorted(output.iterdir())
    assert all(not path.name.startswith(".") for path in files)
    assert len(files) >= done
    for path in files:
        assert path.read_text(encoding="utf-8") == small_cleaner.clean((inputs / path.name).read_bytes(), TEXT)
    # Resumed (on the first few inputs not done, to keep the test short): what was done is skipped.
    for path in sorted(inputs.iterdir())[len(files) + 3 :]:
        path.unlink()
    resumed = subprocess.run([*command, "--skip-existing", "--jobs", "1"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "cleaned 3 pages" in resumed.stderr and f"{len(files)} skipped (output exists)" in resumed.stderr
    assert sorted(path.name for path in output.iterdir()) == sorted(path.name for path in inputs.iterdir())


@pytest.mark.parametrize("moment", ["after the group", "in the group"])
def test_ctrl_c_counts_every_file_written_by_a_group_in_this_process(
    monkeypatch, tmp_path, seed_text_files, small_model_path, moment
):
    """Ctrl-C at any moment of a group of files cleaned in this process: every file written is counted
    as done, and no other is written. "after the group": Ctrl-C right after the group's last file,
    before its outcomes reach the batch (a window once lost, seen as "0 of 300 files done")."""
    from cleaner.cli.batch import file, runner

    monkeypatch.setattr(runner, "FILES_PER_TASK", 4)
    pages = [path.read_bytes() for path in seed_text_files.values()]
    sources = []
    for i in range(10):
        path = tmp_path / "in" / f"{i}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(pages[i % len(pages)])
        sources.append(Source(str(path), str(path), tmp_path / "out" / f"{i}.txt", path.stat().st_size))
    (tmp_path / "out").mkdir()
    if moment == "after the group":
        # The first block that defers Ctrl-C is the one that settles the first group's outcomes.
        deferred = runner.ctrl_c_deferred
        calls = []

        @contextlib.contextmanager
        def interrupted_first(*args):
            calls.append(args)
            if len(calls) == 1:
                raise KeyboardInterrupt
            with deferred(*args):
                yield

        monkeypatch.setattr(runner, "ctrl_c_deferred", interrupted_first)
        expected = 4
    else:
        write_atomic = file.write_atomic
        written_so_far = []

        def interrupted_at_third(path, text):
            if len(written_so_far) == 2:
                raise KeyboardInterrupt
            written_so_far.append(path)
            return write_atomic(path, text)

        monkeypatch.setattr(file, "write_atomic", interrupted_at_third)
        expected = 2
    batch = Batch(sources, Job(str(small_model_path), Options()))
    with pytest.raises(Interrupted):
        batch.run()
    assert batch.totals.files == expected
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [f"{i}.txt" for i in range(expected)]


def test_standard_input_is_read_by_this_process(tmp_path, seed_text_files, model_args, small_cleaner):
    data = seed_text_files["001"].read_bytes()
    other = seed_text_files["002"]
    result = invoke(*model_args, "-", other, "-o", tmp_path / "out", "--jobs", "2", input=data)
    assert result.exit_code == 0, result.output
    assert written(tmp_path / "out") == {
        "stdin.txt": small_cleaner.clean(data, TEXT),
        "002.txt": small_cleaner.clean(other.read_bytes(), TEXT),
    }


def test_a_closed_standard_output_ends_the_run_quietly(tmp_path, seed_text_files, small_model_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(100):
        (inputs / f"{i:03d}.txt").write_bytes(seed_text_files["003"].read_bytes())
    process = subprocess.Popen(
        [*CLEAN, "--model", str(small_model_path), "--input-format", "text", "--no-summary", str(inputs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout.readline()  # as `clean in/ | head -1`
    process.stdout.close()
    stderr = process.communicate(timeout=60)[1].decode()
    assert process.returncode == 141 and stderr == ""


def test_a_broken_pipe_that_is_not_standard_output_is_an_error(monkeypatch, tree, model_args):
    from cleaner.cli.batch.output import OutputClosed

    def broken(self):
        raise BrokenPipeError(32, "Broken pipe")  # a worker process's pipe, say

    monkeypatch.setattr(Batch, "run", broken)
    result = invoke(*model_args, tree, "--no-summary")
    assert result.exit_code == 1 and result.stderr == "error: the batch stopped: [Errno 32] Broken pipe\n"

    def closed(self):
        raise OutputClosed(32, "Broken pipe")

    monkeypatch.setattr(Batch, "run", closed)
    result = invoke(*model_args, tree, "--no-summary")
    assert result.exit_code == 141 and result.stderr == ""
