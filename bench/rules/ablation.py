"""What each part of the pipeline is worth: the held-out HTML figures with one part turned off at a time.

    python bench/rules/ablation.py HELD_OUT [--part NAME ...] [--corpus NAME ...]
        [--corpora ../shared/corpora] [--cache bench/results/cache]

HELD_OUT is a folder of held-out models (``training/build_models.py --held-out HELD_OUT``). Every corpus
page is cleaned as HTML by the models that never saw its corpus, as ``cleaner benchmark`` cleans it, once
with the whole pipeline and once per part turned off, the models fixed; prints the per-corpus F1 (the
benchmark's shingle metric, four decimals), a row each (docs/benchmarks.md, "Reading the figures").
About two and a half minutes a row for the nine corpora.

A part turned off is not a model trained without it: the thresholds, the page check and the second pass
were chosen with every part in place. The rows say what each part adds to the pipeline as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

WHOLE = "the whole pipeline"


def _unchanged(decisions: Any, *args: Any, **kwargs: Any) -> Any:
    """A decision rule turned off: the decisions as they came."""
    return decisions


def _no_replies(kept: np.ndarray, *args: Any) -> np.ndarray:
    """``cleaner.decide.threads.reply_lines`` turned off: no line added."""
    return np.zeros(len(kept), dtype=bool)


def _first_pass_only(model: Any, line_matrix: np.ndarray, batch: Any) -> np.ndarray:
    """``Model.predict`` without its second pass: the first pass's label probabilities."""
    from cleaner.model import softmax

    if not len(line_matrix):
        return np.zeros((0, len(model.labels)))
    return softmax(model.logits(line_matrix))


def _threshold_only(probabilities: np.ndarray, batch: Any, model: Any, options: Any) -> Any:
    """``pipeline.decide_batch`` with no rule after the threshold and the smoothing."""
    from cleaner.decide.threshold import decide

    options = options.checked()
    return decide(probabilities, model.labels, options.keep, model.threshold, model.smoothing, batch.bounds)


def pipeline_parts() -> dict[str, list[tuple[Any, str, Callable[..., Any]]]]:
    """Each part: the (module or class, attribute, replacement) patches that turn it off."""
    from cleaner import pipeline
    from cleaner.decide import parts as decide_parts
    from cleaner.model import Model

    return {
        "without the <main>/<article> rule": [(decide_parts, "keep_to_content_elements", _unchanged)],
        "without the parts kept or dropped whole": [
            (decide_parts, "keep_main_groups", _unchanged),
            (decide_parts, "keep_sibling_paragraphs", _unchanged),
            (decide_parts, "decide_preformatted", _unchanged),
        ],
        "without the main container's threshold": [(decide_parts, "keep_main_prose", _unchanged)],
        "without the title heading kept with the article": [(decide_parts, "keep_title_heading", _unchanged)],
        "without the lede kept as the page describes it": [(decide_parts, "keep_lede", _unchanged)],
        "without the related-story lead-ins dropped": [(decide_parts, "drop_lead_ins", _unchanged)],
        "without the headings of kept text kept": [(decide_parts, "keep_section_headings", _unchanged)],
        "without the bylines under the title dropped": [(decide_parts, "drop_bylines", _unchanged)],
        "without the picture captions dropped": [(decide_parts, "drop_captions", _unchanged)],
        "without the timestamps dropped": [(decide_parts, "drop_timestamps", _unchanged)],
        "without the replies of discussions kept": [(decide_parts, "keep_discussion_prose", _unchanged)],
        "without the replies told by their markup": [(decide_parts, "reply_lines", _no_replies)],
        "without the page check": [(pipeline, "check_pages", _unchanged)],
        "without the fallback": [(pipeline, "fall_back", _unchanged)],
        "without the text view": [(pipeline, "with_text_view", _unchanged)],
        "without the second pass (both models)": [(Model, "predict", _first_pass_only)],
        "threshold and smoothing alone (no rule after them)": [(pipeline, "decide_batch", _threshold_only)],
    }


@contextlib.contextmanager
def turned_off(patches: list[tuple[Any, str, Callable[..., Any]]]) -> Iterator[None]:
    """The pipeline with ``patches`` applied, restored on exit."""
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    try:
        for owner, name, replacement in patches:
            setattr(owner, name, replacement)
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def main() -> None:
    from held_out import add_held_out_arguments, print_rows  # this folder's, on the path as a script's

    parts = pipeline_parts()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_held_out_arguments(parser)
    parser.add_argument("--part", action="append", choices=sorted(parts), help="Only this part (repeatable).")
    args = parser.parse_args()
    print_rows(args, [WHOLE, *(args.part or parts)], lambda name: turned_off(parts.get(name, [])), "")


if __name__ == "__main__":
    sys.exit(main())
