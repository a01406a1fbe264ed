"""What each decision rule costs: the decide stage timed on 200 corpus pages with every rule, then
with each rule turned off in turn, in one process, the passes taking turns (best of five).

    python bench/rules/cost.py [--corpora ../shared/corpora] [--pages 200]

Each page is read, featurised and predicted once (shipped models, one BLAS thread); only
``pipeline.decide_batch`` is timed, a page at a time, with the page's title keys cached as the
features stage leaves them. A rule's cost is the time the stage saves without it. Nothing here
is a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from speed import ROOT, load_pages  # noqa: E402


def _unchanged(decisions: Any, *args: Any, **kwargs: Any) -> Any:
    """A decision rule turned off: the decisions as they came."""
    return decisions


def _rules() -> dict[str, list[tuple[Any, str]]]:
    """Each rule: the (module, attribute) pairs that turn it off when replaced by :func:`_unchanged`."""
    from cleaner import pipeline
    from cleaner.decide import parts

    return {
        "discussion prose (and replies)": [(parts, "keep_discussion_prose")],
        "main container's threshold": [(parts, "keep_main_prose")],
        "lists and tables kept whole": [(parts, "keep_main_groups")],
        "preformatted runs decided whole": [(parts, "decide_preformatted")],
        "the page's main and article content": [(parts, "keep_to_content_elements")],
        "definition terms": [(parts, "keep_terms_of_kept_definitions")],
        "related-story lead-ins": [(parts, "drop_lead_ins")],
        "picture captions": [(parts, "drop_captions")],
        "title heading": [(parts, "keep_title_heading")],
        "lede": [(parts, "keep_lede")],
        "section headings": [(parts, "keep_section_headings")],
        "bylines": [(parts, "drop_bylines")],
        "fallback": [(pipeline, "fall_back")],
        "page check": [(pipeline, "check_pages")],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from cleaner import Cleaner, Options, pipeline
    from cleaner.blas import one_blas_thread
    from cleaner.features import feature_matrix
    from cleaner.model.text_view import viewed_lines, with_text_view
    from cleaner.read.titles import page_keys
    from cleaner.records import PageBatch

    cleaner = Cleaner.load()
    options = Options(input_format="html")
    model = cleaner.models.for_html()
    prepared = []
    with one_blas_thread():
        for html in load_pages(args.corpora, args.pages):
            batch = PageBatch.of([cleaner.models.read(html.encode("utf-8", "surrogatepass"), options)])
            matrix = feature_matrix(batch, model.settings.feature_sets, model.line_columns)
            probabilities = model.predict(matrix, batch)
            if model.view is not None:
                probabilities = with_text_view(probabilities, matrix, batch, model.view, viewed_lines(batch))
            prepared.append((probabilities, batch))

        def run() -> float:
            spent = 0.0
            for probabilities, batch in prepared:
                # As the pipeline leaves it for the decide stage: the page's title keys cached by the
                # features stage just before (cycling through 200 pages, the cache would miss).
                for signals in batch.signals:
                    page_keys(signals)
                start = time.perf_counter()
                pipeline.decide_batch(probabilities, batch, model, options)
                spent += time.perf_counter() - start
            return spent / len(prepared) * 1000

        rules = _rules()
        times: dict[str, list[float]] = {"": [], **{name: [] for name in rules}}
        for _ in range(args.rounds):
            times[""].append(run())
            for name, patches in rules.items():
                saved = [(target, attribute, getattr(target, attribute)) for target, attribute in patches]
                for target, attribute in patches:
                    setattr(target, attribute, _unchanged)
                try:
                    times[name].append(run())
                finally:
                    for target, attribute, original in saved:
                        setattr(target, attribute, original)
    whole = min(times[""])
    print(f"decide stage, every rule: {whole:.3f} ms a page ({len(prepared)} pages, best of {args.rounds})")
    print("| rule | ms a page |\n|---|--:|")
    for name in rules:
        print(f"| {name} | {whole - min(times[name]):.3f} |")
    print(f"| the threshold, smoothing and the rest | {whole - sum(whole - min(times[n]) for n in rules):.3f} |")


if __name__ == "__main__":
    main()
