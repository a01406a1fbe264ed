"""cleaner.datatrove: the steps in real datatrove pipelines, on real crawl files, give cleaner.crawl's texts.

Skipped without datatrove (and the packages its WarcReader and JsonlWriter need); the pipelines also
without ../shared/crawl-samples.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

pytest.importorskip("datatrove")
for module in ("warcio", "cchardet", "magic", "orjson"):  # WarcReader's and JsonlWriter's dependencies
    pytest.importorskip(module)

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import WarcReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner import Cleaner, Options, OptionsError
from cleaner.crawl import iter_cleaned
from cleaner.crawl.reader import iter_records
from cleaner.datatrove import CleanerExtractor, CleanerTextFilter
from cleaner.read.decode import decode_html

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "crawl-samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/crawl-samples is not here")
TEXT = Options(input_format="text")


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner.load()


def run_pipeline(tmp_path: Path, name: str, step) -> tuple[dict[str, str], dict]:
    """WarcReader -> step -> JsonlWriter on one sample, run by the local executor: the written texts
    by record ID, and the step's stats."""
    pipeline = [
        WarcReader(str(SAMPLES), glob_pattern=name),
        step,
        JsonlWriter(str(tmp_path / "out"), compression=None),
    ]
    LocalPipelineExecutor(pipeline, tasks=1, workers=1, logging_dir=str(tmp_path / "logs")).run()
    written = {}
    for path in sorted((tmp_path / "out").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            document = json.loads(line)
            written[document["id"]] = document["text"]
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step_stats = next(entry["stats"] for entry in stats if step.name in entry["name"])
    return written, step_stats


def reader_texts(name: str) -> dict[str, str]:
    """What WarcReader gives for a sample: each document's text (decoded HTML, or a WET's text) by ID."""
    return {doc.id: doc.text for doc in WarcReader(str(SAMPLES), glob_pattern=name)()}


def decoded_apart(*names: str) -> set[str]:
    """The record IDs of the samples' pages that WarcReader and cleaner.crawl decode differently."""
    apart = set()
    for name in names:
        texts = reader_texts(name)
        for item in iter_records(SAMPLES / name):
            if item.is_page:
                ours = item.payload if isinstance(item.payload, str) else decode_html(item.payload).text
                if texts.get(item.record_id) != ours:
                    apart.add(item.record_id)
    return apart


def assert_same_up_to_decoding(written: dict[str, str], crawl: dict[str, str], *names: str) -> None:
    """The same pages with the same texts, but on pages of the samples ``names`` that WarcReader and
    cleaner.crawl decode differently, and there only in characters outside ASCII: the same lines,
    kept in the same order."""
    assert written.keys() == crawl.keys()
    differ = {record_id for record_id in written if written[record_id] != crawl[record_id]}
    assert differ <= decoded_apart(*names), differ
    for record_id in differ:
        assert _ascii_only(written[record_id]) == _ascii_only(crawl[record_id])


def _ascii_only(text: str) -> str:
    return "".join(char if char.isascii() else "?" for char in text)


def count(stats: dict, key: str) -> int:
    value = stats.get(key, 0)
    return value["total"] if isinstance(value, dict) else value


@needs_samples
def test_warc_pipeline_writes_the_crawl_texts(tmp_path, cleaner):
    """WarcReader -> CleanerExtractor -> JsonlWriter writes, for each page, the text cleaner.crawl gives
    (the command line's), up to the characters the two decode differently: WarcReader decodes with
    UTF-8, else cchardet's guess, cleaner.crawl with the HTTP header, else the page's declaration (a
    German page of this Common Crawl slice reads "Übersichten" by its header, "▄bersichten" by the guess).
    Pages whose article is empty are dropped, as datatrove's Trafilatura step drops them."""
    name = "warcfile.warc.gz"
    written, stats = run_pipeline(tmp_path, name, CleanerExtractor())
    crawl = {result.warc_record_id: result.text for result in iter_cleaned(SAMPLES / name, cleaner)}
    assert_same_up_to_decoding(written, {record_id: text for record_id, text in crawl.items() if text.strip()}, name)
    assert len(written) >= 10  # most pages of the slice have an article
    # The same holds against WarcReader's own text, page by page: where the two readers decoded a
    # page differently, this is the comparison that stays exact.
    from_reader = {record_id: cleaner.clean_html(html) for record_id, html in reader_texts(name).items()}
    assert written == {record_id: text for record_id, text in from_reader.items() if text.strip()}
    assert count(stats, "total") == len(crawl) and count(stats, "dropped") == len(crawl) - len(written)
    assert count(stats, "forwarded") == len(written) and count(stats, "timeout") == 0


@needs_samples
def test_pipeline_runs_in_worker_processes(tmp_path, cleaner):
    """Two tasks in two worker processes: the steps travel pickled (dill), each worker loads its model."""
    names = ("warcfile.warc.gz", "whirlwind.warc.gz")
    pipeline = [
        WarcReader(str(SAMPLES), glob_pattern="w*.warc.gz"),
        CleanerExtractor(),
        JsonlWriter(str(tmp_path / "out"), compression=None),
    ]
    LocalPipelineExecutor(pipeline, tasks=2, workers=2, logging_dir=str(tmp_path / "logs")).run()
    written = {}
    for path in (tmp_path / "out").glob("*.jsonl"):
        written.update(
            (doc["id"], doc["text"]) for doc in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        )
    crawl = {result.warc_record_id: result.text for name in names for result in iter_cleaned(SAMPLES / name, cleaner)}
    assert_same_up_to_decoding(written, {record_id: text for record_id, text in crawl.items() if text.strip()}, *names)


@needs_samples
def test_wet_pipeline_cleans_text_documents(tmp_path, cleaner):
    name = "whirlwind.warc.wet.gz"
    written, stats = run_pipeline(tmp_path, name, CleanerTextFilter(batch_size=4))
    crawl = {result.warc_record_id: result.text for result in iter_cleaned(SAMPLES / name, cleaner)}
    assert written == crawl and all(text.strip() for text in written.values())
    assert written == {record_id: cleaner.clean(text, TEXT) for record_id, text in reader_texts(name).items()}
    assert count(stats, "forwarded") == 1


@needs_samples
def test_options_reach_the_steps(tmp_path, cleaner):
    name = "whirlwind.warc.gz"
    strict = Options(keep=("body",), threshold=0.9)
    written, _ = run_pipeline(tmp_path, name, CleanerExtractor(threshold=0.9, keep="body"))
    expected = {record_id: cleaner.clean_html(html, strict) for record_id, html in reader_texts(name).items()}
    assert written == {record_id: text for record_id, text in expected.items() if text.strip()}


def test_text_filter_drops_empty_and_unreadable_documents(cleaner):
    article = (
        "A day at the river\n\nWe walked along the river for most of the morning, stopping where the light was good."
    )
    documents = [
        Document(text=article, id="kept"),
        Document(text="Sign in\nSubscribe", id="empty"),
        Document(text="binary\x00\x00data" * 10, id="binary"),
    ]
    step = CleanerTextFilter(batch_size=3)
    results = step.filter_batch(documents)
    assert results[1:] == [(False, "empty"), (False, "unreadable")]
    assert results[0] is True and documents[0].text == cleaner.clean(article, TEXT)
    assert documents[1].text == "Sign in\nSubscribe"  # a dropped document keeps its text (for an exclusion writer)
    kept = list(step.run(iter([Document(text=article, id="one"), Document(text="Sign in\nSubscribe", id="two")])))
    assert [doc.id for doc in kept] == ["one"]


def test_extractor_drops_unreadable_documents_without_losing_its_process():
    # Raised in the sandbox's process, the reader's error killed it: each such document cost the whole
    # timeout and a new process, and was counted as a broken process.
    page = "<html><body><p>" + "A real paragraph of article text, long enough to keep. " * 5 + "</p></body></html>"
    documents = [Document(text=page, id="1"), Document(text="\x00\x01\x02\x03" * 300, id="binary")]
    documents.append(Document(text=page, id="3"))
    step = CleanerExtractor()
    assert step.extract(documents[1].text) == ""
    forwarded = list(step.run(iter(documents)))
    assert [doc.id for doc in forwarded] == ["1", "3"]
    stats = step.stats.to_dict()["stats"]
    assert stats.get("dropped") == 1 and "broken_process" not in stats


def test_steps_pickle_without_the_model_and_load_it_once():
    extractor = CleanerExtractor(threshold=0.5, keep=("body", "heading"))
    page = "<html><body><p>We walked along the river for most of the morning, stopping where the light was good.</p>"
    assert extractor.extract(page)
    assert extractor.cleaner is CleanerExtractor().cleaner  # one model per process, shared by the steps
    copy = pickle.loads(pickle.dumps(extractor))
    assert copy._cleaner is None and copy.options == extractor.options
    assert copy.extract(page) == extractor.extract(page)
    assert len(pickle.dumps(extractor)) < 4096
    assert extractor.extract("") == ""


def test_bad_options_fail_when_the_step_is_made():
    with pytest.raises(OptionsError):
        CleanerExtractor(keep="menus")
    with pytest.raises(OptionsError):
        CleanerTextFilter(threshold=2.0)
