"""`clean` on crawl files: WARC and WET files known by their content, cleaned into JSON Lines (one
object per page, as cleaner.crawl gives it), in order whatever --jobs, with damage reported."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crawl_warcs import (
    PAGE,
    SAMPLES,
    corpus_pages,
    gzip_members,
    http_response,
    member_offsets,
    needs_samples,
    response,
    warc_record,
    write,
)
from typer.testing import CliRunner

from cleaner import Cleaner, Options
from cleaner.cli import app
from cleaner.crawl import CrawlError, CrawlStats, RecordFields, iter_cleaned

runner = CliRunner()
SAMPLE_FILES = [
    "warcfile.warc.gz",
    "clueweb-quirk.warc.gz",
    "whirlwind.warc.gz",
    "whirlwind.warc.wet.gz",
    "whirlwind.warc.wat.gz",
]
ARTICLE = (
    "<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
    "<article><h1>{title}</h1><p>{body} The river ran high all week, and the ferries waited at the quay "
    "for the water to fall before they set out again.</p></article><footer>Copyright 2024</footer></body></html>"
)


def page(number: int) -> bytes:
    return ARTICLE.format(title=f"Story number {number}", body=f"This is story {number}.").encode()


def invoke(*args, input=None):
    result = runner.invoke(app, ["clean", *map(str, args)], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def expected(path: Path, options: Options = Options(), labels: bool = False) -> list[dict]:
    """What cleaner.crawl gives for the file: its pages (before the damage, for a damaged file)."""
    found: list[dict] = []
    try:
        for result in iter_cleaned(path, options=options, fields=RecordFields(labels=labels)):
            found.append(result.to_dict())
    except CrawlError:
        pass
    return found


def small_crawl(tmp_path: Path, name: str = "site.warc.gz", pages: int = 3) -> Path:
    rows = [response(f"http://example.com/{i}", page(i)) for i in range(pages)]
    return write(tmp_path / name, gzip_members(rows))


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner.load()


# -- the real crawl samples -----------------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("name", SAMPLE_FILES)
@pytest.mark.parametrize("jobs", [1, 2])
def test_samples_give_the_records_of_iter_cleaned(name, jobs):
    path = SAMPLES / name
    result = invoke(path, "--jobs", jobs, "--no-summary")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert records(result.stdout) == expected(path)


@needs_samples
def test_summary_counts_records_pages_and_skips():
    result = invoke(SAMPLES / "warcfile.warc.gz")
    assert result.exit_code == 0
    first, second, third = result.stderr.splitlines()
    assert first.startswith("cleaned 16 pages (0.1 MB) from 1 of 1 file in ") and first.endswith("; 0 errors")
    assert "pages/s" in first
    assert (
        second
        == "crawl: 1 file(s), 50 records (527.8 KB of records, 135.9 KB on disk): 16 pages, 16 cleaned, 34 skipped, 0 errors"
    )
    assert third == "skipped: request 17, metadata 16, warcinfo 1"


@needs_samples
def test_clipped_file_exit_code_and_message():
    path = SAMPLES / "clipped.warc.gz"
    result = invoke(path, "--no-summary")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        f"error: {path}:0: truncated: the response record here declares 88275 bytes, "
        "but the file ends after 75207 of them\n"
    )


@needs_samples
def test_options_and_labels_reach_the_pages():
    path = SAMPLES / "whirlwind.warc.gz"
    result = invoke(path, "--threshold", "0.8", "--keep", "body,heading,meta", "--jsonl-labels", "--no-summary")
    options = Options(threshold=0.8, keep=("body", "heading", "meta"))
    got = records(result.stdout)
    assert got == expected(path, options, labels=True)
    assert got[0]["labels"] and set(got[0]["labels"][0]) == {"line", "label", "kept", "text"}


# -- outputs --------------------------------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize("jobs", [1, 2])
def test_one_jsonl_gz_file_for_all_inputs(tmp_path, jobs):
    names = ["warcfile.warc.gz", "whirlwind.warc.wet.gz"]
    target = tmp_path / "out" / "pages.jsonl.gz"
    result = invoke(*(SAMPLES / name for name in names), "-o", target, "--jobs", jobs, "--no-summary")
    assert result.exit_code == 0 and result.stdout == ""
    with gzip.open(target, "rt", encoding="utf-8") as lines:
        got = records(lines.read())
    want = [{"file": str(SAMPLES / name), **record} for name in names for record in expected(SAMPLES / name)]
    assert got == want


def test_output_folder_gets_a_jsonl_file_per_crawl(tmp_path):
    first, second = small_crawl(tmp_path, "a.warc.gz"), small_crawl(tmp_path, "b.warc")
    folder = tmp_path / "out"
    result = invoke(first, second, "-o", folder, "--no-summary")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in folder.iterdir()) == ["a.warc.jsonl", "b.jsonl"]
    assert records((folder / "a.warc.jsonl").read_text()) == expected(first)  # no "file": one input per output
    compressed = invoke(first, "-o", tmp_path / "gz", "--compress", "--no-summary")
    assert compressed.exit_code == 0
    with gzip.open(tmp_path / "gz" / "a.warc.jsonl.gz", "rt") as lines:
        assert records(lines.read()) == expected(first)


def test_an_input_format_says_it_does_not_apply_to_crawl_files(tmp_path):
    crawl = small_crawl(tmp_path)
    result = invoke(crawl, "--input-format", "text", "--no-summary")
    assert result.exit_code == 0 and result.stdout == invoke(crawl, "--no-summary").stdout
    assert result.stderr.startswith(f"warning: {crawl}: a crawl file's records say what each page is")


def test_mixed_inputs_a_crawl_and_a_text_file(tmp_path, cleaner):
    crawl = small_crawl(tmp_path)
    text = write(tmp_path / "note.txt", b"A short note about the river.\n\nIt ran high all week long, they said.\n")
    result = invoke(crawl, text, "--no-summary")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines(keepends=True)
    pages = len(expected(crawl))
    assert records("".join(lines[:pages])) == [{"file": str(crawl), **record} for record in expected(crawl)]
    assert "".join(lines[pages:]) == cleaner.clean(text.read_bytes())
    folder = tmp_path / "out"
    assert invoke(crawl, text, "-o", folder, "--no-summary").exit_code == 0
    assert sorted(path.name for path in folder.iterdir()) == ["note.txt", "site.warc.jsonl"]


def test_crawl_on_standard_input(tmp_path):
    crawl = small_crawl(tmp_path)
    result = invoke("-", "--no-summary", input=crawl.read_bytes())
    assert result.exit_code == 0
    assert [r["text"] for r in records(result.stdout)] == [r["text"] for r in expected(crawl)]


def test_small_tasks_keep_the_order(tmp_path, monkeypatch):
    monkeypatch.setattr("cleaner.cli.batch.crawl.PAGE_BYTES_PER_TASK", 1)  # a page per task
    crawl = small_crawl(tmp_path, pages=6)
    result = invoke(crawl, "--jobs", 2, "--no-summary")
    assert records(result.stdout) == expected(crawl)


# -- damage and refusals --------------------------------------------------------------------------


def test_records_before_the_damage_then_one_error(tmp_path):
    rows = [response(f"http://example.com/{i}", page(i)) for i in range(3)]
    offsets = member_offsets(rows)
    path = write(tmp_path / "cut.warc.gz", gzip_members(rows)[: offsets[2] + 60])
    for jobs in (1, 2):
        result = invoke(path, "--jobs", jobs, "--no-summary")
        assert result.exit_code == 1
        assert [r["url"] for r in records(result.stdout)] == ["http://example.com/0", "http://example.com/1"]
        assert result.stderr.startswith(f"error: {path}:{offsets[2]}: ") and result.stderr.count("\n") == 1
    written = invoke(path, "-o", tmp_path / "out.jsonl", "--no-summary")
    assert written.exit_code == 1 and len(records((tmp_path / "out.jsonl").read_text())) == 2


@pytest.mark.parametrize("compress", [False, True])
def test_a_lying_content_length_stops_where_cleaner_crawl_stops(tmp_path, compress):
    rows = [response(f"http://example.com/{i}", page(i)) for i in range(3)]
    rows[1] = response("http://example.com/1", page(1), length=len(http_response(page(1))) - 30)
    path = write(tmp_path / "short.warc", gzip_members(rows) if compress else b"".join(rows))
    with pytest.raises(CrawlError) as raised:
        list(iter_cleaned(path))
    result = invoke(path, "--no-summary")
    assert result.exit_code == 1
    assert [r["url"] for r in records(result.stdout)] == [r["url"] for r in expected(path)]
    assert result.stderr == f"error: {raised.value}\n"


def test_undecodable_record_is_reported_and_skipped(tmp_path):
    broken = gzip.compress(page(0), mtime=0)
    broken = broken[:10] + b"\xff" * 40 + broken[50:]
    rows = [
        response("http://example.com/broken", broken, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]),
        response("http://example.com/1", page(1)),
    ]
    path = write(tmp_path / "bad.warc.gz", gzip_members(rows))
    result = invoke(path, "--no-summary")
    assert result.exit_code == 1
    assert [r["url"] for r in records(result.stdout)] == ["http://example.com/1"]
    assert result.stderr.startswith(f"error: {path}:0: corrupt gzip body")


def test_gzip_of_something_else_is_a_clear_error(tmp_path):
    path = write(tmp_path / "page.html.gz", gzip.compress(b"<html><body><p>Hello</p></body></html>", mtime=0))
    result = invoke(path)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines()[0].startswith(
        f"error: {path}: input is gzip-compressed data, not text or HTML: a gzip file of something else than "
        "WARC records (it starts with b'<html><body>'); decompress it first"
    )


@pytest.mark.parametrize("compress", [False, True])
def test_an_arc_file_is_refused_for_what_it_is(tmp_path, compress):
    # The advice to decompress an .arc.gz had it cleaned as one page of garbage.
    arc = b"filedesc://IA-001.arc 0.0.0.0 20050614070144 text/plain 76\n1 0 InternetArchive\n"
    arc += b"URL IP-address Archive-date Content-type Archive-length\n\n"
    arc += b"http://example.com/ 1.2.3.4 20050614070144 text/html 38\n<html><body><p>Hello</p></body></html>\n"
    path = write(tmp_path / "crawl.arc", gzip.compress(arc, mtime=0) if compress else arc)
    result = invoke(path)
    assert result.exit_code == 1 and result.stdout == ""
    assert "ARC file (the format before WARC), which is not read: convert it to WARC first" in result.stderr


def test_a_warc_is_recognised_by_content_not_name(tmp_path):
    rows = [warc_record("warcinfo", b"software: test\r\n"), response("http://example.com/", page(1))]
    path = write(tmp_path / "download.bin", b"".join(rows))
    assert records(invoke(path, "--no-summary").stdout) == expected(path)


def test_formats_that_do_not_apply_to_crawls(tmp_path):
    crawl = small_crawl(tmp_path)
    for flags in (["--format", "tsv"], ["--labels"], ["--explain"]):
        result = invoke(crawl, *flags)
        assert result.exit_code == 1 and "a crawl file is cleaned into JSON Lines" in result.stderr
    text = write(tmp_path / "a.txt", b"Some text.\n")
    assert "--jsonl-labels needs --jsonl-field" in invoke(text, "--jsonl-labels").stderr
    assert "not a crawl file" in invoke(text, crawl, "-o", tmp_path / "all.jsonl").stderr
    assert "--compress needs an --output folder" in invoke(crawl, "--compress").stderr


def test_summary_stats_add_up_over_tasks(tmp_path, monkeypatch):
    monkeypatch.setattr("cleaner.cli.batch.crawl.PAGE_BYTES_PER_TASK", 1)
    crawl = small_crawl(tmp_path, pages=4)
    stats = CrawlStats()
    list(iter_cleaned(crawl, stats=stats))
    result = invoke(crawl, "--jobs", 2)
    assert f"crawl: {stats.summary().splitlines()[0]}" in result.stderr.splitlines()


# -- stopping early -------------------------------------------------------------------------------

CLEAN = [sys.executable, "-c", "from cleaner.cli import clean_main; clean_main()"]


def corpus_crawl(tmp_path: Path, pages: int) -> Path:
    found = corpus_pages(per_corpus=pages // 3 + 1)
    if len(found) < pages // 2:
        pytest.skip("../shared/corpora is not here")
    rows = [response(f"http://corpus.example/{i}", page["html"].encode("utf-8")) for i, page in enumerate(found)]
    return write(tmp_path / "corpus.warc.gz", gzip_members(rows))


def test_ctrl_c_leaves_no_half_written_output(tmp_path):
    crawl = corpus_crawl(tmp_path, 150)
    target = tmp_path / "out" / "pages.jsonl.gz"
    process = subprocess.Popen(
        [*CLEAN, str(crawl), "-o", str(target), "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(target.parent.glob(".*.tmp")):  # the first pages written
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert stderr.decode().startswith("interrupted: 0 of 1 files done")
    assert list(target.parent.iterdir()) == []  # neither the output nor its temporary file


def test_a_closed_standard_output_ends_the_run_quietly(tmp_path):
    crawl = corpus_crawl(tmp_path, 60)
    process = subprocess.Popen([*CLEAN, str(crawl), "--no-summary"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert json.loads(process.stdout.readline())["url"] == "http://corpus.example/0"  # as `clean crawl | head -1`
    process.stdout.close()
    stderr = process.communicate(timeout=120)[1].decode()
    assert process.returncode == 141 and stderr == ""


def test_records_carry_metadata_and_markdown_when_asked(tmp_path):
    crawl = small_crawl(tmp_path)
    plain = records(invoke(crawl, "--no-summary").stdout)
    assert [record["title"] for record in plain] == [f"Story number {i}" for i in range(3)]
    assert all(record["canonical_url"] == f"http://example.com/{i}" for i, record in enumerate(plain))
    lean = records(invoke(crawl, "--no-metadata", "--no-summary").stdout)
    assert all("title" not in record and "markdown" not in record for record in lean)
    assert [record["text"] for record in lean] == [record["text"] for record in plain]
    marked = records(invoke(crawl, "--format", "markdown", "--no-summary").stdout)
    assert marked == expected_fields(crawl, RecordFields(markdown=True))
    for record in marked:
        assert record["markdown"].split() != record["text"].split()  # the heading is marked
        assert record["markdown"].replace("#", " ").split() == record["text"].split()


def expected_fields(path: Path, fields: RecordFields) -> list[dict]:
    return [result.to_dict() for result in iter_cleaned(path, fields=fields)]


@pytest.mark.parametrize("compress", [False, True])
def test_a_crawl_piped_in_small_pieces_is_known_as_a_crawl(tmp_path, compress):
    # A pipe's first read holds what its writer wrote first: a network download's first packet, 5 bytes
    # here. The crawl was cleaned as one page (uncompressed) or refused as gzip data (compressed).
    records = [response(f"http://example.com/{i}", PAGE) for i in range(2)]
    data = gzip_members(records) if compress else b"".join(records)
    crawl = write(tmp_path / "crawl.warc", data)
    writer = f"import sys, time; d = open({str(crawl)!r}, 'rb').read(); o = sys.stdout.buffer; "
    writer += "o.write(d[:5]); o.flush(); time.sleep(0.5); o.write(d[5:]); o.flush()"
    producer = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE)
    result = subprocess.run([*CLEAN, "-", "--no-summary"], stdin=producer.stdout, capture_output=True, timeout=120)
    producer.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["url"] for line in result.stdout.splitlines()] == [
        "http://example.com/0",
        "http://example.com/1",
    ]
