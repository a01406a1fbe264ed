"""Never crash, never touch the input: ``clean FILE`` over the matrix of bad inputs of
tests/test_robustness.py, in-process and in a real process; outputs written whole or not at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_robustness import ARTICLE, CASES, DEEP
from test_robustness_files import leftovers
from typer.testing import CliRunner

import cleaner
from cleaner.api import default_cleaner
from cleaner.cli import clean_app

runner = CliRunner()


# -- the command line ------------------------------------------------------------------------------


def run_cli(path: Path, *args: str):
    """``clean [ARGS] FILE`` in-process; the input file must come out untouched."""
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = runner.invoke(clean_app, [*args, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before, "the input file was modified"
    return result


@pytest.mark.parametrize("name", CASES)
def test_command_line(name, tmp_path):
    case = CASES[name]
    path = tmp_path / f"page-{name}.bin"
    path.write_bytes(case.data)
    result = run_cli(path)
    stderr_lines = result.stderr.splitlines()
    if case.binary:
        assert result.exit_code == 1
        assert result.stdout_bytes == b""
        assert len(stderr_lines) == 1 and stderr_lines[0].startswith(f"error: {path}: "), result.stderr
        assert "Traceback" not in result.stderr
        return
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.decode("utf-8") == cleaner.clean(case.data)
    if default_cleaner().process(case.data).replaced:
        assert stderr_lines == [f"warning: {path}: bytes that could not be decoded were replaced by U+FFFD"]
    else:
        assert result.stderr == ""


@pytest.mark.parametrize("name", ["lf", "crlf", "bom-utf16-le", "latin1-html-meta-charset", "png", "html-only-scripts"])
def test_command_line_writes_outputs_and_keeps_the_input(name, tmp_path):
    case = CASES[name]
    path = tmp_path / f"{name}.page"
    path.write_bytes(case.data)
    result = run_cli(path, "-o", str(tmp_path / "out"), "--format", "jsonl")
    written = sorted(p.name for p in (tmp_path / "out").iterdir()) if (tmp_path / "out").exists() else []
    if case.binary:
        assert result.exit_code == 1 and written == []
    else:
        assert result.exit_code == 0 and written == [f"{name}.jsonl"]
        records = [json.loads(line) for line in (tmp_path / "out" / f"{name}.jsonl").read_text("utf-8").splitlines()]
        assert [r["text"] for r in records] == [r.text for r in cleaner.classify(case.data)]
    assert not list(tmp_path.rglob("*.tmp")), "no temporary file left behind"


def test_command_line_10_mb_line(tmp_path, ten_mb_line):
    path = tmp_path / "huge.txt"
    path.write_bytes(ten_mb_line)
    result = run_cli(path)
    assert (result.exit_code, result.stderr) == (0, "")
    # Read as a stream, a line longer than Bounds.longest_line is cut into lines of that length.
    assert result.stdout_bytes.replace(b"\n", b"") in (b"", ten_mb_line.rstrip(b"\n"))


@pytest.mark.slow
def test_command_line_many_lines(tmp_path, many_lines):
    path = tmp_path / "long.txt"
    path.write_bytes(many_lines)
    result = run_cli(path)
    assert (result.exit_code, result.stderr) == (0, "")
    kept = [line for line in result.stdout_bytes.decode("utf-8").splitlines() if line]
    assert set(kept) <= set(many_lines.decode("utf-8").splitlines())


SUBPROCESS_CASES = ["empty", "crlf", "utf16-le-no-bom", "png", f"html-nested-{DEEP}", "all-boilerplate"]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_clean_command_in_a_real_process(name, tmp_path):
    """The installed entry point, in its own process: exit status, one error line, no traceback."""
    case = CASES[name]
    path = tmp_path / f"{name}.page"
    path.write_bytes(case.data)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    process = subprocess.run(
        [sys.executable, "-c", "from cleaner.cli import clean_main; clean_main()", str(path)],
        capture_output=True,
        timeout=120,
    )
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    stderr = process.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    if case.binary:
        assert process.returncode == 1 and process.stdout == b""
        assert stderr.count("\n") == 1 and stderr.startswith(f"error: {path}: ")
    else:
        assert (process.returncode, stderr) == (0, "")
        assert process.stdout.decode("utf-8") == cleaner.clean(case.data)


def test_missing_model_is_one_error_line(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    model = tmp_path / "model.json"
    model.write_text('{"format": "cleaner-model", "schema_version": 999}', encoding="utf-8")
    for target, message in ((tmp_path / "missing.json", "no such model file"), (model, "made by a newer cleaner")):
        result = run_cli(page, "--model", str(target))
        assert result.exit_code == 1 and result.stdout_bytes == b""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.stderr


def test_command_line_output_write_failure(tmp_path, monkeypatch):
    """-o: a failed write leaves no partial output and no temporary file, and says so on one line."""
    page = tmp_path / "page.txt"
    page.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    result = run_cli(page, "-o", str(out))
    monkeypatch.undo()
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "No space left on device" in lines[0]
    assert leftovers(out) == []
