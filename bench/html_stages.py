"""Where `clean_html`'s time goes, stage by stage, on the same corpus pages in one run.

    python bench/html_stages.py [--corpora ../shared/corpora] [--pages 200] [--rounds 3]

Each row is a prefix of the pipeline (or a bare parse to compare with), timed over the same pages,
best of --rounds passes with the rows taking turns (see speed.best_times):

- lxml tree: `etree.fromstring` with the segmenter's parser settings, building lxml's tree;
- lxml, no-op target: the same parse sending its events to a parser target whose methods do
  nothing (what lxml's event dispatch costs without any work behind it);
- segment: the parse with cleaner's segmenter as the target (`cleaner.read.parse.segment`);
- read: the lines as columns, with the page-level numbers (`cleaner.read.blocks.html_blocks`);
- features: read, then the feature matrix of the shipped HTML model;
- clean_html: the whole call (features, both passes, the decision, rendering).

The difference between two rows is what the later stage costs. A compiled walk of lxml's tree could
at best replace the segmenter's row by the tree's; the rows after it are the rest of the pipeline.

Then the time Python's garbage collector takes during --rounds more passes of clean_html (timed by
its own callbacks), a share of clean_html that best-of timings of short passes do not show: the
collections of the older generations come once in many pages.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from pathlib import Path

from speed import ROOT, best_times, load_pages, machine


class _NoOpTarget:
    def start(self, tag, attrib) -> None:
        pass

    def end(self, tag) -> None:
        pass

    def data(self, text) -> None:
        pass

    def close(self) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from lxml import etree

    from cleaner import Cleaner, Options
    from cleaner.features import feature_matrix
    from cleaner.read.blocks import html_blocks
    from cleaner.read.parse import segment
    from cleaner.records import PageBatch

    cleaner = Cleaner.load()
    as_html = Options(input_format="html")
    model = cleaner.html_model
    pages = [page.encode("utf-8", "surrogatepass") for page in load_pages(args.corpora, args.pages)]

    def parser_for(target=None):
        return etree.HTMLParser(encoding="utf-8", huge_tree=True, no_network=True, collect_ids=False, target=target)

    def features(data: bytes) -> None:
        batch = PageBatch.of([cleaner.read_page(data, as_html)])
        feature_matrix(batch, model.settings.feature_sets, model.line_columns)

    runners = {
        "lxml tree": (lambda data: etree.fromstring(data, parser_for()), pages),
        "lxml, no-op target": (lambda data: etree.fromstring(data, parser_for(_NoOpTarget())), pages),
        "segment": (segment, pages),
        "read": (html_blocks, pages),
        "features": (features, pages),
        "clean_html": (cleaner.clean_html, pages),
    }
    best = best_times(runners, args.rounds)
    print("\n".join(machine()))
    print(f"{len(pages)} pages, best of {args.rounds} passes\n")
    print("| stage | ms/page | share of clean_html |")
    print("|---|--:|--:|")
    whole = best["clean_html"]
    for name, seconds in best.items():
        print(f"| {name} | {1000 * seconds / len(pages):.2f} | {seconds / whole:.0%} |")
    collected, seconds, calls = collector_time(cleaner.clean_html, pages, args.rounds)
    print(
        f"\ngarbage collector during {calls} clean_html calls: {1000 * seconds / calls:.3f} ms a call"
        f" ({seconds / (whole / len(pages) * calls):.1%} of clean_html), collections by generation {collected}"
    )


def collector_time(
    function: Callable[[bytes], object], pages: list[bytes], rounds: int
) -> tuple[list[int], float, int]:
    """The collections of each generation, and the seconds the garbage collector took, while
    ``function`` ran over ``pages`` ``rounds`` times; and the number of calls."""
    spent, started = [0.0], [0.0]

    def timer(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]

    before = [generation["collections"] for generation in gc.get_stats()]
    gc.callbacks.append(timer)
    try:
        for _ in range(rounds):
            for page in pages:
                function(page)
    finally:
        gc.callbacks.remove(timer)
    after = [generation["collections"] for generation in gc.get_stats()]
    return [b - a for a, b in zip(before, after)], spent[0], rounds * len(pages)


if __name__ == "__main__":
    main()
