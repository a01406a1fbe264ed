"""cleaner.spark on a real Spark in local mode: the job's records are cleaner.crawl's, its counts are
the reader's, and the UDFs clean as Cleaner does.

One SparkSession serves the module (starting one takes 10-30 s here). Skipped without pyspark or a
Java runtime; the job's tests also without ../shared/crawl-samples.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs a Java runtime (java is not on PATH)", allow_module_level=True)

from typer.testing import CliRunner

from cleaner import Cleaner, InputError, Options
from cleaner.crawl import CrawlError, CrawlStats, RecordFields, iter_cleaned
from cleaner.spark import FILE_FIELD, JobSettings, ModelRef, clean_partition, run_job, worker_cleaner
from cleaner.spark.cli import app
from cleaner.spark.inputs import InputFile, sources_rdd, streams_locally

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "crawl-samples"
TEXT_MODEL = ROOT / "models" / "text.json"
# Every sample: HTML pages, ClueWeb09's WARC/0.18, a WET, a WAT (no page), a truncated file (an error).
SAMPLE_NAMES = (
    "warcfile.warc.gz",
    "clueweb-quirk.warc.gz",
    "whirlwind.warc.gz",
    "whirlwind.warc.wet.gz",
    "whirlwind.warc.wat.gz",
    "clipped.warc.gz",
)
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/crawl-samples is not here")
DEFAULT_OPTIONS = Options()
COUNTS = ("files", "records", "pages", "cleaned", "skipped", "errors", "record_bytes", "file_bytes")


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    from pyspark.sql import SparkSession

    saved = {key: os.environ.get(key) for key in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "SPARK_LOCAL_IP")}
    # The workers run this interpreter (the virtualenv's, with cleaner); Spark binds to loopback only.
    os.environ.update(PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("cleaner-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def samples(*names: str) -> list[Path]:
    return [SAMPLES / name for name in names]


def uri(path: Path) -> str:
    """How Hadoop names a local file."""
    return f"file:{path}"


def crawl_records(paths: list[Path], cleaner: Cleaner, options: Options = DEFAULT_OPTIONS, labels: bool = False):
    """cleaner.crawl's records of each file (up to the damage, for a damaged one), and the counts."""
    stats = CrawlStats()
    records = {}
    for path in paths:
        records[uri(path)] = found = []
        try:
            for result in iter_cleaned(path, cleaner, options, RecordFields(labels=labels), stats=stats):
                found.append(result.to_dict())
        except CrawlError:
            pass
    return records, stats


def job_records(output: Path) -> dict[str, list[dict]]:
    """The job's records, by file, in the order of the part files (a file's records are in one)."""
    records: dict[str, list[dict]] = {}
    for part in sorted(output.glob("part-*")):
        data = gzip.decompress(part.read_bytes()) if part.suffix == ".gz" else part.read_bytes()
        for line in data.decode("utf-8").splitlines():
            record = json.loads(line)
            records.setdefault(record.pop(FILE_FIELD), []).append(record)
    return records


def same_counts(got: CrawlStats, expected: CrawlStats) -> None:
    assert {key: got.to_dict()[key] for key in COUNTS} == {key: expected.to_dict()[key] for key in COUNTS}
    assert sorted(got.messages) == sorted(expected.messages)


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner.load()


# -- without Spark ---------------------------------------------------------------------------------


class _Counts:
    """An accumulator's add(), outside Spark."""

    def __init__(self) -> None:
        self.value = CrawlStats()

    def add(self, stats: CrawlStats) -> None:
        self.value.merge(stats)


@needs_samples
def test_a_partition_gives_the_crawl_records_of_its_files_in_order(cleaner):
    from cleaner.spark.job import _Task

    paths = samples("whirlwind.warc.gz", "clipped.warc.gz", "whirlwind.warc.wet.gz")
    counts = _Counts()
    task = _Task(ModelRef(), Options(), RecordFields(), 16 << 20)
    pairs = [(uri(path), str(path)) for path in paths[:2]] + [(uri(paths[2]), paths[2].read_bytes())]
    lines = list(clean_partition(pairs, task, counts))
    expected, stats = crawl_records(paths, cleaner)
    assert [json.loads(line) for line in lines] == [
        {FILE_FIELD: name, **record} for name, found in expected.items() for record in found
    ]
    assert {key: counts.value.to_dict()[key] for key in COUNTS} == {key: stats.to_dict()[key] for key in COUNTS}


def test_only_file_inputs_are_streamed():
    local, remote = InputFile("file:/data/a b.warc.gz", 1), InputFile("s3a://bucket/a.warc.gz", 1)
    assert local.local_path == "/data/a b.warc.gz" and remote.local_path is None
    # Hadoop leaves names unescaped: "#" and "?" are part of the name, not a URL's fragment or query.
    assert InputFile("file:/data/run#2?x.warc.gz", 1).local_path == "/data/run#2?x.warc.gz"
    assert InputFile("file:///data/a.warc.gz", 1).local_path == "/data/a.warc.gz"
    assert streams_locally(local, "auto") and not streams_locally(remote, "auto")
    assert not streams_locally(local, "whole")
    with pytest.raises(InputError, match="only file: inputs"):
        streams_locally(remote, "stream")
    with pytest.raises(InputError, match="cannot read a file whose name"):  # Hadoop would split it, or glob
        sources_rdd(None, [InputFile("s3a://bucket/a,b.warc.gz", 1)], "auto", 1)


# -- the job ---------------------------------------------------------------------------------------


@needs_samples
def test_job_records_and_counts_equal_cleaner_crawl(spark, cleaner, tmp_path):
    paths = samples(*SAMPLE_NAMES)
    result = run_job(spark, [str(path) for path in paths], str(tmp_path / "out"), JobSettings(partitions=2))
    expected, stats = crawl_records(paths, cleaner)
    assert job_records(tmp_path / "out") == {name: found for name, found in expected.items() if found}
    assert [file.uri for file in result.files] == [uri(path) for path in paths]
    assert len(list((tmp_path / "out").glob("part-*"))) == 2
    same_counts(result.stats, stats)
    assert result.stats.errors == 1 and result.stats.cleaned == 47  # the clipped file; 16 + 29 + 1 + 1 pages


@needs_samples
def test_files_read_whole_by_spark_compressed_with_labels(spark, cleaner, tmp_path):
    paths = samples("warcfile.warc.gz", "whirlwind.warc.gz", "whirlwind.warc.wat.gz", "whirlwind.warc.wet.gz")
    settings = JobSettings(read="whole", compress=True, fields=RecordFields(labels=True), threshold=0.3)
    result = run_job(spark, [str(SAMPLES / "w*.warc*.gz")], str(tmp_path / "out"), settings)  # a glob
    assert [file.uri for file in result.files] == [uri(path) for path in paths]
    parts = sorted((tmp_path / "out").glob("part-*"))
    assert parts and all(part.suffix == ".gz" for part in parts)
    expected, stats = crawl_records(paths, cleaner, Options(threshold=0.3), labels=True)
    got = job_records(tmp_path / "out")
    assert got == {name: found for name, found in expected.items() if found}
    assert all("labels" in record for found in got.values() for record in found)
    assert {key: result.stats.to_dict()[key] for key in COUNTS} == {key: stats.to_dict()[key] for key in COUNTS}


@needs_samples
def test_command_line_with_a_model_file_and_options(spark, tmp_path):
    paths = samples("whirlwind.warc.wet.gz", "clipped.warc.gz", "whirlwind.warc.gz")
    output = tmp_path / "out"
    args = [*map(str, paths), "--output", str(output), "--keep", "body", "--threshold", "0.6"]
    ran = CliRunner().invoke(app, [*args, "--model", str(TEXT_MODEL), "--partitions", "1"])
    assert ran.exit_code == 1, ran.output  # the clipped file is an error; the others are written
    assert "cleaner.spark: 3 file(s), 6 records" in ran.output and "clipped.warc.gz:0: truncated" in ran.output
    expected, _ = crawl_records(paths, Cleaner.load(TEXT_MODEL), Options(keep=("body",), threshold=0.6))
    assert job_records(output) == {name: found for name, found in expected.items() if found}
    assert len(list(output.glob("part-*"))) == 1

    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1 and "the output folder exists" in again.output
    missing = CliRunner().invoke(app, [str(SAMPLES / "nothing-*.warc.gz"), "--output", str(tmp_path / "o2")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    bad = CliRunner().invoke(app, [str(paths[0]), "--output", str(tmp_path / "o3"), "--keep", "menus"])
    assert bad.exit_code == 1 and "keep" in bad.output


def test_the_model_is_loaded_once_per_worker_process(spark):
    def cleaner_of(_):
        return [(os.getpid(), id(worker_cleaner(ModelRef())))]

    pairs = spark.sparkContext.parallelize(range(8), 8).mapPartitions(cleaner_of).collect()
    by_process: dict[int, set[int]] = {}
    for pid, cleaner_id in pairs:
        by_process.setdefault(pid, set()).add(cleaner_id)
    assert len(pairs) == 8 and all(len(ids) == 1 for ids in by_process.values())
    assert len(by_process) < len(pairs)  # workers are reused from task to task


@pytest.mark.slow
@needs_samples
def test_python_dash_m_runs_the_job(tmp_path, cleaner):
    path = SAMPLES / "whirlwind.warc.gz"
    # Without PYSPARK_PYTHON, and a `python3` first on PATH that is not this one: in local mode the
    # command runs the workers with its own Python.
    decoys = tmp_path / "bin"
    decoys.mkdir()
    for name in ("python", "python3"):
        (decoys / name).write_text("#!/bin/sh\necho 'not the Python to run' >&2\nexit 3\n")
        (decoys / name).chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")}
    env.update(SPARK_LOCAL_IP="127.0.0.1", PATH=f"{decoys}{os.pathsep}{os.environ.get('PATH', '')}")
    command = [
        sys.executable,
        "-m",
        "cleaner.spark",
        str(path),
        "--output",
        str(tmp_path / "out"),
        "--master",
        "local[1]",
    ]
    ran = subprocess.run(
        [*command, "--compress", "--conf", "spark.ui.enabled=false"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    assert "cleaner.spark: 1 file(s), 4 records" in ran.stderr
    expected, _ = crawl_records([path], cleaner)
    assert job_records(tmp_path / "out") == expected


@needs_samples
def test_a_master_spark_cannot_start_with_ends_in_one_error_line(tmp_path):
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"}
    command = [
        sys.executable,
        "-m",
        "cleaner.spark",
        str(SAMPLES / "whirlwind.warc.gz"),
        "--output",
        str(tmp_path / "o"),
    ]
    ran = subprocess.run(
        [*command, "--master", "nonsense://x"], check=False, env=env, capture_output=True, text=True, timeout=300
    )
    assert ran.returncode == 1
    assert ran.stderr.strip().splitlines()[-1].startswith("error: cannot start Spark (master nonsense://x): ")


# -- the UDFs --------------------------------------------------------------------------------------

HTML_PAGES = [
    (
        "<html><body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article><h1>A day at the river</h1>"
        "<p>We walked along the river for most of the morning, stopping wherever the light was good.</p>"
        "<p>By noon the fog had lifted and the boats were out, their sails bright against the water.</p>"
        "</article><footer>Copyright 2024. All rights reserved.</footer></body></html>"
    ),
    "<p>Short.</p>",
    "",
    None,
]
TEXT_PAGES = [
    (
        "Home | News | Contact\n\nA day at the river\n\nWe walked along the river for most of the morning, "
        "stopping wherever the light was good.\nShare this article\nCopyright 2024"
    ),
    "Sign in\nSubscribe",
    None,
]


def test_udfs_clean_as_the_cleaner_does(spark, cleaner):
    pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    from itertools import zip_longest

    from cleaner.spark import article_html_udf, article_text_udf, clean_html_udf, clean_text_udf

    # The HTML also as bytes in a legacy charset, which the page declares: decoded as clean_html decodes.
    raw = [_latin1_page(page) for page in HTML_PAGES]
    rows = list(zip_longest(range(len(HTML_PAGES)), HTML_PAGES, raw, TEXT_PAGES))
    # One partition: one Python worker starts (and imports pandas, pyarrow and the model) for the test.
    pages = spark.createDataFrame(rows, "id int, html string, raw binary, text string").coalesce(1)
    got = pages.select(
        "id",
        clean_html_udf("html").alias("html"),
        article_html_udf("html").alias("html_article"),
        clean_html_udf("raw").alias("raw"),
        clean_text_udf("text").alias("text"),
        article_text_udf("text").alias("text_article"),
    )
    by_id = {row.id: row for row in got.collect()}

    for kind, column in (("html", HTML_PAGES), ("text", TEXT_PAGES)):
        for i, page in enumerate(column):
            text, struct = by_id[i][kind], by_id[i][f"{kind}_article"]
            if page is None:
                assert text is None and struct.text is None and struct.labels is None
                continue
            options = Options(input_format=kind)
            article = cleaner.article(page, options)
            results = cleaner.classify_html(page) if kind == "html" else cleaner.classify(page, options)
            clean = cleaner.clean_html(page) if kind == "html" else cleaner.clean(page, options)
            assert text == clean == article.text
            assert (struct.text, struct.lines_kept, struct.lines_dropped) == (clean, article.kept, article.dropped)
            assert struct.labels == [result.label for result in results if not result.blank]
    assert by_id[0].html and by_id[0].text  # the examples are not all empty
    assert [by_id[i].raw for i in range(len(raw))] == [
        cleaner.clean_html(data) if data is not None else None for data in raw
    ]
    assert "Café" in by_id[0].raw


def test_the_udfs_import_before_any_session():
    pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    code = "from cleaner.spark import article_html_udf, clean_html_udf; print(clean_html_udf.__doc__)"
    ran = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert 'clean_html_udf("html")' in ran.stdout  # the docstring's example


def _latin1_page(page: str | None) -> bytes | None:
    if page is None:
        return None
    declared = page.replace("<html>", "<html><head><meta charset='windows-1252'></head>", 1)
    return declared.replace("the light was good", "the light at the Café was good").encode("cp1252")
