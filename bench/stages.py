"""Where a page's time goes in cleaner's own pipeline, stage by stage and feature set by feature set.

    python bench/stages.py [--mode text|html] [--corpora ../shared/corpora] [--pages 300] [--rounds 5]

Text mode reads the corpus pages rendered to text (as `bench/speed.py` does), HTML mode the pages
themselves, with the shipped models and default options, on one core (one BLAS thread).

1. The pipeline's stages, each timed on its own in one pass over the pages (the stages of a page run
   one after the other, as `cleaner.pipeline.articles` runs them, a page at a time): read (sniff,
   decode, lines; for HTML the parse and the segmenter), features (the line feature matrix), predict
   (both passes), text view (HTML pages that do not declare an article: the text model's reading,
   mixed in), decide (threshold, smoothing and the rules after them), render (the kept text). Each
   stage's figure is its best of --rounds passes; their sum is beside the whole call (`Cleaner.clean`
   or `clean_html`) timed alone.
2. The feature sets on the pages already read, each on its own: the batch view every set reads
   (`TextBatch`: the line scan), the character counts, the sets of a line's own text (one compiled
   pass for the four), then each other set of the model's, in its order.

`bench/html_stages.py` sets an HTML page's read stage beside bare lxml parses of the same pages.
Nothing here is a test: the figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from speed import ROOT, load_pages, machine, render_pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("text", "html"), default="text")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from cleaner import Cleaner, Options
    from cleaner.blas import one_blas_thread

    cleaner = Cleaner.load()
    options = Options(input_format=args.mode)
    html = load_pages(args.corpora, args.pages)
    if args.mode == "text":
        pages: list[bytes] = render_pages(html)
    else:
        pages = [page.encode("utf-8", "surrogatepass") for page in html]
    whole = cleaner.clean if args.mode == "text" else cleaner.clean_html
    with one_blas_thread():  # the pipeline holds it around prediction; held here for the whole run
        stages = stage_times(cleaner, options, pages, args.rounds)
        call = best_pass(lambda page: whole(page, options), pages, args.rounds)
        sets = feature_set_times(cleaner, options, pages, args.rounds)

    count = len(pages)
    size = sum(map(len, pages))
    print("\n".join(machine()))
    print(f"{count} pages ({args.mode}, {size / 1e6:.1f} MB), best of {args.rounds} passes\n")
    print("| stage | ms/page | share |")
    print("|---|--:|--:|")
    total = sum(stages.values())
    for name, seconds in stages.items():
        print(f"| {name} | {1000 * seconds / count:.3f} | {seconds / total:.0%} |")
    print(f"| sum of the stages | {1000 * total / count:.3f} | 100% |")
    print(f"| {whole.__name__}, the whole call | {1000 * call / count:.3f} | {call / total:.0%} |")
    print("\n| feature set | ms/page |")
    print("|---|--:|")
    for name, seconds in sets.items():
        print(f"| {name} | {1000 * seconds / count:.3f} |")


def stage_times(cleaner: Any, options: Any, pages: list[Any], rounds: int) -> dict[str, float]:
    """Seconds each stage took over all ``pages``: the best of ``rounds`` passes, stage by stage."""
    from cleaner.features import feature_matrix
    from cleaner.model.text_view import viewed_lines, with_text_view
    from cleaner.pipeline import decide_batch
    from cleaner.records import PageBatch
    from cleaner.render import render_kept

    def one_page(data: Any, spent: dict[str, float]) -> None:
        clock = time.perf_counter
        started = clock()
        page = cleaner.read_page(data, options)
        model = cleaner.models.for_page(page)
        batch = PageBatch.of([page])
        read = clock()
        matrix = feature_matrix(batch, model.settings.feature_sets, model.line_columns)
        featured = clock()
        probabilities = model.predict(matrix, batch)
        predicted = clock()
        if model.view is not None:
            probabilities = with_text_view(probabilities, matrix, batch, model.view, viewed_lines(batch))
        viewed = clock()
        decisions = decide_batch(probabilities, batch, model, options)
        decided = clock()
        render_kept(page.numbers, page.texts, decisions.kept.tolist())
        rendered = clock()
        for name, seconds in zip(STAGES, (read - started, featured - read, predicted - featured,
                                          viewed - predicted, decided - viewed, rendered - decided)):  # fmt: skip
            spent[name] += seconds

    best = dict.fromkeys(STAGES, float("inf"))
    for _ in range(rounds + 1):  # the first pass warms up
        spent = dict.fromkeys(STAGES, 0.0)
        for data in pages:
            one_page(data, spent)
        best = {name: min(best[name], spent[name]) for name in STAGES}
    return best


STAGES = ("read", "features", "predict", "text view", "decide", "render")


def feature_set_times(cleaner: Any, options: Any, pages: list[Any], rounds: int) -> dict[str, float]:
    """Seconds the batch view, the character counts and each feature set took over all ``pages``
    (read once beforehand), each the best of ``rounds`` passes."""
    from cleaner.features.counts import char_counts
    from cleaner.features.registry import FEATURE_SETS
    from cleaner.features.text_settings import SET_COLUMNS
    from cleaner.features.textbatch import TextBatch
    from cleaner.records import PageBatch

    read = [cleaner.read_page(data, options) for data in pages]
    model = cleaner.models.for_page(read[0])
    batches = [PageBatch.of([page]) for page in read]
    views = [TextBatch(batch) for batch in batches]
    counts = [char_counts(view) for view in views]
    found = {
        "TextBatch (the line scan)": best_pass(TextBatch, batches, rounds),
        "character counts": best_pass(char_counts, views, rounds),
    }
    # The sets of a line's own text come from one matrix a batch, made for the first of them asked.
    own_text = [name for name in model.settings.feature_sets if name in SET_COLUMNS]

    def own_text_sets(view: Any, count: Any) -> None:
        view.text_columns = None
        for name in own_text:
            FEATURE_SETS[name](view, count)

    found[", ".join(own_text) + " (one pass)"] = best_pass(
        lambda pair: own_text_sets(*pair), list(zip(views, counts)), rounds
    )
    for name in model.settings.feature_sets:
        if name not in SET_COLUMNS:
            compute = FEATURE_SETS[name]
            found[name] = best_pass(lambda pair, compute=compute: compute(*pair), list(zip(views, counts)), rounds)
    return found


def best_pass(function: Callable[[Any], object], inputs: list[Any], rounds: int) -> float:
    """The seconds of the fastest of ``rounds`` passes of ``function`` over ``inputs`` (after one to warm up)."""
    best = float("inf")
    for _ in range(rounds + 1):
        started = time.perf_counter()
        for item in inputs:
            function(item)
        best = min(best, time.perf_counter() - started)
    return best


if __name__ == "__main__":
    main()
