"""Outputs of the other extractors and of the text baselines on the corpora, computed once and cached.

A system's output on a page depends only on the system's version and on its input, so each output is
stored on disk the first time it is computed: one gzipped JSON-lines file per (system, version) in a cache
folder (default ``bench/results/cache/``, git-ignored), one record per page keyed by (corpus, page id, sha1
of the input). A later run reads the file and computes only the pages that are missing or whose input
changed. The html-text rendering of each page, the input of the text systems (and of cleaner's text mode),
is cached the same way.

Pages run in ``jobs`` worker processes (see :mod:`cleaner.corpus.sandbox`); each page's output is timed
on its own. An exception, a page taking longer than ``timeout`` seconds, or a worker dying or hanging on a
page makes that page a failure with an empty output; the run goes on. Results are appended to the cache
every :data:`CHUNK_PAGES` pages, so an interrupted run keeps what it computed. One process at a time may
write a cache folder.

``python -m cleaner.corpus.systems --jobs 2`` fills the cache for every corpus and prints the tables.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, NamedTuple

import typer

from cleaner.corpus.competitors import HTML_SYSTEMS, TEXT_SYSTEMS, System, installed
from cleaner.corpus.pages import CORPORA, CorpusPage, default_corpora_dir, iter_corpus_pages
from cleaner.corpus.render import RENDERERS
from cleaner.corpus.sandbox import PAGE_TIMEOUT_SECONDS, Output, run_pages

# Where outputs are cached, relative to the current directory (bench/results/ is git-ignored).
DEFAULT_CACHE_DIR = Path("bench") / "results" / "cache"
# Pages computed between two writes to the cache file: what an interrupted run can lose.
CHUNK_PAGES = 200
# The plain-text rendering the text systems read (and cleaner's text mode is tested on).
TEXT_RENDERER = "html-text"

Key = tuple[str, str]
"""(corpus, page id)."""


def render_text(html: str) -> str:
    """The page as the text systems see it: html-text's rendering with its layout guessed."""
    return "\n".join(RENDERERS[TEXT_RENDERER](html))


# The rendering, cached like a system's output.
RENDERING = System("html-text rendering", "html", render_text, ("html-text", "lxml"))


class Source(NamedTuple):
    """A system's input on one page."""

    corpus: str
    page_id: str
    text: str

    @property
    def key(self) -> Key:
        return (self.corpus, self.page_id)


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------------------------------------------------
# The cache files


def cache_path(folder: Path, system: System) -> Path:
    """``<folder>/<system name>@<version>.jsonl.gz``, e.g. ``trafilatura@trafilatura-2.3.1_lxml-6.1.3_r1``."""
    slug = "".join(c if c.isalnum() else "-" for c in system.name.lower())
    return folder / f"{slug}@{system.version()}.jsonl.gz"


def read_cache(path: Path) -> tuple[dict[Key, tuple[str, Output]], bool]:
    """The records of a cache file by key, as (input sha1, output), and whether the file needs rewriting.

    The last record of a key wins. A file cut short (a run killed while writing) gives the records read
    before the damage; it and a file holding superseded records are to be rewritten.
    """
    records: dict[Key, tuple[str, Output]] = {}
    lines = 0
    damaged = False
    if not path.is_file():
        return records, False
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            for line in stream:
                try:
                    record = json.loads(line)
                    key = (record["corpus"], record["id"])
                    records[key] = (record["sha1"], Output(record["text"], record["seconds"], record["error"]))
                except (json.JSONDecodeError, KeyError, TypeError):
                    damaged = True
                lines += 1
    except (EOFError, OSError, zlib.error, UnicodeDecodeError):
        damaged = True
    return records, damaged or lines > len(records)


def _record_line(key: Key, digest: str, output: Output) -> str:
    record = {
        "corpus": key[0],
        "id": key[1],
        "sha1": digest,
        "text": output.text,
        "seconds": output.seconds,
        "error": output.error,
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def write_cache(path: Path, records: dict[Key, tuple[str, Output]], *, append: bool = False) -> None:
    """Write ``records`` to ``path``: appended as a new gzip member, or replacing the file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    target = path if append else path.with_name(path.name + ".tmp")
    with open(target, "ab" if append else "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as stream:
        stream.write("".join(_record_line(key, *value) for key, value in records.items()).encode("utf-8"))
    if not append:
        os.replace(target, path)


def compute_outputs(
    system: System,
    sources: Sequence[Source],
    *,
    cache_dir: Path | None = DEFAULT_CACHE_DIR,
    jobs: int = 1,
    timeout: float | None = PAGE_TIMEOUT_SECONDS,
    retry_failures: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> dict[Key, Output]:
    """The outputs of ``system`` on ``sources``, by key: read from the cache, the missing ones computed.

    Outputs are computed in ``jobs`` processes (1: in this process) and appended to the cache file of the
    system's version; ``cache_dir=None`` (or a system whose ``cached`` is false) caches nothing. A cached
    output is reused when its input's sha1 is the same; so is a cached failure, unless ``retry_failures``
    (a timeout or a dead worker may come from a busy machine). Records of other pages stay in the file.
    """
    path = cache_path(cache_dir, system) if cache_dir is not None and system.cached else None
    cached, stale = read_cache(path) if path is not None else ({}, False)
    if path is not None and stale:
        write_cache(path, cached)
    digests = {source.key: sha1(source.text) for source in sources}
    outputs = {
        key: cached[key][1]
        for key, digest in digests.items()
        if key in cached and cached[key][0] == digest and not (retry_failures and cached[key][1].failed)
    }
    todo = [source for source in sources if source.key not in outputs]
    progress(f"{system.name}: {len(outputs)} cached, {len(todo)} to compute")
    started = time.perf_counter()
    for start in range(0, len(todo), CHUNK_PAGES):
        chunk = todo[start : start + CHUNK_PAGES]
        # A rule not worth caching is not worth sending to another process either.
        workers = jobs if system.cached else 1
        chunk_outputs = run_pages(system, [source.text for source in chunk], workers, timeout)
        computed = {source.key: output for source, output in zip(chunk, chunk_outputs)}
        outputs.update(computed)
        if path is not None:
            write_cache(path, {key: (digests[key], output) for key, output in computed.items()}, append=True)
        done = start + len(chunk)
        progress(f"{system.name}: {done}/{len(todo)} computed in {time.perf_counter() - started:.0f} s")
    return {source.key: outputs[source.key] for source in sources}


def _key(page: CorpusPage) -> Key:
    return (page.corpus, page.id)


def render_pages(pages: Sequence[CorpusPage], **options) -> dict[Key, str]:
    """The html-text rendering of each page, by key (cached; ``options`` as for :func:`compute_outputs`)."""
    sources = [Source(page.corpus, page.id, page.html) for page in pages]
    return {key: output.text for key, output in compute_outputs(RENDERING, sources, **options).items()}


def compute_systems(
    systems: Sequence[System],
    pages: Sequence[CorpusPage],
    *,
    texts: dict[Key, str] | None = None,
    **options,
) -> dict[str, dict[Key, Output]]:
    """The outputs of every system on every page, by system name then key (``options`` as for
    :func:`compute_outputs`). HTML systems read the page's HTML, text systems its rendering (``texts``,
    else :func:`render_pages`)."""
    if texts is None and any(system.input == "text" for system in systems):
        texts = render_pages(pages, **options)
    results: dict[str, dict[Key, Output]] = {}
    for system in systems:
        if system.input == "html":
            sources = [Source(page.corpus, page.id, page.html) for page in pages]
        else:
            sources = [Source(page.corpus, page.id, texts[_key(page)]) for page in pages]  # type: ignore[index]
        results[system.name] = compute_outputs(system, sources, **options)
    return results


# Failed pages named per system in the notes of a report.
NOTED_FAILURES = 5


def failure_notes(outputs: dict[str, dict[Key, Output]]) -> list[str]:
    """A note per system that failed on some pages: how many, and the first few with their errors."""
    notes = []
    for name, by_key in outputs.items():
        failed = [(key, output) for key, output in by_key.items() if output.failed]
        if failed:
            listed = "; ".join(f"{corpus}/{page_id}: {out.error}" for (corpus, page_id), out in failed[:NOTED_FAILURES])
            notes.append(
                f"{name} failed on {len(failed)} pages ({listed}{'; ...' if len(failed) > NOTED_FAILURES else ''})"
            )
    return notes


@dataclass
class CompetitorRun:
    """Every competitor's outputs on a list of pages, and the pages' rendering."""

    html: dict[str, dict[Key, Output]]
    """Outputs of the installed HTML systems, by system name then (corpus, page id)."""
    text: dict[str, dict[Key, Output]]
    """Outputs of the text systems, on :attr:`texts`."""
    texts: dict[Key, str]
    """The html-text rendering of each page (the input of cleaner's text mode too)."""
    notes: list[str]
    """Systems skipped (not installed) and failures (how many, and the first few pages with their error)."""


def run_competitors(
    pages: Sequence[CorpusPage],
    *,
    cache_dir: Path | None = DEFAULT_CACHE_DIR,
    jobs: int = 1,
    timeout: float | None = PAGE_TIMEOUT_SECONDS,
    retry_failures: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> CompetitorRun:
    """The rendering, and the outputs of every installed HTML and text system, on ``pages`` (cached)."""
    html_systems, notes = installed(HTML_SYSTEMS)
    text_systems, text_notes = installed(TEXT_SYSTEMS)
    options = {"cache_dir": cache_dir, "jobs": jobs, "timeout": timeout, "retry_failures": retry_failures}
    sources = [Source(page.corpus, page.id, page.html) for page in pages]
    renderings = compute_outputs(RENDERING, sources, progress=progress, **options)
    texts = {key: output.text for key, output in renderings.items()}
    outputs = compute_systems([*html_systems, *text_systems], pages, texts=texts, progress=progress, **options)
    return CompetitorRun(
        html={system.name: outputs[system.name] for system in html_systems},
        text={system.name: outputs[system.name] for system in text_systems},
        texts=texts,
        notes=[*notes, *text_notes, *failure_notes({RENDERING.name: renderings, **outputs})],
    )


# ---------------------------------------------------------------------------------------------------------
# Command line: fill the cache and print the competitors' tables


def main(
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.")] = 2,
    corpora_dir: Annotated[Path | None, typer.Option("--corpora", help="Corpora folder.")] = None,
    corpus: Annotated[list[str] | None, typer.Option("--corpus", help="Only this corpus (repeatable).")] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many pages per corpus.")] = None,
    cache: Annotated[Path, typer.Option("--cache", help="Cache folder.")] = DEFAULT_CACHE_DIR,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per page.")] = PAGE_TIMEOUT_SECONDS,
    retry_failures: Annotated[bool, typer.Option("--retry-failures", help="Recompute cached failures.")] = False,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write per-page scores here.")] = None,
    markdown: Annotated[Path | None, typer.Option("--markdown", help="Also write the tables here.")] = None,
) -> None:
    """Compute (or read from the cache) every competitor's output on the corpora, and print their scores."""
    from cleaner.corpus.report import format_tables, score_systems, write_scores_json
    from cleaner.corpus.score_cache import SCORES_FILE, Scorer

    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.0f} s] {message}", file=sys.stderr, flush=True)

    names = list(corpus or CORPORA)
    pages = list(iter_corpus_pages(corpora_dir or default_corpora_dir(), names, limit))
    progress(f"{len(pages)} pages from {len(names)} corpora")
    run = run_competitors(
        pages, cache_dir=cache, jobs=jobs, timeout=timeout, retry_failures=retry_failures, progress=progress
    )
    scorer = Scorer.load(cache / SCORES_FILE)
    html_scores, text_scores = score_systems(pages, run.html, scorer), score_systems(pages, run.text, scorer)
    scorer.save(cache / SCORES_FILE)
    progress("scored")
    report = format_tables(html_scores, text_scores, names, notes=run.notes)
    print(report)
    if markdown is not None:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(report + "\n", encoding="utf-8")
    if json_path is not None:
        write_scores_json(json_path, {"html": html_scores, "text": text_scores})
    progress("done")


if __name__ == "__main__":
    typer.run(main)
