"""The command line's edges: JSON Lines records holding what UTF-8 cannot write, standard input
closed, usage errors, and the temporary files of a killed run whose workers are not yet reaped."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cleaner.cli.batch.format import json_line
from cleaner.files import _alive

PARAGRAPH = "Un paragraphe assez long pour rester dans le texte, avec des mots."


def test_a_record_with_a_lone_surrogate_is_still_valid_json():
    line = json_line({"text": PARAGRAPH, "title": "\ud800", "file": "bad\udcffname.html"})
    assert line.encode("utf-8") and json.loads(line)["title"] == "\ud800"
    assert json_line({"text": "déjà"}) == '{"text": "déjà"}\n'  # UTF-8 as it is otherwise


def test_jsonl_field_keeps_records_with_a_lone_surrogate_elsewhere(tmp_path):
    source = tmp_path / "pages.jsonl"
    source.write_text(json.dumps({"html": f"<p>{PARAGRAPH}</p>", "title": "\ud800"}) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--jsonl-field", "html", str(source)], capture_output=True
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == "\ud800" and PARAGRAPH in record["html"]


@pytest.mark.parametrize("args", [["-t", "1.5", "x"], ["--bogus", "x"], ["--jobs", "0", "x"], []])
def test_a_usage_error_is_one_line_and_exit_code_2(args):
    result = subprocess.run([sys.executable, "-m", "cleaner", "clean", *args], capture_output=True, text=True)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.endswith("(see cleaner clean --help)\n")
    assert result.stderr.count("\n") == 1


def test_a_command_line_without_arguments_shows_the_help():
    result = subprocess.run([sys.executable, "-m", "cleaner"], capture_output=True, text=True)
    assert "Usage: cleaner" in result.stdout and "clean" in result.stdout


def test_closed_standard_input_is_one_error_line(tmp_path):
    for args in (["-"], ["--jsonl-field", "html", "-"]):
        result = subprocess.run(
            [sys.executable, "-m", "cleaner", "clean", *args], stdin=subprocess.DEVNULL, capture_output=True, text=True
        )
        assert result.returncode == 0  # an empty input is not an error
        closed = subprocess.run(  # started with standard input closed, as `clean - <&-`
            [sys.executable, "-m", "cleaner", "clean", *args],
            capture_output=True,
            text=True,
            preexec_fn=lambda: os.close(0),
        )
        assert closed.returncode == 1 and closed.stderr == "error: -: standard input is closed\n", closed.stderr


def test_an_unreaped_process_is_not_alive():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    while True:  # ended, not reaped: a zombie
        with open(f"/proc/{child.pid}/stat") as handle:
            if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                break
    assert not _alive(child.pid)
    child.wait()
    assert not _alive(child.pid) and _alive(os.getpid())


def test_jsonl_field_writes_the_other_fields_numbers_as_they_were(tmp_path):
    source = tmp_path / "pages.jsonl"
    numbers = (
        '"n": 1e400, "m": -1e999, "f": 1.00000000000000001, "h": 1.50, "i": 12345678901234567890, "j": [0.1, 2e-5]'
    )
    source.write_text('{"html": "<p>' + PARAGRAPH + '</p>", ' + numbers + "}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "--jsonl-field", "html", str(source)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(numbers + "}\n")  # not Infinity (no JSON), nor 1.0 for 1.00000000000000001
