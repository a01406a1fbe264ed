"""The benchmark's measuring side: competitor systems, their output cache, and the report tables."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import time
from pathlib import Path

import pytest

from cleaner.corpus.competitors import HTML_SYSTEMS, TEXT_SYSTEMS, System, c4_rule, installed
from cleaner.corpus.pages import CORPORA, CorpusPage, iter_corpus_pages
from cleaner.corpus.report import (
    LOW_F1,
    format_system_tables,
    format_tables,
    format_worst_pages,
    score_system,
    scores_json,
    worst_pages,
)
from cleaner.corpus.score_cache import SCORES_FILE, Scorer
from cleaner.corpus.scoring import aggregate, page_scores
from cleaner.corpus.systems import (
    Output,
    Source,
    cache_path,
    compute_outputs,
    read_cache,
    run_competitors,
)

CORPORA_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora"
GOLD = "the quick brown fox jumps over the lazy dog and runs far away into the deep green forest"


def page(corpus: str, page_id: str, gold: str = GOLD, html: str = "") -> CorpusPage:
    return CorpusPage(id=page_id, corpus=corpus, site=page_id, url=None, html=html or f"<p>{gold}</p>", gold=gold)


# ---------------------------------------------------------------------------------------------------------
# Report


def test_report_counts_empty_and_low_pages():
    pages = [page("a", "1"), page("a", "2"), page("a", "3"), page("b", "1"), page("b", "2")]
    outputs = {
        ("a", "1"): Output(GOLD, 0.5),  # perfect
        ("a", "2"): Output("... — !!", 0.5),  # no word token: empty
        ("a", "3"): Output("", 0.5, "ValueError: boom"),  # failure: empty, failed
        ("b", "1"): Output("the quick brown fox and nothing else at all here now", 0.5),  # F1 < 0.3
        # ("b", "2") has no output: a failure too
    }
    scores = score_system("x", pages, outputs)
    assert scores.empty("a") == 2 and scores.empty("b") == 1 and scores.empty() == 3
    assert scores.failures() == 2 and scores.failures("b") == 1
    assert scores.page("a", "3").error == "ValueError: boom" and scores.page("b", "2").error == "no output"
    assert scores.low("a") == 2 and scores.low("b") == 2 and scores.low() == 4
    assert scores.page("b", "1").f1 < LOW_F1 < scores.page("a", "1").f1 == 1.0
    assert scores.pages_per_second() == pytest.approx(5 / 2.0)


def test_overall_pools_pages_not_corpora():
    pages = [page("big", str(i)) for i in range(9)] + [page("small", "0")]
    outputs = {(p.corpus, p.id): Output(GOLD, 0.1) for p in pages[:9]} | {("small", "0"): Output("zzz", 0.1)}
    scores = score_system("x", pages, outputs)
    expected = aggregate(page_scores(outputs[(p.corpus, p.id)].text, p.gold) for p in pages)
    assert scores.scores() == expected
    assert scores.scores(["big", "small"]).f1 == pytest.approx(expected.f1)
    # Pooled: nine perfect pages and one null page, not the mean of the two corpora's F1s (0.5).
    assert scores.scores().recall == pytest.approx(0.9)


def test_markdown_tables_shape_and_bold_best():
    pages = [page("a", "1"), page("b", "1")]
    good = score_system("good", pages, {("a", "1"): Output(GOLD, 1.0), ("b", "1"): Output(GOLD, 1.0)})
    half = GOLD.split()[: len(GOLD.split()) // 2]
    bad = score_system("bad", pages[:1], {("a", "1"): Output(" ".join(half), 0.5)})
    text = format_system_tables("HTML input", [good, bad], ["a", "b", "c"])
    tables = [block for block in text.split("\n\n") if block.startswith("|")]
    assert len(tables) == 3
    for table in tables:
        rows = table.split("\n")
        assert len(rows) == 4  # header, rule, two systems
        widths = {row.count("|") for row in rows}
        assert len(widths) == 1
        assert rows[0].startswith("| system | a (1) | b (1) | c (0) | all (2) |")
    f1_rows = tables[0].split("\n")
    assert f1_rows[2].startswith("| good | **1.000** | **1.000** | - | **1.000** |")
    assert f1_rows[3].split(" | ")[2] == "-"  # "bad" has no page of corpus b
    assert "| 1 | 0 |" in f1_rows[2]  # pages/s, failed
    assert "1.000 / 1.000" in tables[1]
    assert "| good | 0 · 0 | 0 · 0 | - | 0 · 0 |" in tables[2]
    full = format_tables([good, bad], [good], ["a", "b"], notes=["something odd"])
    assert full.count("### ") == 2 and "note: something odd" in full


def test_worst_pages_and_json_dump(tmp_path: Path):
    pages = [page("a", str(i)) for i in range(4)]
    words = GOLD.split()
    ours = {("a", str(i)): Output(" ".join(words[: 4 + 3 * i]), 0.1) for i in range(4)}
    ours[("a", "3")] = Output(GOLD, 0.1)
    theirs = {("a", str(i)): Output(GOLD, 0.2) for i in range(4)}
    system, reference = score_system("cleaner", pages, ours), score_system("trafilatura", pages, theirs)
    worst = worst_pages(system, reference, n=2, explain=lambda corpus, page_id: f"why {page_id} | x")
    assert [row.page_id for row in worst["a"]] == ["0", "1"]  # page 3 ties, page 2 trails least
    assert worst["a"][0].gap > worst["a"][1].gap > 0 and worst["a"][0].explanation == "why 0 | x"
    table = format_worst_pages("cleaner", "trafilatura", worst)
    assert "| a | `0` |" in table and "why 0 \\| x" in table and table.count("\n") == 5
    dump = scores_json({"html": [system, reference]})
    json.dumps(dump)
    assert [entry["name"] for entry in dump["systems"]] == ["cleaner", "trafilatura"]
    assert dump["systems"][1]["summary"]["all"]["f1"] == 1.0
    assert len(dump["systems"][0]["pages"]) == 4 and dump["systems"][0]["pages"][3]["f1"] == 1.0


def test_scorer_matches_page_scores_and_remembers(tmp_path: Path):
    texts = ["", "...", "fox", GOLD, GOLD + " " + GOLD, "The Quick brown FOX jumps", "über straße 東京 東京 x y z"]
    scorer = Scorer()
    for predicted in texts:
        for gold in texts:
            assert scorer(predicted, gold) == page_scores(predicted, gold)
    path = tmp_path / SCORES_FILE
    scorer.save(path)
    fresh = Scorer.load(path)
    assert fresh("fox", GOLD) == page_scores("fox", GOLD)
    fresh.save(path)  # keeps only the scores used since loading
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        assert len(json.load(stream)["scores"]) == 1
    rigged = Scorer({key: (0.5, 0.25, 0.25) for key in Scorer.load(path)._known})
    assert rigged("fox", GOLD) == (0.5, 0.25, 0.25)  # a known score is not recomputed
    assert Scorer.load(tmp_path / "missing.json.gz")("fox", "fox") == page_scores("fox", "fox")


# ---------------------------------------------------------------------------------------------------------
# Systems and the cache

CALLS: list[str] = []


def counting_upper(text: str) -> str:
    CALLS.append(text)
    return text.upper()


def failing_on_bad(text: str) -> str:
    if "bad" in text:
        raise ValueError("cannot read this page")
    return text


def sleeping(text: str) -> str:
    if "slow" in text:
        time.sleep(5)
    return text


def fetching(text: str) -> str:
    socket.create_connection(("127.0.0.1", 9))
    return text


def crashing_or_hanging(text: str) -> str:
    if "crash" in text:
        os._exit(3)  # what a segfault in C code does to the worker
    if "hang" in text:
        signal.signal(signal.SIGALRM, signal.SIG_IGN)  # like C code, which the time limit cannot interrupt
        time.sleep(60)
    return text


def sources(*texts: str) -> list[Source]:
    return [Source("c", str(number), text) for number, text in enumerate(texts)]


def test_second_run_reads_the_cache_and_a_changed_input_recomputes(tmp_path: Path):
    system = System("counting upper", "text", counting_upper, revision=7)
    CALLS.clear()
    first = compute_outputs(system, sources("one", "two", "three"), cache_dir=tmp_path)
    calls = [call for call in CALLS if call in ("one", "two", "three")]
    assert sorted(calls) == ["one", "three", "two"]
    assert first[("c", "1")].text == "TWO" and not first[("c", "1")].failed
    path = cache_path(tmp_path, system)
    assert path.name == "counting-upper@r7.jsonl.gz" and path.is_file()
    CALLS.clear()
    again = compute_outputs(system, sources("one", "two", "three"), cache_dir=tmp_path)
    assert CALLS == [] and again == first
    CALLS.clear()
    changed = compute_outputs(system, sources("one", "TWO!", "three"), cache_dir=tmp_path)
    assert CALLS == ["TWO!"] and changed[("c", "1")].text == "TWO!"
    records, stale = read_cache(path)
    assert stale and len(records) == 3  # the superseded record of page 1 is still in the file
    compute_outputs(system, sources("one"), cache_dir=tmp_path)  # rewrites the file, keeping other pages
    records, stale = read_cache(path)
    assert not stale and len(records) == 3 and records[("c", "1")][1].text == "TWO!"


def test_a_damaged_cache_keeps_what_it_can(tmp_path: Path):
    system = System("counting upper", "text", counting_upper, revision=8)
    compute_outputs(system, sources("one", "two"), cache_dir=tmp_path)
    compute_outputs(system, sources("one", "two", "three"), cache_dir=tmp_path)  # a second gzip member
    path = cache_path(tmp_path, system)
    path.write_bytes(path.read_bytes()[:-12])  # a run killed while writing
    records, stale = read_cache(path)
    assert stale and set(records) == {("c", "0"), ("c", "1")}
    CALLS.clear()
    outputs = compute_outputs(system, sources("one", "two", "three"), cache_dir=tmp_path)
    assert CALLS == ["three"] and outputs[("c", "2")].text == "THREE"
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        assert len(stream.readlines()) == 3


def test_failures_timeouts_and_network_are_empty_outputs(tmp_path: Path):
    outputs = compute_outputs(System("failing", "text", failing_on_bad), sources("good", "bad"), cache_dir=tmp_path)
    assert outputs[("c", "0")] == Output("good", outputs[("c", "0")].seconds)
    assert outputs[("c", "1")].text == "" and outputs[("c", "1")].error == "ValueError: cannot read this page"
    started = time.perf_counter()
    slow = compute_outputs(System("sleeping", "text", sleeping), sources("slow", "quick"), cache_dir=None, timeout=0.2)
    assert time.perf_counter() - started < 3
    assert slow[("c", "0")].error.startswith("PageTimeout") and slow[("c", "1")].text == "quick"
    connect = socket.create_connection
    fetched = compute_outputs(System("fetching", "text", fetching), sources("page"), cache_dir=None)
    assert fetched[("c", "0")].error.startswith("NetworkForbidden")
    assert socket.create_connection is connect  # restored after the run
    cached = compute_outputs(System("failing", "text", failing_on_bad), sources("good", "bad"), cache_dir=tmp_path)
    assert cached == outputs  # failures are cached too


def test_a_worker_dying_or_hanging_on_a_page_fails_only_that_page(tmp_path: Path):
    system = System("crashing or hanging", "text", crashing_or_hanging)
    texts = sources("fine", "crash", "hang", "also fine")
    started = time.perf_counter()
    outputs = compute_outputs(system, texts, cache_dir=tmp_path, jobs=2, timeout=0.2)
    assert time.perf_counter() - started < 30
    assert outputs[("c", "0")].text == "fine" and outputs[("c", "3")].text == "also fine"
    assert outputs[("c", "1")].error == "worker died (exit code 3)"
    assert outputs[("c", "2")].error.startswith("hung: killed after 2.4 s")


def test_system_versions_and_missing_packages():
    assert {system.name for system in HTML_SYSTEMS} == {
        "trafilatura",
        "readability-lxml",
        "jusText",
        "boilerpy3",
        "resiliparse",
    }
    assert [system.input for system in TEXT_SYSTEMS] == ["text"] * 3
    found, notes = installed([System("ghost", "html", c4_rule, ("no-such-package-for-cleaner",)), TEXT_SYSTEMS[1]])
    assert found == [TEXT_SYSTEMS[1]] and len(notes) == 1 and "ghost" in notes[0]


@pytest.mark.skipif(not CORPORA_DIR.is_dir(), reason=f"corpora not found in {CORPORA_DIR}")
def test_competitors_on_real_pages(tmp_path: Path):
    pages = list(iter_corpus_pages(CORPORA_DIR, limit=1))
    assert len(pages) == len(CORPORA) == 9
    run = run_competitors(pages, cache_dir=tmp_path)
    # jusText (the bench extra) may be missing: the text systems are the installed ones.
    assert set(run.text) == {system.name for system in installed(TEXT_SYSTEMS)[0]} >= {"keep everything", "C4 rule"}
    assert set(run.html) == {system.name for system in installed(HTML_SYSTEMS)[0]}
    assert all(run.texts[(p.corpus, p.id)] for p in pages)
    keep = score_system("keep everything", pages, run.text["keep everything"])
    assert keep.failures() == 0 and keep.scores().recall > 0.8
    for name, outputs in run.html.items():
        assert sum(output.failed for output in outputs.values()) <= 1, name
        assert score_system(name, pages, outputs).scores().f1 > 0.3, name
    cached = {path.name.split("@")[0] for path in tmp_path.iterdir()}
    # The rules that take microseconds a page (keep everything, C4) are not cached.
    justext = {"justext-on-lines"} if "jusText on lines" in run.text else set()
    assert cached == {"html-text-rendering", *justext, *(name.lower() for name in run.html)}
    again = run_competitors(pages, cache_dir=tmp_path)
    assert again.html == run.html and again.texts == run.texts


@pytest.mark.skipif(not CORPORA_DIR.is_dir(), reason=f"corpora not found in {CORPORA_DIR}")
def test_each_corpus_is_cleaned_by_its_own_held_out_models(tmp_path: Path):
    from cleaner import Cleaner, Options
    from cleaner.corpus.benchmark import held_out_html, held_out_text, load_held_out
    from cleaner.corpus.systems import render_text

    # Two corpora, two "builds": the shipped models for one, the text model alone for the other.
    names = ["cleaneval", "fundus"]
    pages = list(iter_corpus_pages(CORPORA_DIR, names, limit=2))
    shipped = Cleaner.load()
    for mode, model in (("text", shipped.text_model), ("html", shipped.html_model)):
        model.save(tmp_path / f"{mode}-cleaneval.json")
        shipped.text_model.save(tmp_path / f"{mode}-fundus.json")
    texts = {(p.corpus, p.id): render_text(p.html) for p in pages}
    held_out = load_held_out(tmp_path, names)
    html, text = held_out_html(pages, held_out), held_out_text(pages, held_out, texts)
    text_only = Cleaner(shipped.text_model)
    as_text = Options(input_format="text")
    for p in pages:
        key = (p.corpus, p.id)
        cleaner = shipped if p.corpus == "cleaneval" else text_only
        assert html[key].text == cleaner.clean_html(p.html) and not html[key].failed
        assert text[key].text == text_only.clean(texts[key], as_text)
