"""Streaming: a text of any length cleaned with bounded memory, a segment at a time (cleaner.stream)."""

from __future__ import annotations

import codecs
import io
import random
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, Options
from cleaner.cli import app
from cleaner.errors import BinaryInputError
from cleaner.read.decode import decode_text
from cleaner.read.lines import split_lines
from cleaner.render import Renderer
from cleaner.render import render_results as render
from cleaner.stream import (
    WHOLE_PAGE,
    Bounds,
    article_byte_stream,
    classify_byte_stream,
    classify_text_stream,
    clean_byte_stream,
    clean_text_stream,
    iter_segments,
    split_items,
)

TEXT = Options(input_format="text")
CLEAN = [sys.executable, "-c", "from cleaner.cli import clean_main; clean_main()"]


def variants(text: str) -> list[str]:
    """A page as scrapers deliver it: LF, CRLF, CR, no final newline, a BOM, blank lines at the end."""
    return [
        text,
        text.replace("\n", "\r\n"),
        text.replace("\n", "\r"),
        text.rstrip("\n"),
        "\ufeff" + text,
        text + "\n\n \n",
    ]


def generated_text(size: int, seed: int = 7) -> str:
    """Deterministic text of about ``size`` characters: paragraphs (mostly long), menus, blank lines,
    and stretches without any blank line."""
    rng = random.Random(seed)
    words = "the of and a to in is was for on that with as by at from his her which an be this are it not".split()
    lines: list[str] = []
    total = 0
    while total < size:
        kind = rng.random()
        if kind < 0.6:
            sentences = (
                " ".join(rng.choice(words) for _ in range(rng.randint(6, 18))).capitalize() + rng.choice(".!?")
                for _ in range(rng.randint(3, 25))
            )
            line = " ".join(sentences)
        elif kind < 0.9:
            line = " | ".join(rng.choice(words).title() for _ in range(rng.randint(1, 6)))
        else:
            line = f"© {rng.randint(1990, 2024)} Site — Contact — Privacy"
        lines.append(line)
        total += len(line) + 1
        if rng.random() < 0.4:
            lines.append("")
            total += 1
    return "\n".join(lines) + "\n"


# -- small inputs: exactly Cleaner.clean ----------------------------------------------------------


def test_a_small_input_is_cleaned_as_one_page(seed_pages, small_cleaner):
    for page in seed_pages:
        for text in variants(page.original_text()):
            expected = small_cleaner.clean(text, TEXT)
            assert "".join(small_cleaner.clean_stream(io.StringIO(text, newline=""), TEXT)) == expected
            assert "".join(clean_text_stream(small_cleaner.models, text.splitlines(keepends=True), TEXT)) == expected
            assert "".join(clean_byte_stream(small_cleaner.models, io.BytesIO(text.encode()), TEXT)) == expected
            streamed = classify_byte_stream(small_cleaner.models, io.BytesIO(text.encode()), TEXT)
            assert [r for segment in streamed.results for r in segment] == small_cleaner.classify(text.encode(), TEXT)
            assert not streamed.streamed


def test_empty_and_blank_inputs(small_cleaner):
    for text in ("", "\n", "\n \n\t\n"):
        assert "".join(small_cleaner.clean_stream([text], TEXT)) == small_cleaner.clean(text, TEXT) == ""
        assert "".join(clean_byte_stream(small_cleaner.models, io.BytesIO(text.encode()), TEXT)) == ""


def test_items_are_lines(small_cleaner, seed_pages):
    text = seed_pages[0].original_text()
    lines = text.split("\n")[:-1]
    assert list(split_items(lines)) == lines
    assert list(split_items(line + "\r\n" for line in lines)) == lines
    assert list(split_items(["a\nb\r\nc\rd\n"])) == ["a", "b", "c", "d"]
    assert "".join(small_cleaner.clean_stream(lines, TEXT)) == small_cleaner.clean(text, TEXT)


def test_html_is_read_whole(small_cleaner):
    html = "<html><body><nav><a href='/'>Home</a></nav>" + "<p>Un paragraphe, assez long pour un vrai texte.</p>" * 200
    html += "</body></html>"
    tight = Bounds(whole_page=1000, segment_lines=5, segment_chars=100, hard_lines=10, hard_chars=1000)
    assert len(html) > tight.whole_page
    expected = small_cleaner.clean(html)
    assert "".join(clean_byte_stream(small_cleaner.models, io.BytesIO(html.encode()), Options(), tight)) == expected
    page = classify_text_stream(small_cleaner.models, html.splitlines(keepends=True), Options(), tight)
    assert page.input_format == "html" and not page.streamed
    assert render([r for segment in page.results for r in segment]) == expected


def test_html_larger_than_the_bound_is_refused(small_cleaner):
    """HTML is read whole, so an endless (or huge) HTML stream is refused past largest_html, not read
    into memory until it runs out."""
    from cleaner.errors import InputError

    html = ("<html><body>" + "<p>Un paragraphe, assez long pour un vrai texte.</p>" * 100).encode()
    fits = Bounds(whole_page=1000, largest_html=len(html))
    assert "".join(clean_byte_stream(small_cleaner.models, io.BytesIO(html), Options(), fits)) == small_cleaner.clean(
        html
    )
    too_small = Bounds(whole_page=1000, largest_html=len(html) - 1)
    with pytest.raises(InputError, match="HTML page over"):
        classify_byte_stream(small_cleaner.models, io.BytesIO(html), Options(), too_small)


# -- segments ---------------------------------------------------------------------------------------


def test_segments_end_at_blank_lines_past_the_soft_bound():
    from cleaner.records import Line

    bounds = Bounds(whole_page=10, segment_lines=3, segment_chars=10_000, hard_lines=6, hard_chars=10_000)
    texts = ["a", "b", "c", "d", "", "e", "f", "g", "h", "i", "j", "k", "", "l"]
    lines = [Line(n, t) for n, t in enumerate(texts, start=1)]
    segments = list(iter_segments(lines, bounds))
    assert [[line.text for line in segment] for segment in segments] == [
        ["a", "b", "c", "d", ""],  # past 3 lines, cut after the next blank line
        ["e", "f", "g", "h", "i", "j"],  # no blank line: cut at the hard bound
        ["k", "", "l"],
    ]
    assert [line for segment in segments for line in segment] == lines
    # By size: a segment holding more than segment_chars ends at the next blank line.
    bounds = Bounds(whole_page=10, segment_lines=100, segment_chars=10, hard_lines=100, hard_chars=40)
    texts = ["x" * 8, "y" * 8, "", "z" * 30, "w" * 30, ""]
    segments = list(iter_segments([Line(n, t) for n, t in enumerate(texts, start=1)], bounds))
    assert [[line.text[:1] for line in segment] for segment in segments] == [["x", "y", ""], ["z"], ["w", ""]]


def test_a_long_line_is_never_split():
    from cleaner.records import Line

    bounds = Bounds(whole_page=10, segment_lines=2, segment_chars=10, hard_lines=4, hard_chars=20)
    lines = [Line(1, "short"), Line(2, "x" * 100), Line(3, "end")]
    assert [[line.number for line in segment] for segment in iter_segments(lines, bounds)] == [[1], [2], [3]]


def test_renderer_matches_render_across_segments(small_cleaner, seed_pages):
    results = small_cleaner.classify(seed_pages[2].original_text(), TEXT)
    for cut in (1, 3, 7, len(results) // 2):
        renderer = Renderer()
        pieces = [renderer.render_results(results[i : i + cut]) for i in range(0, len(results), cut)]
        assert "".join(pieces) == render(results)


def test_a_20_mb_text_is_its_segments_cleaned_independently():
    cleaner = Cleaner.load()
    text = generated_text(20_000_000)
    data = text.encode("utf-8")
    assert len(data) > 4 * WHOLE_PAGE
    page = classify_byte_stream(cleaner.models, io.BytesIO(data), TEXT, probabilities=False)
    segments = list(page.results)
    assert page.streamed and len(segments) > 10
    results = [r for segment in segments for r in segment]
    # Every line once, in order, numbered as in the whole text.
    assert [(r.number, r.text) for r in results] == list(enumerate(split_lines(text), start=1))
    bounds = Bounds()
    for segment in segments[:-1]:
        chars = sum(len(r.text) + 1 for r in segment)
        assert len(segment) <= bounds.hard_lines and chars <= bounds.hard_chars
        if not segment[-1].text.strip():
            assert len(segment) >= bounds.segment_lines or chars >= bounds.segment_chars
    # A segment is a page: cleaned on its own (numbered from 1), it gets the same decisions.
    for index in sorted({0, 1, len(segments) // 2, len(segments) - 1}):
        segment = segments[index]
        alone = cleaner.classify("\n".join(r.text for r in segment) + "\n", TEXT)
        offset = segment[0].number - 1
        assert [(r.number + offset, r.label, r.kept) for r in alone] == [(r.number, r.label, r.kept) for r in segment]
    # The streamed text is the rendering of the whole.
    renderer = Renderer()
    assert "".join(renderer.render_results(segment) for segment in segments) == render(results)


@pytest.mark.parametrize("seed", range(3))
def test_the_article_stream_is_the_classified_stream_rendered(small_cleaner, seed_pages, seed):
    """article_byte_stream (and clean_*_stream) read no result objects: the same text, segment by
    segment, and the same counts as classifying the stream."""
    rng = random.Random(seed)
    tight = Bounds(whole_page=200, segment_lines=4, segment_chars=300, hard_lines=9, hard_chars=2000)
    inputs = [page.original_text().encode() for page in seed_pages]
    inputs += [generated_text(30_000).encode(), random_bytes(rng) * 3, b"\xef\xbb\xbf" + random_bytes(rng) * 4]
    inputs += ["<html><body><p>Un paragraphe assez long pour \u00eatre un texte, avec des mots.</p>".encode() * 20]
    for data in inputs:
        for bounds in (tight, Bounds()):
            classified = classify_byte_stream(
                small_cleaner.models, io.BytesIO(data), Options(), bounds, probabilities=False
            )
            segments = list(classified.results)
            streamed = article_byte_stream(small_cleaner.models, io.BytesIO(data), Options(), bounds)
            pieces = list(streamed.pieces)
            renderer = Renderer()
            assert [piece.text for piece in pieces] == [renderer.render_results(segment) for segment in segments]
            assert [piece.kept for piece in pieces] == [sum(r.kept for r in segment) for segment in segments]
            dropped = [sum(not r.kept and r.label != "-" for r in segment) for segment in segments]
            assert [piece.dropped for piece in pieces] == dropped
            assert (streamed.streamed, streamed.replaced) == (classified.streamed, classified.replaced)
            text = decode_text(data).text  # bytes that are not UTF-8 are read in the encoding guessed
            joined = "".join(clean_text_stream(small_cleaner.models, text.splitlines(keepends=True), Options(), bounds))
            assert joined == "".join(piece.text for piece in pieces)


# -- decoding a byte stream ---------------------------------------------------------------------------


def random_bytes(rng: random.Random) -> bytes:
    alphabet = [b"a", b"b", b" ", b"\n", b"\r", b"\r\n", "é".encode(), "€".encode(), b"\xff", b"\x80", b"\xc3"]
    data = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
    prefix = rng.choice([b"", b"", codecs.BOM_UTF8])
    return prefix + data


@pytest.mark.parametrize("seed", range(5))
def test_byte_stream_lines_are_decode_text_lines(small_cleaner, seed):
    rng = random.Random(seed)
    tight = Bounds(whole_page=16, segment_lines=3, segment_chars=40, hard_lines=5, hard_chars=80)
    for _ in range(40):
        data = random_bytes(rng)
        expected = decode_text(data)
        page = classify_byte_stream(small_cleaner.models, io.BytesIO(data), TEXT, tight)
        lines = [(r.number, r.text) for segment in page.results for r in segment]
        assert lines == list(enumerate(split_lines(expected.text), start=1)), data
        assert page.replaced == expected.replaced, data


class _Chunked(io.RawIOBase):
    """A byte stream that hands out its data a few bytes at a time (CRLFs and lines straddle reads)."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.at = data, size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        piece = self.data[self.at : self.at + min(self.size, len(buffer))]
        buffer[: len(piece)] = piece
        self.at += len(piece)
        return len(piece)


def test_a_line_longer_than_the_longest_is_cut():
    """A stream without line breaks is cleaned in bounded memory: its lines are cut at longest_line."""
    bounds = Bounds(whole_page=8, segment_lines=2, segment_chars=10, hard_lines=4, hard_chars=20, longest_line=7)
    data = b"abcdefghijklmnop\r\nxy\rshort\n" + b"z" * 15
    for size in (1, 2, 3, 5, 1024):
        page = classify_byte_stream(Cleaner.load().models, io.BufferedReader(_Chunked(data, size)), TEXT, bounds)
        lines = [(r.number, r.text) for segment in page.results for r in segment]
        assert lines == [
            (1, "abcdefg"), (2, "hijklmn"), (3, "op"), (4, "xy"), (5, "short"), (6, "zzzzzzz"), (7, "zzzzzzz"), (8, "z")
        ], size  # fmt: skip


def test_an_endless_stream_without_line_breaks_is_cut(tmp_path, small_model_path):
    """`yes | tr -d '\\n' | clean` must not grow without bound: 64 MB without a newline, cleaned as
    lines of 4 Mi characters (the default longest_line) in a few hundred MB."""
    script = "import sys\nblock = b'mot ' * 262144\nfor _ in range(64):\n    sys.stdout.buffer.write(block)\n"
    measure = (
        "import resource, subprocess, sys\n"
        "producer = subprocess.Popen([sys.executable, '-c', sys.argv[1]], stdout=subprocess.PIPE)\n"
        "done = subprocess.run(sys.argv[2:], stdin=producer.stdout, capture_output=True)\n"
        "producer.stdout.close(); producer.wait()\n"
        "lines = done.stdout.split(b'\\n')\n"
        "print(done.returncode, max(map(len, lines)), len(done.stdout),"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
    )
    command = [*CLEAN, "--model", str(small_model_path), "--input-format", "text", "-"]
    result = subprocess.run(
        [sys.executable, "-c", measure, script, *command], capture_output=True, text=True, timeout=300
    )
    code, longest, size, peak_mb = map(int, result.stdout.split())
    assert code == 0, result.stderr
    assert longest <= 4 * 1024 * 1024 and size > 0
    assert peak_mb < 1000, f"peak RSS {peak_mb} MB"  # about 250 MB; without the cut, 2 GB and growing


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_byte_stream_in_utf16_and_utf32(small_cleaner, seed_pages, encoding):
    text = seed_pages[1].original_text() * 3
    tight = Bounds(whole_page=1000, segment_lines=10, segment_chars=2000, hard_lines=40, hard_chars=8000)
    for bom in (True, False):
        if not bom and encoding.startswith("utf-32"):
            continue
        data = (
            codecs.BOM_UTF16_LE
            if encoding == "utf-16-le"
            else codecs.BOM_UTF16_BE
            if encoding == "utf-16-be"
            else codecs.BOM_UTF32_LE
        ) * bom + text.encode(encoding)
        page = classify_byte_stream(small_cleaner.models, io.BytesIO(data), TEXT, tight)
        assert page.streamed
        lines = [r.text for segment in page.results for r in segment]
        assert lines == split_lines(decode_text(data).text)


def test_binary_data_is_refused_before_any_result(small_cleaner):
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100
    with pytest.raises(BinaryInputError, match="PNG"):
        classify_byte_stream(small_cleaner.models, io.BytesIO(data), TEXT, Bounds(whole_page=100))


# -- the command line ---------------------------------------------------------------------------------


def test_a_large_file_is_streamed_by_the_command_line(tmp_path, small_model_path, small_cleaner):
    text = generated_text(WHOLE_PAGE + 500_000, seed=3)
    path = tmp_path / "large.txt"
    path.write_text(text, encoding="utf-8")
    expected = "".join(clean_byte_stream(small_cleaner.models, io.BytesIO(text.encode()), TEXT))
    result = CliRunner().invoke(app, ["clean", "--model", str(small_model_path), "--input-format", "text", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode() == expected and expected
    result = CliRunner().invoke(
        app,
        ["clean", "--model", str(small_model_path), "--input-format", "text", "-o", str(tmp_path / "out"), str(path)],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "large.txt").read_text(encoding="utf-8") == expected


def test_output_starts_before_the_input_ends(tmp_path, small_model_path):
    """`clean -` on a pipe: the first lines come out while the writer still holds the pipe open."""
    data = generated_text(WHOLE_PAGE + 300_000, seed=5).encode("utf-8")
    process = subprocess.Popen(
        [*CLEAN, "--model", str(small_model_path), "--input-format", "text", "--format", "tsv", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first: list[bytes] = []
    arrived = threading.Event()

    def read() -> None:
        first.append(process.stdout.readline())
        arrived.set()
        first.append(process.stdout.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        process.stdin.write(data)
        process.stdin.flush()
        # The input is not over: the pipe stays open until the first output line arrives.
        assert arrived.wait(timeout=60), "no output while the input was still open"
        assert first[0].startswith(b"1\t")
        time.sleep(0.1)
        assert process.poll() is None, "the command ended before its input did"
    finally:
        process.stdin.close()
    assert process.wait(timeout=120) == 0, process.stderr.read().decode()
    reader.join(timeout=10)
    rows = (first[0] + first[1]).decode("utf-8").split("\n")[:-1]
    assert len(rows) == len(split_lines(data.decode("utf-8")))
