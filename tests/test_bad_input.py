"""Inputs a scraper really produces: empty pages, odd line endings, bad bytes, binaries, huge lines."""

from __future__ import annotations

import codecs
import multiprocessing
import os

import pytest
from typer.testing import CliRunner

from cleaner import Options
from cleaner.cli import app
from cleaner.errors import BinaryInputError, InputError
from cleaner.files import read_input
from cleaner.read.decode import decode_text
from cleaner.read.lines import split_lines
from cleaner.records import Line
from cleaner.stream import WHOLE_PAGE

TEXT = Options(input_format="text")
runner = CliRunner()
PAGE = "Titre de l'article\n\nUn premier paragraphe, assez long pour être un vrai texte d'article.\nAccueil | Sport\n"


def run_clean(model_path, *args, input=None):
    arguments = ["clean", "--model", str(model_path), "--input-format", "text", *map(str, args)]
    result = runner.invoke(app, arguments, input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def stdout(result) -> str:
    return result.stdout_bytes.decode("utf-8")


# -- empty and blank ---------------------------------------------------------------------------


def test_empty_file(tmp_path, small_cleaner, small_model_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert small_cleaner.classify(b"", TEXT) == []
    result = run_clean(small_model_path, path)
    assert (result.exit_code, stdout(result), result.stderr) == (0, "", "")


def test_file_of_blank_lines(tmp_path, small_cleaner, small_model_path):
    data = b"\n\n   \n\t\n\r\n"
    results = small_cleaner.classify(data, TEXT)
    assert [(r.label, r.kept) for r in results] == [("-", False)] * 5
    path = tmp_path / "blank.txt"
    path.write_bytes(data)
    result = run_clean(small_model_path, path)
    assert (result.exit_code, stdout(result), result.stderr) == (0, "", "")


# -- line endings and BOM ----------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_endings(newline, small_cleaner, small_model_path, seeds_by_id, tmp_path):
    text = seeds_by_id["002"].original_text()
    converted = text.replace("\n", newline)
    expected = small_cleaner.classify(text, TEXT)
    assert small_cleaner.classify(converted, TEXT) == expected
    assert small_cleaner.classify(converted.encode("utf-8"), TEXT) == expected
    assert all("\r" not in r.text for r in expected)
    path = tmp_path / "page.txt"
    path.write_bytes(converted.encode("utf-8"))
    result = run_clean(small_model_path, path)
    assert result.exit_code == 0
    assert stdout(result) == small_cleaner.clean(text, TEXT)


def test_mixed_line_endings():
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert split_lines("a\r\n\r\nb") == ["a", "", "b"]


def test_utf8_bom(small_cleaner, small_model_path, tmp_path):
    data = PAGE.encode("utf-8")
    with_bom = codecs.BOM_UTF8 + data
    assert small_cleaner.classify(with_bom, TEXT) == small_cleaner.classify(data, TEXT)
    assert small_cleaner.classify("\ufeff" + PAGE, TEXT) == small_cleaner.classify(PAGE, TEXT)
    assert small_cleaner.classify(with_bom, TEXT)[0].text == "Titre de l'article"
    path = tmp_path / "bom.txt"
    path.write_bytes(with_bom)
    result = run_clean(small_model_path, path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert stdout(result) == small_cleaner.clean(data, TEXT)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_bom(encoding):
    decoded = decode_text(PAGE.encode(encoding))
    assert decoded.text == PAGE and not decoded.replaced


# -- invalid bytes ---------------------------------------------------------------------------------


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path, small_cleaner, small_model_path):
    # UTF-8 with a few broken bytes (bytes that read better in a legacy encoding are read in it).
    data = "Un paragraphe déjà écrit, un octet cassé : ".encode() + b"\xff\xfe fin.\nAutre ligne \xe9t\xe9.\n"
    decoded = decode_text(data)
    assert decoded.replaced and decoded.text.count("\ufffd") == 4
    path = tmp_path / "latin.txt"
    path.write_bytes(data)
    result = run_clean(small_model_path, "--threshold", "0", path)
    assert result.exit_code == 0
    assert result.stderr == f"warning: {path}: bytes that could not be decoded were replaced by U+FFFD\n"
    assert stdout(result) == decoded.text


def test_a_real_replacement_character_is_not_a_warning(tmp_path, small_model_path):
    path = tmp_path / "ok.txt"
    path.write_bytes("Le texte contient déjà \ufffd, légitimement.\n".encode("utf-8"))
    assert not decode_text(path.read_bytes()).replaced
    bom = decode_text(codecs.BOM_UTF8 + path.read_bytes())
    assert not bom.replaced, "a BOM does not change how replaced bytes are detected"
    result = run_clean(small_model_path, path)
    assert (result.exit_code, result.stderr) == (0, "")


# -- binary, missing, directory --------------------------------------------------------------------

BINARIES = {
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "a PNG image"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
    "gzip": (b"\x1f\x8b\x08\x00" + bytes(50), "gzip-compressed data"),
    "zip": (b"PK\x03\x04" + bytes(50), "a ZIP archive"),
    "nul": (b"text\x00with\x00many\x00nuls\x00" * 10, "binary data (NUL bytes)"),
}


@pytest.mark.parametrize("kind", BINARIES)
def test_binary_input(kind, tmp_path, small_cleaner, small_model_path):
    data, description = BINARIES[kind]
    with pytest.raises(BinaryInputError, match=description.replace("(", r"\(").replace(")", r"\)")):
        decode_text(data)
    with pytest.raises(InputError):
        small_cleaner.classify(data, TEXT)
    path = tmp_path / f"file.{kind}"
    path.write_bytes(data)
    result = run_clean(small_model_path, path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}: input is {description}")
    assert result.stderr.count("\n") == 1 and stdout(result) == ""


def test_every_binary_signature_is_recognised():
    from cleaner.read.sniff import BINARY_SIGNATURES, signature_kind

    for magic, kind in BINARY_SIGNATURES:
        assert signature_kind(magic + bytes(16)) == kind
        assert signature_kind(b" " + magic) is None
    assert signature_kind(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "a RIFF media file"
    assert signature_kind(b"RIFF\x00\x00\x00\x00TEXT") is None
    assert signature_kind(b"BZh91AY&SY" + bytes(8)) == "bzip2-compressed data"
    assert signature_kind(b"BZh is not bzip2") is None
    assert signature_kind(b"<html>") is None and signature_kind(b"") is None


def test_missing_file_and_directory(tmp_path, small_model_path):
    with pytest.raises(InputError, match="no such file"):
        read_input(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_input(tmp_path)
    # A folder is walked for files to clean (see tests/test_batch.py); an empty one is an error.
    for target, message in ((tmp_path / "missing.txt", "no such file\n"), (tmp_path, "is a directory with no file")):
        result = run_clean(small_model_path, target)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: {target}: {message}") and result.stderr.count("\n") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path, small_model_path):
    path = tmp_path / "secret.txt"
    path.write_text("secret", encoding="utf-8")
    path.chmod(0)
    result = run_clean(small_model_path, path)
    assert result.exit_code == 1 and result.stderr == f"error: {path}: permission denied\n"


# -- huge lines ----------------------------------------------------------------------------------


def test_a_single_line_of_10_mb(tmp_path, small_cleaner, small_model_path):
    line = "x" * (10 * 1024 * 1024)
    path = tmp_path / "huge.txt"
    path.write_bytes(line.encode("ascii") + b"\n")
    result = run_clean(small_model_path, "--format", "tsv", path)
    assert (result.exit_code, result.stderr) == (0, "")
    # A file over 4 MiB is streamed, and a streamed line is at most 4 Mi characters (the stream's
    # memory stays bounded even without line breaks): the line comes out in pieces, every character kept.
    rows = [row.split("\t") for row in stdout(result).splitlines()]
    assert [row[0] for row in rows] == ["1", "2", "3"]
    assert "".join(row[4] for row in rows) == line and max(len(row[4]) for row in rows) == WHOLE_PAGE
    assert all(row[1] in ("keep", "drop") and 0 <= float(row[3]) <= 1 for row in rows)


def _features_of_one_line(text: str) -> None:
    from cleaner.features.transformers import LineFeatures

    LineFeatures().fit([]).transform([Line(1, text)])


def test_a_long_dotted_token_line_finishes_quickly():
    _features_of_one_line("warm up")  # the code-point table is built once, before the clock starts
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_features_of_one_line, args=("a." * 100_000,))
    process.start()
    process.join(timeout=3)
    finished = not process.is_alive()
    if not finished:
        process.kill()
        process.join()
    assert finished and process.exitcode == 0, "features of a 200 KB line took more than 3 s"


# -- the input is never modified ---------------------------------------------------------------------


def test_input_file_is_never_modified(seed_text_files, small_model_path, tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(seed_text_files["003"].read_bytes().replace(b"\n", b"\r\n"))
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    runs = [
        ["clean", path],
        ["clean", "--labels", "--explain", path],
        ["clean", "-o", tmp_path / "out", path],
        ["clean", "-o", tmp_path, path],  # refused: the output would be the input itself
        ["annotate", path],
    ]
    for args in runs:
        runner.invoke(app, [str(a) for a in args[:1]] + ["--model", str(small_model_path)] + [str(a) for a in args[1:]])
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before, args
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "page.txt"]


# -- binary data without a signature -------------------------------------------------------------


def test_control_bytes_tell_binary_data_from_text():
    """Random, encrypted or compressed bytes have no signature and few NULs, but about 9% of their bytes
    are control characters that text never uses; text with a stray few is still text."""
    import random

    from cleaner.read.sniff import binary_kind

    assert binary_kind(random.Random(1).randbytes(65536)) == "binary data (control bytes)"
    assert binary_kind(bytes(range(1, 32)) * 10) == "binary data (control bytes)"
    texts = [
        "Un café crème à l'été, s'il vous plaît.\n".encode("cp1252") * 500,
        b"\x1b[31mERROR\x1b[0m disk full\r\n\x0c" * 500,  # terminal colours, CRLF, form feeds
        ("Ligne de texte assez longue pour un fichier ordinaire, presque." + "\x07" + "\n").encode() * 500,
        "안녕하세요".encode("iso-2022-kr") * 200,
    ]
    for data in texts:
        assert binary_kind(data) is None, data[:40]
        assert decode_text(data).text


def test_binary_data_decoded_as_text_is_refused_by_the_library(small_cleaner):
    """A str of binary data (bytes read as Latin-1 by the caller) is refused as its bytes are."""
    import random

    from cleaner.errors import BinaryInputError

    junk = random.Random(2).randbytes(20_000).decode("latin-1")
    for text in (junk, "%PDF-1.7\n" + junk, "\x00" * 100 + "texte"):
        with pytest.raises(BinaryInputError):
            small_cleaner.clean(text, Options(input_format="text"))
        with pytest.raises(BinaryInputError):
            small_cleaner.classify(text)
    stray = "Une ligne\x07 avec une sonnerie, et une autre ligne de texte ordinaire.\n" * 20
    assert small_cleaner.classify(stray, Options(input_format="text"))


@pytest.mark.parametrize(
    "head",
    [
        "plain text\n" * 50,
        "accents é, CJK 漢字, emoji 😀 and a bell \x07\n" * 30,
        "lone surrogate \ud800 and controls " + "\x01\x02\x03" * 200,
        "\x1b[31mterminal colours\x1b[0m and tabs\t\n" * 40,
        "é" + "\x05" * 5000,
        "é" * 40_000 + "\x05" * 5000,  # the controls past the sniffed bytes, though within the sniffed characters
    ],
)
def test_a_str_is_judged_by_its_control_characters_as_its_utf8_bytes_would_be(head):
    """The str path finds control characters in the text's UTF-8 bytes: in UTF-8 a control character
    is one byte, which no other character's bytes contain, so a str holds one exactly when its bytes do."""
    from cleaner.read.sniff import _OTHER_CONTROLS, SNIFF_BYTES, _control_kind, text_binary_kind

    has_control = any(ord(char) < 32 and ord(char) in _OTHER_CONTROLS for char in head[:SNIFF_BYTES])
    expected = (
        _control_kind(head.encode("utf-8", errors="replace")[:SNIFF_BYTES], "characters") if has_control else None
    )
    assert text_binary_kind(head) == expected
